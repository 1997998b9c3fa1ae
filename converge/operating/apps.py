from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperatingConfig(AppConfig):
    name = "converge.operating"
    label = "operating"
    verbose_name = _("Operating model")

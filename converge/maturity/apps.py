from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaturityConfig(AppConfig):
    name = "converge.maturity"
    label = "maturity"
    verbose_name = _("Maturity")

    def ready(self) -> None:
        from converge.maturity import definition

        definition.set_current(definition.load())

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "converge.finance"
    label = "finance"
    verbose_name = _("Budget & ROI")

    def ready(self) -> None:
        # Budget and return become a section of every committee meeting's agenda pack.
        from converge.core.models import Capability
        from converge.finance import agenda
        from converge.governance.selectors import register_section

        register_section(
            agenda.SECTION,
            agenda.LABEL,
            agenda.budget_and_return,
            needs=Capability.VIEW_BUDGET,
        )

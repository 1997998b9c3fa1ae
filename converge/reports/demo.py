"""Demo data: the business case for Nordvik's board (deterministic and idempotent)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from converge.core.models import User, Workspace
from converge.reports import services
from converge.reports.models import BusinessCase

SUMMARY = (
    "Our customers, our B2B buyers and the journalists who cover us are already on social "
    "media, and our competitors are gaining there. This case asks the board to make social a "
    "long-term part of how Nordvik does business, not a campaign: a dedicated team, the tools "
    "and training it needs, and a paid-social war chest, measured against the business plan's "
    "goals."
)
ASK = (
    "We ask the board to approve the three-year budget below, including a 20% contingency, "
    "and to move the budget of the printed catalogue and the local radio spots to social from "
    "next year."
)


def build_demo(workspace: Workspace, actor: User) -> None:
    first = timezone.localdate().year + 1
    title = f"Social business {first}–{first + 2}"
    if BusinessCase.objects.filter(workspace=workspace, title=title).exists():
        return
    services.business_case_save(
        actor=actor,
        workspace=workspace,
        title=title,
        audience="board",
        language="en",
        first_year=first,
        horizon_years=3,
        cost_contingency=Decimal(20),
        schedule_contingency=Decimal(20),
        summary=SUMMARY,
        ask=ASK,
    )

"""Demo data: Nordvik's value model and two budget scenarios (part of the Nordvik demo;
deterministic and idempotent).

The CFO owns the money assumptions: the gross margin on revenue attributed to social (42%), a
qualified B2B lead (4,500 SEK: a 15% win rate × a 30,000 SEK first order) and the cost saved
per customer case answered on social instead of by phone (62 SEK). Earned media value per brand
mention is the agency's estimate: soft value, shown apart and never counted in ROI.

Scenarios for next year's budget: "The CFO's 15% cut" (paid social and the agency cut by 15%)
and "Agency money to LinkedIn" (120,000 SEK moved from the creative agency to paid LinkedIn,
where B2B leads come from)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from converge.core.models import User, Workspace
from converge.finance.models import BudgetLine, Scenario, ValueAssumption
from converge.finance.value import services

D = Decimal

# name, kind, hardness, metric, value per unit, owner, source, note
ASSUMPTIONS = (
    (
        "Gross margin on revenue attributed to social",
        "revenue",
        "revenue",
        "attributed_revenue",
        "0.42",
        "cfo@nordvik.example",
        "Finance: gross margin in the 2025 annual report",
        "Only the margin counts as return, not the whole sale.",
    ),
    (
        "Value of a qualified B2B lead",
        "lead",
        "revenue",
        "leads",
        "4500",
        "cfo@nordvik.example",
        "Sales and Finance: CRM win rate 15% × average first order 30,000 SEK (2025)",
        "",
    ),
    (
        "Cost saved per customer case answered on social instead of by phone",
        "case_saving",
        "saving",
        "responses",
        "62",
        "cfo@nordvik.example",
        "Customer Service cost study 2025: 96 SEK per phone call, 34 SEK per social case",
        "",
    ),
    (
        "Earned media value per brand mention",
        "earned_media",
        "soft",
        "mentions",
        "180",
        "agency@nordvik.example",
        "Fjällbyrån's media value estimate",
        "Soft value: shown apart, never counted as return.",
    ),
)

CUT = "The CFO's 15% cut"
MOVE = "Agency money to LinkedIn"


@transaction.atomic
def build_demo(workspace: Workspace, actor: User) -> None:
    """The value model and the scenarios; running it again adds nothing."""
    today = timezone.localdate()
    dated = (
        date(today.year, 2, 1) if today >= date(today.year, 2, 1) else date(today.year - 1, 2, 1)
    )
    people = {u.email: u for u in User.objects.filter(memberships__workspace=workspace)}
    for name, kind, hardness, metric, value, owner, source, note in ASSUMPTIONS:
        if ValueAssumption.objects.filter(workspace=workspace, name=name).exists():
            continue
        services.assumption_save(
            actor=actor,
            workspace=workspace,
            name=name,
            kind=kind,
            hardness=hardness,
            metric_key=metric,
            unit_value=D(value),
            owner=people.get(owner),
            source=source,
            as_of=dated,
            note=note,
        )
    year = today.year + 1
    lines = {line.name: line for line in BudgetLine.objects.filter(workspace=workspace, year=year)}
    if not lines or Scenario.objects.filter(workspace=workspace, name__in=[CUT, MOVE]).exists():
        return
    cut = services.scenario_save(
        actor=actor,
        workspace=workspace,
        name=CUT,
        year=year,
        note="Finance asks every department to plan for 15% less on bought services.",
    )
    for name in (
        "Paid social: Instagram",
        "Paid social: Facebook",
        "Paid social: LinkedIn",
        "Paid social: TikTok",
        "Creative agency",
    ):
        if name in lines:
            services.scenario_change_add(
                actor=actor, scenario=cut, kind="cut", line=lines[name], percent=D(15)
            )
    if "Creative agency" in lines and "Paid social: LinkedIn" in lines:
        move = services.scenario_save(
            actor=actor,
            workspace=workspace,
            name=MOVE,
            year=year,
            note="Fewer agency hours, more paid reach to B2B buyers on LinkedIn.",
        )
        services.scenario_change_add(
            actor=actor,
            scenario=move,
            kind="move",
            line=lines["Creative agency"],
            to_line=lines["Paid social: LinkedIn"],
            amount=D(120000),
        )

"""Builders for the value part of the tenancy crawl and tests: one object of every kind
addressable by URL, and a small world to compute ROI on by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from converge.finance.budget import services as budget
from converge.finance.models import BudgetLine, ScenarioChange, ValueAssumption
from converge.finance.value import services
from converge.measurement.models import Channel, Observation
from converge.strategy.models import Initiative, Kpi, SocialObjective
from tests.conftest import World
from tests.finance.builders_budget import line

D = Decimal


def assumption(
    world: World,
    name: str = "Value of a lead",
    *,
    metric: str = "leads",
    value: str = "4000",
    hardness: str = "revenue",
    kind: str = "lead",
) -> ValueAssumption:
    return services.assumption_save(
        actor=world.lead,
        workspace=world.workspace,
        name=name,
        kind=kind,
        hardness=hardness,
        metric_key=metric,
        unit_value=D(value),
        owner=world.executive,
        source="Finance memo",
        as_of=date(2026, 2, 1),
    )


def build_value(world: World, marker: str) -> dict[str, str]:
    """Sample path values (name -> value) for the crawl."""
    found = assumption(world, f"Lead {marker}")
    budget_line = line(world, f"Value line {marker}", year=2027)
    scenario = services.scenario_save(
        actor=world.lead, workspace=world.workspace, name=f"Cut {marker}", year=2027, note=marker
    )
    change = services.scenario_change_add(
        actor=world.lead, scenario=scenario, kind="cut", line=budget_line, percent=D(10)
    )
    return {
        "value_assumption": str(found.uuid),
        "budget_scenario": str(scenario.uuid),
        "position": str(change.position),
    }


@dataclass
class Small:
    """One objective with a KPI on leads, one initiative serving it (1 Feb – 30 Apr), two
    channels; a paid-social line of 2026 allocated 75% / 25% to the two channels, 100% to the
    objective, 100% to the initiative; a staff line unallocated; spend and observations in Q1.

    Q1 2026 (1 Jan – 31 Mar): spend 10,000 on paid social (Jan 4,000, Feb 6,000) and 2,000 on
    staff; leads 3 on LinkedIn (Jan 1, Feb 2), 2 on Facebook (Mar), 1 without a channel;
    mentions 100 on LinkedIn. Lead value 4,000 (hard), mention 50 (soft)."""

    paid: BudgetLine
    staff: BudgetLine
    linkedin: Channel
    facebook: Channel
    objective: SocialObjective
    initiative: Initiative
    kpi: Kpi


def build_small(world: World) -> Small:
    ws = world.workspace
    linkedin = Channel.objects.create(workspace=ws, platform="linkedin", handle="Acme AB")
    facebook = Channel.objects.create(workspace=ws, platform="facebook", handle="Acme")
    objective = SocialObjective.objects.create(
        workspace=ws,
        statement="Win B2B leads on social",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    initiative = Initiative.objects.create(
        workspace=ws, title="B2B stories", start=date(2026, 2, 1), end=date(2026, 4, 30)
    )
    initiative.objectives.add(objective)
    kpi = Kpi.objects.create(
        workspace=ws, objective=objective, name="Qualified leads", metric_key="leads"
    )
    paid = line(world, "Paid social", planned="40000")
    staff = line(world, "Social media lead", category="staff", planned="20000")
    for kind, targets in (
        ("channel", [(linkedin, D(75)), (facebook, D(25))]),
        ("objective", [(objective, D(100))]),
        ("initiative", [(initiative, D(100))]),
    ):
        budget.allocations_set(
            actor=world.lead, line=paid, kind=kind, shares={t: s for t, s in targets}
        )
    for day, amount, on in (
        (date(2026, 1, 15), "4000", paid),
        (date(2026, 2, 15), "6000", paid),
        (date(2026, 3, 1), "2000", staff),
        (date(2026, 4, 2), "9999", paid),  # after the period
    ):
        budget.spend_add(
            actor=world.lead, workspace=ws, line=on, day=day, amount=D(amount), supplier="S"
        )
    for channel, day, metric, value in (
        (linkedin, date(2026, 1, 10), "leads", 1),
        (linkedin, date(2026, 2, 10), "leads", 2),
        (facebook, date(2026, 3, 10), "leads", 2),
        (None, date(2026, 3, 11), "leads", 1),
        (linkedin, date(2026, 3, 12), "mentions", 100),
        (linkedin, date(2026, 4, 5), "leads", 50),  # after the period
    ):
        Observation.objects.create(
            workspace=ws, channel=channel, day=day, metric=metric, value=D(value)
        )
    assumption(world)
    assumption(
        world, "Earned media", metric="mentions", value="50", hardness="soft", kind="earned_media"
    )
    return Small(paid, staff, linkedin, facebook, objective, initiative, kpi)


def first_change(scenario_uuid: str) -> ScenarioChange:
    return ScenarioChange.objects.get(scenario__uuid=scenario_uuid, position=0)

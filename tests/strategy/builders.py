"""Build a small but complete strategy through the services, for tests."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from converge.core.models import Membership
from converge.strategy import services
from tests.conftest import World


def build_strategy(world: World) -> dict[str, str]:
    """One of everything in world.workspace; returns the URL parameters that address them."""
    lead, ws = world.lead, world.workspace
    goal = services.goal_save(
        actor=lead,
        workspace=ws,
        title="Cut the cost to serve",
        business_metric="Cost per case",
        horizon=date(2028, 12, 31),
        departments=[world.department],
    )
    objective = services.objective_save(
        actor=lead,
        workspace=ws,
        statement="Answer complaints on social within an hour",
        goals=[goal],
        departments=[world.department],
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
    )
    kpi = services.kpi_save(
        actor=lead,
        workspace=ws,
        objective=objective,
        name="Median first response time",
        metric_key="median_first_response_time",
        direction="decrease",
        baseline_value=Decimal("240"),
        baseline_date=date(2026, 1, 1),
        target_value=Decimal("60"),
        target_date=date(2027, 12, 31),
        owner=Membership.objects.get(user=world.member, workspace=ws),
    )
    audience = services.audience_save(
        actor=lead, workspace=ws, name="Outdoor families", kind="customers"
    )
    services.presence_save(
        actor=lead,
        audience=audience,
        platform="instagram",
        figure=Decimal("64"),
        unit="percent",
        source="Internetstiftelsen, Svenskarna och internet 2025",
        figure_date=date(2025, 10, 1),
        source_url="https://svenskarnaochinternet.se/",
    )
    message = services.message_save(
        actor=lead,
        workspace=ws,
        title="Gear that lasts",
        audiences=[audience],
        channels=["instagram", "facebook"],
        tone="Warm",
    )
    tactic = services.tactic_save(
        actor=lead,
        objective=objective,
        channel="facebook",
        activity="Staffed social care desk",
        frequency="Daily",
        people=2,
        hours_per_week=Decimal("40"),
    )
    initiative = services.initiative_save(
        actor=lead,
        workspace=ws,
        title="Social care desk",
        start=date(2026, 1, 1),
        end=date(2029, 12, 31),
        goals=[goal],
        department=world.department,
    )
    return {
        "goal": str(goal.uuid),
        "objective": str(objective.uuid),
        "kpi": str(kpi.uuid),
        "audience": str(audience.uuid),
        "message": str(message.uuid),
        "initiative": str(initiative.uuid),
        "tactic": str(tactic.uuid),
        "platform": "instagram",
        "kind": "goal",
        "uuid": str(goal.uuid),
    }

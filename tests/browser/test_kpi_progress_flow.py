"""In a real browser: a KPI page computed from figures shows its status, the formula, and a
Vega-Lite chart with the baseline, target, projections and annotations."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from converge.core.models import Department, Workspace
from converge.measurement import services as measurement
from converge.measurement.models import Observation
from converge.strategy import services as strategy
from tests.browser.conftest import screenshot
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.browser


def test_the_kpi_page_draws_the_progress_chart(live_server, transactional_db, page) -> None:  # type: ignore[no-untyped-def]
    workspace: Workspace = WorkspaceFactory(name="Fjord Gear AB", slug="fjord")  # type: ignore[assignment]
    lead = UserFactory(email="lead@fjord.example", full_name="Frida Fjord")
    MembershipFactory(workspace=workspace, user=lead, role="lead")
    department: Department = DepartmentFactory(  # type: ignore[assignment]
        workspace=workspace, name="E-commerce", slug="e-commerce"
    )
    insta = measurement.channel_save(
        actor=lead, workspace=workspace, platform="instagram", handle="@fjord"
    )
    today = date.today()
    rows = []
    for i in range(500):
        day = today - timedelta(days=i)
        rows.append(
            Observation(
                workspace=workspace,
                channel=insta,
                metric="link_clicks",
                day=day,
                value=Decimal(100 + (500 - i) // 5 + (i % 7) * 3),
            )
        )
    Observation.objects.bulk_create(rows)
    measurement.daily_totals_refresh(workspace=workspace)
    goal = strategy.goal_save(
        actor=lead,
        workspace=workspace,
        title="Grow online revenue",
        business_metric="Online revenue",
        horizon=date(today.year + 2, 12, 31),
    )
    objective = strategy.objective_save(
        actor=lead,
        workspace=workspace,
        statement="Send more shoppers from social to the shop",
        goals=[goal],
        departments=[department],
        start=today - timedelta(days=200),
        end=date(today.year + 1, 12, 31),
    )
    kpi = strategy.kpi_save(
        actor=lead,
        workspace=workspace,
        objective=objective,
        name="Link clicks to the shop",
        metric_key="link_clicks",
        direction="increase",
        baseline_value=Decimal(4000),
        baseline_date=today - timedelta(days=200),
        target_value=Decimal(6000),
        target_date=date(today.year + 1, 12, 31),
        channels=[insta],
    )
    measurement.annotation_save(
        actor=lead,
        workspace=workspace,
        day=today - timedelta(days=120),
        end_day=today - timedelta(days=100),
        title="Spring collection",
        kind="campaign",
    )
    measurement.annotation_save(
        actor=lead,
        workspace=workspace,
        day=today - timedelta(days=60),
        title="Shop outage",
        kind="outage",
        channel=insta,
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("lead@fjord.example")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/w/fjord/")
    page.goto(f"{live_server.url}/w/fjord/strategy/kpis/{kpi.uuid}/")
    page.locator("#kpi-chart svg").wait_for()
    status = page.locator("[data-status]").get_attribute("data-status")
    assert status in {"on_track", "at_risk", "off_track"}
    page.get_by_text("How this is computed").click()
    assert "the sum of 30 daily figures" in page.locator("[data-testid=formula]").inner_text()
    marks = page.locator("#kpi-chart svg .mark-rule path, #kpi-chart svg .mark-rule line")
    assert marks.count() >= 4  # baseline, target, two annotations
    screenshot(page, "kpi-progress-01-chart")

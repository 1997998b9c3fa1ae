"""In a real browser, on the demo: the lead opens the KPI dashboard, narrows it to the Sales
department, opens a KPI, compares it with the period before, and drills down from its current
value to the rows behind it — rows of a real LinkedIn export, each naming its file and line —
and on to that import."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from converge.core.models import Department, User
from converge.measurement.models import Channel
from converge.strategy import services as strategy
from converge.strategy.models import BusinessGoal
from tests.browser.conftest import screenshot, sign_in_to_demo
from tests.conftest import SHARED

pytestmark = pytest.mark.browser
FILE = "pro-efficient-data-entry_content_1742193384396.xlsx"


def test_a_lead_goes_from_the_overview_to_a_departments_kpi_and_a_source_row(
    live_server, transactional_db, browser
) -> None:  # type: ignore[no-untyped-def]
    if not (SHARED / "data").is_dir():
        pytest.skip("the shared sample data is not there")
    call_command("converge_demo", force=True)
    lead = User.objects.get(email="lead@nordvik.example")
    sales = Department.objects.get(workspace__slug="nordvik", slug="sales")
    pro = Channel.objects.get(workspace__slug="nordvik", handle__icontains="Pro")
    goal = BusinessGoal.objects.filter(workspace=sales.workspace).order_by("title").first()
    assert goal is not None
    objective = strategy.objective_save(
        actor=lead,
        workspace=sales.workspace,
        statement="Bring B2B buyers from the Pro page to the sales team",
        goals=[goal],
        departments=[sales],
        start=goal.horizon.replace(year=goal.horizon.year - 3),
        end=goal.horizon,
    )
    strategy.kpi_save(
        actor=lead,
        workspace=sales.workspace,
        objective=objective,
        name="Clicks from the Pro page",
        metric_key="link_clicks",
        direction="increase",
        baseline_value=Decimal(10),
        baseline_date=goal.horizon.replace(year=goal.horizon.year - 3),
        target_value=Decimal(100),
        target_date=goal.horizon,
        window="month",
        channels=[pro],
    )

    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_to_demo(page, live_server.url)

    page.get_by_role("link", name="Measurement", exact=True).first.click()
    page.get_by_role("link", name="KPI dashboard", exact=True).first.click()
    page.get_by_role("heading", name="KPI dashboard", level=1).wait_for()
    assert page.locator("tr[data-status=off_track]").count() >= 1
    assert page.locator("tr[data-status=on_track]").count() >= 3
    screenshot(page, "dashboard-01-overview")

    page.get_by_role("navigation", name="Departments").get_by_role("link", name="Sales").click()
    page.get_by_role("heading", name="KPI dashboard: Sales").wait_for()
    assert page.get_by_role("link", name="Clicks from the Pro page").count() == 1
    screenshot(page, "dashboard-02-sales")

    page.get_by_role("link", name="Clicks from the Pro page").click()
    page.get_by_role("heading", name="Clicks from the Pro page", level=1).wait_for()
    period = page.get_by_test_id("period")
    assert "Over the KPI's own channels." in period.inner_text()
    assert "Instagram" not in period.get_by_test_id("channels").inner_text()
    screenshot(page, "dashboard-03-kpi")

    current = page.get_by_test_id("current").get_by_role("link")
    shown = current.inner_text()
    current.click()
    page.get_by_role("heading", name="Rows behind Link clicks").wait_for()
    assert "channels: LinkedIn Nordvik Pro." in page.get_by_test_id("formula").inner_text()
    assert page.get_by_test_id("figure").inner_text() == shown
    source = page.get_by_test_id("rows").get_by_role("row").nth(1)
    assert re.search(rf"{re.escape(FILE)}, line \d+", source.inner_text())
    screenshot(page, "dashboard-04-rows")

    source.get_by_role("link", name=FILE).click()
    page.get_by_role("heading", name=re.compile(re.escape(FILE))).wait_for()
    screenshot(page, "dashboard-05-import")
    context.close()

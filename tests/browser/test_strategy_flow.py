"""In a real browser: from an empty workspace, a lead creates a business goal, a social
objective and a KPI, and watches the alignment check's gaps close."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot
from tests.factories import (
    DepartmentFactory,
    MembershipFactory,
    UserFactory,
    WorkspaceFactory,
)

pytestmark = pytest.mark.browser


def gaps(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.locator("[data-rule]").evaluate_all("els => els.map(e => e.dataset.rule)")


def test_a_lead_builds_goal_objective_and_kpi_and_the_gaps_close(
    live_server, transactional_db, page
) -> None:  # type: ignore[no-untyped-def]
    workspace = WorkspaceFactory(name="Fjord Gear AB", slug="fjord")
    lead = UserFactory(email="lead@fjord.example", full_name="Frida Fjord")
    MembershipFactory(workspace=workspace, user=lead, role="lead")
    DepartmentFactory(workspace=workspace, name="E-commerce", slug="e-commerce")
    base = f"{live_server.url}/w/fjord/strategy/"

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("lead@fjord.example")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/w/fjord/")
    page.goto(base)
    assert gaps(page) == ["department_not_served", "roadmap_short"]
    screenshot(page, "strategy-01-empty")

    page.get_by_role("link", name="Add a business goal").click()
    page.get_by_label("Title").fill("Grow online revenue")
    page.get_by_label("Business metric").fill("Online revenue (SEK)")
    page.get_by_label("Horizon").fill("2028-12-31")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Business goal saved.").wait_for()
    page.goto(base)
    assert "goal_without_objective" in gaps(page)
    screenshot(page, "strategy-02-goal-needs-objective")

    page.locator("[data-rule=goal_without_objective]").get_by_role("link", name="Fix").click()
    page.get_by_label("Statement").fill("Drive 10% of online revenue from social")
    assert page.get_by_label("Grow online revenue").is_checked()  # preselected from the gap
    page.get_by_label("E-commerce").check()
    page.get_by_label("Start").fill("2026-11-01")
    page.get_by_label("End").fill("2027-12-31")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Social objective saved.").wait_for()
    page.goto(base)
    assert "goal_without_objective" not in gaps(page)
    assert "department_not_served" not in gaps(page)
    assert "objective_without_kpi" in gaps(page)
    screenshot(page, "strategy-03-objective-needs-kpi")

    page.locator("[data-rule=objective_without_kpi]").get_by_role("link", name="Fix").click()
    page.get_by_label("Name").fill("Revenue from social")
    page.get_by_label("Metric").fill("attributed_revenue")
    page.get_by_label("Baseline", exact=True).fill("100000")
    page.get_by_label("Baseline date").fill("2026-01-01")
    page.get_by_label("Target", exact=True).fill("50000")
    page.get_by_label("Target date").fill("2027-12-31")
    page.get_by_role("button", name="Save").click()
    error = page.locator(".field.has-error .errors")
    assert "direction" in error.inner_text()
    screenshot(page, "strategy-04-kpi-target-refused")
    page.get_by_label("Target", exact=True).fill("250000")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("KPI saved.").wait_for()
    page.goto(base)
    assert gaps(page) == ["roadmap_short"]
    screenshot(page, "strategy-05-gaps-closed")

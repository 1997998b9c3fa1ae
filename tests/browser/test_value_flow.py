"""In a real browser, on the demo: the lead reads the value model, the ROI report — its figures,
the sensitivity and a cost drill-down that adds up — then builds a cut scenario, sees who loses
funding, and compares it with the CFO's cut; the CFO reads the same ROI in Swedish."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command

from converge.finance.models import Scenario
from tests.browser.conftest import screenshot, sign_in_to_demo

pytestmark = pytest.mark.browser


def test_a_lead_defends_the_budget_with_roi_and_scenarios(
    live_server, transactional_db, page
) -> None:  # type: ignore[no-untyped-def]
    call_command("converge_demo", force=True)
    sign_in_to_demo(page, live_server.url)
    page.goto(f"{live_server.url}/w/nordvik/budget/")
    sub = page.get_by_role("navigation", name="Budget & ROI")
    sub.get_by_role("link", name="Value model").click()
    hard = page.get_by_test_id("assumptions-hard")
    assert "Value of a qualified B2B lead" in hard.inner_text()
    assert "Earned media value" in page.get_by_test_id("assumptions-soft").inner_text()
    screenshot(page, "value-01-model")

    sub.get_by_role("link", name="ROI", exact=True).click()
    page.wait_for_url("**/budget/roi/")
    figures = page.get_by_test_id("roi-figures").inner_text()
    assert re.search(r"ROI\s+\d[\d,.]* %", figures), figures
    assert page.get_by_test_id("sensitivity").is_visible()
    page.locator("#roi-quarters svg").first.wait_for()
    screenshot(page, "value-02-roi")

    # The cost of one channel, drilled down to its spend entries: the total is the figure.
    row = page.get_by_test_id("dim-channel").locator("tbody tr").first
    cost = row.locator("td").first.inner_text()
    row.locator("td").first.get_by_role("link").click()
    page.wait_for_url("**/budget/roi/cost/**")
    total = Decimal(page.get_by_test_id("cost-total").inner_text().split(" ")[0].replace(",", ""))
    assert total.quantize(Decimal(1), ROUND_HALF_UP) == Decimal(cost.split(" ")[0].replace(",", ""))
    screenshot(page, "value-03-cost-rows")

    page.goto(f"{live_server.url}/w/nordvik/budget/scenarios/")
    page.get_by_role("link", name="New scenario").click()
    page.get_by_label("Name").fill("No TikTok next year")
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(re.compile(r".*/budget/scenarios/[0-9a-f-]{36}/$"))
    year = page.locator("p.muted").first.inner_text().split(" ")[-1].rstrip(".")
    page.get_by_label("Line", exact=True).select_option(label=f"{year} · Paid social: TikTok")
    page.get_by_label("Cut by (%)").fill("100")
    page.get_by_role("button", name="Add the change").click()
    assert "Cut Paid social: TikTok by 100 %" in page.get_by_test_id("changes").inner_text()
    assert "Grow the Nordvik community" in page.get_by_test_id("losers").inner_text()
    screenshot(page, "value-04-scenario")

    ours = Scenario.objects.get(name="No TikTok next year")
    cfo = Scenario.objects.get(name="The CFO's 15% cut")
    page.goto(
        f"{live_server.url}/w/nordvik/budget/scenarios/compare/"
        f"?scenario={ours.uuid}&scenario={cfo.uuid}"
    )
    table = page.get_by_test_id("compare").inner_text()
    assert "No TikTok next year" in table and "The CFO's 15% cut" in table
    screenshot(page, "value-05-compare")

    page.context.clear_cookies()
    sign_in_to_demo(page, live_server.url, "cfo@nordvik.example")
    page.goto(f"{live_server.url}/w/nordvik/budget/roi/")
    with page.expect_navigation():
        page.locator("#language-select").select_option("sv")
    assert page.get_by_role("heading", level=1).inner_text() == "Avkastning på investeringen"
    assert "Mjukt värde (inte i ROI)" in page.get_by_test_id("roi-figures").inner_text()
    screenshot(page, "value-06-roi-cfo-sv")

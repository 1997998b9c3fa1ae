"""In a real browser, on the demo: the lead opens Budget & ROI (the year's budget), the
multi-year view, a line with what it funds, and uploads a spend CSV with problems — each
listed by row and column — then a clean one that is imported."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from converge.finance.models import SpendEntry, SpendImport
from tests.browser.conftest import screenshot, sign_in_to_demo

pytestmark = pytest.mark.browser


def test_a_lead_reads_the_budget_and_imports_spend(
    live_server, transactional_db, page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    call_command("converge_demo", force=True)
    sign_in_to_demo(page, live_server.url)
    nav = page.get_by_role("navigation", name="Workspace")
    nav.get_by_role("link", name="Budget & ROI").click()
    page.wait_for_url(f"{live_server.url}/w/nordvik/budget/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Budget 20")
    page.get_by_role("link", name="2025", exact=True).click()
    page.wait_for_url("**/budget/?year=2025")
    assert "2,416,000 SEK" in page.get_by_test_id("grand-planned").inner_text()
    screenshot(page, "budget-01-overview-2025")

    page.get_by_role("link", name="Multi-year").click()
    page.wait_for_url("**/budget/years/")
    expect(page.get_by_test_id("multi-year")).to_be_visible()  # waits for the page
    screenshot(page, "budget-02-multi-year")

    page.goto(f"{live_server.url}/w/nordvik/budget/?year=2025")
    page.get_by_role("link", name="Paid social: Instagram").click()
    expect(page.get_by_role("heading", name="What this line funds")).to_be_visible()
    screenshot(page, "budget-03-line")
    page.get_by_text("Change the objectives this line funds").click()
    share = page.locator("#funds-objective input[type=number]").first
    share.fill("55")  # a third objective at 55 beside 70 and 30: 155, not 100
    page.locator("#funds-objective button[type=submit]").click()
    assert "they must add up to 100" in page.locator("#errors-objective").inner_text()
    screenshot(page, "budget-03b-line-allocation-error")

    bad = tmp_path / "spend-with-problems.csv"
    bad.write_text(
        "date;amount;line;supplier;reference;note\n"
        "2025-11-25;12 500,00;Paid social: Instagram;Meta Platforms Ireland Ltd;X-1;\n"
        "2025-11-31;900;Paid social: Instagram;Meta Platforms Ireland Ltd;;\n"
        "2025-11-30;1,234;Content production;Nordljus Produktion AB;;\n"
        "2025-11-30;4000;Paid social: Instagam;Meta Platforms Ireland Ltd;;\n",
        encoding="utf-8",
    )
    page.get_by_role("navigation", name="Budget & ROI").get_by_role(
        "link", name="Import spend"
    ).click()
    page.get_by_label("CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/budget/spend/import/*/")
    problems = page.get_by_test_id("problems")
    assert "Did you mean “Paid social: Instagram”?" in problems.inner_text()
    assert page.get_by_role("button", name="Import 1 row").count() == 0
    screenshot(page, "budget-04-import-problems")

    good = tmp_path / "spend-november.csv"
    good.write_text(
        "date,amount,line,supplier,reference,note\n"
        "2025-11-26,12500.00,Paid social: Instagram,Meta Platforms Ireland Ltd,X-1,Extra\n",
        encoding="utf-8",
    )
    page.get_by_role("link", name="Import spend").first.click()
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_url("**/budget/spend/import/*/")
    screenshot(page, "budget-05-import-preview")
    page.get_by_role("button", name="Import 1 row").click()
    assert "1 spend entries added" in page.locator(".messages").inner_text()
    assert SpendEntry.objects.filter(reference="X-1").count() == 1
    page.get_by_role("navigation", name="Budget & ROI").get_by_role(
        "link", name="Spend", exact=True
    ).click()
    page.get_by_label("Year").select_option("2025")
    page.get_by_role("button", name="Show").click()
    assert "entries" in page.get_by_test_id("spend-summary").inner_text()
    screenshot(page, "budget-06-spend")
    assert SpendImport.objects.filter(committed_at__isnull=False).count() == 1

    page.goto(f"{live_server.url}/w/nordvik/budget/?year=2025")
    with page.expect_navigation():
        page.locator("#language-select").select_option("sv")
    page.wait_for_function("document.documentElement.lang === 'sv'")
    assert "Verktyg och programvara" in page.locator("main").inner_text()
    screenshot(page, "budget-07-overview-sv")

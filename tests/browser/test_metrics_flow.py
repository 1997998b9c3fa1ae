"""In a real browser: a lead adds a derived metric to the catalogue, then maps the columns of a
CRM export that Converge did not recognise, and the file is checked with the new mapping."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

SALESFORCE = (
    Path(__file__).resolve().parents[1] / "measurement" / "files" / "salesforce_opportunities.csv"
)


def sign_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("E-mail address").fill("lead@nordvik.example")
    page.get_by_label("Password").fill("nordvik-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{url}/w/nordvik/")


def test_a_lead_adds_a_derived_metric_and_maps_a_crm_export(
    live_server, transactional_db, page, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    call_command("converge_demo", force=True)
    sign_in(page, live_server.url)

    page.goto(f"{live_server.url}/w/nordvik/measurement/metrics/")
    page.get_by_text("Add a metric").click()
    page.get_by_label("Key").fill("store_visits")
    page.get_by_label("Name in English").fill("Store visits")
    page.get_by_label("Name in Swedish").fill("Butiksbesök")
    page.get_by_label("AMEC stage").select_option("outcome")
    page.get_by_label("Source").fill("Door counter")
    page.get_by_role("button", name="Add the metric").click()
    page.get_by_text("Metric “store_visits” added.").wait_for()
    page.get_by_text("Add a metric").click()
    page.get_by_label("Key").fill("visits_per_lead")
    page.get_by_label("Name in English").fill("Store visits per lead")
    page.get_by_label("Name in Swedish").fill("Butiksbesök per lead")
    page.get_by_label("Over time").select_option("ratio")
    page.get_by_label("Numerator").select_option("store_visits")
    page.get_by_label("Denominator").select_option("leads")
    page.get_by_label("AMEC stage").select_option("outcome")
    page.get_by_role("button", name="Add the metric").click()
    page.get_by_text("Metric “visits_per_lead” added.").wait_for()
    own = page.get_by_test_id("own-metrics")
    assert own.locator("tbody tr").count() == 2
    assert "store_visits ÷ leads" in own.inner_text()
    screenshot(page, "metrics-01-catalogue")

    page.goto(f"{live_server.url}/w/nordvik/measurement/imports/")
    page.get_by_label("Export file").set_input_files(str(SALESFORCE))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_test_id("map-offer").wait_for()
    screenshot(page, "metrics-02-offer")
    page.get_by_role("link", name="Map its columns").click()
    assert page.get_by_test_id("mapping-sample").locator("tbody tr").count() == 5
    page.get_by_label("Name of the mapping").fill("Salesforce deals")
    page.get_by_label("The file holds").select_option("deals")
    page.get_by_label("Date column").select_option("Close Date")
    page.get_by_label("Dates are written").select_option("mdy")
    page.get_by_label("Amount column").select_option("Amount")
    page.get_by_label("Status column").select_option("Stage")
    page.get_by_label("Status that counts").fill("Closed Won")
    screenshot(page, "metrics-03-mapping")
    page.get_by_role("button", name="Save the mapping and check the file").click()
    page.get_by_test_id("import-status").wait_for()
    assert page.get_by_test_id("import-status").inner_text() == "Checked, not imported"
    assert page.get_by_test_id("import-counts").inner_text().endswith("0 rejected")
    screenshot(page, "metrics-04-checked")

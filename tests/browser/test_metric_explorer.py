"""In a real browser: the demo lead opens a metric from the catalogue, picks a period, reads
the figure by channel and day by day, drills down from a channel's figure to the rows behind
it — rows of a real LinkedIn export, each naming its file and line — and opens that import.
Then, in Swedish, the "why" of the demo's engagement rate."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.browser.conftest import screenshot, sign_in_to_demo
from tests.conftest import SHARED

pytestmark = pytest.mark.browser
FILE = "pro-efficient-data-entry_content_1742193384396.xlsx"


def test_a_lead_drills_down_from_a_metric_to_a_row_of_an_imported_file(
    live_server, transactional_db, browser, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    if not (SHARED / "data").is_dir():
        pytest.skip("the shared sample data is not there")
    settings.MEDIA_ROOT = tmp_path
    call_command("converge_demo", force=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_to_demo(page, live_server.url)

    page.goto(f"{live_server.url}/w/nordvik/measurement/metrics/")
    page.get_by_role("link", name="Click-through rate", exact=True).click()
    page.get_by_role("heading", name="Click-through rate", level=1).wait_for()
    form = page.get_by_role("form", name="Period")
    form.get_by_label("From", exact=True).fill("2025-02-14")
    form.get_by_label("To", exact=True).fill("2025-03-15")
    form.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"from=2025-02-14"))
    page.locator("#metric-daily svg").wait_for()
    assert "2025-02-14…2025-03-15" in page.get_by_test_id("headline").inner_text()
    screenshot(page, "explorer-01-ctr")

    row = page.get_by_test_id("channels").get_by_role("row").filter(has_text="LinkedIn Nordvik Pro")
    figure = row.get_by_role("cell").nth(1).get_by_role("link")
    shown = figure.inner_text()
    figure.click()
    page.get_by_role("heading", name="Rows behind Click-through rate").wait_for()
    assert page.get_by_test_id("formula").inner_text() == (
        "Σ link_clicks ÷ Σ impressions × 100 over 2025-02-14…2025-03-15; "
        "channels: LinkedIn Nordvik Pro."
    )
    assert page.get_by_test_id("figure").inner_text() == shown
    source = page.get_by_test_id("rows").get_by_role("row").nth(1)
    assert re.search(rf"{re.escape(FILE)}, line \d+", source.inner_text())
    screenshot(page, "explorer-02-ctr-rows")

    source.get_by_role("link", name=FILE).click()
    page.get_by_role("heading", name=re.compile(re.escape(FILE))).wait_for()
    screenshot(page, "explorer-03-import")

    page.go_back()
    page.get_by_role("link", name="Click-through rate", exact=True).click()
    page.get_by_test_id("all-posts").click()
    page.get_by_role("heading", name="Posts behind Click-through rate").wait_for()
    assert page.get_by_test_id("post-rows").get_by_role("row").count() > 1
    screenshot(page, "explorer-06-ctr-posts")
    context.close()


def test_the_why_of_the_demo_engagement_rate_in_swedish(
    live_server, transactional_db, browser, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    call_command("converge_demo", force=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    context.add_cookies([{"name": "converge_language", "value": "sv", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_to_demo(page, live_server.url)
    today = timezone.localdate()
    page.goto(
        f"{live_server.url}/w/nordvik/measurement/metrics/engagement_rate_reach/"
        f"?from={today.year}-01-01&to={today}"
        f"&vs_from={today.year - 1}-01-01&vs_to={today.year - 1}-12-31"
    )
    page.get_by_role("heading", name="Engagemangsgrad per räckvidd", level=1).wait_for()
    page.locator("#metric-daily svg").wait_for()
    why = page.get_by_test_id("why").inner_text()
    assert why.startswith("Engagemangsgrad per räckvidd föll med ")
    assert "av nedgången kom från Instagram @nordvikoutdoor, där själva graden gick från" in why
    screenshot(page, "explorer-04-why-sv")
    page.get_by_test_id("value-change").click()
    page.get_by_role("heading", name="Rader bakom Engagemangsgrad per räckvidd").wait_for()
    fall = why.split(" föll med ")[1].split(" ")[0]  # "1,23 procentenheter, …"
    assert page.get_by_test_id("change").inner_text() == "\u2212" + fall
    screenshot(page, "explorer-05-change-rows-sv")
    context.close()

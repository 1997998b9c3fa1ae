"""In a real browser, in Swedish: the demo's posts (from real sample imports) and its figures,
with the downloads the pages offer."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot, sign_in_to_demo
from tests.conftest import SHARED

pytestmark = pytest.mark.browser


def test_a_lead_reads_the_demo_posts_and_figures_in_swedish_and_downloads_them(
    live_server, transactional_db, browser, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    if not (SHARED / "data").is_dir():
        pytest.skip("the shared sample data is not there")
    settings.MEDIA_ROOT = tmp_path
    call_command("converge_demo", force=True)
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="sv-SE", accept_downloads=True
    )
    context.add_cookies([{"name": "converge_language", "value": "sv", "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_to_demo(page, live_server.url)

    page.goto(f"{live_server.url}/w/nordvik/measurement/")
    page.get_by_role("link", name="Inlägg", exact=True).click()
    page.get_by_role("heading", name="Inlägg", exact=True).wait_for()
    assert "inlägg" in page.locator("caption").inner_text()
    page.get_by_role("link", name="X/Twitter @nordvik (292)").click()
    page.get_by_title(
        "kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv"
    ).first.wait_for()
    assert page.get_by_text("Öppna inlägget").count() == 25
    screenshot(page, "posts-01-x-channel-sv")
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 292
    assert {r["Kanal"] for r in rows} == {"'@nordvik"}  # a handle starts with @: escaped

    page.get_by_role("link", name="Siffror", exact=True).click()
    stored = page.get_by_role("form", name="Lagrade siffror")
    stored.get_by_label("Kanal").select_option(label="Instagram @nordvikoutdoor")
    stored.get_by_label("Mått").select_option(label="Räckvidd")
    stored.get_by_role("button", name="Visa").click()
    page.wait_for_url(re.compile(r"metric=reach"))
    page.get_by_role("heading", name="Lagrade siffror").wait_for()
    assert page.locator("tbody tr").count() == 50
    screenshot(page, "figures-01-instagram-reach-sv")
    with page.expect_download() as download:
        page.get_by_role("link", name="Excel (XLSX)").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    context.close()

"""In a real browser: a lead uploads a real X export, reads the preview and imports it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

ROPENSCI = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "x-twitter-analytics-export"
    / "ropensci-tweets"
)


def test_a_lead_uploads_a_real_x_export_previews_and_commits_it(
    live_server, transactional_db, page, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    if not ROPENSCI.exists():
        pytest.skip("the shared sample data is not there")
    settings.MEDIA_ROOT = tmp_path
    call_command("converge_demo", force=True)
    export = sorted(ROPENSCI.glob("tweet_activity_metrics_*.csv"))[0]

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("lead@nordvik.example")
    page.get_by_label("Password").fill("nordvik-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/w/nordvik/")
    page.goto(f"{live_server.url}/w/nordvik/measurement/imports/")
    page.get_by_label("Export file").set_input_files(str(export))
    page.get_by_label("Channel").select_option(label="X/Twitter @nordvik")
    page.get_by_role("button", name="Check the file").click()
    page.get_by_test_id("import-status").wait_for()
    assert page.get_by_test_id("import-status").inner_text() == "Checked, not imported"
    counts = page.get_by_test_id("import-counts").inner_text()
    assert counts.startswith("37 new") and counts.endswith("0 rejected")
    assert page.locator("[data-outcome=new]").count() == 37
    screenshot(page, "import-01-preview")
    page.get_by_role("button", name="Import these rows").click()
    page.get_by_text("Imported: 37 new").wait_for()
    assert page.get_by_test_id("import-status").inner_text() == "Imported"
    screenshot(page, "import-02-committed")


def test_a_big_export_is_checked_and_imported_in_the_background_with_a_progress_bar(
    live_server, transactional_db, page, settings, tmp_path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from bench.xfile import generate
    from converge.measurement import services

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "converge.core.tasks.ThreadBackend"}}
    monkeypatch.setattr(services, "INLINE_BYTES", 1024 * 1024)
    call_command("converge_demo", force=True)
    export = generate(tmp_path / "tweet_activity_metrics_nordvik_20260101_20261101_en.csv", 40000)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("lead@nordvik.example")
    page.get_by_label("Password").fill("nordvik-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/w/nordvik/")
    page.goto(f"{live_server.url}/w/nordvik/measurement/imports/")
    page.get_by_label("Export file").set_input_files(str(export))
    page.get_by_role("button", name="Check the file").click()
    page.get_by_test_id("import-status").wait_for()
    if page.get_by_test_id("import-progress").count():
        screenshot(page, "import-03-checking")
    status = page.get_by_test_id("import-status")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=import-status]').innerText"
        " === 'Checked, not imported'",
        timeout=120_000,
    )
    assert page.get_by_test_id("import-counts").inner_text().startswith("40,000 new")
    screenshot(page, "import-04-checked-big")
    page.get_by_role("button", name="Import these rows").click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=import-status]').innerText === 'Imported'",
        timeout=120_000,
    )
    assert status.inner_text() == "Imported"
    screenshot(page, "import-05-imported-big")

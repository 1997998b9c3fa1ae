"""In a real browser, on the demo workspace: the lead sees the maturity journey so far, starts
an assessment, sees the stage and the next steps, turns one gap into a roadmap initiative,
answers the self-assessed questions and finishes the run into a snapshot. Screenshots of each
page are kept under var/screenshots/maturity-*."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from converge.maturity.models import Assessment, GapLink
from tests.browser.conftest import SCREENSHOTS, screenshot

pytestmark = pytest.mark.browser


def test_a_lead_runs_an_assessment_and_turns_a_gap_into_an_initiative(
    live_server, transactional_db, page
) -> None:  # type: ignore[no-untyped-def]
    call_command("converge_demo", force=True)
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill("lead@nordvik.example")
    page.get_by_label("Password").fill("nordvik-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/w/nordvik/")

    page.get_by_role("link", name="Maturity").first.click()
    page.wait_for_url(f"{base}/w/nordvik/maturity/")
    assert page.get_by_test_id("maturity-stage").inner_text() == "Formalized"
    page.locator("#maturity-history svg").wait_for()
    page.locator("#maturity-factors svg").wait_for()
    screenshot(page, "maturity-01-home-with-history")

    page.get_by_test_id("maturity-start").click()
    page.get_by_text("Assessment started: the evidence has been evaluated.").wait_for()
    run = Assessment.objects.get(workspace__slug="nordvik", status="open")
    assert page.url.endswith(f"/maturity/{run.uuid}/")
    # The live demo data are as formalized as the last snapshot said; the next steps are
    # what Strategic asks for.
    assert page.get_by_test_id("maturity-stage").inner_text() == "Formalized"
    gaps = page.get_by_test_id("maturity-gaps")
    assert "What is missing for Strategic" in page.content()
    page.locator("#maturity-factors svg").wait_for()
    screenshot(page, "maturity-02-open-run-stage-and-next-steps")

    first = gaps.locator("li[data-criterion]").first
    criterion = first.get_attribute("data-criterion")
    assert criterion is not None and criterion.startswith("strategic-")
    page.get_by_test_id(f"gap-initiative-{criterion}").click()
    page.get_by_text("The gap is on the roadmap as a planned initiative.").wait_for()
    link = GapLink.objects.get(criterion=criterion)
    assert link.initiative is not None
    gap = page.locator(f'[data-testid="maturity-gaps"] li[data-criterion="{criterion}"]')
    assert link.initiative.title in gap.inner_text()
    screenshot(page, "maturity-03-gap-turned-into-initiative")
    page.goto(f"{base}/w/nordvik/strategy/roadmap/")
    page.get_by_role("cell", name=link.initiative.title).wait_for()
    screenshot(page, "maturity-04-roadmap-with-the-initiative")

    page.goto(f"{base}/w/nordvik/maturity/{run.uuid}/")
    page.get_by_test_id("maturity-answer").click()
    page.get_by_role("heading", name="Your answers").wait_for()
    screenshot(page, "maturity-05-answer-page")
    page.get_by_test_id("maturity-save-answers").click()
    page.get_by_text("Your answers are saved.").wait_for()

    page.get_by_test_id("maturity-finish").click()
    page.get_by_text("This snapshot never changes.").wait_for()
    screenshot(page, "maturity-06-finished-snapshot")
    run.refresh_from_db()
    assert run.finished and run.snapshot["stage"] == 4

    pdf = page.request.get(f"{base}/w/nordvik/maturity/{run.uuid}/pdf/")
    assert pdf.headers["content-type"] == "application/pdf"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    (SCREENSHOTS / "maturity-07-snapshot.pdf").write_bytes(pdf.body())

    page.goto(f"{base}/w/nordvik/maturity/model/")
    screenshot(page, "maturity-08-model")

    page.locator("select[name=language]").select_option("sv")
    # The switch posts and reloads the page; go on only once the choice is stored and shown
    # (navigating away at once could cancel that post).
    page.wait_for_function("document.documentElement.lang === 'sv'")
    page.goto(f"{base}/w/nordvik/maturity/")
    page.get_by_role("heading", name="Social mognad").wait_for()
    page.locator("#maturity-factors svg").wait_for()
    screenshot(page, "maturity-09-home-in-swedish")

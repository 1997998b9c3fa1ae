"""In a real browser, on the demo: the lead opens the review of current communication
activities, then the board's business case, and downloads it as a PDF and as a PowerPoint
deck; both files are checked (a PDF; a deck python-pptx opens, with its charts' slides)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from pptx import Presentation

from converge.reports.models import BusinessCase
from tests.browser.conftest import screenshot, sign_in_to_demo

pytestmark = pytest.mark.browser


def test_a_lead_opens_the_business_case_and_downloads_the_pdf_and_the_deck(
    live_server, transactional_db, page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    call_command("converge_demo", force=True)
    case = BusinessCase.objects.get(workspace__slug="nordvik")
    base = live_server.url
    sign_in_to_demo(page, base)

    page.goto(f"{base}/w/nordvik/budget/review/")
    page.get_by_role("heading", name="Review of current communication activities").wait_for()
    page.get_by_role("heading", name="Results in leads").wait_for()
    screenshot(page, "business-case-01-review")

    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Reports").click()
    page.wait_for_url(f"{base}/w/nordvik/reports/")
    screenshot(page, "business-case-02-list")
    page.get_by_role("link", name=case.title).click()
    page.wait_for_url(f"{base}/w/nordvik/reports/cases/{case.uuid}/")
    page.get_by_role("heading", name="9. Reallocating current activities").wait_for()
    assert page.get_by_text("Printed catalogue").first.is_visible()
    screenshot(page, "business-case-03-page")

    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="Download PDF").click()
    pdf_path = tmp_path / "case.pdf"
    pdf_info.value.save_as(pdf_path)
    assert pdf_path.read_bytes()[:5] == b"%PDF-"
    assert pdf_info.value.suggested_filename.endswith(".pdf")

    with page.expect_download() as pptx_info:
        page.get_by_role("link", name="Download PowerPoint").click()
    pptx_path = tmp_path / "case.pptx"
    pptx_info.value.save_as(pptx_path)
    deck = Presentation(io.BytesIO(pptx_path.read_bytes()))
    titles = [s.shapes.title.text for s in deck.slides]
    assert titles[0] == case.title and "Reallocating current activities" in titles
    assert all(s.notes_slide.notes_text_frame.text for s in deck.slides)

"""In a real browser: a lead extends "approve content" to Legal; a Legal member then has it,
and sees the page in Swedish after switching the language."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def sign_in(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("nordvik-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/w/nordvik/")


def test_a_lead_grants_approve_content_to_legal_and_a_legal_member_has_it(
    live_server, transactional_db, page
) -> None:  # type: ignore[no-untyped-def]
    call_command("converge_demo", force=True)
    base = live_server.url

    sign_in(page, base, "lead@nordvik.example")
    screenshot(page, "01-lead-overview")
    page.get_by_role("link", name="Grants").click()
    box = page.get_by_label("Legal: Approve content")
    assert not box.is_checked()
    box.check()
    page.get_by_role("button", name="Save grants").click()
    page.get_by_text("Grants saved.").wait_for()
    assert page.get_by_label("Legal: Approve content").is_checked()
    screenshot(page, "02-grants-saved")
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/accounts/login/")

    sign_in(page, base, "legal@nordvik.example")
    capability = page.locator("[data-capability=approve_content]")
    capability.wait_for()
    assert "Approve content" in capability.inner_text()
    assert "Legal" in capability.inner_text()
    screenshot(page, "03-legal-member-has-approve-content")

    page.get_by_label("Language").select_option("sv")
    page.wait_for_load_state("load")
    page.get_by_role("heading", name="Vad du kan göra här").wait_for()
    assert page.locator("html").get_attribute("lang") == "sv"
    assert "Godkänna innehåll" in page.locator("[data-capability=approve_content]").inner_text()
    assert page.get_by_role("link", name="Avdelningar").is_visible()
    screenshot(page, "04-legal-member-in-swedish")

"""In a real browser: a lead publishes a new version of the social media policy; a member sees it
waiting for their acknowledgement and acknowledges it; the lead sees the percentage go up.
Screenshots of the RACI matrix, the training pages and the best-practice log are kept."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from converge.operating.models import PolicyDocument
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser


def sign_in(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill("nordvik-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/w/nordvik/")


def sign_out(page, base: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/accounts/login/")


def percent(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.get_by_test_id("ack-percent").inner_text().replace("%", "").strip())


def test_a_lead_publishes_a_policy_version_and_a_member_acknowledges_it(
    live_server, transactional_db, page
) -> None:  # type: ignore[no-untyped-def]
    call_command("converge_demo", force=True)
    base = live_server.url
    gov = f"{base}/w/nordvik/governance"
    policy = PolicyDocument.objects.get(workspace__slug="nordvik", kind="policy")

    sign_in(page, base, "lead@nordvik.example")
    page.goto(f"{gov}/raci/")
    page.get_by_text("Tool purchases: the shares of the bill add up to 90%, not 100%.").wait_for()
    screenshot(page, "operating-01-raci-matrix")
    page.goto(f"{gov}/training/")
    page.get_by_test_id("completion-table").wait_for()
    screenshot(page, "operating-02-training")
    page.get_by_role("link", name="The social media policy in practice").click()
    page.get_by_role("heading", name="Sessions held").wait_for()
    screenshot(page, "operating-03-training-detail")
    page.goto(f"{gov}/practices/")
    page.get_by_label("Search title, text and tags").fill("instagram")
    page.get_by_role("button", name="Search").click()
    page.get_by_test_id("result-count").wait_for()
    screenshot(page, "operating-04-practice-search")
    page.goto(f"{gov}/model/")
    screenshot(page, "operating-05-model")
    page.goto(f"{gov}/executives/")
    screenshot(page, "operating-06-executives")

    page.goto(f"{gov}/policies/")
    page.get_by_role("link", name="Social media policy for employees").click()
    page.get_by_role("link", name="Publish a new version").click()
    body = page.get_by_label("Text")
    body.fill(
        body.input_value() + "\n## Live video\nAsk the Community Manager before going live.\n"
    )
    page.get_by_label("What changed").fill("Live video")
    page.get_by_role("button", name="Publish").click()
    page.get_by_text("Version 3 published.").wait_for()
    assert percent(page) == 0
    screenshot(page, "operating-07-version-published")
    page.get_by_role("button", name="Show the differences").click()
    page.get_by_test_id("diff").wait_for()
    assert "Ask the Community Manager" in page.get_by_test_id("diff").inner_text()
    screenshot(page, "operating-08-diff")
    sign_out(page, base)

    sign_in(page, base, "sales@nordvik.example")
    page.goto(f"{gov}/policies/")
    waiting = page.get_by_test_id("waiting")
    assert "Social media policy for employees" in waiting.inner_text()
    screenshot(page, "operating-09-member-waiting")
    page.get_by_role("link", name="Social media policy for employees").first.click()
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_text("Thank you: your acknowledgement is recorded.").wait_for()
    assert "You acknowledged this version" in page.get_by_test_id("my-ack").inner_text()
    page.goto(f"{gov}/policies/")
    still = page.get_by_test_id("waiting").inner_text()
    assert "Social media policy for employees" not in still
    assert "LinkedIn playbook" in still  # Sales has its playbook still to acknowledge
    sign_out(page, base)

    sign_in(page, base, "lead@nordvik.example")
    page.goto(f"{gov}/policies/{policy.uuid}/")
    assert percent(page) == 7  # 1 of 15
    assert "1 of 15 people asked" in page.get_by_test_id("ack-status").inner_text()
    screenshot(page, "operating-10-lead-sees-percentage")

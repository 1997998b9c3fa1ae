"""In a real browser: a lead sets up a weekly committee, opens the next meeting's agenda pack,
records a decision and an action, and finds the action under "My actions"."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from converge.governance.models import ActionItem, Committee, Decision
from tests.browser.conftest import screenshot
from tests.factories import DepartmentFactory, MembershipFactory, UserFactory, WorkspaceFactory

pytestmark = pytest.mark.browser


def test_a_lead_sets_up_a_committee_and_follows_an_action_to_my_actions(
    live_server, transactional_db, page
) -> None:  # type: ignore[no-untyped-def]
    workspace = WorkspaceFactory(name="Fjord Gear AB", slug="fjord")
    lead = UserFactory(email="lead@fjord.example", full_name="Frida Fjord")
    MembershipFactory(workspace=workspace, user=lead, role="lead")
    agent = UserFactory(email="care@fjord.example", full_name="Carl Care")
    agent_membership = MembershipFactory(workspace=workspace, user=agent, role="member")
    service = DepartmentFactory(workspace=workspace, name="Customer Service", slug="cs")
    service.members.add(agent_membership)
    base = f"{live_server.url}/w/fjord/governance/"

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("lead@fjord.example")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/w/fjord/")
    page.get_by_role("navigation", name="Workspace").get_by_role("link", name="Governance").click()
    page.wait_for_url(base)
    screenshot(page, "governance-01-home-empty")

    page.get_by_role("link", name="New committee").first.click()
    page.get_by_label("Name").fill("Social media steering committee")
    page.get_by_label("Purpose").fill("Weekly, compulsory: every department that touches social.")
    page.get_by_label("Chair").select_option(label="Frida Fjord")
    page.get_by_label("Carl Care").check()
    page.get_by_label("Meets").select_option("custom")
    assert page.get_by_label("Recurrence rule").is_visible()
    assert not page.get_by_label("Weekday", exact=True).is_visible()
    page.get_by_label("Meets").select_option("weekly")
    assert not page.get_by_label("Recurrence rule").is_visible()
    assert not page.get_by_label("Which weekday of the month").is_visible()
    page.get_by_label("Weekday", exact=True).select_option("MO")
    page.get_by_label("First meeting on or after").fill(date.today().isoformat())
    page.get_by_label("Start time").fill("09:00")
    page.get_by_label("Location").fill("Room Kebnekaise")
    screenshot(page, "governance-02-committee-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Committee saved.").wait_for()
    committee = Committee.objects.get(name="Social media steering committee")
    assert committee.rrule == "FREQ=WEEKLY;BYDAY=MO"
    assert committee.meetings.count() == 6
    screenshot(page, "governance-03-committee")

    page.get_by_role("region", name="Next meetings").get_by_role("link").first.click()
    page.get_by_role("heading", name="Agenda pack").wait_for()
    page.get_by_label("Add an item").fill("Customer Service: weekend cover on Facebook")
    page.get_by_role("button", name="Add to the agenda").click()
    page.get_by_text("Item added to the agenda.").wait_for()
    assert "weekend cover" in page.locator(".agenda-list").inner_text()
    screenshot(page, "governance-04-agenda-pack")

    decisions = page.locator("#decisions")
    decisions.get_by_label("Decision").fill("Answer Facebook complaints on weekends too.")
    decisions.get_by_label("Owner").select_option(label="Carl Care")
    decisions.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded.").wait_for()
    assert Decision.objects.filter(
        status="decided", owner__user__email="care@fjord.example"
    ).exists()

    actions = page.locator("#actions")
    actions.get_by_label("Action").fill("Draft the weekend rota for the care desk")
    actions.get_by_label("Owner").select_option(label="Frida Fjord")
    actions.get_by_label("Due").fill((date.today() + timedelta(days=7)).isoformat())
    actions.get_by_role("button", name="Record the action").click()
    page.get_by_text("Action recorded.").wait_for()
    assert ActionItem.objects.filter(owner__user__email="lead@fjord.example").count() == 1
    screenshot(page, "governance-05-meeting-with-decision-and-action")

    page.get_by_role("link", name="My actions").click()
    row = page.locator("tr", has_text="Draft the weekend rota for the care desk")
    row.wait_for()
    screenshot(page, "governance-06-my-actions")
    row.get_by_label("Status of").select_option("done")
    row.get_by_role("button", name="Save").click()
    page.get_by_text("Action updated.").wait_for()
    assert ActionItem.objects.get().status == "done"

    page.get_by_role("link", name="Calendar").click()
    assert "webcal://" in page.content()
    screenshot(page, "governance-07-calendar")
    page.goto(base)
    screenshot(page, "governance-08-home")


def test_the_demo_governance_pages_in_english_and_swedish(
    live_server, transactional_db, page, settings
) -> None:  # type: ignore[no-untyped-def]
    """Every governance page on the demo's data, for the screenshots (and a look at them)."""
    from django.core.management import call_command

    from converge.governance.models import Committee, Meeting, Review

    settings.MEDIA_ROOT = str(settings.VAR_DIR / "test-media")
    call_command("converge_demo", force=True)
    steering = Committee.objects.get(name="Social media steering committee")
    held = Meeting.objects.filter(committee=steering, status="held").order_by("-occurrence")[0]
    upcoming = Meeting.objects.filter(committee=steering, status="scheduled").order_by(
        "occurrence"
    )[0]
    review = Review.objects.get()
    base = f"{live_server.url}/w/nordvik/governance/"

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("lead@nordvik.example")
    page.get_by_label("Password").fill("nordvik-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/w/nordvik/")
    pages = {
        "home": "",
        "committees": "committees/",
        "committee": f"committees/{steering.uuid}/",
        "committee-edit": f"committees/{steering.uuid}/edit/",
        "meeting-held": f"meetings/{held.uuid}/",
        "meeting-next": f"meetings/{upcoming.uuid}/",
        "meeting-move": f"meetings/{upcoming.uuid}/move/",
        "minutes": f"meetings/{upcoming.uuid}/minutes/",
        "decisions": "decisions/",
        "actions": "actions/",
        "my-actions": "actions/mine/",
        "calendar": "calendar/",
        "reviews": "reviews/",
        "review": f"reviews/{review.uuid}/",
        "review-new": "reviews/new/",
    }
    for name, path in pages.items():
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        screenshot(page, f"governance-demo-{name}")
    assert "Stop organic giveaway posts" in page.goto(base + f"reviews/{review.uuid}/").text()
    page.context.add_cookies([{"name": "converge_language", "value": "sv", "url": live_server.url}])
    page.goto(base)
    assert "Kommande möten" in page.content()
    screenshot(page, "governance-demo-home-sv")
    page.goto(base + f"meetings/{held.uuid}/")
    assert "Mötesunderlag" in page.content()
    screenshot(page, "governance-demo-meeting-held-sv")

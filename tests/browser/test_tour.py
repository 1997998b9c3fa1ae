"""A tour of every page of the foundation in a real browser, on a laptop and on a phone:
each page renders with one heading and no horizontal overflow. Screenshots are saved."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from converge.core.models import Membership
from converge.governance.models import Committee, Review
from converge.measurement.models import Channel
from converge.strategy.models import Kpi, SocialObjective
from tests.browser.conftest import screenshot

pytestmark = pytest.mark.browser

PAGES = [
    ("overview", "/w/nordvik/"),
    ("departments", "/w/nordvik/departments/"),
    ("department", "/w/nordvik/departments/customer-service/"),
    ("department-edit", "/w/nordvik/departments/customer-service/edit/"),
    ("department-delete", "/w/nordvik/departments/customer-service/delete/"),
    ("people", "/w/nordvik/members/"),
    ("grants", "/w/nordvik/grants/"),
    ("audit", "/w/nordvik/audit/"),
    ("tokens", "/w/nordvik/tokens/"),
    ("settings", "/w/nordvik/settings/"),
    ("governance", "/w/nordvik/governance/"),
    ("governance-committees", "/w/nordvik/governance/committees/"),
    ("governance-committee-new", "/w/nordvik/governance/committees/new/"),
    ("governance-decisions", "/w/nordvik/governance/decisions/"),
    ("governance-actions", "/w/nordvik/governance/actions/"),
    ("governance-my-actions", "/w/nordvik/governance/actions/mine/"),
    ("governance-calendar", "/w/nordvik/governance/calendar/"),
    ("governance-reviews", "/w/nordvik/governance/reviews/"),
    ("measurement", "/w/nordvik/measurement/"),
    ("measurement-dashboard", "/w/nordvik/measurement/dashboard/"),
    ("measurement-imports", "/w/nordvik/measurement/imports/"),
    ("measurement-metrics", "/w/nordvik/measurement/metrics/"),
    ("measurement-figures", "/w/nordvik/measurement/figures/"),
    ("measurement-posts", "/w/nordvik/measurement/posts/"),
    ("workspaces", "/w/"),
    ("strategy", "/w/nordvik/strategy/"),
    ("strategy-goals", "/w/nordvik/strategy/goals/"),
    ("strategy-kpis", "/w/nordvik/strategy/kpis/"),
    ("strategy-audiences", "/w/nordvik/strategy/audiences/"),
    ("strategy-messages", "/w/nordvik/strategy/messages/"),
    ("strategy-roadmap", "/w/nordvik/strategy/roadmap/"),
    ("strategy-vision", "/w/nordvik/strategy/vision/"),
    ("strategy-goal-new", "/w/nordvik/strategy/goals/new/"),
    ("strategy-competitors", "/w/nordvik/strategy/competitors/"),
]


def test_every_page_renders_on_a_laptop_and_a_phone(live_server, transactional_db, browser) -> None:
    call_command("converge_demo", force=True)
    member = Membership.objects.get(user__email="legal@nordvik.example")
    objective = SocialObjective.objects.filter(kpis__isnull=False).first()
    kpi = Kpi.objects.first()
    channel = Channel.objects.get(platform="instagram")
    committee = Committee.objects.get(name="Social media steering committee")
    held = committee.meetings.filter(status="held").order_by("-occurrence")[0]
    upcoming = committee.meetings.filter(status="scheduled").order_by("occurrence")[0]
    review = Review.objects.get()
    assert objective is not None and kpi is not None
    pages = [
        *PAGES,
        ("member", f"/w/nordvik/members/{member.uuid}/"),
        ("strategy-objective", f"/w/nordvik/strategy/objectives/{objective.uuid}/"),
        ("strategy-kpi", f"/w/nordvik/strategy/kpis/{kpi.uuid}/"),
        ("strategy-kpi-edit", f"/w/nordvik/strategy/kpis/{kpi.uuid}/edit/"),
        (
            "measurement-dashboard-department",
            f"/w/nordvik/measurement/dashboard/?department={objective.departments.first().slug}",
        ),
        ("measurement-channel", f"/w/nordvik/measurement/channels/{channel.uuid}/"),
        ("governance-committee", f"/w/nordvik/governance/committees/{committee.uuid}/"),
        ("governance-meeting-held", f"/w/nordvik/governance/meetings/{held.uuid}/"),
        ("governance-meeting-next", f"/w/nordvik/governance/meetings/{upcoming.uuid}/"),
        ("governance-review", f"/w/nordvik/governance/reviews/{review.uuid}/"),
    ]
    for device, viewport in [("laptop", (1280, 800)), ("phone", (390, 844))]:
        context = browser.new_context(
            viewport={"width": viewport[0], "height": viewport[1]}, locale="en-GB"
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/login/")
        if device == "laptop":
            screenshot(page, "tour-laptop-login")
        page.get_by_label("E-mail address").fill("it@nordvik.example")
        page.get_by_label("Password").fill("nordvik-demo")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{live_server.url}/w/nordvik/")
        for name, path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            screenshot(page, f"tour-{device}-{name}")
            assert page.locator("h1").count() == 1, path
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{path} overflows by {overflow}px on a {device}"
        context.close()


def test_a_bad_form_shows_the_message_beside_the_field(live_server, transactional_db, page) -> None:
    call_command("converge_demo", force=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("E-mail address").fill("lead@nordvik.example")
    page.get_by_label("Password").fill("nordvik-demo")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/w/nordvik/")
    page.goto(f"{live_server.url}/w/nordvik/departments/new/")
    page.get_by_label("Name").fill("Marketing")
    page.get_by_label("Kind").select_option("marketing")
    page.get_by_role("button", name="Save").click()
    error = page.locator(".field.has-error .errors")
    assert "already exists" in error.inner_text()
    screenshot(page, "tour-laptop-department-error")

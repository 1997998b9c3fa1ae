"""Money in the operating rhythm: every committee meeting's agenda pack gets "Budget and
return" — the year's burn and the last complete quarter's return — for the people who may see the
budget, with links to the figures."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from converge.core import services as core_services
from converge.governance import selectors, services
from converge.governance.models import Meeting
from tests.conftest import World
from tests.finance.builders_value import build_small
from tests.governance.builders import STOCKHOLM, weekly_committee

pytestmark = pytest.mark.django_db


def meeting_of_6_april(world: World) -> Meeting:
    committee = weekly_committee(world)
    services.meetings_materialise(
        committee=committee, since=datetime(2026, 3, 1, tzinfo=STOCKHOLM), count=6
    )
    return Meeting.objects.filter(committee=committee).order_by("occurrence")[5]


def test_the_pack_shows_the_years_burn_and_the_last_quarters_return(world: World) -> None:
    build_small(world)
    pack = selectors.agenda_pack(meeting_of_6_april(world), today=date(2026, 4, 6))
    budget, roi = [e for e in pack.items if e.section == "budget"]
    assert budget.key == "budget:2026"
    # Every spend entry of 2026 booked so far (one is dated April) against the plan.
    assert budget.title == "Budget 2026: 21,999 SEK spent of 60,000 SEK planned (37 %)"
    assert budget.detail == "26 % of the year has gone by 2026-04-06."
    # The last complete quarter, Q1: spend 4,000 + 6,000 + 2,000; 6 leads × 4,000; the
    # mentions' earned media value (100 × 50) named apart.
    assert roi.key == "roi:2026-Q1"
    assert roi.title == "Return in Q1 2026: 24,000 SEK hard value on 12,000 SEK cost, ROI 100 %"
    assert roi.detail.startswith("Soft value 5,000 SEK") and "never counted" in roi.detail


def test_without_a_budget_for_the_year_there_is_no_money_on_the_agenda(world: World) -> None:
    pack = selectors.agenda_pack(meeting_of_6_april(world), today=date(2026, 4, 6))
    assert not [e for e in pack.items if e.section == "budget"]


def test_only_people_who_may_see_the_budget_see_it_on_the_meeting_page_and_in_the_api(
    world: World, signed_in
) -> None:
    build_small(world)
    meeting = meeting_of_6_april(world)
    services.meeting_hold(actor=world.lead, meeting=meeting, today=date(2026, 4, 6))
    url = f"/w/acme/governance/meetings/{meeting.uuid}/"
    lead_page = signed_in(world.lead).get(url).content.decode()
    assert "Budget and return" in lead_page
    assert "/w/acme/budget/roi/?from=2026-01-01&amp;to=2026-03-31" in lead_page
    assert "/w/acme/budget/?year=2026" in lead_page
    member_page = signed_in(world.member).get(url).content.decode()
    assert member_page.count("Steering committee") and "Budget and return" not in member_page
    for user, sees in ((world.lead, True), (world.member, False)):
        secret = core_services.api_token_create(actor=user, workspace=world.workspace, name="t")
        from django.test import Client

        body = Client(HTTP_AUTHORIZATION=f"Bearer {secret.secret}").get(
            f"/api/v1/workspaces/acme/governance/meetings/{meeting.uuid}"
        )
        assert any(e["section"] == "budget" for e in body.json()["agenda"]) is sees

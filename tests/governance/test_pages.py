"""The governance pages: who may see and do what, and that each page shows what it should."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from converge.governance import services
from converge.governance.models import (
    ActionItem,
    Committee,
    Decision,
    Meeting,
    MeetingStatus,
)
from tests.conftest import World
from tests.governance.builders import STOCKHOLM, build_governance, member_of, weekly_committee

pytestmark = pytest.mark.django_db


def _url(path: str) -> str:
    return f"/w/acme/governance/{path}"


@time_machine.travel(datetime(2026, 3, 4, 12, 0, tzinfo=STOCKHOLM))
def test_a_lead_creates_a_monthly_committee_from_the_common_choices(
    world: World, signed_in
) -> None:
    client = signed_in(world.lead)
    member = member_of(world, world.member)
    response = client.post(
        _url("committees/new/"),
        {
            "name": "Stakeholder coordination committee",
            "purpose": "Monthly with every stakeholder department",
            "chair": str(member_of(world, world.lead).pk),
            "members": [str(member.pk)],
            "pattern": "monthly",
            "weekday": "TU",
            "ordinal": "1",
            "starts_on": "2026-03-01",
            "start_time": "14:00",
            "duration_minutes": "90",
            "location": "Teams",
        },
    )
    committee = Committee.objects.get(name="Stakeholder coordination committee")
    assert response.status_code == 302
    assert committee.rrule == "FREQ=MONTHLY;BYDAY=1TU"
    assert set(committee.seats.values_list("membership__user__email", flat=True)) == {
        "lead@acme.example",
        "member@acme.example",
    }
    assert committee.seats.get(membership=member).department == world.department
    first = committee.meetings.order_by("occurrence").first()
    assert first is not None
    assert first.starts_at == datetime(2026, 4, 7, 14, 0, tzinfo=STOCKHOLM)
    page = client.get(_url(f"committees/{committee.uuid}/"))
    assert "Stakeholder coordination committee" in page.content.decode()
    assert committee.meetings.count() == services.UPCOMING


def test_a_custom_rule_that_does_not_parse_is_shown_beside_its_field(
    world: World, signed_in
) -> None:
    client = signed_in(world.lead)
    response = client.post(
        _url("committees/new/"),
        {
            "name": "Odd",
            "pattern": "custom",
            "weekday": "MO",
            "ordinal": "1",
            "custom_rrule": "FREQ=SOMETIMES",
            "starts_on": "2026-03-01",
            "start_time": "09:00",
            "duration_minutes": "60",
        },
    )
    assert response.status_code == 200
    assert "not a recurrence rule we can use" in response.content.decode()
    assert not Committee.objects.filter(name="Odd").exists()


def test_saving_a_committee_twice_makes_no_new_meetings_or_audit_entries(world: World) -> None:
    from converge.core.models import AuditEntry

    committee = weekly_committee(world)
    meetings = list(Meeting.objects.values_list("uuid", flat=True))
    entries = AuditEntry.objects.count()
    weekly_committee(world, name=committee.name) if False else services.committee_save(
        actor=world.lead,
        workspace=world.workspace,
        committee=committee,
        name=committee.name,
        purpose=committee.purpose,
        chair=committee.chair,
        members=[s.membership for s in committee.seats.all()],
        rrule=committee.rrule,
        starts_on=committee.starts_on,
        start_time=committee.start_time,
        duration_minutes=committee.duration_minutes,
        location=committee.location,
    )
    assert list(Meeting.objects.values_list("uuid", flat=True)) == meetings
    assert AuditEntry.objects.count() == entries


def test_every_governance_page_renders_for_the_lead_and_a_member(world: World, signed_in) -> None:
    ids = build_governance(world)
    paths = [
        "",
        "committees/",
        "committees/new/",
        f"committees/{ids['committee']}/",
        f"committees/{ids['committee']}/edit/",
        f"meetings/{ids['meeting']}/",
        f"meetings/{ids['meeting']}/move/",
        f"meetings/{ids['meeting']}/minutes/",
        "decisions/",
        f"decisions/{ids['decision']}/edit/",
        "actions/",
        "actions/mine/",
        "calendar/",
        "reviews/",
        "reviews/new/",
        f"reviews/{ids['review']}/",
        f"reviews/{ids['review']}/edit/",
    ]
    client = signed_in(world.lead)
    for path in paths:
        assert client.get(_url(path)).status_code == 200, path
    client = signed_in(world.member)
    for path in ["", "committees/", f"meetings/{ids['meeting']}/", "actions/mine/", "calendar/"]:
        assert client.get(_url(path)).status_code == 200, path
    for path in ["committees/new/", f"meetings/{ids['meeting']}/minutes/", "reviews/new/"]:
        assert client.get(_url(path)).status_code == 403, path


def test_an_outsider_gets_404_for_a_committee_and_a_meeting(world: World, signed_in) -> None:
    ids = build_governance(world)
    client = signed_in(world.outsider)
    assert client.get(_url(f"committees/{ids['committee']}/")).status_code == 404
    assert client.get(_url(f"meetings/{ids['meeting']}/")).status_code == 404
    assert client.get("/w/rival/governance/meetings/" + ids["meeting"] + "/").status_code == 404


def test_a_member_who_chairs_a_committee_runs_its_meetings(world: World, signed_in) -> None:
    committee = weekly_committee(world)
    committee.chair = member_of(world, world.member)
    committee.save()
    meeting = committee.meetings.order_by("occurrence").first()
    assert meeting is not None
    client = signed_in(world.member)
    response = client.post(
        _url(f"meetings/{meeting.uuid}/agenda/"), {"title": "Instagram Threads: worth a test?"}
    )
    assert response.status_code == 302
    page = client.get(_url(f"meetings/{meeting.uuid}/")).content.decode()
    assert "Instagram Threads: worth a test?" in page
    client.post(
        _url(f"meetings/{meeting.uuid}/minutes/"), {"minutes": "# Notes\n<script>x</script>"}
    )
    meeting.refresh_from_db()
    assert "<script>" in meeting.minutes
    page = client.get(_url(f"meetings/{meeting.uuid}/")).content.decode()
    assert "<h1>Notes</h1>" in page and "<script>x</script>" not in page


def test_a_member_who_does_not_chair_cannot_change_a_meeting(world: World, signed_in) -> None:
    committee = weekly_committee(world)
    meeting = committee.meetings.first()
    assert meeting is not None
    client = signed_in(world.member)
    assert client.post(_url(f"meetings/{meeting.uuid}/agenda/"), {"title": "x"}).status_code == 403
    assert client.post(_url(f"meetings/{meeting.uuid}/cancel/")).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def test_the_chair_records_a_decision_and_an_action_that_the_owner_then_closes(
    world: World, signed_in
) -> None:
    ids = build_governance(world)
    client = signed_in(world.lead)
    client.post(
        _url(f"meetings/{ids['meeting']}/decisions/"),
        {
            "decision-text": "Open a TikTok account",
            "decision-status": "decided",
            "decision-decided_on": "2026-03-02",
        },
    )
    assert Decision.objects.filter(text="Open a TikTok account", status="decided").exists()
    member = member_of(world, world.member)
    client.post(
        _url(f"meetings/{ids['meeting']}/actions/"),
        {
            "action-title": "Draft the TikTok playbook",
            "action-owner": str(member.pk),
            "action-due_on": "2026-04-01",
        },
    )
    item = ActionItem.objects.get(title="Draft the TikTok playbook")
    client = signed_in(world.member)
    mine = client.get(_url("actions/mine/")).content.decode()
    assert "Draft the TikTok playbook" in mine
    client.post(_url(f"actions/{item.uuid}/status/"), {"status": "done"})
    item.refresh_from_db()
    assert item.status == "done" and item.closed_at is not None


def test_someone_else_may_not_close_an_action(world: World, signed_in) -> None:
    ids = build_governance(world)
    client = signed_in(world.guest)
    response = client.post(_url(f"actions/{ids['item']}/status/"), {"status": "dropped"})
    assert response.status_code == 403
    assert ActionItem.objects.get(uuid=ids["item"]).status == "open"


def test_moving_and_cancelling_a_meeting(world: World, signed_in) -> None:
    ids = build_governance(world)
    client = signed_in(world.lead)
    client.post(
        _url(f"meetings/{ids['meeting']}/move/"),
        {"starts_at": "2026-03-03T10:30", "duration_minutes": "45", "location": "Online"},
    )
    meeting = Meeting.objects.get(uuid=ids["meeting"])
    assert meeting.starts_at == datetime(2026, 3, 3, 10, 30, tzinfo=STOCKHOLM)
    assert meeting.occurrence == datetime(2026, 3, 2, 9, 0, tzinfo=STOCKHOLM)
    assert meeting.sequence == 1
    client.post(_url(f"meetings/{ids['meeting']}/cancel/"), {"cancel": "1"})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


def test_a_quarterly_review_records_start_stop_and_change(world: World, signed_in) -> None:
    from tests.strategy.builders import build_strategy

    strategy = build_strategy(world)
    ids = build_governance(world)
    client = signed_in(world.lead)
    from converge.strategy.models import Kpi

    kpi = Kpi.objects.get(uuid=strategy["kpi"])
    response = client.post(
        _url(f"reviews/{ids['review']}/adaptations/"),
        {"kind": "stop", "text": "Stop the weekly giveaway posts", "kpis": [str(kpi.pk)]},
    )
    assert response.status_code == 302
    page = client.get(_url(f"reviews/{ids['review']}/")).content.decode()
    assert "Stop the weekly giveaway posts" in page
    assert "Customer Service" in page  # the department's performance is walked through
    assert "Median first response time" in page


def test_a_review_for_the_same_quarter_twice_is_refused_beside_the_quarter(
    world: World, signed_in
) -> None:
    build_governance(world)
    client = signed_in(world.lead)
    response = client.post(
        _url("reviews/new/"), {"year": "2026", "quarter": "1", "held_on": "2026-03-31"}
    )
    assert response.status_code == 200
    assert "already has a review" in response.content.decode()


def test_the_home_page_shows_committees_meetings_actions_and_decisions(
    world: World, signed_in
) -> None:
    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=STOCKHOLM)):
        build_governance(world, marker="Brief the board")
        client = signed_in(world.member)
        page = client.get(_url("")).content.decode()
    assert "Steering committee" in page
    assert "Do it Brief the board" in page  # the member's open action
    assert "Decided Brief the board" in page  # pending decision
    assert "2026 Q1" in page
    assert "OPERATING MODEL LINKS" not in page  # the marker is a template comment
    assert date(2026, 3, 2).strftime("%-d %b") in page


def test_an_archived_committee_leaves_the_lists_and_its_feed_closes(
    world: World, signed_in
) -> None:
    from django.test import Client

    committee = weekly_committee(world)
    feed = services.feed_for(membership=member_of(world, world.member), committee=committee)
    client = signed_in(world.lead)
    client.post(_url(f"committees/{committee.uuid}/archive/"), {"archived": "1"})
    committee.refresh_from_db()
    assert committee.archived_at is not None
    assert "Steering committee" not in client.get(_url("committees/")).content.decode()
    assert Client().get(f"/calendar/{feed.token}.ics").status_code == 404
    client.post(_url(f"committees/{committee.uuid}/archive/"), {"archived": "0"})
    assert Client().get(f"/calendar/{feed.token}.ics").status_code == 200
    assert (
        signed_in(world.member).post(_url(f"committees/{committee.uuid}/archive/")).status_code
        == 403
    )


def test_the_chair_reorders_removes_and_restores_items_with_plain_forms(
    world: World, signed_in
) -> None:
    from converge.governance import selectors

    ids = build_governance(world)
    meeting = Meeting.objects.get(uuid=ids["meeting"])
    client = signed_in(world.lead)
    url = _url(f"meetings/{meeting.uuid}/agenda/")
    client.post(url, {"title": "First free item"})
    client.post(url, {"title": "Second free item"})

    def titles() -> list[str]:
        return [e.title for e in selectors.agenda_pack(meeting, today=date(2026, 3, 2)).items]

    start = titles()
    assert start[-2:] == ["First free item", "Second free item"]
    last = selectors.agenda_pack(meeting, today=date(2026, 3, 2)).items[-1].key
    change = _url(f"meetings/{meeting.uuid}/agenda/change/")
    response = client.post(change, {"key": last, "op": "up"})
    assert response.status_code == 302 and response.url.endswith("#agenda")
    assert titles()[-2:] == ["Second free item", "First free item"]
    first_key = selectors.agenda_pack(meeting, today=date(2026, 3, 2)).items[0].key
    client.post(change, {"key": first_key, "op": "remove"})
    assert len(titles()) == len(start) - 1
    page = client.get(_url(f"meetings/{meeting.uuid}/")).content.decode()
    assert "1 item removed from the pack." in page
    client.post(change, {"key": first_key, "op": "restore"})
    assert len(titles()) == len(start)


def test_the_action_list_offers_the_status_form_only_to_who_may_use_it(
    world: World, signed_in
) -> None:
    ids = build_governance(world)
    guest_page = signed_in(world.guest).get(_url("actions/")).content.decode()
    assert "Do it" in guest_page
    assert f"actions/{ids['item']}/status/" not in guest_page
    member_page = signed_in(world.member).get(_url("actions/")).content.decode()
    assert f"actions/{ids['item']}/status/" in member_page  # the member owns it

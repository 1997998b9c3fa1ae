"""Calendar feeds: every .ics is parsed back with ``icalendar`` and read event by event."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import icalendar
import pytest
from django.test import Client

from converge.governance import services
from converge.governance.models import Meeting
from tests.conftest import World
from tests.governance.builders import STOCKHOLM, build_governance, member_of, weekly_committee

pytestmark = pytest.mark.django_db


def _feed(token: str) -> icalendar.Calendar:
    response = Client().get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def _events(cal: icalendar.Calendar) -> list[icalendar.Event]:
    return list(cal.walk("VEVENT"))


def test_a_committee_feed_is_one_recurring_event_in_stockholm_time(world: World) -> None:
    committee = weekly_committee(world, purpose="Weekly steering")
    feed = services.feed_for(membership=member_of(world, world.member), committee=committee)
    cal = _feed(feed.token)
    assert str(cal["VERSION"]) == "2.0"
    assert "Converge" in str(cal["PRODID"])
    zones = list(cal.walk("VTIMEZONE"))
    assert [str(z["TZID"]) for z in zones] == ["Europe/Stockholm"]
    (event,) = _events(cal)
    assert str(event["UID"]) == f"committee-{committee.uuid}@converge"
    assert event["DTSTAMP"].dt.tzinfo is not None
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO"
    start = event["DTSTART"]
    assert start.params["TZID"] == "Europe/Stockholm"
    assert start.dt == datetime(2026, 3, 2, 9, 0, tzinfo=STOCKHOLM)
    assert event["DURATION"].dt == timedelta(hours=1)
    assert str(event["SUMMARY"]) == "Steering committee"
    assert str(event["LOCATION"]) == "Room Kebnekaise"
    assert "EXDATE" not in event and "RECURRENCE-ID" not in event


def test_moved_and_cancelled_meetings_are_overrides_and_exceptions(world: World) -> None:
    committee = weekly_committee(world)
    services.meetings_materialise(
        committee=committee, since=datetime(2026, 3, 1, tzinfo=STOCKHOLM), count=6
    )
    meetings = list(Meeting.objects.filter(committee=committee).order_by("occurrence"))
    # 23 March is cancelled; 30 March (the first Monday of summer time) moves to Tuesday 13:00.
    cancelled = next(m for m in meetings if m.occurrence.date() == date(2026, 3, 23))
    moved = next(m for m in meetings if m.occurrence.date() == date(2026, 3, 30))
    services.meeting_cancel(actor=world.lead, meeting=cancelled)
    services.meeting_reschedule(
        actor=world.lead,
        meeting=moved,
        starts_at=datetime(2026, 3, 31, 13, 0, tzinfo=STOCKHOLM),
        location="Online",
    )
    feed = services.feed_for(membership=member_of(world, world.lead), committee=committee)
    master, override = _events(_feed(feed.token))
    assert str(master["UID"]) == str(override["UID"])
    exdates = [d.dt for d in master["EXDATE"].dts]
    assert exdates == [datetime(2026, 3, 23, 9, 0, tzinfo=STOCKHOLM)]
    assert master["EXDATE"].params["TZID"] == "Europe/Stockholm"
    recurrence_id = override["RECURRENCE-ID"]
    assert recurrence_id.params["TZID"] == "Europe/Stockholm"
    assert recurrence_id.dt == datetime(2026, 3, 30, 9, 0, tzinfo=STOCKHOLM)
    assert recurrence_id.dt.utcoffset() == timedelta(hours=2)
    assert override["DTSTART"].dt == datetime(2026, 3, 31, 13, 0, tzinfo=STOCKHOLM)
    assert override["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert str(override["LOCATION"]) == "Online"
    assert int(override["SEQUENCE"]) == 1
    assert "RRULE" not in override


def test_a_persons_feed_has_their_committees_and_their_open_actions(world: World) -> None:
    build_governance(world)
    weekly_committee(world, name="Review board")  # the member sits on it too
    other = services.committee_save(
        actor=world.lead,
        workspace=world.workspace,
        name="Education session",
        chair=member_of(world, world.lead),
        rrule="FREQ=MONTHLY;BYDAY=2WE",
        starts_on=date(2026, 1, 1),
        start_time=datetime(2026, 1, 1, 15, 0).time(),
    )
    feed = services.feed_for(membership=member_of(world, world.member))
    events = _events(_feed(feed.token))
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["Review board", "Steering committee", "⚑ Do it"]
    assert f"committee-{other.uuid}@converge" not in {str(e["UID"]) for e in events}
    action = next(e for e in events if str(e["SUMMARY"]).startswith("⚑"))
    assert action["DTSTART"].dt == date(2026, 3, 20)
    assert action["DTEND"].dt == date(2026, 3, 21)
    assert len({str(e["UID"]) for e in events}) == 3


def test_a_rotated_token_answers_404_and_the_new_one_works(world: World, signed_in) -> None:
    committee = weekly_committee(world)
    lead = member_of(world, world.lead)
    feed = services.feed_for(membership=lead, committee=committee)
    old = feed.token
    client = signed_in(world.lead)
    response = client.post(f"/w/acme/governance/calendar/{feed.uuid}/rotate/")
    assert response.status_code == 302
    feed.refresh_from_db()
    assert feed.token != old
    assert Client().get(f"/calendar/{old}.ics").status_code == 404
    assert Client().get(f"/calendar/{feed.token}.ics").status_code == 200


def test_only_the_owner_of_a_feed_may_rotate_it(world: World, signed_in) -> None:
    feed = services.feed_for(membership=member_of(world, world.lead))
    client = signed_in(world.member)
    assert client.post(f"/w/acme/governance/calendar/{feed.uuid}/rotate/").status_code == 404
    client = signed_in(world.outsider)
    assert client.post(f"/w/acme/governance/calendar/{feed.uuid}/rotate/").status_code == 404


def test_a_feed_of_someone_who_left_the_workspace_is_gone(world: World) -> None:
    membership = member_of(world, world.member)
    feed = services.feed_for(membership=membership)
    token = feed.token
    membership.delete()
    assert Client().get(f"/calendar/{token}.ics").status_code == 404
    assert Client().get("/calendar/not-a-token.ics").status_code == 404


def test_the_subscribe_page_offers_webcal_and_https_links(world: World, signed_in) -> None:
    weekly_committee(world)
    page = signed_in(world.member).get("/w/acme/governance/calendar/").content.decode()
    assert "webcal://testserver/calendar/" in page
    assert "http://testserver/calendar/" in page


def test_the_feeds_rule_expands_to_the_same_meetings_as_the_schedule_across_dst(
    world: World,
) -> None:
    """Expanding the parsed RRULE from its DTSTART;TZID (as a calendar client does) gives the
    meetings Converge materialised: 09:00 in Stockholm in March and in October alike."""
    from dateutil.rrule import rrulestr

    committee = weekly_committee(world)
    for since in (
        datetime(2026, 3, 16, tzinfo=STOCKHOLM),
        datetime(2026, 10, 19, tzinfo=STOCKHOLM),
    ):
        services.meetings_materialise(committee=committee, since=since, count=3)
    feed = services.feed_for(membership=member_of(world, world.lead), committee=committee)
    (event,) = _events(_feed(feed.token))
    start = event["DTSTART"].dt
    assert isinstance(start, datetime) and start.tzinfo == STOCKHOLM
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start.replace(tzinfo=None))
    stored = [
        m.occurrence.astimezone(STOCKHOLM)
        for m in Meeting.objects.filter(
            committee=committee, occurrence__lt=datetime(2026, 11, 3, tzinfo=STOCKHOLM)
        )
        .filter(occurrence__month__in=[3, 4, 10, 11])
        .order_by("occurrence")
    ]
    expanded = [
        d.replace(tzinfo=STOCKHOLM)
        for d in rule.between(datetime(2026, 3, 16), datetime(2026, 11, 3))
        if d.month in (3, 4, 10, 11)
    ]
    assert set(stored) <= set(expanded)
    assert [d.date() for d in stored] == [
        date(2026, 3, 16),
        date(2026, 3, 23),
        date(2026, 3, 30),
        date(2026, 10, 19),
        date(2026, 10, 26),
        date(2026, 11, 2),
    ]
    assert {d.strftime("%H:%M") for d in stored} == {"09:00"}
    assert {d.utcoffset() for d in stored} == {timedelta(hours=1), timedelta(hours=2)}


def test_changing_the_cadence_moves_untouched_meetings_and_keeps_those_with_content(
    world: World,
) -> None:
    import time_machine

    with time_machine.travel(datetime(2026, 3, 1, 12, 0, tzinfo=STOCKHOLM)):
        committee = weekly_committee(world)
        first = committee.meetings.order_by("occurrence").first()
        assert first is not None
        services.agenda_add(actor=world.lead, meeting=first, title="Keep me")
        services.committee_save(
            actor=world.lead,
            workspace=world.workspace,
            committee=committee,
            name=committee.name,
            chair=committee.chair,
            members=[s.membership for s in committee.seats.all()],
            rrule="FREQ=WEEKLY;BYDAY=TU",
            starts_on=committee.starts_on,
            start_time=committee.start_time,
        )
        days = sorted(
            m.occurrence.astimezone(STOCKHOLM).strftime("%a") for m in committee.meetings.all()
        )
    assert days.count("Mon") == 1  # the one with an agenda item stays
    assert days.count("Tue") == services.UPCOMING

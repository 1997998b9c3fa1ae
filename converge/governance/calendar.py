"""iCalendar (RFC 5545) feeds, built with the ``icalendar`` library.

A committee is one recurring VEVENT (RRULE, DTSTART with TZID in the workspace's zone, the
zone's VTIMEZONE in the calendar). A cancelled meeting is an EXDATE of it; a moved meeting is
a second VEVENT with the same UID and a RECURRENCE-ID naming the occurrence it replaces. UIDs
are stable: ``committee-<uuid>@converge``, ``action-<uuid>@converge``."""

from __future__ import annotations

import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta

import icalendar
from django.utils import timezone

from converge.governance import recurrence
from converge.governance.models import ActionItem, Committee, Meeting, MeetingStatus

PRODID = "-//Converge//Governance calendar//EN"


def committee_uid(committee: Committee) -> str:
    return f"committee-{committee.uuid}@converge"


def _calendar(name: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    return cal


def _committee_events(
    committee: Committee, meetings: Iterable[Meeting], stamp: datetime
) -> list[icalendar.Event]:
    tz = zoneinfo.ZoneInfo(committee.workspace.time_zone)
    first = recurrence.first(
        committee.rrule,
        starts_on=committee.starts_on,
        start_time=committee.start_time,
        zone=committee.workspace.time_zone,
    )
    if first is None:
        return []
    uid = committee_uid(committee)
    master = icalendar.Event()
    master.add("uid", uid)
    master.add("dtstamp", stamp)
    master.add("dtstart", first)
    master.add("duration", timedelta(minutes=committee.duration_minutes))
    master.add("rrule", icalendar.vRecur.from_ical(committee.rrule))
    master.add("summary", committee.name)
    if committee.purpose:
        master.add("description", committee.purpose)
    if committee.location:
        master.add("location", committee.location)
    events = [master]
    cancelled = []
    for meeting in meetings:
        occurrence = meeting.occurrence.astimezone(tz)
        if meeting.status == MeetingStatus.CANCELLED:
            cancelled.append(occurrence)
            continue
        if (
            meeting.starts_at == meeting.occurrence
            and meeting.duration_minutes == committee.duration_minutes
            and meeting.location == committee.location
        ):
            continue
        moved = icalendar.Event()
        moved.add("uid", uid)
        moved.add("dtstamp", stamp)
        moved.add("recurrence-id", occurrence)
        moved.add("dtstart", meeting.starts_at.astimezone(tz))
        moved.add("duration", timedelta(minutes=meeting.duration_minutes))
        moved.add("summary", committee.name)
        moved.add("sequence", meeting.sequence)
        if meeting.location:
            moved.add("location", meeting.location)
        events.append(moved)
    if cancelled:
        master.add("exdate", sorted(cancelled))
    return events


def _action_event(item: ActionItem, stamp: datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"action-{item.uuid}@converge")
    event.add("dtstamp", stamp)
    event.add("dtstart", item.due_on)
    event.add("dtend", item.due_on + timedelta(days=1))
    event.add("summary", f"⚑ {item.title}")
    event.add("transp", "TRANSPARENT")
    return event


def build(
    name: str,
    committees: Iterable[tuple[Committee, Iterable[Meeting]]],
    actions: Iterable[ActionItem] = (),
    now: datetime | None = None,
) -> bytes:
    """A VCALENDAR with each committee's recurring event and overrides, the open actions'
    due dates as all-day events, and the VTIMEZONE of every zone used."""
    stamp = (now or timezone.now()).astimezone(zoneinfo.ZoneInfo("UTC")).replace(microsecond=0)
    cal = _calendar(name)
    for committee, meetings in committees:
        for event in _committee_events(committee, meetings, stamp):
            cal.add_component(event)
    for item in actions:
        cal.add_component(_action_event(item, stamp))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())

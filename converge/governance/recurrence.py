"""Cadences as RFC 5545 recurrence rules: build them from common choices, validate them, and
expand them into occurrences in a time zone. Pure: no Django.

Expansion happens in *local wall-clock time* (a naive DTSTART in the zone), and each occurrence
is then given the zone's offset for its own date, so a weekly 09:00 meeting stays at 09:00 in
Stockholm across the switch to and from summer time (its UTC time moves by an hour)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil import rrule as du

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
ORDINALS = (1, 2, 3, 4, -1)
PATTERNS = ("weekly", "biweekly", "monthly", "quarterly", "custom")
MAX_OCCURRENCES = 500  # never expand more than this many at once


class RuleError(ValueError):
    """The recurrence rule is not one we can use."""


def build(pattern: str, weekday: str = "MO", ordinal: int = 1, custom: str = "") -> str:
    """The RRULE for one of the common choices (weekly on a weekday, every other week,
    monthly or quarterly on the first/second/…/last weekday), or ``custom`` as given."""
    if pattern == "custom":
        return normalise(custom)
    if weekday not in WEEKDAYS:
        raise RuleError(f"unknown weekday {weekday!r}")
    if pattern == "weekly":
        return f"FREQ=WEEKLY;BYDAY={weekday}"
    if pattern == "biweekly":
        return f"FREQ=WEEKLY;INTERVAL=2;BYDAY={weekday}"
    if ordinal not in ORDINALS:
        raise RuleError(f"unknown ordinal {ordinal!r}")
    if pattern == "monthly":
        return f"FREQ=MONTHLY;BYDAY={ordinal}{weekday}"
    if pattern == "quarterly":
        return f"FREQ=MONTHLY;INTERVAL=3;BYDAY={ordinal}{weekday}"
    raise RuleError(f"unknown pattern {pattern!r}")


def parse_choice(rule: str) -> tuple[str, str, int]:
    """The common choice a rule was built from (pattern, weekday, ordinal), or ``custom``."""
    for pattern in ("weekly", "biweekly"):
        for weekday in WEEKDAYS:
            if rule == build(pattern, weekday):
                return pattern, weekday, 1
    for pattern in ("monthly", "quarterly"):
        for weekday in WEEKDAYS:
            for ordinal in ORDINALS:
                if rule == build(pattern, weekday, ordinal):
                    return pattern, weekday, ordinal
    return "custom", "MO", 1


def normalise(text: str) -> str:
    """A validated RRULE value: without an ``RRULE:`` prefix, upper case, and free of parts we
    keep elsewhere (DTSTART lives on the committee). Raises ``RuleError``."""
    value = (text or "").strip()
    if value.upper().startswith("RRULE:"):
        value = value[6:]
    value = value.upper().replace(" ", "")
    if not value:
        raise RuleError("empty rule")
    if "\n" in value or "DTSTART" in value:
        raise RuleError("give the RRULE value only, without DTSTART")
    parts = dict(p.split("=", 1) for p in value.split(";") if "=" in p)
    if "FREQ" not in parts:
        raise RuleError("FREQ is required")
    if "UNTIL" in parts:
        raise RuleError("UNTIL is not supported: use COUNT, or archive the committee")
    if parts["FREQ"] in {"SECONDLY", "MINUTELY", "HOURLY"}:
        raise RuleError("a committee meets at most daily")
    try:
        rule = du.rrulestr(value, dtstart=datetime(2026, 1, 1, 9, 0))
    except (ValueError, TypeError, KeyError) as exc:
        raise RuleError(str(exc)) from exc
    if not isinstance(rule, du.rrule):
        raise RuleError("one rule only")
    if rule.after(datetime(2026, 1, 1, 8, 0), inc=True) is None:
        raise RuleError("the rule gives no occurrence")
    return value


def _local_rule(rule: str, starts_on: date, start_time: time) -> du.rrule:
    expanded = du.rrulestr(rule, dtstart=datetime.combine(starts_on, start_time))
    assert isinstance(expanded, du.rrule)
    return expanded


def local_occurrences(
    rule: str, starts_on: date, start_time: time, after: datetime, limit: int
) -> Iterator[datetime]:
    """Naive local datetimes of the rule on or after the naive local ``after``."""
    expanded = _local_rule(rule, starts_on, start_time)
    yield from expanded.xafter(after, count=min(limit, MAX_OCCURRENCES), inc=True)


def occurrences(
    rule: str,
    *,
    starts_on: date,
    start_time: time,
    zone: str,
    after: datetime,
    count: int,
) -> list[datetime]:
    """The next ``count`` occurrences at or after the aware ``after``, as aware datetimes in
    ``zone`` whose wall-clock time is ``start_time`` whatever the season."""
    tz = ZoneInfo(zone)
    local_after = after.astimezone(tz).replace(tzinfo=None)
    return [
        m.replace(tzinfo=tz)
        for m in local_occurrences(rule, starts_on, start_time, local_after, count)
    ]


def between(
    rule: str,
    *,
    starts_on: date,
    start_time: time,
    zone: str,
    start: datetime,
    end: datetime,
) -> list[datetime]:
    """The occurrences from the aware ``start`` up to (excluding) the aware ``end``."""
    tz = ZoneInfo(zone)
    expanded = _local_rule(rule, starts_on, start_time)
    found = expanded.between(
        start.astimezone(tz).replace(tzinfo=None),
        end.astimezone(tz).replace(tzinfo=None) - timedelta(microseconds=1),
        inc=True,
    )
    return [m.replace(tzinfo=tz) for m in found[:MAX_OCCURRENCES]]


def first(rule: str, *, starts_on: date, start_time: time, zone: str) -> datetime | None:
    """The first occurrence (what DTSTART should be in a calendar)."""
    tz = ZoneInfo(zone)
    found = _local_rule(rule, starts_on, start_time).after(
        datetime.combine(starts_on, start_time), inc=True
    )
    return found.replace(tzinfo=tz) if found else None

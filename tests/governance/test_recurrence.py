"""Cadences: rules from the common choices, validation, and expansion in Stockholm time across
the daylight-saving changes."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from converge.governance import recurrence

STOCKHOLM = ZoneInfo("Europe/Stockholm")
UTC = ZoneInfo("UTC")


def test_the_common_choices_build_the_rules_people_expect() -> None:
    assert recurrence.build("weekly", "MO") == "FREQ=WEEKLY;BYDAY=MO"
    assert recurrence.build("monthly", "TU", 1) == "FREQ=MONTHLY;BYDAY=1TU"
    assert recurrence.build("monthly", "TH", -1) == "FREQ=MONTHLY;BYDAY=-1TH"
    assert recurrence.build("quarterly", "WE", 2) == "FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE"
    assert recurrence.build("custom", custom="rrule:freq=weekly;byday=mo,th") == (
        "FREQ=WEEKLY;BYDAY=MO,TH"
    )
    assert recurrence.parse_choice("FREQ=MONTHLY;INTERVAL=3;BYDAY=2WE") == ("quarterly", "WE", 2)
    assert recurrence.parse_choice("FREQ=DAILY")[0] == "custom"


@pytest.mark.parametrize(
    "rule",
    [
        "",
        "FREQ=HOURLY",
        "BYDAY=MO",
        "FREQ=WEEKLY;BYDAY=XX",
        "DTSTART:20260101\nRRULE:FREQ=DAILY",
        "FREQ=WEEKLY;UNTIL=20261231T000000Z",
    ],
)
def test_a_rule_we_cannot_use_is_refused(rule: str) -> None:
    with pytest.raises(recurrence.RuleError):
        recurrence.normalise(rule)


def test_a_weekly_nine_oclock_meeting_stays_at_nine_across_the_spring_change() -> None:
    # Summer time starts in Stockholm on Sunday 29 March 2026 at 02:00.
    found = recurrence.occurrences(
        "FREQ=WEEKLY;BYDAY=MO",
        starts_on=date(2026, 3, 2),
        start_time=time(9, 0),
        zone="Europe/Stockholm",
        after=datetime(2026, 3, 16, tzinfo=STOCKHOLM),
        count=3,
    )
    assert [m.date() for m in found] == [date(2026, 3, 16), date(2026, 3, 23), date(2026, 3, 30)]
    assert all(m.astimezone(STOCKHOLM).time() == time(9, 0) for m in found)
    assert [m.astimezone(UTC).hour for m in found] == [8, 8, 7]
    assert [m.utcoffset() for m in found] == [timedelta(hours=1)] * 2 + [timedelta(hours=2)]


def test_a_weekly_nine_oclock_meeting_stays_at_nine_across_the_autumn_change() -> None:
    # Summer time ends on Sunday 25 October 2026 at 03:00.
    found = recurrence.occurrences(
        "FREQ=WEEKLY;BYDAY=MO",
        starts_on=date(2026, 3, 2),
        start_time=time(9, 0),
        zone="Europe/Stockholm",
        after=datetime(2026, 10, 19, tzinfo=STOCKHOLM),
        count=2,
    )
    assert [m.date() for m in found] == [date(2026, 10, 19), date(2026, 10, 26)]
    assert all(m.astimezone(STOCKHOLM).time() == time(9, 0) for m in found)
    assert [m.astimezone(UTC).hour for m in found] == [7, 8]


def test_a_monthly_rule_on_the_first_tuesday_and_a_quarterly_one() -> None:
    monthly = recurrence.between(
        "FREQ=MONTHLY;BYDAY=1TU",
        starts_on=date(2026, 1, 1),
        start_time=time(14, 0),
        zone="Europe/Stockholm",
        start=datetime(2026, 1, 1, tzinfo=STOCKHOLM),
        end=datetime(2026, 5, 1, tzinfo=STOCKHOLM),
    )
    assert [m.date() for m in monthly] == [
        date(2026, 1, 6),
        date(2026, 2, 3),
        date(2026, 3, 3),
        date(2026, 4, 7),
    ]
    assert monthly[3].utcoffset() == timedelta(hours=2)
    quarterly = recurrence.occurrences(
        "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TH",
        starts_on=date(2026, 3, 1),
        start_time=time(13, 0),
        zone="Europe/Stockholm",
        after=datetime(2026, 1, 1, tzinfo=UTC),
        count=3,
    )
    assert [m.date() for m in quarterly] == [
        date(2026, 3, 26),
        date(2026, 6, 25),
        date(2026, 9, 24),
    ]


def test_a_cadence_reads_as_words_in_english_and_swedish() -> None:
    from django.utils import translation

    from converge.governance.text import describe_cadence

    with translation.override("en"):
        assert describe_cadence("FREQ=WEEKLY;BYDAY=MO") == "Every Monday"
        assert describe_cadence("FREQ=MONTHLY;BYDAY=1TU") == "The first Tuesday of every month"
        assert describe_cadence("FREQ=DAILY") == "RRULE:FREQ=DAILY"
    with translation.override("sv"):
        assert describe_cadence("FREQ=WEEKLY;BYDAY=MO") == "Varje måndag"
        assert describe_cadence("FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TH") == (
            "Sista torsdagen var tredje månad"
        )

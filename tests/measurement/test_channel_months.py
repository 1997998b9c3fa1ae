"""The "why" reads whole calendar months from the channel months and only the days at either end
of a period from the observations. Whatever the periods, it must give exactly what adding up
the observations themselves gives — sums, ratios (of sums) and means (over the figures)."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from converge.measurement import selectors, services
from converge.measurement.catalogue import BY_KEY
from converge.measurement.models import Channel, Observation
from converge.measurement.selectors import Period
from converge.measurement.why import Parts
from tests.conftest import World

FIRST, LAST = date(2025, 10, 1), date(2026, 3, 31)


def test_a_year_from_the_thirtieth_is_eleven_whole_months_and_two_ends() -> None:
    whole, ends = Period(date(2025, 11, 30), date(2026, 11, 29)).split_by_month()
    assert whole == Period(date(2025, 12, 1), date(2026, 10, 31))
    assert ends == [
        Period(date(2025, 11, 30), date(2025, 11, 30)),
        Period(date(2026, 11, 1), date(2026, 11, 29)),
    ]


def test_whole_months_have_no_ends_and_a_few_days_have_no_whole_month() -> None:
    assert Period(date(2024, 2, 1), date(2024, 2, 29)).split_by_month() == (
        Period(date(2024, 2, 1), date(2024, 2, 29)),
        [],
    )
    few = Period(date(2026, 1, 2), date(2026, 1, 31))
    assert few.split_by_month() == (None, [few])
    across = Period(date(2026, 1, 20), date(2026, 2, 10))
    assert across.split_by_month() == (None, [across])


@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(0, 800))
def test_the_months_and_the_ends_cover_each_day_of_the_period_once(start: date, days: int) -> None:
    period = Period(start, start + timedelta(days=days))
    whole, ends = period.split_by_month()
    parts = ([whole] if whole else []) + ends
    covered = [p.start + timedelta(days=i) for p in parts for i in range(p.days)]
    assert sorted(covered) == [period.start + timedelta(days=i) for i in range(period.days)]
    if whole:
        assert whole.start.day == 1 and (whole.end + timedelta(days=1)).day == 1


@pytest.fixture
def figures(world: World) -> list[Observation]:
    """Six months of daily figures on two channels and without a channel, some days missing."""
    rnd = random.Random(7)
    channels = [
        Channel.objects.create(workspace=world.workspace, platform="x", handle="@acme"),
        Channel.objects.create(workspace=world.workspace, platform="linkedin", handle="Acme"),
        None,
    ]
    rows = []
    day = FIRST
    while day <= LAST:
        for channel in channels:
            for metric in ("link_clicks", "impressions", "median_first_response_time"):
                if rnd.random() < 0.85:
                    value = Decimal(rnd.randint(0, 5000)) / (4 if metric == "impressions" else 1)
                    rows.append(
                        Observation(
                            workspace=world.workspace,
                            channel=channel,
                            metric=metric,
                            day=day,
                            value=value,
                        )
                    )
        day += timedelta(days=1)
    Observation.objects.bulk_create(rows)
    services.daily_totals_refresh(workspace=world.workspace)
    return rows


def by_hand(rows: list[Observation], key: str, period: Period) -> dict[int | None, Parts]:
    """Each channel's parts of the metric in the period, added up row by row."""
    metric = BY_KEY[key]
    wanted = selectors.metric_components(metric)
    sums: dict[tuple[int | None, str], tuple[Decimal, int]] = {}
    for o in rows:
        if o.metric in wanted and period.start <= o.day <= period.end:
            total, count = sums.get((o.channel_id, o.metric), (Decimal(0), 0))
            sums[(o.channel_id, o.metric)] = (total + o.value, count + 1)
    out: dict[int | None, Parts] = {}
    for (channel, name), (total, count) in sums.items():
        parts = out.get(channel, Parts(Decimal(0), Decimal(0)))
        if metric.aggregation == "sum":
            parts = Parts(total)
        elif metric.aggregation == "mean":
            parts = Parts(total, Decimal(count))
        elif name == wanted[0]:
            parts = Parts(total, parts.denominator)
        else:
            parts = Parts(parts.numerator, total)
        out[channel] = parts
    return out


days_in_range = st.integers(0, (LAST - FIRST).days + 20)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.sampled_from(["link_clicks", "ctr", "median_first_response_time"]),
    days_in_range,
    days_in_range,
    days_in_range,
    days_in_range,
)
def test_each_channels_parts_equal_the_observations_added_up_whatever_the_periods(
    world: World, figures: list[Observation], key: str, a: int, b: int, c: int, d: int
) -> None:
    day = lambda n: FIRST - timedelta(days=10) + timedelta(days=n)  # noqa: E731
    current = Period(day(min(a, b)), day(max(a, b)))
    previous = Period(day(min(c, d)), day(max(c, d)))
    found = selectors.metric_comparison(
        world.workspace, BY_KEY[key], current, previous, channels=None
    )
    assert found.current == by_hand(figures, key, current)
    assert found.previous == by_hand(figures, key, previous)

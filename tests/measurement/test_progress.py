"""KPI progress maths on hand-computed cases: aggregation over a window (a period's rate is the
ratio of sums, not the mean of daily rates), percent to target, pace and status."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

from converge.measurement import progress as P
from converge.measurement.catalogue import BY_KEY

DAY1, DAY2, DAY3 = date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)


def figures(*rows: tuple[str, int | None, date, str]) -> P.Figures:
    return P.Figures((m, c, d, D(v)) for m, c, d, v in rows)


def test_a_periods_engagement_rate_is_the_ratio_of_sums_not_the_mean_of_daily_rates() -> None:
    # Day 1: 10 of 100 reached engaged (10 %); day 2: 90 of 300 (30 %). The mean of the daily
    # rates would be 20 %; the period's rate is 100 ÷ 400 = 25 %.
    f = figures(
        ("engagements", 1, DAY1, "10"),
        ("reach", 1, DAY1, "100"),
        ("engagements", 1, DAY2, "90"),
        ("reach", 1, DAY2, "300"),
    )
    rate = P.aggregate(BY_KEY["engagement_rate_reach"], BY_KEY, f, None, DAY1, DAY2)
    assert rate.value == D(25)
    assert rate.numerator is not None and rate.numerator.total == D(100)
    assert rate.denominator is not None and rate.denominator.total == D(400)
    assert (rate.count, rate.first_day, rate.last_day) == (4, DAY1, DAY2)
    assert rate.formula == "(Σ engagements) ÷ (Σ reach) × 100"


def test_a_sum_adds_every_channel_and_day_in_the_window_and_nothing_outside() -> None:
    f = figures(
        ("link_clicks", 1, DAY1, "5"),
        ("link_clicks", 2, DAY2, "7"),
        ("link_clicks", None, DAY2, "11"),
        ("link_clicks", 1, DAY3, "1000"),  # after the window
    )
    every = P.aggregate(BY_KEY["link_clicks"], BY_KEY, f, None, DAY1, DAY2)
    assert (every.value, every.count, every.channels) == (D(23), 3, 3)
    one = P.aggregate(BY_KEY["link_clicks"], BY_KEY, f, frozenset({2}), DAY1, DAY2)
    assert (one.value, one.count, one.first_day, one.last_day) == (D(7), 1, DAY2, DAY2)


def test_last_takes_each_channels_latest_figure_and_adds_them() -> None:
    f = figures(
        ("followers", 1, DAY1, "100"),
        ("followers", 1, DAY3, "120"),
        ("followers", 2, DAY2, "50"),
    )
    agg = P.aggregate(BY_KEY["followers"], BY_KEY, f, None, DAY1, DAY3)
    assert (agg.value, agg.count, agg.first_day, agg.last_day) == (D(170), 2, DAY2, DAY3)


def test_mean_is_the_mean_of_the_daily_figures() -> None:
    f = figures(
        ("median_first_response_time", None, DAY1, "10"),
        ("median_first_response_time", None, DAY2, "20"),
        ("median_first_response_time", None, DAY3, "60"),
    )
    agg = P.aggregate(BY_KEY["median_first_response_time"], BY_KEY, f, None, DAY1, DAY3)
    assert (agg.value, agg.total, agg.count) == (D(30), D(90), 3)


def test_a_ratio_without_a_base_has_no_value() -> None:
    f = figures(("engagements", 1, DAY1, "10"))
    assert P.aggregate(BY_KEY["engagement_rate_reach"], BY_KEY, f, None, DAY1, DAY1).value is None


def test_windows_end_on_their_day_and_a_year_ending_31_december_is_the_calendar_year() -> None:
    assert P.window_start("year", date(2025, 12, 31)) == date(2025, 1, 1)
    assert P.window_start("year", date(2024, 12, 31)) == date(2024, 1, 1)  # a leap year
    assert P.window_start("month", date(2026, 3, 30)) == date(2026, 3, 1)
    assert P.window_start("week", date(2026, 3, 7)) == date(2026, 3, 1)
    assert P.window_start("day", DAY1) == DAY1
    assert P.default_window("last") == "week" and P.default_window("ratio") == "month"


GOAL = P.Goal("increase", D(100), date(2026, 1, 1), D(200), date(2027, 1, 1))
FALLING = P.Goal("decrease", D(185), date(2026, 1, 1), D(45), date(2027, 1, 1))


def projection(value: str) -> P.Projection:
    return P.Projection("linear", date(2027, 1, 1), D(value))


def test_percent_to_target_works_both_ways() -> None:
    assert P.percent_of_way(GOAL, D(150)) == D(50)
    assert P.percent_of_way(FALLING, D(115)) == D(50)  # 70 of the 140 minutes to cut
    assert P.percent_of_way(FALLING, D(199)) == D(-10)  # moved away from the target


def test_the_status_follows_the_share_of_the_way_projected_for_the_target_date() -> None:
    as_of = date(2026, 7, 2)
    assert P.judge(GOAL, as_of, D(140), projection("210"))[:2] == ("on_track", "projection")
    status, _reason, pct, _elapsed, p = P.judge(GOAL, as_of, D(140), projection("190"))
    assert (status, pct, p) == ("at_risk", D(40), D(90))
    assert P.judge(GOAL, as_of, D(140), projection("174"))[0] == "off_track"  # 74 %
    assert P.judge(GOAL, as_of, D(140), projection("175"))[0] == "at_risk"  # 75 %
    assert P.judge(GOAL, as_of, D(205), projection("150"))[:2] == ("on_track", "reached")


def test_a_decreasing_kpi_is_judged_by_how_far_it_falls() -> None:
    as_of = date(2026, 7, 2)
    # Projected 60 minutes: (60 − 185) ÷ (45 − 185) = 125 ÷ 140 = 89.3 % of the way.
    status, _r, _pct, _e, p = P.judge(FALLING, as_of, D(120), projection("60"))
    assert status == "at_risk" and p is not None and round(p, 1) == D("89.3")
    assert P.judge(FALLING, as_of, D(120), projection("40"))[0] == "on_track"
    assert P.judge(FALLING, as_of, D(190), projection("200"))[0] == "off_track"


def test_without_a_projection_the_pace_so_far_decides() -> None:
    # Half the time gone (2026-01-01 → 2027-01-01, as of 2 July) and 40 % of the way: 80 % pace.
    status, reason, _pct, elapsed, p = P.judge(GOAL, date(2026, 7, 2), D(140), None)
    assert (status, reason) == ("at_risk", "pace")
    assert elapsed is not None and round(elapsed, 1) == D("49.9")  # 182 of 365 days
    assert p is not None and round(p) == D(80)


def test_a_band_kpi_is_on_track_inside_the_band() -> None:
    band = P.Goal("band", D(0), date(2026, 1, 1), None, date(2027, 1, 1), D(0), D(2))
    assert P.judge(band, DAY1, D(1), None)[:2] == ("on_track", "within_band")
    assert P.judge(band, DAY1, D(5), projection("1"), projection("1"))[0] == "at_risk"
    assert P.judge(band, DAY1, D(5), projection("4"), projection("4"))[0] == "off_track"


def test_missing_data_and_missing_targets_are_said_as_such() -> None:
    assert P.judge(GOAL, DAY1, None, None)[0] == "no_data"
    untargeted = P.Goal("increase", D(14), date(2025, 12, 31), None, None)
    assert P.judge(untargeted, DAY1, D(15), None)[0] == "no_target"


def test_the_linear_projection_is_the_least_squares_line() -> None:
    points = [
        P.Point(DAY1, D(10)),
        P.Point(DAY1 + timedelta(7), D(18)),
        P.Point(DAY1 + timedelta(14), D(23)),
    ]
    # x = 0, 7, 14; y = 10, 18, 23: slope = Σ(x−7)(y−17) ÷ Σ(x−7)² = 91 ÷ 98 = 13/14 a day,
    # intercept = 17 − 7 × 13/14 = 10.5; on day 28: 10.5 + 26 = 36.5.
    line = P.linear_projection(points, DAY1 + timedelta(28))
    assert line is not None
    assert round(line.slope_per_day, 6) == round(D(13) / D(14), 6)
    assert round(line.value, 6) == D("36.5")
    assert P.linear_projection(points[:1], DAY1) is None


def test_the_seasonal_projection_applies_last_years_growth_to_the_same_season() -> None:
    # One a day in 2025, two a day in 2026: a 30-day window is 30 a year ago and 60 now.
    rows = []
    day = date(2025, 1, 1)
    while day <= date(2026, 12, 31):
        rows.append(("link_clicks", 1, day, "1" if day.year == 2025 else "2"))
        day += timedelta(days=1)
    f = figures(*rows)
    goal = P.Goal("increase", D(30), date(2025, 12, 31), D(100), date(2027, 6, 30))
    result = P.progress_from_figures(
        goal=goal,
        metric=BY_KEY["link_clicks"],
        index=BY_KEY,
        figures=f,
        channels=None,
        window="month",
        as_of=date(2026, 12, 31),
        history_from=date(2025, 12, 31),
    )
    assert result is not None and result.seasonal is not None and result.linear is not None
    s = result.seasonal
    assert (s.growth, s.year_ago_value, s.reference_day, s.reference_value, s.years) == (
        D(2),
        D(30),
        date(2026, 6, 30),
        D(60),
        1,
    )
    assert s.value == D(120)  # 60 × 2
    assert result.projected_percent == D(90) / D(70) * 100
    assert (result.status, result.current, result.percent_to_target) == (
        "on_track",
        D(60),
        D(30) / D(70) * 100,
    )
    assert result.last_updated == date(2026, 12, 31) and not result.stale


def test_manual_values_give_the_latest_value_and_a_linear_pace() -> None:
    values = [P.Point(date(2026, 2, 1), D(120)), P.Point(date(2026, 5, 1), D(150))]
    result = P.progress_from_values(
        goal=GOAL, values=values, as_of=date(2026, 5, 10), history_from=date(2025, 1, 1)
    )
    assert (result.source, result.current, result.last_updated) == (
        "manual",
        D(150),
        date(2026, 5, 1),
    )
    assert result.linear is not None and result.seasonal is None
    nothing = P.progress_from_values(goal=GOAL, values=[], as_of=DAY1, history_from=DAY1)
    assert (nothing.status, nothing.source) == ("no_data", "none")


def test_figures_added_up_by_the_database_serve_every_channel_with_their_counts() -> None:
    # The database added up two channels' response times per day (10 + 30, 20 + 40): the mean
    # of the four figures is 100 ÷ 4 = 25, not the mean of the two daily totals (50).
    f = P.Figures(
        [
            ("median_first_response_time", P.ALL, DAY1, D(40), 2),
            ("median_first_response_time", P.ALL, DAY2, D(60), 2),
            ("median_first_response_time", 1, DAY1, D(10), 1),
            ("median_first_response_time", 1, DAY2, D(20), 1),
        ]
    )
    every = P.aggregate(BY_KEY["median_first_response_time"], BY_KEY, f, None, DAY1, DAY2)
    assert (every.value, every.count, every.channels) == (D(25), 4, None)
    one = P.aggregate(BY_KEY["median_first_response_time"], BY_KEY, f, frozenset({1}), DAY1, DAY2)
    assert (one.value, one.count, one.channels) == (D(15), 2, 1)
    assert P.needs(BY_KEY["engagement_rate_followers"], BY_KEY, None) == (
        {"engagements"},
        {"followers"},  # a last value is read per channel
    )

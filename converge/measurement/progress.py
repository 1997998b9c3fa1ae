"""KPI progress: pure maths, no Django. Every number keeps the inputs it was computed from.

**Windows.** A KPI's value is measured over a trailing window that ends on a day: ``day``,
``week`` (7 days), ``month`` (30 days), ``quarter`` (91 days) or ``year`` (the 12 months after
the same day a year earlier, so a year window ending on 31 December is the calendar year).

**Aggregation over a window**, per the metric (see ``catalogue.py``):

* ``sum``   — Σ of the daily figures (every channel in scope, every day in the window);
* ``mean``  — Σ of the daily figures ÷ the number of figures (channel-days);
* ``last``  — for each channel, its last figure in the window; then Σ over the channels
  (followers of all channels = the sum of each channel's latest count);
* ``ratio`` — the numerator metric aggregated over the window ÷ the denominator metric
  aggregated over the same window × the metric's scale: for sums a *ratio of sums*, never the
  mean of daily ratios (a period's engagement rate is Σ engagements ÷ Σ reach × 100).

**Progress.** ``percent_to_target`` = (current − baseline) ÷ (target − baseline) × 100: the share
of the way from the baseline to the target; it works for decreasing KPIs too (both differences
are negative) and is negative when the KPI moved away from its target.

**Pace.** Two projections of the value on the target date:

* *linear* — a least-squares line through the history of window values since the baseline date
  (at least two points), extended to the target date;
* *seasonal* — when the figures cover at least a year before the as-of date: the year-on-year
  growth g = current ÷ (value a year earlier), applied to the value at the same time of year
  k years before the target date (the latest such day on or before the as-of date):
  projection = value(target date − k years) × gᵏ. Not made when the value a year earlier is
  zero or negative.

**Status**, decided by the seasonal projection where there is one, else the linear one:

* ``no_data``  — no value (no figures in scope and no manual value);
* ``no_target`` — the KPI has no target or no dates to judge it by;
* band KPIs: within the band → ``on_track``; outside it but projected back into it by the
  target date → ``at_risk``; otherwise ``off_track``;
* the target already reached (at or beyond it, in the KPI's direction) → ``on_track``;
* otherwise the projected share of the way at the target date P = (projection − baseline) ÷
  (target − baseline) × 100: ``on_track`` when P ≥ 100, ``at_risk`` when 75 ≤ P < 100,
  ``off_track`` when P < 75. Without any projection, P is the pace so far: the percent to
  target ÷ the share of the time from baseline to target date that has passed × 100; on or
  after the target date, P is the percent to target itself.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate
from operator import itemgetter

from converge.measurement.catalogue import MetricDef

WINDOWS = ("day", "week", "month", "quarter", "year")
WINDOW_DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}
# The window a KPI uses when none is chosen, by the metric's aggregation: a figure that is a
# level (followers) is read as its latest value in the last week; flows and rates over 30 days.
DEFAULT_WINDOW = {"sum": "month", "mean": "month", "ratio": "month", "last": "week"}

ON_TRACK = "on_track"
AT_RISK = "at_risk"
OFF_TRACK = "off_track"
NO_DATA = "no_data"
NO_TARGET = "no_target"
STATUSES = (ON_TRACK, AT_RISK, OFF_TRACK, NO_DATA, NO_TARGET)
AT_RISK_FROM = Decimal(75)  # percent of the way projected by the target date
ON_TRACK_FROM = Decimal(100)
HUNDRED = Decimal(100)
MAX_DEPTH = 5  # ratios of ratios, at most this deep


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def window_start(window: str, end: date) -> date:
    """The first day of the ``window`` that ends on ``end`` (both days included)."""
    if window == "year":
        return add_years(end, -1) + timedelta(days=1)
    return end - timedelta(days=WINDOW_DAYS[window] - 1)


def default_window(aggregation: str) -> str:
    return DEFAULT_WINDOW.get(aggregation, "month")


# --- Daily figures, indexed for windows -------------------------------------------------------


# metric, channel id (None: no channel; ALL: every channel and none, added up), day, value,
# and how many figures the value adds up (1 for one channel's figure of the day).
Row = tuple[str, int | None, date, Decimal] | tuple[str, int | None, date, Decimal, int]
ALL = -1


@dataclass
class _Series:
    days: list[date] = field(default_factory=list)
    values: list[Decimal] = field(default_factory=list)
    prefix: list[Decimal] = field(default_factory=lambda: [Decimal(0)])
    counts: list[int] = field(default_factory=lambda: [0])  # running count of figures

    def span(self, start: date, end: date) -> tuple[int, int]:
        return bisect_left(self.days, start), bisect_right(self.days, end)


_by_day = itemgetter(2)


class Figures:
    """Daily figures by (metric, channel), sorted by day, with running totals so that any
    window's sum, count and last value take two binary searches.

    A series under ``ALL`` holds a metric's figures of every channel (and of none) already
    added up per day, with their count: the database does that sum for KPIs that read every
    channel, so only one row per day comes back. It serves sums and means over every channel;
    ``last`` and chosen channels read the per-channel series."""

    def __init__(self, rows: Iterable[Row]) -> None:
        # Tens of thousands of rows on a dashboard: grouped in one plain loop, then each
        # series taken apart column-wise (zip, accumulate) rather than point by point.
        grouped: defaultdict[tuple[str, int | None], list[Row]] = defaultdict(list)
        for row in rows:
            grouped[row[0], row[1]].append(row)
        self._series: dict[str, dict[int | None, _Series]] = {}
        for (metric, channel), points in grouped.items():
            points.sort(key=_by_day)
            _metrics, _channels, days, values, *counted = zip(*points, strict=True)
            self._series.setdefault(metric, {})[channel] = _Series(
                days=list(days),
                values=list(values),
                prefix=[Decimal(0), *accumulate(values)],
                counts=[0, *accumulate(counted[0])] if counted else list(range(len(days) + 1)),
            )

    def series(
        self, metric: str, channels: frozenset[int] | None
    ) -> list[tuple[int | None, _Series]]:
        found = self._series.get(metric, {})
        if channels is None and ALL in found:
            return [(ALL, found[ALL])]
        return [
            (c, s)
            for c, s in sorted(found.items(), key=lambda i: (i[0] is not None, i[0] or 0))
            if c != ALL and (channels is None or c in channels)
        ]

    def span(
        self, metric: MetricDef, index: Mapping[str, MetricDef], channels: frozenset[int] | None
    ) -> tuple[date, date] | None:
        """The first and last day with a figure of ``metric`` (or of its parts) in scope."""
        firsts, lasts = [], []
        for key in _stored_keys(metric, index):
            for _c, s in self.series(key, channels):
                if s.days:
                    firsts.append(s.days[0])
                    lasts.append(s.days[-1])
        return (min(firsts), max(lasts)) if firsts else None

    def last_day(
        self,
        metric: MetricDef,
        index: Mapping[str, MetricDef],
        channels: frozenset[int] | None,
        on_or_before: date,
    ) -> date | None:
        best: date | None = None
        for key in _stored_keys(metric, index):
            for _c, s in self.series(key, channels):
                i = bisect_right(s.days, on_or_before)
                if i and (best is None or s.days[i - 1] > best):
                    best = s.days[i - 1]
        return best


def _part(index: Mapping[str, MetricDef], key: str) -> MetricDef:
    """A ratio's part; a key the index does not know is read as a plain sum."""
    found = index.get(key)
    if found is not None:
        return found
    return MetricDef(key, key, key, "count", "sum", "output", "", "")


def _stored_keys(metric: MetricDef, index: Mapping[str, MetricDef], depth: int = 0) -> set[str]:
    """The keys whose daily figures ``metric`` is computed from."""
    if metric.aggregation != "ratio":
        return {metric.key}
    if depth >= MAX_DEPTH or not metric.numerator or not metric.denominator:
        return set()
    return _stored_keys(_part(index, metric.numerator), index, depth + 1) | _stored_keys(
        _part(index, metric.denominator), index, depth + 1
    )


def stored_keys(metric: MetricDef, index: Mapping[str, MetricDef]) -> set[str]:
    return _stored_keys(metric, index)


def needs(
    metric: MetricDef, index: Mapping[str, MetricDef], channels: frozenset[int] | None
) -> tuple[set[str], set[str]]:
    """(keys the database may add up over every channel, keys needed per channel) to compute
    ``metric`` for a KPI reading ``channels`` (``None``: every channel)."""
    combined, per_channel = set(), set()
    for key in stored_keys(metric, index):
        if channels is None and _part(index, key).aggregation in ("sum", "mean"):
            combined.add(key)
        else:
            per_channel.add(key)
    return combined, per_channel


# --- One window ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Aggregate:
    """A metric over one window, with what it was computed from.

    ``total`` is Σ of the figures used (for ``last``: Σ of each channel's last figure);
    ``count`` how many figures (channel-days) were used; ``first_day``/``last_day`` the range
    of their days; ``channels`` how many series (channels, or "no channel") contributed, or
    ``None`` when every channel's figures came added up. A ratio keeps its numerator's and
    denominator's aggregates."""

    metric: str
    aggregation: str
    start: date
    end: date
    value: Decimal | None
    total: Decimal = Decimal(0)
    count: int = 0
    first_day: date | None = None
    last_day: date | None = None
    channels: int | None = 0
    scale: int = 1
    numerator: Aggregate | None = None
    denominator: Aggregate | None = None

    @property
    def formula(self) -> str:
        """The formula in symbols (``progress_text.describe`` says it in words)."""
        if self.aggregation == "ratio" and self.numerator and self.denominator:
            scale = f" × {self.scale}" if self.scale != 1 else ""
            return f"({self.numerator.formula}) ÷ ({self.denominator.formula}){scale}"
        if self.aggregation == "mean":
            return f"Σ {self.metric} ÷ n"
        if self.aggregation == "last":
            return f"Σ last {self.metric} per channel"
        return f"Σ {self.metric}"


def aggregate(
    metric: MetricDef,
    index: Mapping[str, MetricDef],
    figures: Figures,
    channels: frozenset[int] | None,
    start: date,
    end: date,
    _depth: int = 0,
) -> Aggregate:
    """``metric`` over the days ``start``…``end`` (both included) of the channels in scope
    (``None``: every channel and the figures without a channel)."""
    if metric.aggregation == "ratio":
        if _depth >= MAX_DEPTH or not metric.numerator or not metric.denominator:
            return Aggregate(metric.key, "ratio", start, end, None, scale=metric.scale)
        num = aggregate(
            _part(index, metric.numerator), index, figures, channels, start, end, _depth + 1
        )
        den = aggregate(
            _part(index, metric.denominator), index, figures, channels, start, end, _depth + 1
        )
        rate: Decimal | None = None
        if num.value is not None and den.value is not None and den.value != 0:
            rate = num.value * metric.scale / den.value
        days = [d for d in (num.first_day, num.last_day, den.first_day, den.last_day) if d]
        return Aggregate(
            metric.key,
            "ratio",
            start,
            end,
            rate,
            total=Decimal(0),
            count=num.count + den.count,
            first_day=min(days) if days else None,
            last_day=max(days) if days else None,
            channels=None
            if num.channels is None or den.channels is None
            else max(num.channels, den.channels),
            scale=metric.scale,
            numerator=num,
            denominator=den,
        )
    total, count = Decimal(0), 0
    used: int | None = 0
    first: date | None = None
    last: date | None = None
    for channel, s in figures.series(metric.key, channels):
        i, j = s.span(start, end)
        if j <= i:
            continue
        used = None if channel == ALL or used is None else used + 1
        if metric.aggregation == "last":
            total += s.values[j - 1]
            count += 1
            lo = hi = s.days[j - 1]
        else:
            total += s.prefix[j] - s.prefix[i]
            count += s.counts[j] - s.counts[i]
            lo, hi = s.days[i], s.days[j - 1]
        first = lo if first is None or lo < first else first
        last = hi if last is None or hi > last else last
    value: Decimal | None = None
    if count:
        value = total / count if metric.aggregation == "mean" else total
    return Aggregate(
        metric.key,
        metric.aggregation,
        start,
        end,
        value,
        total=total,
        count=count,
        first_day=first,
        last_day=last,
        channels=used,
    )


def window_value(
    metric: MetricDef,
    index: Mapping[str, MetricDef],
    figures: Figures,
    channels: frozenset[int] | None,
    window: str,
    end: date,
) -> Aggregate:
    return aggregate(metric, index, figures, channels, window_start(window, end), end)


def value_on(
    metric: MetricDef,
    index: Mapping[str, MetricDef],
    figures: Figures,
    channels: frozenset[int] | None,
    window: str,
    day: date,
) -> Decimal | None:
    """A KPI's value as it stood on ``day``: its window ending on the last day with a figure
    on or before ``day`` (as the current value is computed), or ``None`` without figures."""
    last = figures.last_day(metric, index, channels, day)
    if last is None:
        return None
    return window_value(metric, index, figures, channels, window, last).value


def value_entered_on(values: Sequence[Point], day: date) -> Decimal | None:
    """The latest value entered by hand on or before ``day``."""
    known = [p for p in values if p.day <= day]
    return max(known, key=lambda p: p.day).value if known else None


# --- Progress --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Goal:
    """What a KPI aims at: the plain figures of ``strategy.models.Kpi``."""

    direction: str  # increase | decrease | band
    baseline_value: Decimal | None
    baseline_date: date | None
    target_value: Decimal | None
    target_date: date | None
    band_low: Decimal | None = None
    band_high: Decimal | None = None


@dataclass(frozen=True)
class Point:
    day: date
    value: Decimal


@dataclass(frozen=True)
class Projection:
    """The value projected for ``day`` (the target date), and how.

    Linear: ``slope_per_day`` and ``intercept`` of the least-squares line through ``points``
    history values from ``since``; the line's value on ``day``. Seasonal: ``growth`` = current ÷
    ``year_ago_value``; ``reference_value`` on ``reference_day`` (``years`` before ``day``) ×
    growth ** years."""

    method: str  # linear | seasonal
    day: date
    value: Decimal
    points: int = 0
    since: date | None = None
    slope_per_day: Decimal | None = None
    intercept: Decimal | None = None
    growth: Decimal | None = None
    year_ago_day: date | None = None
    year_ago_value: Decimal | None = None
    reference_day: date | None = None
    reference_value: Decimal | None = None
    years: int = 0


@dataclass(frozen=True)
class Progress:
    status: str
    reason: str  # no_data | no_target | within_band | outside_band | reached | projection | pace
    source: str  # observations | manual | none
    as_of: date
    current: Decimal | None = None
    current_day: date | None = None  # the day the current window ends (the last day with data)
    last_updated: date | None = None
    window: str = ""
    aggregate: Aggregate | None = None
    percent_to_target: Decimal | None = None
    time_elapsed_percent: Decimal | None = None
    projected_percent: Decimal | None = None  # P, the figure the status is judged by
    linear: Projection | None = None
    seasonal: Projection | None = None
    required_per_day: Decimal | None = None  # the change a day still needed to reach target
    history: tuple[Point, ...] = ()
    stale: bool = False  # the latest figures end before the window that ends on ``as_of``

    @property
    def projection(self) -> Projection | None:
        return self.seasonal or self.linear


def percent_of_way(goal: Goal, value: Decimal) -> Decimal | None:
    if goal.baseline_value is None or goal.target_value is None:
        return None
    span = goal.target_value - goal.baseline_value
    if span == 0:
        return None
    return (value - goal.baseline_value) / span * HUNDRED


def linear_projection(points: Sequence[Point], day: date) -> Projection | None:
    """The least-squares line through ``points`` (at least two distinct days), on ``day``."""
    if len(points) < 2 or len({p.day for p in points}) < 2:
        return None
    origin = points[0].day
    xs = [Decimal((p.day - origin).days) for p in points]
    ys = [p.value for p in points]
    n = Decimal(len(points))
    mean_x, mean_y = sum(xs, Decimal(0)) / n, sum(ys, Decimal(0)) / n
    sxx = sum(((x - mean_x) ** 2 for x in xs), Decimal(0))
    sxy = sum(((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)), Decimal(0))
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    value = intercept + slope * Decimal((day - origin).days)
    return Projection(
        "linear",
        day,
        value,
        points=len(points),
        since=origin,
        slope_per_day=slope,
        intercept=intercept,
    )


def seasonal_projection(
    day: date,
    as_of: date,
    current: Decimal,
    value_on: Mapping[date, Decimal | None],
    year_ago_day: date,
) -> Projection | None:
    """``value_on`` gives the window value ending on a day (for ``year_ago_day`` and the
    reference day). See the module docstring."""
    year_ago = value_on.get(year_ago_day)
    if year_ago is None or year_ago <= 0:
        return None
    years = 1
    while add_years(day, -years) > as_of:
        years += 1
    reference_day = add_years(day, -years)
    reference = value_on.get(reference_day)
    if reference is None:
        return None
    growth = current / year_ago
    return Projection(
        "seasonal",
        day,
        reference * growth**years,
        growth=growth,
        year_ago_day=year_ago_day,
        year_ago_value=year_ago,
        reference_day=reference_day,
        reference_value=reference,
        years=years,
    )


def judge(
    goal: Goal,
    as_of: date,
    current: Decimal | None,
    projection: Projection | None,
    linear: Projection | None = None,
) -> tuple[str, str, Decimal | None, Decimal | None, Decimal | None]:
    """(status, reason, percent to target, time elapsed percent, P) — see the docstring."""
    if current is None:
        return NO_DATA, "no_data", None, None, None
    elapsed: Decimal | None = None
    if goal.baseline_date and goal.target_date and goal.target_date > goal.baseline_date:
        elapsed = (
            Decimal((as_of - goal.baseline_date).days)
            / Decimal((goal.target_date - goal.baseline_date).days)
            * HUNDRED
        )
    if goal.direction == "band":
        if goal.band_low is None or goal.band_high is None:
            return NO_TARGET, "no_target", None, elapsed, None
        if goal.band_low <= current <= goal.band_high:
            return ON_TRACK, "within_band", None, elapsed, None
        back = linear or projection
        if back is not None and goal.band_low <= back.value <= goal.band_high:
            return AT_RISK, "outside_band", None, elapsed, None
        return OFF_TRACK, "outside_band", None, elapsed, None
    progress = percent_of_way(goal, current)
    if progress is None or goal.target_value is None or elapsed is None:
        return NO_TARGET, "no_target", progress, elapsed, None
    if progress >= HUNDRED:
        return ON_TRACK, "reached", progress, elapsed, progress
    if goal.target_date is not None and as_of >= goal.target_date:
        p, reason = progress, "pace"
    elif projection is not None and percent_of_way(goal, projection.value) is not None:
        p, reason = percent_of_way(goal, projection.value) or Decimal(0), "projection"
    elif elapsed > 0:
        p, reason = progress / elapsed * HUNDRED, "pace"
    else:
        p, reason = (HUNDRED if progress >= 0 else Decimal(0)), "pace"
    assert p is not None
    if p >= ON_TRACK_FROM:
        status = ON_TRACK
    elif p >= AT_RISK_FROM:
        status = AT_RISK
    else:
        status = OFF_TRACK
    return status, reason, progress, elapsed, p


def history_days(first: date, last: date, step: int = 7) -> list[date]:
    """Days from ``last`` back to ``first`` every ``step`` days, oldest first."""
    days = []
    day = last
    while day >= first:
        days.append(day)
        day -= timedelta(days=step)
    return days[::-1]


def progress_from_figures(
    *,
    goal: Goal,
    metric: MetricDef,
    index: Mapping[str, MetricDef],
    figures: Figures,
    channels: frozenset[int] | None,
    window: str,
    as_of: date,
    history_from: date,
) -> Progress | None:
    """A KPI's progress from the daily figures, or ``None`` when there are none in scope on or
    before ``as_of``. The current window ends on the last day with a figure (imports lag)."""
    last = figures.last_day(metric, index, channels, as_of)
    if last is None:
        return None
    current = window_value(metric, index, figures, channels, window, last)
    if current.value is None:
        return None
    span = figures.span(metric, index, channels)
    values: dict[date, Decimal | None] = {}
    history: list[Point] = []
    for day in history_days(history_from, last):
        if span is not None and window_start(window, day) < span[0]:
            continue  # a window the figures only partly cover would understate a sum
        v = window_value(metric, index, figures, channels, window, day).value
        values[day] = v
        if v is not None:
            history.append(Point(day, v))
    linear = seasonal = None
    if goal.target_date is not None and last < goal.target_date:
        since = goal.baseline_date or add_years(last, -1)
        linear = linear_projection([p for p in history if p.day >= since], goal.target_date)
        year_ago = add_years(last, -1)
        if span is not None and span[0] <= window_start(window, year_ago):
            wanted = [year_ago]
            years = 1
            while add_years(goal.target_date, -years) > last:
                years += 1
            wanted.append(add_years(goal.target_date, -years))
            for day in wanted:
                if day not in values:
                    values[day] = window_value(metric, index, figures, channels, window, day).value
            seasonal = seasonal_projection(goal.target_date, last, current.value, values, year_ago)
    projection = seasonal or linear
    status, reason, pct, elapsed, p = judge(goal, as_of, current.value, projection, linear)
    return Progress(
        status=status,
        reason=reason,
        source="observations",
        as_of=as_of,
        current=current.value,
        current_day=last,
        last_updated=last,
        window=window,
        aggregate=current,
        percent_to_target=pct,
        time_elapsed_percent=elapsed,
        projected_percent=p,
        linear=linear,
        seasonal=seasonal,
        required_per_day=_required(goal, current.value, last),
        history=tuple(history),
        stale=last < window_start(window, as_of),
    )


def progress_from_values(
    *, goal: Goal, values: Sequence[Point], as_of: date, history_from: date
) -> Progress:
    """A KPI's progress from values entered by hand: the latest on or before ``as_of`` is the
    current value; the linear projection runs through those since the baseline date; no
    seasonal projection (manual values are too sparse for it)."""
    known = sorted((p for p in values if p.day <= as_of), key=lambda p: p.day)
    if not known:
        status, reason, *_rest = judge(goal, as_of, None, None)
        return Progress(status=status, reason=reason, source="none", as_of=as_of)
    latest = known[-1]
    linear = None
    if goal.target_date is not None and latest.day < goal.target_date:
        since = goal.baseline_date or add_years(latest.day, -1)
        linear = linear_projection([p for p in known if p.day >= since], goal.target_date)
    status, reason, pct, elapsed, p = judge(goal, as_of, latest.value, linear, linear)
    return Progress(
        status=status,
        reason=reason,
        source="manual",
        as_of=as_of,
        current=latest.value,
        current_day=latest.day,
        last_updated=latest.day,
        percent_to_target=pct,
        time_elapsed_percent=elapsed,
        projected_percent=p,
        linear=linear,
        required_per_day=_required(goal, latest.value, latest.day),
        history=tuple(p for p in known if p.day >= history_from),
    )


def _required(goal: Goal, current: Decimal, day: date) -> Decimal | None:
    if goal.direction == "band" or goal.target_value is None or goal.target_date is None:
        return None
    days = (goal.target_date - day).days
    if days <= 0:
        return None
    return (goal.target_value - current) / days

"""Three years of daily figures for the demo workspace (Nordvik Outdoor AB): pure Python, no
Django, deterministic — the same end date always gives the same numbers.

The figures are shaped like a real Nordic outdoor retailer's: a weekly cycle, a summer dip
(the Swedish July holiday), a busy November–December (Black Friday, Christmas), campaign
spikes (spring collection, the autumn mountain season), growth trends per platform and noise.

They agree with the demo's KPIs (``converge/strategy/demo.py``): the baseline year is the
calendar year that ends on the KPIs' baseline date (31 December of last year), and the figures
of that year add up to each KPI's baseline, read as ``KPI_SCOPES`` below says (which channels,
over what period). Since then:

* the social care desk opened on 1 February this year: response rate up, response time down;
* Instagram switched to shoppable catalogue posts on ``shoppable_switch(end)``: link clicks went
  up, but engagement per person reached fell by about half — the engagement rate by reach is
  clearly off track, and the cause is visible in Instagram's figures;
* LinkedIn case stories for B2B buyers started on 1 March this year: engagement rate by
  impressions and leads rise, more slowly than the targets ask;
* boot sizing videos on YouTube from 1 March this year: video views rise.

Ratio metrics (engagement rates, CTR, response rate, share of voice, net sentiment…) are never
stored: their numerator and denominator are, and a ratio is Σ numerator ÷ Σ denominator.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

YEARS = 3


@dataclass(frozen=True)
class KpiScope:
    """How a demo KPI's baseline is read from the daily figures of the baseline year."""

    metric: str
    platforms: tuple[str, ...] | None  # None: every channel (or no channel) of the workspace
    period: (
        str  # year: the year's total/ratio/mean | month: the year's total ÷ 12 | end: last value
    )


# metric → scope, for the demo KPIs whose metric is in the built-in catalogue.
KPI_SCOPES: dict[str, KpiScope] = {
    s.metric: s
    for s in (
        KpiScope("attributed_revenue", None, "year"),
        KpiScope("conversions", None, "year"),
        KpiScope("link_clicks", None, "year"),
        KpiScope("median_first_response_time", None, "year"),
        KpiScope("response_rate", None, "year"),
        KpiScope("net_sentiment", None, "year"),
        KpiScope("share_of_voice", None, "year"),
        KpiScope("leads", None, "year"),
        KpiScope("engagement_rate_impressions", ("linkedin",), "year"),
        KpiScope("video_views", ("youtube",), "year"),
        KpiScope("followers", None, "end"),
        KpiScope("engagement_rate_reach", None, "year"),
        KpiScope("amplification_rate", None, "year"),
        KpiScope("net_follower_growth", None, "month"),
    )
}

# The baselines of strategy/demo.py that the generator calibrates to.
BASELINES: dict[str, float] = {
    "attributed_revenue": 9_600_000,
    "conversions": 11_800,
    "link_clicks": 310_000,
    "median_first_response_time": 185,
    "response_rate": 71,
    "net_sentiment": 48,
    "share_of_voice": 14,
    "leads": 40,
    "engagement_rate_impressions": 2.1,
    "video_views": 40_000,
    "followers": 74_000,
    "engagement_rate_reach": 3.2,
    "amplification_rate": 0.6,
    "net_follower_growth": 1_900,
}


@dataclass(frozen=True)
class ChannelShape:
    platform: str
    reach: float  # people reached a day, mid baseline year, before calibration
    trend: float  # growth of reach per year
    core_rate: float  # likes + comments + saves per person reached (per impression on LinkedIn)
    shares: float  # shares per like-comment-save engagement, before calibration
    ctr: float  # link clicks per person reached (per impression on LinkedIn)
    frequency: float  # impressions per person reached
    posts_per_day: float
    weekly: tuple[float, ...]  # Monday … Sunday
    split: tuple[float, float, float]  # likes, comments, saves
    followers_end: int  # followers on the baseline date
    growth_baseline_year: int  # net follower growth in the baseline year
    growth_trend: float
    video_per_reach: float
    visits_per_reach: float


SHAPES: dict[str, ChannelShape] = {
    "instagram": ChannelShape(
        "instagram", 48_000, 1.12, 0.034, 0.05, 0.0055, 1.55, 1.0,
        (0.95, 1.0, 1.0, 1.02, 0.98, 1.02, 1.08), (0.84, 0.06, 0.10),
        29_700, 11_500, 1.1, 0.35, 0.02,
    ),
    "facebook": ChannelShape(
        "facebook", 31_000, 0.97, 0.014, 0.06, 0.012, 1.35, 0.8,
        (1.02, 1.03, 1.02, 1.0, 0.97, 0.96, 1.0), (0.90, 0.10, 0.0),
        20_000, 1_700, 0.9, 0.12, 0.01,
    ),
    "linkedin": ChannelShape(
        "linkedin", 2_500, 1.25, 0.020, 0.05, 0.009, 1.7, 0.5,
        (1.15, 1.2, 1.18, 1.12, 1.0, 0.6, 0.55), (0.88, 0.12, 0.0),
        8_200, 3_100, 1.2, 0.05, 0.012,
    ),
    "x": ChannelShape(
        "x", 6_000, 0.92, 0.009, 0.12, 0.006, 1.6, 2.2,
        (1.05, 1.08, 1.06, 1.04, 1.0, 0.85, 0.82), (0.85, 0.15, 0.0),
        3_900, -200, 1.0, 0.05, 0.01,
    ),
    "youtube": ChannelShape(
        "youtube", 900, 1.35, 0.035, 0.02, 0.003, 3.5, 0.14,
        (0.95, 0.95, 0.97, 1.0, 1.02, 1.06, 1.1), (0.90, 0.10, 0.0),
        1_200, 500, 1.3, 1.2, 0.03,
    ),
    "tiktok": ChannelShape(
        "tiktok", 14_500, 1.8, 0.045, 0.04, 0.0012, 1.25, 0.45,
        (0.95, 0.97, 0.98, 1.0, 1.03, 1.05, 1.07), (0.88, 0.07, 0.05),
        11_000, 6_200, 2.2, 1.3, 0.015,
    ),
}  # fmt: skip

PLATFORMS: tuple[str, ...] = tuple(SHAPES)
CARE_PLATFORMS = {"facebook": 55.0, "instagram": 40.0, "x": 10.0}  # inbound messages a day

# Month factors for social activity (summer dip, busy autumn and December) and for sales.
SOCIAL_MONTH = (0.92, 0.95, 1.02, 1.05, 1.05, 0.95, 0.74, 0.9, 1.06, 1.04, 1.12, 1.1)
SALES_MONTH = (0.7, 0.72, 0.9, 1.0, 1.05, 0.95, 0.7, 0.85, 1.05, 1.0, 1.45, 1.65)
WORKDAYS = (1.15, 1.15, 1.12, 1.1, 1.0, 0.3, 0.2)

Key = tuple[str | None, str]  # (platform or None for business figures, metric key)


@dataclass
class DemoData:
    start: date
    end: date
    days: list[date]
    series: dict[Key, list[Decimal]]

    @property
    def baseline_year(self) -> int:
        return self.end.year - 1

    def rows(self) -> Iterable[tuple[str | None, str, date, Decimal]]:
        for (platform, metric), values in self.series.items():
            for day, value in zip(self.days, values, strict=True):
                yield platform, metric, day, value


def window(end: date) -> tuple[date, date]:
    """Three years of days ending on ``end`` (inclusive)."""
    start = date(end.year - YEARS, end.month, end.day if (end.month, end.day) != (2, 29) else 28)
    return start + timedelta(days=1), end


def care_desk_opened(end: date) -> date:
    return date(end.year, 2, 1)


def b2b_stories_started(end: date) -> date:
    return date(end.year, 3, 1)


def shoppable_switch(end: date) -> date:
    """The day Instagram switched to shoppable catalogue posts: 7 April this year, or — early in
    the year — five months before the end, so the fall is always visible in the data."""
    planned = date(end.year, 4, 7)
    return planned if planned <= end - timedelta(days=60) else end - timedelta(days=150)


def _campaign(day: date) -> float:
    """Campaign spikes: spring collection, mountain season, Black Friday week, Christmas."""
    y = day.year
    november_end = date(y, 11, 30)
    black_friday = november_end - timedelta(days=(november_end.weekday() - 4) % 7)
    if abs((day - black_friday).days) <= 3:
        return 1.7
    if date(y, 3, 18) <= day <= date(y, 4, 7):
        return 1.3
    if date(y, 8, 20) <= day <= date(y, 9, 8):
        return 1.25
    if date(y, 12, 1) <= day <= date(y, 12, 18):
        return 1.2
    return 1.0


def _years_from(day: date, anchor: date) -> float:
    return (day - anchor).days / 365.25


def _ramp(day: date, start: date, days: int) -> float:
    """0 before ``start``, rising linearly to 1 over ``days``."""
    if day < start:
        return 0.0
    return min(1.0, (day - start).days / days)


def _cumulative_round(values: list[float], places: int = 0) -> list[Decimal]:
    """Round so that every running total is the rounded running total: sums stay exact."""
    scale = 10**places
    out: list[Decimal] = []
    running = 0.0
    emitted = 0
    for v in values:
        running += v * scale
        target = math.floor(running + 0.5)
        out.append(Decimal(target - emitted) / scale if places else Decimal(target - emitted))
        emitted = target
    return out


class _Noise:
    """One seeded stream per series, so adding a series never changes another's numbers."""

    def __init__(self, end: date) -> None:
        self.end = end

    def stream(self, *parts: str) -> random.Random:
        return random.Random(f"nordvik:{self.end.isoformat()}:{':'.join(parts)}")

    def lognormal(self, n: int, sigma: float, *parts: str) -> list[float]:
        rng = self.stream(*parts)
        # A little day-to-day persistence, as real figures have.
        out, prev = [], 0.0
        for _ in range(n):
            prev = 0.45 * prev + rng.gauss(0.0, sigma)
            out.append(math.exp(prev - sigma * sigma / 2))
        return out


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def generate(end: date) -> DemoData:
    start, end = window(end)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    n = len(days)
    base_year = end.year - 1
    in_base = [d.year == base_year for d in days]
    mid_base = date(base_year, 7, 1)
    noise = _Noise(end)
    switch = shoppable_switch(end)
    stories = b2b_stories_started(end)
    desk = care_desk_opened(end)
    raw: dict[Key, list[float]] = {}

    def base_sum(values: list[float]) -> float:
        return sum(v for v, b in zip(values, in_base, strict=True) if b)

    def scale(values: list[float], factor: float) -> list[float]:
        return [v * factor for v in values]

    # --- Channels: reach, engagement parts, clicks, posts ----------------------------------
    posts_total = 0.0
    for p, s in SHAPES.items():
        wiggle = noise.lognormal(n, 0.13, p, "reach")
        reach = [
            s.reach
            * s.trend ** _years_from(d, mid_base)
            * SOCIAL_MONTH[d.month - 1]
            * s.weekly[d.weekday()]
            * _campaign(d)
            * w
            for d, w in zip(days, wiggle, strict=True)
        ]
        rate_noise = noise.lognormal(n, 0.1, p, "rate")
        core_rate = []
        ctr = []
        for d, r in zip(days, rate_noise, strict=True):
            rate, click = s.core_rate, s.ctr
            if p == "instagram" and d >= switch:
                rate, click = rate * 0.45, click * 2.1
            if p == "linkedin":
                rate *= 1 + 0.9 * _ramp(d, stories, 240)
            if p == "tiktok":
                rate *= 1.04 ** _years_from(d, mid_base)
            core_rate.append(rate * r)
            ctr.append(click)
        exposure = reach if p != "linkedin" else [r * s.frequency for r in reach]
        core = [e * c for e, c in zip(exposure, core_rate, strict=True)]
        raw[(p, "likes")] = scale(core, s.split[0])
        raw[(p, "comments")] = scale(core, s.split[1])
        if s.split[2]:
            raw[(p, "saves")] = scale(core, s.split[2])
        raw[(p, "shares")] = [
            c * s.shares * 1.3 ** _years_from(d, mid_base) for c, d in zip(core, days, strict=True)
        ]
        raw[(p, "link_clicks")] = [e * c for e, c in zip(exposure, ctr, strict=True)]
        raw[(p, "reach")] = reach
        post_rng = noise.stream(p, "posts")
        posts = [
            float(_poisson(post_rng, s.posts_per_day * (s.weekly[d.weekday()] ** 3))) for d in days
        ]
        raw[(p, "posts")] = posts
        posts_total += base_sum(posts)

    # Calibrate: link clicks and shares over all channels.
    clicks_factor = BASELINES["link_clicks"] / sum(
        base_sum(raw[(p, "link_clicks")]) for p in SHAPES
    )
    share_goal = BASELINES["amplification_rate"] * posts_total
    shares_factor = share_goal / sum(base_sum(raw[(p, "shares")]) for p in SHAPES)
    out: dict[Key, list[Decimal]] = {}
    engagements: dict[str, list[Decimal]] = {}
    for p in SHAPES:
        parts = ["likes", "comments", "saves", "shares", "link_clicks"]
        factors = {"shares": shares_factor, "link_clicks": clicks_factor}
        total = [Decimal(0)] * n
        for part in parts:
            if (p, part) not in raw:
                continue
            rounded = _cumulative_round(scale(raw[(p, part)], factors.get(part, 1.0)))
            out[(p, part)] = rounded
            total = [a + b for a, b in zip(total, rounded, strict=True)]
        engagements[p] = total
        out[(p, "engagements")] = total
        out[(p, "posts")] = [Decimal(int(v)) for v in raw[(p, "posts")]]

    def dsum(values: list[Decimal]) -> float:
        return float(sum(v for v, b in zip(values, in_base, strict=True) if b))

    # LinkedIn: impressions so that engagements ÷ impressions is the baseline in the base year.
    li = SHAPES["linkedin"]
    li_impressions = [r * li.frequency for r in raw[("linkedin", "reach")]]
    li_goal = dsum(engagements["linkedin"]) / (BASELINES["engagement_rate_impressions"] / 100)
    li_impressions = scale(li_impressions, li_goal / base_sum(li_impressions))
    out[("linkedin", "impressions")] = _cumulative_round(li_impressions)
    out[("linkedin", "reach")] = _cumulative_round(scale(li_impressions, 1 / li.frequency))

    # Every other channel: reach so that Σ engagements ÷ Σ reach is the baseline.
    all_engagements = sum(dsum(v) for v in engagements.values())
    reach_goal = all_engagements / (BASELINES["engagement_rate_reach"] / 100)
    others = [p for p in SHAPES if p != "linkedin"]
    reach_factor = (reach_goal - dsum(out[("linkedin", "reach")])) / sum(
        base_sum(raw[(p, "reach")]) for p in others
    )
    for p in others:
        s = SHAPES[p]
        reach = scale(raw[(p, "reach")], reach_factor)
        out[(p, "reach")] = _cumulative_round(reach)
        freq = noise.lognormal(n, 0.05, p, "frequency")
        out[(p, "impressions")] = _cumulative_round(
            [r * s.frequency * f for r, f in zip(reach, freq, strict=True)]
        )
    # Video views, watch time, profile visits.
    for p, s in SHAPES.items():
        reach_f = [float(v) for v in out[(p, "reach")]]
        views = [r * s.video_per_reach for r in reach_f]
        if p == "youtube":
            sizing = [1 + 3.0 * _ramp(d, stories, 60) for d in days]
            views = [v * k for v, k in zip(views, sizing, strict=True)]
            views = scale(views, BASELINES["video_views"] / base_sum(views))
            out[(p, "watch_time_minutes")] = _cumulative_round(scale(views, 2.6))
        out[(p, "video_views")] = _cumulative_round(views)
        out[(p, "profile_visits")] = _cumulative_round([r * s.visits_per_reach for r in reach_f])

    # Followers: net growth per day, then followers as the running total through the baseline.
    for p, s in SHAPES.items():
        rng = noise.stream(p, "growth")
        mean = s.growth_baseline_year / 365
        spread = max(2.0, abs(mean) * 0.45)
        growth = []
        for d in days:
            m = mean * s.growth_trend ** _years_from(d, mid_base)
            if mean > 0:
                m *= SOCIAL_MONTH[d.month - 1] * _campaign(d)
            if p == "instagram" and d >= switch:
                m *= 0.8
            growth.append(m + rng.gauss(0.0, spread))
        shift = (s.growth_baseline_year - base_sum(growth)) / sum(in_base)
        growth = [g + shift for g in growth]
        rounded = _cumulative_round(growth)
        out[(p, "net_follower_growth")] = rounded
        base_index = max(i for i, b in enumerate(in_base) if b)
        followers: list[Decimal] = [Decimal(0)] * n
        followers[base_index] = Decimal(s.followers_end)
        for i in range(base_index + 1, n):
            followers[i] = followers[i - 1] + rounded[i]
        for i in range(base_index - 1, -1, -1):
            followers[i] = followers[i + 1] - rounded[i + 1]
        out[(p, "followers")] = followers

    # Customer care: inbound messages and responses per channel, a median response time.
    rr_raw: dict[str, list[float]] = {}
    for p, per_day in CARE_PLATFORMS.items():
        wiggle = noise.lognormal(n, 0.15, p, "inbound")
        inbound = [
            per_day
            * 1.08 ** _years_from(d, mid_base)
            * (1.8 if d.month in (11, 12) else 1.0)
            * (0.8 if d.weekday() >= 5 else 1.05)
            * w
            for d, w in zip(days, wiggle, strict=True)
        ]
        out[(p, "inbound_messages")] = _cumulative_round(inbound)
        rng = noise.stream(p, "responses")
        rr_raw[p] = [
            (0.7 + 0.18 * _ramp(d, desk, 75)) * (0.92 if d.month in (11, 12) else 1.0)
            + rng.gauss(0.0, 0.03)
            for d in days
        ]
    inbound_base = sum(dsum(out[(p, "inbound_messages")]) for p in CARE_PLATFORMS)
    k = 1.0
    for _ in range(4):
        responded = 0.0
        responses: dict[str, list[Decimal]] = {}
        for p in CARE_PLATFORMS:
            got = []
            for inb, r in zip(out[(p, "inbound_messages")], rr_raw[p], strict=True):
                got.append(min(inb, Decimal(round(float(inb) * min(0.99, r * k)))))
            responses[p] = got
            responded += dsum(got)
        k *= (BASELINES["response_rate"] / 100) * inbound_base / responded
    for p in CARE_PLATFORMS:
        out[(p, "responses")] = responses[p]

    rng = noise.stream("care", "time")
    minutes = [
        (1 - 0.62 * _ramp(d, desk, 75))
        * (1.25 if d.month in (11, 12) else 1.0)
        * (1.6 if d.weekday() >= 5 else 0.88)
        * math.exp(rng.gauss(0.0, 0.12))
        for d in days
    ]
    minutes = scale(
        minutes, BASELINES["median_first_response_time"] * sum(in_base) / base_sum(minutes)
    )
    out[(None, "median_first_response_time")] = [
        Decimal(str(round(m, 1))).quantize(Decimal("0.1")) for m in minutes
    ]

    # Listening: mentions of Nordvik and of competitors, with sentiment.
    wiggle = noise.lognormal(n, 0.2, "mentions")
    mentions = [
        85 * 1.1 ** _years_from(d, mid_base) * SOCIAL_MONTH[d.month - 1] * _campaign(d) * w
        for d, w in zip(days, wiggle, strict=True)
    ]
    out[(None, "mentions")] = _cumulative_round(mentions)
    rival_wiggle = noise.lognormal(n, 0.15, "rivals")
    rivals = [520 * SOCIAL_MONTH[d.month - 1] * w for d, w in zip(days, rival_wiggle, strict=True)]
    sov = BASELINES["share_of_voice"] / 100
    rivals = scale(rivals, dsum(out[(None, "mentions")]) * (1 - sov) / sov / base_sum(rivals))
    out[(None, "competitor_mentions")] = _cumulative_round(rivals)
    out[(None, "all_mentions")] = [
        a + b
        for a, b in zip(out[(None, "mentions")], out[(None, "competitor_mentions")], strict=True)
    ]
    rng = noise.stream("sentiment")
    bearing = [
        Decimal(round(float(m) * min(0.9, max(0.3, 0.6 + rng.gauss(0.0, 0.05)))))
        for m in out[(None, "mentions")]
    ]
    lean = [
        0.74 + 0.055 * _ramp(d, desk, 120) + rng.gauss(0.0, 0.04) for d in days
    ]  # share positive
    shift = 0.0
    for _ in range(5):
        positive = [
            min(b, Decimal(round(float(b) * min(1.0, max(0.0, p_ + shift)))))
            for b, p_ in zip(bearing, lean, strict=True)
        ]
        pos, tot = dsum(positive), dsum(bearing)
        net = (2 * pos - tot) / tot * 100
        shift += (BASELINES["net_sentiment"] - net) / 200
    negative = [b - q for b, q in zip(bearing, positive, strict=True)]
    out[(None, "positive_mentions")] = positive
    out[(None, "negative_mentions")] = negative
    out[(None, "sentiment_balance")] = [q - m for q, m in zip(positive, negative, strict=True)]
    out[(None, "sentiment_total")] = bearing

    # Business figures from the web shop, the CRM and the ledger.
    wiggle = noise.lognormal(n, 0.14, "conversions")
    conversions = [
        1.65 ** _years_from(d, mid_base)
        * SALES_MONTH[d.month - 1]
        * (1.1 if d.weekday() in (0, 6) else 0.97)
        * _campaign(d) ** 1.4
        * w
        for d, w in zip(days, wiggle, strict=True)
    ]
    conversions = scale(conversions, BASELINES["conversions"] / base_sum(conversions))
    out[(None, "conversions")] = _cumulative_round(conversions)
    rng = noise.stream("basket")
    revenue = [
        float(c) * 810 * 1.045 ** _years_from(d, mid_base) * math.exp(rng.gauss(0.0, 0.08))
        for c, d in zip(out[(None, "conversions")], days, strict=True)
    ]
    revenue = scale(revenue, BASELINES["attributed_revenue"] / base_sum(revenue))
    out[(None, "attributed_revenue")] = _cumulative_round(revenue)
    wiggle = noise.lognormal(n, 0.1, "spend")
    spend = [
        7200
        * 1.2 ** _years_from(d, mid_base)
        * (_campaign(d) ** 2.2)
        * SOCIAL_MONTH[d.month - 1]
        * w
        for d, w in zip(days, wiggle, strict=True)
    ]
    out[(None, "spend")] = _cumulative_round(spend)
    out[(None, "leads")] = _sparse(
        days,
        [
            WORKDAYS[d.weekday()] * (1 + 4.5 * _ramp(d, stories, 120)) * SALES_MONTH[d.month - 1]
            for d in days
        ],
        base_year,
        BASELINES["leads"],
        noise.stream("leads"),
    )
    return DemoData(start=start, end=end, days=days, series=dict(sorted(out.items(), key=_order)))


def _order(item: tuple[Key, list[Decimal]]) -> tuple[str, str]:
    (platform, metric), _values = item
    return (platform or "", metric)


def _sparse(
    days: list[date],
    intensity: list[float],
    base_year: int,
    base_total: float,
    rng: random.Random,
) -> list[Decimal]:
    """Whole events (leads) spread over the days by intensity, the baseline year's total exact."""
    in_base = [d.year == base_year for d in days]
    factor = base_total / sum(v for v, b in zip(intensity, in_base, strict=True) if b)
    intensity = [v * factor for v in intensity]
    counts = [0] * len(days)
    for year in sorted({d.year for d in days}):
        idx = [i for i, d in enumerate(days) if d.year == year]
        events = round(sum(intensity[i] for i in idx))
        for i in rng.choices(idx, weights=[intensity[i] for i in idx], k=events):
            counts[i] += 1
    return [Decimal(c) for c in counts]


def aggregate(
    data: DemoData, metric: str, platforms: tuple[str, ...] | None, period: Callable[[date], bool]
) -> float:
    """Σ of a stored metric over the days where ``period`` holds, for the given platforms."""
    total = 0.0
    for (platform, key), values in data.series.items():
        if key != metric or (platforms is not None and platform not in platforms):
            continue
        total += float(sum(v for d, v in zip(data.days, values, strict=True) if period(d)))
    return total

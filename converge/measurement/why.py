"""Why did a metric change between two periods? Pure Python, no Django.

The change of a metric from a comparison period (``before``) to the current one (``after``) is
split by channel so that the parts add up *exactly* to the change.

Sums (aggregation ``sum``) and last values (``last``) are additive: a channel's part is its
own change, Δ_c = after_c − before_c, and Σ_c Δ_c = Δ.

Ratios (``ratio``: scale × Σ numerator ÷ Σ denominator; and ``mean``, which is Σ values ÷ Σ
days) are a weighted mean of the channels' own rates: R = Σ_c w_c × r_c, with the channel's
weight w_c = d_c ÷ D (its share of the denominator) and its rate r_c = scale × n_c ÷ d_c. The
change is split with the symmetric (midpoint) decomposition

    rate effect_c = (r1_c − r0_c) × (w0_c + w1_c) ÷ 2
    mix effect_c  = (w1_c − w0_c) × ((r0_c + r1_c) ÷ 2 − (R0 + R1) ÷ 2)

which is exact: (r1 − r0)(w0 + w1)/2 + (w1 − w0)(r0 + r1)/2 = w1 r1 − w0 r0 for every channel,
and the term (w1 − w0)(R0 + R1)/2 sums to zero over the channels because the weights of each
period add up to one. Subtracting the mean rate only makes each channel's mix effect readable:
a channel gaining weight lifts the total when its rate is above the average, lowers it when
below. A channel with no denominator in one period takes its other period's rate there (its
weight is zero, so that choice changes nothing but puts its whole part into the mix); a
numerator without any denominator (no base in either period) is all rate effect.

The arithmetic is exact (``Fraction`` made from the ``Decimal`` inputs); results come back as
``Decimal`` rounded to ``PLACES`` with cumulative rounding, so that the rounded parts still add
up exactly to the rounded after − the rounded before.

The plain-words explanation takes its translations and number formats from a ``Words``
(Django's gettext and formats in the app, plain English in tests of the maths)."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Generic, TypeVar

from converge.measurement.catalogue import MetricDef

PLACES = 6  # decimal places of the rounded results of ratio metrics
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Parts:
    """A channel's totals over one period: the value (sums, last values) or the numerator
    (ratios; for means Σ of the daily values), and the denominator (ratios; for means the
    number of days)."""

    numerator: Decimal
    denominator: Decimal | None = None


def additive(metric: MetricDef) -> bool:
    return metric.aggregation in ("sum", "last")


def scale_of(metric: MetricDef) -> int:
    return metric.scale if metric.aggregation == "ratio" else 1


def _exact(value: Decimal | None) -> Fraction:
    return Fraction(value) if value is not None else Fraction(0)


def _round(value: Fraction, places: int = PLACES) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        quantum, rounding=ROUND_HALF_EVEN
    )


def period_total(metric: MetricDef, parts: Iterable[Parts]) -> Fraction | None:
    """The metric's value over a period from the channels' parts, exactly; ``None`` when a
    rate has no base (no denominator) or there are no figures at all."""
    rows = list(parts)
    if not rows:
        return None
    numerator = sum((_exact(p.numerator) for p in rows), Fraction(0))
    if additive(metric):
        return numerator
    denominator = sum((_exact(p.denominator) for p in rows), Fraction(0))
    if denominator == 0:
        return None
    return scale_of(metric) * numerator / denominator


def value_of(metric: MetricDef, parts: Iterable[Parts], places: int = PLACES) -> Decimal | None:
    """The figure a page shows for a period: exact for sums and last values, rounded to
    ``places`` for ratios and means (the same rounding as ``decompose``)."""
    rows = list(parts)
    if additive(metric):
        return sum((p.numerator for p in rows), Decimal(0)) if rows else None
    total = period_total(metric, rows)
    return _round(total, places) if total is not None else None


@dataclass(frozen=True)
class ChannelChange(Generic[K]):
    """One channel's part of the change. ``before``/``after`` are its own value (sums) or its
    own rate (ratios); ``weight_*`` its share of the denominator (ratios, in percent)."""

    channel: K
    before: Decimal | None
    after: Decimal | None
    rate_effect: Decimal  # sums: the whole change of the channel
    mix_effect: Decimal  # sums: always 0
    weight_before: Decimal | None = None
    weight_after: Decimal | None = None
    share: Decimal | None = None  # percent of the total change (None when the total is 0)

    @property
    def effect(self) -> Decimal:
        return self.rate_effect + self.mix_effect


@dataclass(frozen=True)
class Why(Generic[K]):
    metric: MetricDef
    before: Decimal | None
    after: Decimal | None
    channels: list[ChannelChange[K]] = field(default_factory=list)

    @property
    def comparable(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def change(self) -> Decimal | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def additive(self) -> bool:
        return additive(self.metric)

    def lead(self) -> ChannelChange[K] | None:
        """The channel whose part went furthest in the direction of the change."""
        change = self.change
        if not change:
            return None
        sign = 1 if change > 0 else -1
        best = max(self.channels, key=lambda c: sign * c.effect, default=None)
        return best if best is not None and sign * best.effect > 0 else None


def _share(part: Fraction, whole: Fraction) -> Decimal | None:
    return _round(100 * part / whole, 1) if whole else None


def decompose(
    metric: MetricDef,
    before: Mapping[K, Parts],
    after: Mapping[K, Parts],
    *,
    places: int = PLACES,
) -> Why[K]:
    """The change of ``metric`` from ``before`` to ``after`` split by channel (see the module
    docstring). Channels are ordered by the size of their part, largest first."""
    r0 = period_total(metric, before.values())
    r1 = period_total(metric, after.values())
    keys = list(dict.fromkeys([*before, *after]))
    if r0 is None or r1 is None:
        return Why(
            metric,
            _round(r0, places) if r0 is not None else None,
            _round(r1, places) if r1 is not None else None,
        )
    empty = Parts(Decimal(0), Decimal(0))
    if additive(metric):
        # Sums of decimals are exact in Decimal: no rounding at all.
        rows: list[ChannelChange[K]] = []
        for key in keys:
            b = before.get(key, empty).numerator
            a = after.get(key, empty).numerator
            rows.append(
                ChannelChange(
                    channel=key,
                    before=b if key in before else None,
                    after=a if key in after else None,
                    rate_effect=a - b,
                    mix_effect=Decimal(0),
                    share=_share(Fraction(a - b), r1 - r0),
                )
            )
        rows.sort(key=lambda c: (-abs(c.effect), str(c.channel)))
        total_before = sum((p.numerator for p in before.values()), Decimal(0))
        total_after = sum((p.numerator for p in after.values()), Decimal(0))
        return Why(metric, total_before, total_after, rows)

    scale = scale_of(metric)
    d0 = sum((_exact(p.denominator) for p in before.values()), Fraction(0))
    d1 = sum((_exact(p.denominator) for p in after.values()), Fraction(0))
    mean_total = (r0 + r1) / 2
    exact: list[tuple[K, Fraction | None, Fraction | None, Fraction, Fraction, Fraction, Fraction]]
    exact = []
    for key in keys:
        p0, p1 = before.get(key, empty), after.get(key, empty)
        n0, n1 = _exact(p0.numerator), _exact(p1.numerator)
        b0, b1 = _exact(p0.denominator), _exact(p1.denominator)
        w0, w1 = b0 / d0, b1 / d1
        rate0 = scale * n0 / b0 if b0 else None
        rate1 = scale * n1 / b1 if b1 else None
        if rate0 is None and rate1 is None:
            # A numerator without a base: its share of the total, all of it a rate effect.
            rate_part, mix_part = scale * n1 / d1 - scale * n0 / d0, Fraction(0)
        else:
            x0 = rate0 if rate0 is not None else rate1
            x1 = rate1 if rate1 is not None else rate0
            assert x0 is not None and x1 is not None
            contribution0 = scale * n0 / d0
            contribution1 = scale * n1 / d1
            rate_part = (x1 - x0) * (w0 + w1) / 2
            mix_part = (w1 - w0) * ((x0 + x1) / 2 - mean_total)
            # A base-less numerator in one period still counts in that period's total.
            rate_part += (contribution1 - w1 * x1) - (contribution0 - w0 * x0)
        exact.append((key, rate0, rate1, w0, w1, rate_part, mix_part))
    # Cumulative rounding: every part is the change of a rounded running total, so the
    # rounded parts add up to round(R1) − round(R0) exactly.
    running, emitted = r0, _round(r0, places)
    rounded: dict[tuple[int, int], Decimal] = {}
    for i, row in enumerate(exact):
        for j, part in ((0, row[5]), (1, row[6])):
            running += part
            target = _round(running, places)
            rounded[(i, j)] = target - emitted
            emitted = target
    assert running == r1, "the parts of a ratio's change must add up to the change"
    total = r1 - r0
    ratio_rows = [
        ChannelChange(
            channel=key,
            before=_round(rate0, places) if rate0 is not None else None,
            after=_round(rate1, places) if rate1 is not None else None,
            rate_effect=rounded[(i, 0)],
            mix_effect=rounded[(i, 1)],
            weight_before=_round(100 * w0, 2) if key in before else None,
            weight_after=_round(100 * w1, 2) if key in after else None,
            share=_share(rate_part + mix_part, total),
        )
        for i, (key, rate0, rate1, w0, w1, rate_part, mix_part) in enumerate(exact)
    ]
    ratio_rows.sort(key=lambda c: (-abs(c.effect), str(c.channel)))
    return Why(metric, _round(r0, places), _round(r1, places), ratio_rows)


# --- Posts and campaigns -----------------------------------------------------------------


@dataclass(frozen=True)
class PostFigure:
    """A post published in the current period with the metric it carries (for a ratio: the
    numerator, and the denominator where the post has it)."""

    ident: str
    channel: str
    text: str
    campaign: str
    value: Decimal
    base: Decimal | None = None


@dataclass(frozen=True)
class Contributor:
    label: str
    channel: str
    value: Decimal
    share_of_posts: Decimal | None  # percent of what all the period's posts carry
    share_of_change: Decimal | None  # percent of the change, where the change went their way
    rate: Decimal | None = None  # ratios: the post's own rate, where it has the denominator
    count: int = 1  # campaigns: how many posts


def _post_rate(metric: MetricDef, value: Decimal, base: Decimal | None) -> Decimal | None:
    if metric.aggregation != "ratio" or not base:
        return None
    return _round(scale_of(metric) * Fraction(value) / Fraction(base), 2)


def _change_share(value: Decimal, change: Decimal | None, metric: MetricDef) -> Decimal | None:
    """A post can only add to a sum, so it explains a rise; its share of a fall is not told."""
    if not additive(metric) or not change or change < 0:
        return None
    return _share(Fraction(value), Fraction(change))


def top_posts(
    metric: MetricDef,
    posts: Sequence[PostFigure],
    posts_total: Decimal,
    change: Decimal | None,
) -> list[Contributor]:
    """The given posts (already the top ones, largest first) as contributors."""
    return [
        Contributor(
            label=p.text,
            channel=p.channel,
            value=p.value,
            share_of_posts=_share(Fraction(p.value), Fraction(posts_total)),
            share_of_change=_change_share(p.value, change, metric),
            rate=_post_rate(metric, p.value, p.base),
        )
        for p in posts
    ]


@dataclass(frozen=True)
class CampaignFigure:
    campaign: str
    posts: int
    value: Decimal
    base: Decimal | None = None


def top_campaigns(
    metric: MetricDef,
    campaigns: Sequence[CampaignFigure],
    posts_total: Decimal,
    change: Decimal | None,
) -> list[Contributor]:
    return [
        Contributor(
            label=c.campaign,
            channel="",
            value=c.value,
            share_of_posts=_share(Fraction(c.value), Fraction(posts_total)),
            share_of_change=_change_share(c.value, change, metric),
            rate=_post_rate(metric, c.value, c.base),
            count=c.posts,
        )
        for c in campaigns
    ]


# --- Plain words ---------------------------------------------------------------------------


def _plain_number(value: Decimal, places: int) -> str:
    return f"{value:,.{places}f}"


def _identity(text: str) -> str:
    return text


def _plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


@dataclass(frozen=True)
class Words:
    """Translations and number formats for the explanation: the app passes Django's."""

    gettext: Callable[[str], str] = _identity
    ngettext: Callable[[str, str, int], str] = _plural
    number: Callable[[Decimal, int], str] = _plain_number
    percent_sign: str = "%"


def places_for(metric: MetricDef, value: Decimal | None = None) -> int:
    if metric.aggregation in ("ratio", "mean") or metric.unit == "money":
        return 2
    if value is not None and value != value.to_integral_value():
        return 2
    return 0


def format_value(metric: MetricDef, value: Decimal | None, words: Words) -> str:
    if value is None:
        return "—"
    text = words.number(value, places_for(metric, value))
    if metric.unit == "percent":
        return text + words.percent_sign
    return text


def format_change(metric: MetricDef, change: Decimal, words: Words) -> str:
    """The size of a change, without its sign: "0.80 points" for a percentage."""
    text = words.number(abs(change), places_for(metric, change))
    if metric.unit == "percent" and metric.aggregation == "ratio":
        return words.gettext("%(number)s points") % {"number": text}
    return text


def format_share(share: Decimal, words: Words) -> str:
    return words.number(share, 0) + words.percent_sign


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return "“" + (text if len(text) <= limit else text[: limit - 1].rstrip() + "…") + "”"


def explain(
    why: Why[K],
    *,
    name: str,
    channel_names: Mapping[K, str],
    words: Words,
    base_name: str = "",
    posts: Sequence[Contributor] = (),
    posts_name: str = "",
) -> str:
    """The change in plain words: how much, which channel most and how, and which posts.
    ``name`` is the metric's name, ``base_name`` the denominator's (ratios), ``posts_name``
    what the posts were ranked by."""
    _ = words.gettext
    metric = why.metric
    change = why.change
    if change is None:
        return _("There are not enough figures for %(metric)s in both periods to compare them.") % {
            "metric": _lower_first(name)
        }
    values = {
        "metric": name,
        "before": format_value(metric, why.before, words),
        "after": format_value(metric, why.after, words),
        "change": format_change(metric, change, words),
    }
    if change == 0:
        return _("%(metric)s did not change: %(after)s in both periods.") % values
    rose = change > 0
    parts = [
        (
            _("%(metric)s rose by %(change)s, from %(before)s to %(after)s.")
            if rose
            else _("%(metric)s fell by %(change)s, from %(before)s to %(after)s.")
        )
        % values
    ]
    lead = why.lead()
    if lead is not None and lead.share is not None and len(why.channels) > 1:
        detail = {
            "share": format_share(lead.share, words),
            "channel": channel_names.get(lead.channel, str(lead.channel)),
            "part": format_change(metric, lead.effect, words),
        }
        if why.additive:
            sentence = (
                _("%(share)s of the rise came from %(channel)s (%(part)s).")
                if rose
                else _("%(share)s of the fall came from %(channel)s (%(part)s).")
            )
            parts.append(sentence % detail)
        elif abs(lead.rate_effect) >= abs(lead.mix_effect):
            detail["before"] = format_value(metric, lead.before, words)
            detail["after"] = format_value(metric, lead.after, words)
            sentence = (
                _(
                    "%(share)s of the rise came from %(channel)s, where the rate itself "
                    "went from %(before)s to %(after)s."
                )
                if rose
                else _(
                    "%(share)s of the fall came from %(channel)s, where the rate itself "
                    "went from %(before)s to %(after)s."
                )
            )
            parts.append(sentence % detail)
        else:
            detail["base"] = _lower_first(base_name)
            detail["before"] = (
                words.number(lead.weight_before or Decimal(0), 0) + words.percent_sign
            )
            detail["after"] = words.number(lead.weight_after or Decimal(0), 0) + words.percent_sign
            sentence = (
                _(
                    "%(share)s of the rise came from %(channel)s, whose share of the %(base)s "
                    "went from %(before)s to %(after)s."
                )
                if rose
                else _(
                    "%(share)s of the fall came from %(channel)s, whose share of the %(base)s "
                    "went from %(before)s to %(after)s."
                )
            )
            parts.append(sentence % detail)
        if lead.share > 100:
            parts.append(_("The other channels together moved the other way."))
    if posts:
        listed = [
            _("%(post)s on %(channel)s (%(value)s)")
            % {
                "post": _quote(p.label) if p.label else _("a post without text"),
                "channel": p.channel,
                "value": words.number(p.value, 0 if p.value == p.value.to_integral_value() else 2),
            }
            for p in posts
        ]
        parts.append(
            words.ngettext(
                "The post of the period with the most %(what)s: %(posts)s.",
                "The %(count)d posts of the period with the most %(what)s: %(posts)s.",
                len(posts),
            )
            % {"count": len(posts), "what": _lower_first(posts_name), "posts": "; ".join(listed)}
        )
    return " ".join(parts)

"""The metric explorer as plain data: a metric's value over a period and the one before, per
channel, its daily series as a Vega-Lite spec, the "why" of the change in numbers and words,
the posts and campaigns that carried most, and the drill-down to the rows behind a figure with
the formula used. The pages, the downloads and the API all build on this."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from converge.core import exports
from converge.core.models import Workspace
from converge.measurement import charts, selectors
from converge.measurement.catalogue import MetricDef
from converge.measurement.models import Annotation, Observation
from converge.measurement.selectors import ANY_CHANNEL, ChannelRef, Period
from converge.measurement.why import (
    ChannelChange,
    Contributor,
    Parts,
    Why,
    Words,
    decompose,
    explain,
    top_campaigns,
    top_posts,
    value_of,
)

SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def _number(value: Decimal, places: int) -> str:
    """Rounded (half to even, as ``why`` rounds), not cut off as Django's format would; with
    the language's separators, exactly as ``formats.number_format`` writes them."""
    rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    table = _separators()
    if table is None:
        return formats.number_format(rounded, places, use_l10n=True, force_grouping=True)
    # A table of a hundred figures formats each number a few times: Python's own grouping,
    # then the language's separators, is ten times quicker than number_format.
    return f"{rounded if rounded else rounded.copy_abs():,f}".translate(table)  # no "-0"


_SEPARATOR_TABLES: dict[str, dict[int, str] | None] = {}


def _separators() -> dict[int, str] | None:
    """The active language's decimal and thousands separators as a ``str.translate`` table,
    or None when it groups digits other than by threes (then Django formats)."""
    language = translation.get_language() or ""
    if language not in _SEPARATOR_TABLES:
        grouping = formats.get_format("NUMBER_GROUPING", use_l10n=True)
        _SEPARATOR_TABLES[language] = (
            {
                ord(","): formats.get_format("THOUSAND_SEPARATOR", use_l10n=True),
                ord("."): formats.get_format("DECIMAL_SEPARATOR", use_l10n=True),
            }
            if grouping == 3
            else None
        )
    return _SEPARATOR_TABLES[language]


_WORDS: dict[bool, Words] = {}


def words() -> Words:
    """Django's translations and number formats in the active language."""
    swedish = (translation.get_language() or "en").startswith("sv")
    if swedish not in _WORDS:
        _WORDS[swedish] = Words(
            gettext=_,
            ngettext=ngettext,
            number=_number,
            percent_sign="\u00a0%" if swedish else "%",
        )
    return _WORDS[swedish]


def metric_name(metric: MetricDef) -> str:
    swedish = (translation.get_language() or "en").startswith("sv")
    return metric.name_sv if swedish else metric.name_en


def formula(
    metric: MetricDef, period: Period, channels: list[str], vs: Period | None = None
) -> str:
    """How a figure is computed, in words and symbols: "Σ link_clicks ÷ Σ impressions × 100
    over 2026-10-01…2026-10-31; channels: …"."""
    if metric.aggregation == "ratio":
        body = f"Σ {metric.numerator} ÷ Σ {metric.denominator}"
        if metric.scale != 1:
            body += f" × {metric.scale}"
    elif metric.aggregation == "mean":
        body = _("Σ %(metric)s ÷ the number of days with a figure") % {"metric": metric.key}
    elif metric.aggregation == "last":
        body = _("the sum over the channels of each channel's last figure of %(metric)s") % {
            "metric": metric.key
        }
    else:
        body = f"Σ {metric.key}"
    listed = ", ".join(channels) if channels else _("none with figures")
    if vs is not None:
        return _(
            "%(formula)s over %(period)s minus the same over %(vs)s; channels: %(channels)s."
        ) % {
            "formula": body,
            "period": period,
            "vs": vs,
            "channels": listed,
        }
    return _("%(formula)s over %(period)s; channels: %(channels)s.") % {
        "formula": body,
        "period": period,
        "channels": listed,
    }


@dataclass(frozen=True)
class ChannelRow:
    ref: ChannelRef
    before: Decimal | None  # the channel's own value (sums) or rate (ratios) before
    after: Decimal | None
    change: ChannelChange[int | None] | None  # its part of the change


@dataclass
class Explorer:
    metric: MetricDef
    name: str
    current: Period
    previous: Period
    before: Decimal | None
    after: Decimal | None
    why: Why[int | None]
    channels: list[ChannelRow]
    explanation: str
    posts: list[tuple[Any, Contributor]]  # (Post, its contribution)
    campaigns: list[Contributor]
    posts_key: str
    posts_total: Decimal
    post_count: int
    spec: dict[str, Any]

    @property
    def change(self) -> Decimal | None:
        return self.why.change

    def labels(self) -> list[str]:
        return [row.ref.label for row in self.channels]


def build(
    workspace: Workspace,
    metric: MetricDef,
    current: Period,
    previous: Period,
    index: dict[str, MetricDef] | None = None,
    channels: selectors.Channels = None,
    *,
    detail: bool = True,
) -> Explorer:
    """Everything the explorer shows: five queries whatever the number of channels (the
    comparison, the daily series, and the posts' total, top posts and campaigns) — over every
    channel, or over the chosen ``channels`` (a KPI's). Without ``detail``, only the
    comparison and its split by channel (one query): no posts, campaigns or daily series."""
    index = index if index is not None else selectors.metric_index(workspace)
    found = selectors.metric_comparison(workspace, metric, current, previous, channels)
    why = decompose(metric, found.previous, found.current)
    changes = {c.channel: c for c in why.channels}
    rows = [
        ChannelRow(
            ref=ref,
            before=value_of(metric, [found.previous[key]]) if key in found.previous else None,
            after=value_of(metric, [found.current[key]]) if key in found.current else None,
            change=changes.get(key),
        )
        for key, ref in found.channels.items()
    ]
    rows.sort(key=lambda r: (r.ref.id is None, r.ref.platform, r.ref.handle))
    name = metric_name(metric)
    posts = (
        selectors.metric_posts(workspace, metric, current, channels=channels) if detail else None
    )
    said_posts: list[tuple[Any, Contributor]] = []
    campaigns: list[Contributor] = []
    posts_key = ""
    if posts is not None:
        posts_key = posts.key
        contributors = top_posts(metric, [f for _p, f in posts.posts], posts.total, why.change)
        said_posts = [(p, c) for (p, _f), c in zip(posts.posts, contributors, strict=True)]
        campaigns = top_campaigns(metric, posts.campaigns, posts.total, why.change)
    key_metric = index.get(posts_key)
    base = index.get(metric.denominator or "")
    explanation = explain(
        why,
        name=name,
        channel_names={key: ref.label for key, ref in found.channels.items()},
        words=words(),
        base_name=metric_name(base) if base else (metric.denominator or ""),
        posts=[c for _p, c in said_posts[:3]],
        posts_name=metric_name(key_metric) if key_metric else posts_key,
    )
    return Explorer(
        metric=metric,
        name=name,
        current=current,
        previous=previous,
        before=value_of(metric, found.previous.values()),
        after=value_of(metric, found.current.values()),
        why=why,
        channels=rows,
        explanation=explanation,
        posts=said_posts,
        campaigns=campaigns,
        posts_key=posts_key,
        posts_total=posts.total if posts else Decimal(0),
        post_count=posts.count if posts else 0,
        spec=daily_spec(
            metric,
            name,
            selectors.metric_daily(workspace, metric, current, channels),
            list(selectors.annotations_in(workspace, current.start, current.end)),
        )
        if detail
        else {},
    )


def daily_spec(
    metric: MetricDef,
    name: str,
    series: list[tuple[Any, ChannelRef, Decimal | None]],
    annotations: Sequence[Annotation] = (),
) -> dict[str, Any]:
    """The metric day by day, one line per channel, with the period's annotations."""
    line = {
        "data": {
            "values": [
                {"day": day.isoformat(), "channel": ref.label, "value": float(value)}
                for day, ref, value in series
                if value is not None
            ]
        },
        "mark": {"type": "line", "point": {"size": 18}, "tooltip": True},
        "encoding": {
            "x": {
                "field": "day",
                "type": "temporal",
                "timeUnit": "yearmonthdate",
                "title": _("Day"),
                "axis": {"format": "%Y-%m-%d"},
            },
            "y": {
                "field": "value",
                "type": "quantitative",
                "title": name + (" (%)" if metric.unit == "percent" else ""),
            },
            "color": {
                "field": "channel",
                "type": "nominal",
                "title": _("Channel"),
                "legend": {"orient": "bottom", "columns": 3, "labelLimit": 260},
            },
            "tooltip": [
                {"field": "day", "type": "temporal", "title": _("Day")},
                {"field": "channel", "type": "nominal", "title": _("Channel")},
                {"field": "value", "type": "quantitative", "title": name, "format": ",.2f"},
            ],
        },
    }
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 240,
        "layer": [*charts.annotation_layers(annotations), line],
        "resolve": {"scale": {"color": "independent"}},
    }


# --- Drill-down --------------------------------------------------------------------------


@dataclass
class Drill:
    """The rows behind one figure, their totals per stored metric, and the figure they make."""

    metric: MetricDef
    period: Period
    rows: QuerySet[Observation]
    totals: dict[str, tuple[Decimal, int]]
    figure: Decimal | None
    formula: str
    channels: list[str]


def parts_of(metric: MetricDef, totals: dict[str, tuple[Decimal, int]]) -> Parts | None:
    """The totals of a drill-down's rows as the parts of one figure."""
    components = selectors.metric_components(metric)
    if not any(k in totals for k in components):
        return None
    if metric.aggregation == "ratio":
        return Parts(
            totals.get(components[0], (Decimal(0), 0))[0],
            totals.get(components[-1], (Decimal(0), 0))[0],
        )
    total, count = totals[metric.key]
    if metric.aggregation == "mean":
        return Parts(total, Decimal(count))
    return Parts(total)


def drill(
    workspace: Workspace,
    metric: MetricDef,
    period: Period,
    channel: int | None | Any = ANY_CHANNEL,
) -> Drill:
    rows = selectors.metric_rows(workspace, metric, period, channel)
    totals = selectors.metric_row_totals(rows)
    parts = parts_of(metric, totals)
    labels = selectors.channel_labels(rows)
    return Drill(
        metric=metric,
        period=period,
        rows=rows,
        totals=totals,
        figure=value_of(metric, [parts]) if parts is not None else None,
        formula=formula(metric, period, labels),
        channels=labels,
    )


@dataclass(frozen=True)
class ChannelPart:
    """One channel's part of a ratio's change, with what it is computed from."""

    change: ChannelChange[int | None]
    before: Decimal | None  # the rate over every channel
    after: Decimal | None
    formula: str


def channel_part(
    workspace: Workspace, metric: MetricDef, current: Period, previous: Period, channel: int | None
) -> ChannelPart | None:
    """The rate and mix effects of one channel, as the explorer's "why" table shows them (one
    query); ``None`` for additive metrics (a channel's part is then its own change)."""
    if metric.aggregation not in ("ratio", "mean"):
        return None
    found = selectors.metric_comparison(workspace, metric, current, previous)
    why = decompose(metric, found.previous, found.current)
    change = next((c for c in why.channels if c.channel == channel), None)
    if change is None:
        return None
    if metric.aggregation == "ratio":
        rate = f"Σ {metric.numerator} ÷ Σ {metric.denominator}"
        if metric.scale != 1:
            rate += f" × {metric.scale}"
        base = f"Σ {metric.denominator}"
    else:
        rate = _("Σ %(metric)s ÷ the number of days with a figure") % {"metric": metric.key}
        base = _("the number of days with a figure")
    text = _(
        "rate effect = (r1 − r0) × (w0 + w1) ÷ 2; mix effect = (w1 − w0) × ((r0 + r1) ÷ 2 − "
        "(R0 + R1) ÷ 2); where r is the channel's rate (%(rate)s), w its share of %(base)s "
        "over every channel, R the rate over every channel, 0 the period %(before)s and 1 the "
        "period %(after)s."
    ) % {"rate": rate, "base": base, "before": previous, "after": current}
    return ChannelPart(change=change, before=why.before, after=why.after, formula=text)


def table(data: Explorer) -> exports.Table:
    """The per-channel table with the parts of the change, for a download."""
    return exports.Table(
        columns=[
            _("Channel"),
            _("Before (%(period)s)") % {"period": data.previous},
            _("After (%(period)s)") % {"period": data.current},
            pgettext("difference between periods", "Change"),
            _("Rate effect"),
            _("Mix effect"),
            _("Share of the change, percent"),
        ],
        rows=[
            *(
                (
                    row.ref.label,
                    row.before,
                    row.after,
                    row.change.effect if row.change else None,
                    row.change.rate_effect if row.change and not data.why.additive else None,
                    row.change.mix_effect if row.change and not data.why.additive else None,
                    row.change.share if row.change else None,
                )
                for row in data.channels
            ),
            (_("Total"), data.before, data.after, data.change, None, None, None),
        ],
        title=data.metric.key,
    )

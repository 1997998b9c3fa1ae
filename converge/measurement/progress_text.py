"""KPI progress in words, in the active language: the status, the formula with its inputs,
and the projections. The maths is in ``progress.py``; this module only says it."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from converge.measurement.catalogue import MetricDef
from converge.measurement.progress import Aggregate, Progress, Projection

STATUS_LABELS = {
    "on_track": gettext_lazy("On track"),
    "at_risk": gettext_lazy("At risk"),
    "off_track": gettext_lazy("Off track"),
    "no_data": gettext_lazy("No data"),
    "no_target": gettext_lazy("No target"),
}
WINDOW_LABELS = {
    "day": gettext_lazy("the day"),
    "week": gettext_lazy("the last 7 days"),
    "month": gettext_lazy("the last 30 days"),
    "quarter": gettext_lazy("the last 91 days"),
    "year": gettext_lazy("the last 12 months"),
}


def rounded(value: Decimal | None, places: int = 2) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain(value: Decimal | None, places: int = 4) -> str | None:
    """A decimal as an exact string with at most ``places`` decimals (for the API)."""
    r = rounded(value, places)
    if r is None:
        return None
    text = format(r.normalize(), "f")
    return "0" if text == "-0" else text


def number(value: Decimal | None, places: int = 2) -> str:
    """A decimal for people: grouped, at most ``places`` decimals, "—" for nothing."""
    if value is None:
        return "—"
    r = rounded(value, places)
    assert r is not None
    if r == r.to_integral_value():
        return number_format(r.to_integral_value(), 0, use_l10n=True, force_grouping=True)
    return number_format(r, places, use_l10n=True, force_grouping=True)


def signed(value: Decimal | None, places: int = 2) -> str:
    """A change for people: with its sign (+ or −), "—" for nothing."""
    if value is None:
        return "—"
    text = number(abs(value), places)
    if rounded(value, places) == 0:
        return text
    return ("+" if value > 0 else "−") + text


def better(direction: str, change: Decimal | None) -> str:
    """ "better", "worse" or "" — whether a change moves a KPI the way it should go (a band
    KPI has no single good direction)."""
    if change is None or change == 0 or direction not in ("increase", "decrease"):
        return ""
    return "better" if (change > 0) == (direction == "increase") else "worse"


def _day(value: Any) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else "—"


def metric_name(index: Mapping[str, MetricDef], key: str) -> str:
    found = index.get(key)
    if found is None:
        return key
    return found.name


def describe(agg: Aggregate, index: Mapping[str, MetricDef]) -> str:
    """The formula of a window value in words, with its inputs."""
    name = metric_name(index, agg.metric)
    period = {"start": _day(agg.start), "end": _day(agg.end)}
    if agg.aggregation == "ratio" and agg.numerator and agg.denominator:
        text = _("%(num_name)s ÷ %(den_name)s") % {
            "num_name": metric_name(index, agg.numerator.metric),
            "den_name": metric_name(index, agg.denominator.metric),
        }
        if agg.scale != 1:
            text += f" × {agg.scale}"
        text += " = " + _("%(num)s ÷ %(den)s") % {
            "num": number(agg.numerator.value),
            "den": number(agg.denominator.value),
        }
        if agg.scale != 1:
            text += f" × {agg.scale}"
        text += f" = {number(agg.value)}. "
        text += _("A ratio of the totals over the window, not a mean of daily rates.")
        return " ".join([text, describe(agg.numerator, index), describe(agg.denominator, index)])
    counts = {
        "name": name,
        "total": number(agg.total),
        "count": number(Decimal(agg.count), 0),
        "channels": _("all") if agg.channels is None else number(Decimal(agg.channels), 0),
        "first": _day(agg.first_day),
        "last": _day(agg.last_day),
        "value": number(agg.value),
        **period,
    }
    if agg.aggregation == "last":
        return (
            _(
                "%(name)s: the last figure of each channel between %(start)s and %(end)s, "
                "added up: %(total)s (channels: %(count)s; figures of %(first)s–%(last)s)."
            )
            % counts
        )
    if agg.aggregation == "mean":
        return (
            _(
                "%(name)s: the mean of %(count)s daily figures between %(start)s and %(end)s "
                "(%(first)s–%(last)s; channels: %(channels)s): %(total)s ÷ %(count)s = %(value)s."
            )
            % counts
        )
    return (
        _(
            "%(name)s: the sum of %(count)s daily figures between %(start)s and %(end)s "
            "(%(first)s–%(last)s; channels: %(channels)s) = %(total)s."
        )
        % counts
    )


def describe_projection(p: Projection) -> str:
    if p.method == "seasonal":
        return _(
            "Seasonal: growth over the last year %(growth)s (now ÷ %(year_ago)s on "
            "%(year_ago_day)s), applied %(years)s times to %(reference)s on %(reference_day)s "
            "→ %(value)s on %(day)s."
        ) % {
            "growth": number(p.growth, 3),
            "year_ago": number(p.year_ago_value),
            "year_ago_day": _day(p.year_ago_day),
            "years": p.years,
            "reference": number(p.reference_value),
            "reference_day": _day(p.reference_day),
            "value": number(p.value),
            "day": _day(p.day),
        }
    return _(
        "Linear: the trend through %(points)s values since %(since)s, %(slope)s a day, "
        "reaches %(value)s on %(day)s."
    ) % {
        "points": p.points,
        "since": _day(p.since),
        "slope": number(p.slope_per_day, 4),
        "value": number(p.value),
        "day": _day(p.day),
    }


def describe_status(progress: Progress) -> str:
    """Why the status is what it is."""
    p = progress
    if p.reason == "no_data":
        return _("No figures and no values entered by hand yet.")
    if p.reason == "no_target":
        return _("The KPI has no target (or no dates) to judge its progress by.")
    if p.reason == "within_band":
        return _("Within the band.")
    if p.reason == "outside_band":
        return _("Outside the band.")
    if p.reason == "reached":
        return _("The target is reached.")
    share = {"p": number(p.projected_percent, 0)}
    if p.reason == "projection":
        return (
            _(
                "At this pace it gets %(p)s%% of the way to the target by the target date "
                "(on track from 100%%, at risk from 75%%)."
            )
            % share
        )
    return (
        _(
            "Its progress is %(p)s%% of what the time passed asks for "
            "(on track from 100%%, at risk from 75%%)."
        )
        % share
    )


def inputs(agg: Aggregate | None) -> dict[str, Any] | None:
    """A window value's inputs as plain data (for the API)."""
    if agg is None:
        return None
    data: dict[str, Any] = {
        "metric": agg.metric,
        "aggregation": agg.aggregation,
        "window_start": agg.start,
        "window_end": agg.end,
        "value": plain(agg.value),
        "formula": agg.formula,
        "count": agg.count,
        "first_day": agg.first_day,
        "last_day": agg.last_day,
        "channels": agg.channels,
    }
    if agg.aggregation == "ratio":
        data["scale"] = agg.scale
        data["numerator"] = inputs(agg.numerator)
        data["denominator"] = inputs(agg.denominator)
    else:
        data["total"] = plain(agg.total)
    return data

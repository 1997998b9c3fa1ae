"""Figures as the explorer writes them: in the metric's unit, with the language's separators."""

from __future__ import annotations

from decimal import Decimal

from django import template

from converge.measurement.catalogue import MetricDef
from converge.measurement.explorer import words
from converge.measurement.why import format_share, format_value, places_for

register = template.Library()


@register.filter
def figure(value: Decimal | None, metric: MetricDef) -> str:
    """3.25% / 12,345 / 12 345 (Swedish); "—" for no figure."""
    return format_value(metric, value, words())


@register.filter
def signed(value: Decimal | None, metric: MetricDef) -> str:
    """A change with its sign: +0.80 / −1,200."""
    if value is None:
        return "—"
    places = places_for(metric, value)
    text = words().number(abs(value), places)
    rounded = value.quantize(Decimal(1).scaleb(-places))
    if rounded > 0:
        return "+" + text
    return "\u2212" + text if rounded < 0 else text


@register.filter
def share(value: Decimal | None) -> str:
    """A share in percent, with a real minus sign where it went against the change."""
    if value is None:
        return "—"
    text = format_share(value, words())
    return "\u2212" + text[1:] if text.startswith("-") else text

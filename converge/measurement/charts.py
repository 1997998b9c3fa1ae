"""Vega-Lite specs for measurement charts, built as plain data (rendered in the browser by the
offline bundle, and by vl-convert for reports)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from converge.measurement.models import Annotation
from converge.measurement.progress import Progress, Projection

Spec = dict[str, Any]
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"
KIND_COLOURS = {"campaign": "#2b6cb0", "outage": "#805ad5", "crisis": "#a4262c", "other": "#718096"}


def _f(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 4)


def kpi_spec(
    *,
    progress: Progress,
    baseline: Decimal | None,
    target: Decimal | None,
    target_date: date | None,
    band: tuple[Decimal, Decimal] | None,
    annotations: Sequence[Annotation],
    manual: Sequence[tuple[date, Decimal]] = (),
    title: str = "",
) -> Spec:
    """A KPI's history (its window value over time), its baseline and target, the band, the
    projections to the target date, and the annotations as rules."""
    measured = _("Measured") if progress.source == "observations" else _("Entered by hand")
    history = [
        {"day": p.day.isoformat(), "value": _f(p.value), "series": measured}
        for p in progress.history
    ]
    lines: list[dict[str, Any]] = []
    start = progress.current_day
    projections: list[tuple[Projection, str]] = []
    if progress.linear is not None:
        projections.append((progress.linear, _("Linear projection")))
    if progress.seasonal is not None:
        projections.append((progress.seasonal, _("Seasonal projection")))
    for projection, label in projections:
        if start is None or progress.current is None:
            break
        lines += [
            {"day": start.isoformat(), "value": _f(progress.current), "series": label},
            {"day": projection.day.isoformat(), "value": _f(projection.value), "series": label},
        ]
    levels = []
    if baseline is not None:
        levels.append({"value": _f(baseline), "label": _("Baseline")})
    if target is not None:
        levels.append({"value": _f(target), "label": _("Target")})
    x = {"field": "day", "type": "temporal", "title": None}
    y_title = title or _("Value")
    layers: list[Spec] = []
    if band is not None:
        layers.append(
            {
                "data": {"values": [{"low": _f(band[0]), "high": _f(band[1])}]},
                "mark": {"type": "rect", "color": "#c6f6d5", "opacity": 0.5},
                "encoding": {
                    "y": {"field": "low", "type": "quantitative"},
                    "y2": {"field": "high"},
                },
            }
        )
    layers.extend(annotation_layers(annotations))
    if levels:
        layers.append(
            {
                "data": {"values": levels},
                "mark": {"type": "rule", "strokeWidth": 1.5},
                "encoding": {
                    "y": {"field": "value", "type": "quantitative"},
                    "strokeDash": {
                        "field": "label",
                        "type": "nominal",
                        "title": None,
                        "scale": {"range": [[6, 3], [1, 0]]},
                    },
                    "tooltip": [
                        {"field": "label", "title": _("Line")},
                        {"field": "value", "type": "quantitative", "title": _("Value")},
                    ],
                },
            }
        )
    series = [measured] + [label for _p, label in projections]
    colours = ["#1a202c", "#dd6b20", "#38a169"][: len(series)]
    layers.append(
        {
            "data": {"values": history + lines},
            "mark": {"type": "line", "interpolate": "linear"},
            "encoding": {
                "x": x,
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": y_title,
                    "scale": {"zero": False},
                },
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": series, "range": colours},
                },
                "strokeDash": {
                    "condition": {"test": f"datum.series !== {measured!r}", "value": [5, 4]},
                    "value": [1, 0],
                },
                "tooltip": [
                    {"field": "series", "title": _("Series")},
                    {"field": "day", "type": "temporal", "title": _("Day")},
                    {"field": "value", "type": "quantitative", "title": _("Value")},
                ],
            },
        }
    )
    if manual and progress.source == "observations":
        layers.append(
            {
                "data": {
                    "values": [{"day": d.isoformat(), "value": _f(v)} for d, v in manual],
                },
                "mark": {"type": "point", "shape": "diamond", "filled": True, "color": "#718096"},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative"},
                    "tooltip": [
                        {"field": "day", "type": "temporal", "title": _("Entered by hand")},
                        {"field": "value", "type": "quantitative", "title": _("Value")},
                    ],
                },
            }
        )
    if target is not None and target_date is not None:
        layers.append(
            {
                "data": {"values": [{"day": target_date.isoformat(), "value": _f(target)}]},
                "mark": {"type": "point", "shape": "cross", "size": 120, "color": "#a4262c"},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative"},
                    "tooltip": [
                        {"field": "day", "type": "temporal", "title": _("Target date")},
                        {"field": "value", "type": "quantitative", "title": _("Target")},
                    ],
                },
            }
        )
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 280,
        "layer": layers,
        "resolve": {"scale": {"color": "independent", "strokeDash": "independent"}},
    }


def annotation_layers(annotations: Sequence[Annotation]) -> list[Spec]:
    """Annotations as shaded spans with a dashed rule on their first day, coloured by kind
    (with a tooltip): the same on every chart that has a day axis."""
    layers: list[Spec] = []
    notes = [
        {
            "day": a.day.isoformat(),
            "end": (a.end_day or a.day).isoformat(),
            "title": a.title,
            "kind": a.get_kind_display(),
            "channel": str(a.channel) if a.channel else _("The whole workspace"),
        }
        for a in annotations
    ]
    kinds = sorted({a.kind for a in annotations})
    if notes:
        layers.append(
            {
                "data": {"values": notes},
                "mark": {"type": "rect", "opacity": 0.12},
                "encoding": {
                    "x": {"field": "day", "type": "temporal"},
                    "x2": {"field": "end"},
                    "color": {
                        "field": "kind",
                        "type": "nominal",
                        "title": _("Annotations"),
                        "scale": {
                            "domain": [str(Annotation(kind=k).get_kind_display()) for k in kinds],
                            "range": [KIND_COLOURS.get(k, "#718096") for k in kinds],
                        },
                    },
                },
            }
        )
        layers.append(
            {
                "data": {"values": notes},
                "mark": {"type": "rule", "strokeWidth": 1.5, "strokeDash": [2, 2]},
                "encoding": {
                    "x": {"field": "day", "type": "temporal"},
                    "color": {"field": "kind", "type": "nominal", "legend": None},
                    "tooltip": [
                        {"field": "title", "title": _("Annotation")},
                        {"field": "kind", "title": _("Kind")},
                        {"field": "day", "type": "temporal", "title": _("Day")},
                        {"field": "end", "type": "temporal", "title": _("Last day")},
                        {"field": "channel", "title": _("Channel")},
                    ],
                },
            }
        )
    return layers


def sparkline(values: Sequence[Decimal], width: int = 120, height: int = 28) -> str:
    """The ``points`` of an SVG polyline drawing ``values`` left to right, scaled to fill the
    box (a flat series is drawn in the middle); empty with fewer than two values."""
    if len(values) < 2:
        return ""
    low, high = min(values), max(values)
    span = high - low
    step = Decimal(width - 2) / (len(values) - 1)
    points = []
    for n, value in enumerate(values):
        x = 1 + step * n
        share = (value - low) / span if span else Decimal("0.5")
        y = Decimal(height - 2) * (1 - share) + 1
        points.append(f"{x:.1f},{y:.1f}")
    return " ".join(points)

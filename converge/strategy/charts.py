"""Vega-Lite specs for the strategy's charts, built as plain data. The browser renders them
with the offline bundle served at ``/assets/vega.js``; reports render the same specs with
vl-convert."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from converge.strategy.models import AlignmentSnapshot, Initiative
from converge.strategy.rules import add_years

Spec = dict[str, Any]
SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json"


def alignment_history_spec(history: Sequence[AlignmentSnapshot]) -> Spec:
    """The alignment score (share of checks passed) day by day."""
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 180,
        "data": {
            "values": [
                {
                    "day": s.day.isoformat(),
                    "score": round(100 * s.passed / s.total, 1) if s.total else 0,
                    "passed": s.passed,
                    "total": s.total,
                }
                for s in history
            ]
        },
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "day",
                "type": "temporal",
                "timeUnit": "yearmonthdate",
                "title": _("Day"),
                "axis": {"format": "%Y-%m-%d"},
            },
            "y": {
                "field": "score",
                "type": "quantitative",
                "title": _("Alignment score (%)"),
                "scale": {"domain": [0, 100]},
            },
            "tooltip": [
                {"field": "day", "type": "temporal", "title": _("Day")},
                {"field": "score", "type": "quantitative", "title": _("Score")},
                {"field": "passed", "type": "quantitative", "title": _("Checks passed")},
                {"field": "total", "type": "quantitative", "title": _("Checks")},
            ],
        },
    }


def roadmap_spec(initiatives: Sequence[Initiative], today: date) -> Spec:
    """A timeline of initiatives with today and the three-year horizon marked."""
    bars = [
        {
            "title": i.title,
            "start": i.start.isoformat(),
            "end": i.end.isoformat(),
            "status": i.get_status_display(),
            "department": i.department.name if i.department else "—",
        }
        for i in initiatives
    ]
    marks = [
        {"day": today.isoformat(), "label": _("Today")},
        {"day": add_years(today, 3).isoformat(), "label": _("Three years ahead")},
    ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": {"step": 26},
        "layer": [
            {
                "data": {"values": bars},
                "mark": {"type": "bar", "cornerRadius": 3},
                "encoding": {
                    "y": {"field": "title", "type": "nominal", "sort": None, "title": None},
                    "x": {"field": "start", "type": "temporal", "title": None},
                    "x2": {"field": "end"},
                    "color": {"field": "status", "type": "nominal", "title": _("Status")},
                    "tooltip": [
                        {"field": "title", "title": _("Initiative")},
                        {"field": "department", "title": _("Department")},
                        {"field": "start", "type": "temporal", "title": _("Start")},
                        {"field": "end", "type": "temporal", "title": _("End")},
                        {"field": "status", "title": _("Status")},
                    ],
                },
            },
            {
                "data": {"values": marks},
                "mark": {"type": "rule", "strokeDash": [4, 4], "color": "#a4262c"},
                "encoding": {"x": {"field": "day", "type": "temporal"}},
            },
            {
                "data": {"values": marks},
                "mark": {"type": "text", "align": "left", "dx": 3, "dy": -4, "color": "#a4262c"},
                "encoding": {
                    "x": {"field": "day", "type": "temporal"},
                    "y": {"value": 0},
                    "text": {"field": "label"},
                },
            },
        ],
    }

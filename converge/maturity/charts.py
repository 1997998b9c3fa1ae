"""Vega-Lite specs for the maturity pages, built as plain data (rendered in the browser with the
offline bundle, as the strategy's charts)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.utils.translation import gettext as _

from converge.maturity.models import Assessment
from converge.strategy.charts import SCHEMA, Spec


def factor_labels() -> dict[str, str]:
    return {
        "business_goals": _("Business goals"),
        "long_term_vision": _("Long-term vision"),
        "executive_support": _("Executive support"),
        "roadmap": _("Strategy roadmap"),
        "governance": _("Governance and guidelines"),
        "staff_resources": _("Staff, resources and funding"),
        "technology": _("Technology"),
    }


def stage_labels() -> list[str]:
    return [
        _("Not started"),
        _("Planning"),
        _("Presence"),
        _("Engagement"),
        _("Formalized"),
        _("Strategic"),
        _("Converged"),
    ]


def factors_spec(factors: Mapping[str, Any]) -> Spec:
    """The seven success factors, 0–100, as horizontal bars."""
    labels = factor_labels()
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 210,
        "data": {
            "values": [
                {"factor": labels.get(key, key), "score": value or 0}
                for key, value in factors.items()
            ]
        },
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "y": {"field": "factor", "type": "nominal", "sort": None, "title": None},
            "x": {
                "field": "score",
                "type": "quantitative",
                "title": _("Score (0–100)"),
                "scale": {"domain": [0, 100]},
            },
            "color": {"value": "#2f6f5e"},
        },
    }


def history_spec(history: Sequence[Assessment]) -> Spec:
    """The stage reached at each finished assessment."""
    labels = stage_labels()
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 200,
        "data": {
            "values": [
                {
                    "day": a.finished_on.isoformat() if a.finished_on else "",
                    "stage": a.snapshot.get("stage", 0),
                    "name": labels[int(a.snapshot.get("stage", 0))],
                    "progress": a.snapshot.get("progress", 0),
                }
                for a in history
            ]
        },
        "mark": {"type": "line", "point": {"size": 80}, "interpolate": "step-after"},
        "encoding": {
            "x": {
                "field": "day",
                "type": "temporal",
                "title": _("Finished"),
                "axis": {"format": "%Y-%m"},
            },
            "y": {
                "field": "stage",
                "type": "quantitative",
                "title": _("Stage reached"),
                "scale": {"domain": [0, 6]},
                "axis": {
                    "values": [0, 1, 2, 3, 4, 5, 6],
                    "labelExpr": "["
                    + ",".join(f"'{label}'" for label in labels)
                    + "][datum.value]",
                },
            },
            "tooltip": [
                {"field": "day", "type": "temporal", "title": _("Finished")},
                {"field": "name", "type": "nominal", "title": _("Stage reached")},
                {"field": "progress", "type": "quantitative", "title": _("Progress to next (%)")},
            ],
        },
    }

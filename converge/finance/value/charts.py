"""Vega-Lite spec of the ROI report's chart: hard value against cost, quarter by quarter."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from converge.finance.value.selectors import RoiReport
from converge.measurement.charts import SCHEMA, Spec


def quarters_spec(report: RoiReport) -> Spec:
    value, cost = _("Hard value"), _("Cost")
    values: list[dict[str, Any]] = []
    for q in report.quarters:
        values += [
            {"quarter": q.label, "series": value, "amount": round(float(q.value), 2)},
            {"quarter": q.label, "series": cost, "amount": round(float(q.cost), 2)},
        ]
    return {
        "$schema": SCHEMA,
        "width": "container",
        "height": 220,
        "data": {"values": values},
        "mark": {"type": "bar", "tooltip": True},
        "encoding": {
            "x": {"field": "quarter", "type": "nominal", "title": None, "axis": {"labelAngle": 0}},
            "xOffset": {"field": "series"},
            "y": {
                "field": "amount",
                "type": "quantitative",
                "title": report.currency,
                "axis": {"format": "~s"},
            },
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": [value, cost], "range": ["#2f855a", "#a0aec0"]},
                "legend": {"orient": "top"},
            },
        },
    }

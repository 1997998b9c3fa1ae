"""Links from a figure to the rows behind it, shared by the KPI page and the dashboards."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode
from uuid import UUID

from django.urls import reverse

from converge.measurement.progress import Progress
from converge.strategy.models import Kpi


def kpi_rows_url(
    workspace_slug: str,
    kpi: Kpi,
    progress: Progress,
    channels: frozenset[int] | None,
    uuids: Mapping[int, UUID],
) -> str | None:
    """The explorer's drill-down to the figures behind a KPI's current value: the metric's
    rows over the KPI's window, for its channel (a KPI over several chosen channels has no
    single list of rows there, so it gets no link; nor does one computed from values entered
    by hand, which its own page lists)."""
    agg = progress.aggregate
    if progress.source != "observations" or agg is None:
        return None
    chosen = sorted(channels or ())
    if len(chosen) > 1:
        return None
    query = {"from": agg.start.isoformat(), "to": agg.end.isoformat()}
    if chosen:
        query["channel"] = str(uuids[chosen[0]])
    url = reverse("measurement_metric_rows", args=[workspace_slug, kpi.metric_key])
    return f"{url}?{urlencode(query)}"

"""Reads of measurement that pages and exports share: observations and posts, filtered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from converge.core.models import Workspace
from converge.measurement.models import Channel, Observation, Post


@dataclass(frozen=True)
class ObservationFilter:
    channel: Channel | None = None
    business: bool = False  # only the figures without a channel
    metric: str = ""
    source: str = ""  # "" | "import" | "other" (entered by hand or generated)


def observations(workspace: Workspace, where: ObservationFilter) -> QuerySet[Observation]:
    rows = Observation.objects.filter(workspace=workspace)
    if where.channel is not None:
        rows = rows.filter(channel=where.channel)
    elif where.business:
        rows = rows.filter(channel__isnull=True)
    if where.metric:
        rows = rows.filter(metric=where.metric)
    if where.source == "import":
        rows = rows.filter(source_import__isnull=False)
    elif where.source == "other":
        rows = rows.filter(source_import__isnull=True)
    return rows.select_related("channel", "source_import").order_by(
        "-day", "channel__platform", "channel__handle", "metric"
    )


def posts(workspace: Workspace, channel: Channel | None = None) -> QuerySet[Post]:
    rows = Post.objects.filter(workspace=workspace)
    if channel is not None:
        rows = rows.filter(channel=channel)
    return rows.select_related("channel", "source_import").order_by("-published_at", "id")


def post_metric_keys(rows: QuerySet[Post]) -> list[str]:
    """Every metric key that the posts carry, in a stable order."""
    keys: set[str] = set()
    for metrics in rows.order_by().values_list("metrics", flat=True).iterator():
        keys.update(metrics or {})
    return sorted(keys)

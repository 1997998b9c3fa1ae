"""Reads of measurement: the workspace's metric index, its saved column mappings, the
progress of big imports, the observations and posts that pages and exports share, KPI progress
computed from the figures, and annotations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum

from converge.core.models import Workspace
from converge.measurement import progress
from converge.measurement.catalogue import BUILT_IN, MetricDef
from converge.measurement.importers.base import Importer
from converge.measurement.importers.business import BusinessImporter, MappingSpec, normalised
from converge.measurement.models import (
    Annotation,
    Channel,
    ColumnMapping,
    Import,
    ImportStatus,
    Observation,
    Post,
    WorkspaceMetric,
)
from converge.strategy.models import Kpi, KpiValue


def metric_def(metric: WorkspaceMetric) -> MetricDef:
    derived = metric.aggregation == "ratio"
    return MetricDef(
        key=metric.key,
        name_en=metric.name_en,
        name_sv=metric.name_sv,
        unit=metric.unit,
        aggregation=metric.aggregation,
        amec=metric.amec,
        definition=metric.definition,
        source=metric.source,
        numerator=(metric.numerator or None) if derived else None,
        denominator=(metric.denominator or None) if derived else None,
        scale=100 if derived and metric.unit == "percent" else 1,
        own=True,
    )


def workspace_metrics(workspace: Workspace, *, archived: bool = False) -> QuerySet[WorkspaceMetric]:
    rows = WorkspaceMetric.objects.filter(workspace=workspace)
    return rows if archived else rows.filter(archived_at__isnull=True)


def metric_index(workspace: Workspace) -> dict[str, MetricDef]:
    """Every metric the workspace can use, by key: the built-in catalogue, then the
    workspace's own (archived ones left out). One query."""
    index = {m.key: m for m in BUILT_IN}
    for metric in workspace_metrics(workspace):
        index.setdefault(metric.key, metric_def(metric))
    return index


def metric_choices(
    workspace: Workspace, language: str, *, derived: bool = False
) -> list[tuple[str, str]]:
    """(key, name) of the workspace's metrics; without ``derived``, the ones a figure can be
    entered for by hand (everything but ratios)."""
    swedish = language == "sv"
    return [
        (m.key, m.name_sv if swedish else m.name_en)
        for m in metric_index(workspace).values()
        if derived or m.aggregation != "ratio"
    ]


def mapping_spec(mapping: ColumnMapping, time_zone: str) -> MappingSpec:
    return MappingSpec(
        name=mapping.name,
        kind=mapping.kind,
        header=normalised(mapping.header),
        date_column=mapping.date_column,
        date_order=mapping.date_order,
        amount_column=mapping.amount_column,
        status_column=mapping.status_column,
        status_value=mapping.status_value,
        response_column=mapping.response_column,
        time_zone=time_zone,
    )


def column_mappings(workspace: Workspace) -> QuerySet[ColumnMapping]:
    return ColumnMapping.objects.filter(workspace=workspace)


def mapped_importers(workspace: Workspace) -> list[Importer]:
    """An importer for each column mapping the workspace saved; consulted before the
    built-in formats. One query."""
    return [
        BusinessImporter(mapping_spec(m, workspace.time_zone)) for m in column_mappings(workspace)
    ]


def column_mapping(workspace: Workspace, uuid: UUID | str) -> ColumnMapping | None:
    return ColumnMapping.objects.filter(workspace=workspace, uuid=uuid).first()


def workspace_metric(workspace: Workspace, uuid: UUID | str) -> WorkspaceMetric | None:
    return WorkspaceMetric.objects.filter(workspace=workspace, uuid=uuid).first()


def unmapped_path(workspace: Workspace, token: str) -> str:
    """Where a CSV that matched no format waits for its columns to be mapped."""
    return f"imports/{workspace.pk}/unmapped/{token}"


def unmapped_file(workspace: Workspace, token: UUID | str) -> tuple[str, bytes] | None:
    """The kept file's name and bytes, or ``None`` when this workspace has no such file."""
    from django.core.files.storage import default_storage

    base = unmapped_path(workspace, str(token))
    if not default_storage.exists(f"{base}.upload"):
        return None
    with default_storage.open(f"{base}.name", "rb") as handle:
        name = handle.read().decode()
    with default_storage.open(f"{base}.upload", "rb") as handle:
        data: bytes = handle.read()
    return name, data


@dataclass(frozen=True)
class ImportProgress:
    phase: str  # check | commit
    done: int
    total: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


def import_progress(record: Import) -> ImportProgress:
    """How far the background check or commit of a big file has come (bytes read while
    checking, rows written while committing)."""
    from converge.measurement.services import progress_key

    found = cache.get(progress_key(record))
    phase = "commit" if record.status == ImportStatus.COMMITTING else "check"
    if not found:
        return ImportProgress(phase, 0, 0)
    return ImportProgress(found["phase"], int(found["done"]), int(found["total"]))


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


# --- KPI progress ---------------------------------------------------------------------------


@dataclass(frozen=True)
class KpiProgress:
    """A KPI's progress and how it was computed: ``metric`` is the catalogue metric when the
    KPI's metric key is in the workspace's index (else ``None``: manual values only)."""

    kpi_id: int
    metric: MetricDef | None
    window: str
    channels: frozenset[int] | None
    progress: progress.Progress
    history_from: date


def kpi_window(kpi: Kpi, metric: MetricDef | None) -> str:
    if kpi.window:
        return kpi.window
    return progress.default_window(metric.aggregation if metric else "sum")


def history_start(kpi: Kpi, as_of: date, years: int = 1) -> date:
    """Where a KPI's history starts: ``years`` before its baseline date (or before ``as_of``);
    never later than a year before ``as_of`` (the seasonal projection looks that far back)."""
    anchor = min(kpi.baseline_date, as_of) if kpi.baseline_date else as_of
    return min(progress.add_years(anchor, -years), progress.add_years(as_of, -1))


def _rows(grouped: QuerySet[Any], *, combined: bool) -> list[progress.Row]:
    """The grouped figures as rows for ``progress.Figures``. Tens of thousands of rows: read
    through the cursor, without the ORM's per-value converters (SQLite may give days as text
    and sums as numbers)."""
    sql, params = grouped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    rows: list[progress.Row] = []
    for row in fetched:
        if combined:
            metric, day, value, count = row
            channel = progress.ALL
        else:
            metric, channel, day, value, count = row
        rows.append(
            (
                metric,
                channel,
                day if isinstance(day, date) else date.fromisoformat(day),
                value if isinstance(value, Decimal) else Decimal(str(value)),
                int(count),
            )
        )
    return rows


def kpi_progress(
    workspace: Workspace, kpis: Sequence[Kpi], as_of: date, *, history_years: int = 1
) -> dict[int, KpiProgress]:
    """Progress of many KPIs at once, by KPI id, in a constant number of queries: the metric
    index, the KPIs' channels, the figures over the date range all of them need — GROUP BY
    (metric, day) for KPIs that read every channel, GROUP BY (metric, channel, day) for those
    that read chosen channels or a last value — and the manual values. The rest is pure maths
    (``progress.py``).

    The history (for charts and the linear pace) reaches ``history_years`` before each KPI's
    baseline date; lists that show no chart pass 0 and read less."""
    kpis = list(kpis)
    if not kpis:
        return {}
    index = metric_index(workspace)
    ids = [k.pk for k in kpis]
    scopes: dict[int, set[int]] = {}
    for kpi_id, channel_id in Kpi.channels.through.objects.filter(kpi_id__in=ids).values_list(
        "kpi_id", "channel_id"
    ):
        scopes.setdefault(kpi_id, set()).add(channel_id)
    plans = []
    keys: set[str] = set()  # read per channel
    combined: set[str] = set()  # added up over every channel by the database
    start = as_of
    for kpi in kpis:
        metric = index.get(kpi.metric_key)
        window = kpi_window(kpi, metric)
        since = history_start(kpi, as_of, history_years)
        chosen = scopes.get(kpi.pk)
        scope = frozenset(chosen) if chosen else None
        if metric is not None:
            summed, separate = progress.needs(metric, index, scope)
            combined |= summed
            keys |= separate
            earliest = min(since, progress.add_years(as_of, -1))
            start = min(start, progress.window_start(window, earliest))
        plans.append((kpi, metric, window, scope, since))
    rows: list[progress.Row] = []
    where = {"workspace": workspace, "day__gte": start, "day__lte": as_of}
    if combined:
        # Every channel's figures added up per day in the database: one row per metric and day.
        rows += _rows(
            Observation.objects.filter(metric__in=sorted(combined), **where)
            .values("metric", "day")
            .annotate(total=Sum("value"), figures=Count("id"))
            .order_by("metric", "day")
            .values_list("metric", "day", "total", "figures"),
            combined=True,
        )
    if keys:
        rows += _rows(
            Observation.objects.filter(metric__in=sorted(keys), **where)
            .values("metric", "channel_id", "day")
            .annotate(total=Sum("value"), figures=Count("id"))
            .order_by("metric", "channel_id", "day")
            .values_list("metric", "channel_id", "day", "total", "figures"),
            combined=False,
        )
    figures = progress.Figures(rows)
    manual: dict[int, list[progress.Point]] = {}
    for kpi_id, day, value in (
        KpiValue.objects.filter(kpi_id__in=ids, day__lte=as_of)
        .order_by("day")
        .values_list("kpi_id", "day", "value")
    ):
        manual.setdefault(kpi_id, []).append(progress.Point(day, value))
    out: dict[int, KpiProgress] = {}
    for kpi, metric, window, channels, since in plans:
        goal = progress.Goal(
            direction=kpi.direction,
            baseline_value=kpi.baseline_value,
            baseline_date=kpi.baseline_date,
            target_value=kpi.target_value,
            target_date=kpi.target_date,
            band_low=kpi.band_low,
            band_high=kpi.band_high,
        )
        found = None
        if metric is not None:
            found = progress.progress_from_figures(
                goal=goal,
                metric=metric,
                index=index,
                figures=figures,
                channels=channels,
                window=window,
                as_of=as_of,
                history_from=since,
            )
        if found is None:
            found = progress.progress_from_values(
                goal=goal, values=manual.get(kpi.pk, []), as_of=as_of, history_from=since
            )
        out[kpi.pk] = KpiProgress(kpi.pk, metric, window, channels, found, since)
    return out


# --- Annotations ----------------------------------------------------------------------------


def annotations_in(
    workspace: Workspace,
    start: date | None = None,
    end: date | None = None,
    channels: frozenset[int] | None = None,
) -> QuerySet[Annotation]:
    """The annotations that touch the days ``start``…``end``; with ``channels``, only those of
    these channels and those of the whole workspace."""
    rows = Annotation.objects.filter(workspace=workspace)
    if end is not None:
        rows = rows.filter(day__lte=end)
    if start is not None:
        rows = rows.filter(Q(day__gte=start) | Q(end_day__gte=start))
    if channels is not None:
        rows = rows.filter(Q(channel__isnull=True) | Q(channel_id__in=sorted(channels)))
    return rows.select_related("channel").order_by("day", "title")


def annotation(workspace: Workspace, uuid: UUID | str) -> Annotation | None:
    return (
        Annotation.objects.filter(workspace=workspace, uuid=uuid).select_related("channel").first()
    )

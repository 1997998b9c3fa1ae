"""Reads of measurement: the workspace's metric index, its saved column mappings, the
progress of big imports, the observations and posts that pages and exports share, KPI progress
computed from the figures, and annotations."""

from __future__ import annotations

import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Context as DecimalContext
from decimal import Decimal
from functools import reduce
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, DecimalField, Max, Q, QuerySet, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from converge.core.models import Department, Workspace
from converge.measurement import progress
from converge.measurement.catalogue import BUILT_IN, MetricDef, derived_value
from converge.measurement.importers.base import Importer
from converge.measurement.importers.business import BusinessImporter, MappingSpec, normalised
from converge.measurement.models import (
    Annotation,
    Channel,
    ChannelMonth,
    ColumnMapping,
    DailyTotal,
    Import,
    ImportStatus,
    Observation,
    Post,
    WorkspaceMetric,
)
from converge.measurement.why import CampaignFigure, Parts, PostFigure
from converge.strategy.models import Kpi, KpiValue, Platform


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


# --- The metric explorer, its "why" and its drill-down ------------------------------------
# Every figure of the explorer comes from one aggregate query per period pair (two for a
# "last value" metric), and every drill-down lists the very rows that query added up.


@dataclass(frozen=True)
class Period:
    """Calendar days ``start``…``end`` (inclusive) in the workspace's time zone."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period of the same length that ends the day before this one starts."""
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)

    def q(self, prefix: str = "") -> Q:
        return Q(**{f"{prefix}day__gte": self.start, f"{prefix}day__lte": self.end})

    def split_by_month(self) -> tuple[Period | None, list[Period]]:
        """The whole calendar months inside the period (from the first month's first day to
        the last month's last day), and the days at either end that do not make a whole
        month: 2025-11-30…2026-11-29 → (2025-12-01…2026-10-31, [2025-11-30…2025-11-30,
        2026-11-01…2026-11-29])."""
        first = self.start if self.start.day == 1 else month_end(self.start) + ONE_DAY
        last = self.end if self.end == month_end(self.end) else self.end.replace(day=1) - ONE_DAY
        if first > last:
            return None, [self]
        edges = []
        if self.start < first:
            edges.append(Period(self.start, first - ONE_DAY))
        if last < self.end:
            edges.append(Period(last + ONE_DAY, self.end))
        return Period(first, last), edges

    def __str__(self) -> str:
        return f"{self.start.isoformat()}…{self.end.isoformat()}"


ONE_DAY = timedelta(days=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1) - ONE_DAY


@dataclass(frozen=True)
class ChannelRef:
    """A channel as the explorer names it; ``id`` None is the business figures (no channel)."""

    id: int | None
    uuid: UUID | None
    platform: str
    handle: str

    @property
    def label(self) -> str:
        if self.id is None:
            return str(_("No channel (business figures)"))
        return f"{Platform(self.platform).label} {self.handle}"

    @property
    def param(self) -> str:
        """The channel as the drill-down's query string names it."""
        return str(self.uuid) if self.uuid else "none"


def metric_components(metric: MetricDef) -> tuple[str, ...]:
    """The stored metrics a metric is computed from: its numerator and denominator (ratios),
    or itself."""
    if metric.aggregation == "ratio" and metric.numerator and metric.denominator:
        return (metric.numerator, metric.denominator)
    return (metric.key,)


@dataclass
class Comparison:
    """Each channel's parts (see ``why.Parts``) in the current and the comparison period."""

    metric: MetricDef
    current: dict[int | None, Parts]
    previous: dict[int | None, Parts]
    channels: dict[int | None, ChannelRef]


def _channel_ref(row: dict[str, Any]) -> ChannelRef:
    return ChannelRef(
        row["channel_id"],
        row["channel__uuid"],
        row["channel__platform"] or "",
        row["channel__handle"] or "",
    )


CHANNEL_FIELDS = ("channel_id", "channel__uuid", "channel__platform", "channel__handle")


def channel_refs(ids: set[int | None]) -> dict[int | None, ChannelRef]:
    """The channels of these ids by id (``None``: the figures without a channel): one query."""
    refs: dict[int | None, ChannelRef] = {}
    if None in ids:
        refs[None] = _channel_ref(dict.fromkeys(CHANNEL_FIELDS))
    wanted = sorted(i for i in ids if i is not None)
    if wanted:
        for row in Channel.objects.filter(pk__in=wanted).values("pk", "uuid", "platform", "handle"):
            refs[row["pk"]] = ChannelRef(row["pk"], row["uuid"], row["platform"], row["handle"])
    return refs


Channels = frozenset[int] | None  # chosen channels, or None for every channel (and none)


def in_channels(rows: QuerySet[Any], channels: Channels) -> QuerySet[Any]:
    """The rows of the chosen channels only (all of them for ``None``)."""
    return rows if channels is None else rows.filter(channel_id__in=sorted(channels))


def last_days(
    workspace: Workspace, metric: str, periods: dict[str, Period], channels: Channels = None
) -> dict[tuple[str, int | None], date]:
    """(period name, channel id) → the last day with a figure of ``metric`` in that period."""
    rows = (
        in_channels(Observation.objects.filter(workspace=workspace, metric=metric), channels)
        .filter(reduce(operator.or_, (p.q() for p in periods.values())))
        .values("channel_id")
        .annotate(**{name: Max("day", filter=p.q()) for name, p in periods.items()})
        .order_by()
    )
    return {(name, row["channel_id"]): row[name] for row in rows for name in periods if row[name]}


def metric_comparison(
    workspace: Workspace,
    metric: MetricDef,
    current: Period,
    previous: Period,
    channels: Channels = None,
) -> Comparison:
    """The per-channel parts of ``metric`` in both periods: one aggregate query (sums,
    ratios, means), or two for a last-value metric (each channel's last day, then its value)."""
    components = metric_components(metric)
    both = current.q() | previous.q()
    rows = in_channels(
        Observation.objects.filter(workspace=workspace, metric__in=components).filter(both),
        channels,
    )
    out = Comparison(metric, {}, {}, {})
    if metric.aggregation == "last":
        days = last_days(workspace, metric.key, {"cur": current, "prev": previous}, channels)
        if not days:
            return out
        wanted = reduce(
            operator.or_, (Q(channel_id=channel, day=day) for (_n, channel), day in days.items())
        )
        values = {
            (row["channel_id"], row["day"]): row
            for row in rows.filter(wanted, metric=metric.key).values(
                *CHANNEL_FIELDS, "day", "value"
            )
        }
        for (name, channel), day in days.items():
            row = values[(channel, day)]
            out.channels[channel] = _channel_ref(row)
            target = out.current if name == "cur" else out.previous
            target[channel] = Parts(row["value"])
        return out
    found = _period_sums(workspace, components, current, previous, channels)
    refs = channel_refs({row["channel_id"] for row in found})
    zero = Decimal(0)
    for row in found:
        channel = row["channel_id"]
        out.channels[channel] = refs[channel]
        for target, total, count in (
            (out.current, row["cur"], row["cur_n"]),
            (out.previous, row["prev"], row["prev_n"]),
        ):
            if not count:
                continue
            parts = target.get(channel, Parts(zero, zero))
            if metric.aggregation == "sum":
                parts = Parts(total)
            elif metric.aggregation == "mean":
                parts = Parts(total, Decimal(count))
            elif row["metric"] == components[0]:
                parts = Parts(total, parts.denominator)
            else:
                parts = Parts(parts.numerator, total)
            target[channel] = parts
    return out


def _period_sums(
    workspace: Workspace,
    components: Sequence[str],
    current: Period,
    previous: Period,
    channels: Channels,
) -> list[dict[str, Any]]:
    """Per channel and stored metric, the sum and the number of figures in each period
    (``cur``, ``prev``, ``cur_n``, ``prev_n``): the whole months from the channel months
    (``ChannelMonth``), the days at either end that do not make a whole month from the
    observations — two queries, over a twelfth of the rows for a period of a year."""
    windows = {"cur": current.split_by_month(), "prev": previous.split_by_month()}
    months = {name: [whole] for name, (whole, _ends) in windows.items() if whole}
    ends = {name: ends for name, (_whole, ends) in windows.items() if ends}
    added: dict[tuple[int | None, str], dict[str, Any]] = {}
    zero = Decimal(0)
    for rows in (
        _sums(ChannelMonth, "month", "total", "figures", months, workspace, components, channels),
        _sums(Observation, "day", "value", None, ends, workspace, components, channels),
    ):
        for channel, metric, *sums in rows:
            into = added.setdefault(
                (channel, metric),
                {"channel_id": channel, "metric": metric, "cur": zero, "prev": zero}
                | {"cur_n": 0, "prev_n": 0},
            )
            for name, total, count in zip(sums[::3], sums[1::3], sums[2::3], strict=True):
                if count:
                    into[name] += total if isinstance(total, Decimal) else _FROM_FLOAT(total)
                    into[f"{name}_n"] += int(count)
    return list(added.values())


# SQLite adds decimals up as floats: the same conversion as the ORM's for a Sum (15 digits).
_FROM_FLOAT = DecimalContext(prec=15).create_decimal_from_float


def _sums(
    model: type[ChannelMonth] | type[Observation],
    key: str,
    total: str,
    count: str | None,
    spans: dict[str, list[Period]],
    workspace: Workspace,
    components: Sequence[str],
    channels: Channels,
) -> list[tuple[Any, ...]]:
    """``(channel id, metric, name, Σ total, figures, …)`` per channel and metric, for each
    named set of day ranges in ``spans``: one GROUP BY, by hand, as the ORM spent twice the
    query's own time building it. The rows are looked up by the index on (workspace, metric,
    ``key``) through the list of their ``key`` values (whole months are listed by their first
    day, days at the ends of a period one by one: at most 61 of them)."""
    if not spans or (channels is not None and not channels):
        return []
    keys: set[date] = set()
    columns: list[str] = []
    params: list[Any] = []
    for name, ranges in spans.items():
        for period in ranges:
            step = _month_firsts(period) if key == "month" else _days(period)
            keys.update(step)
        when = " OR ".join(f"{key} BETWEEN %s AND %s" for _ in ranges)
        columns.append(
            f"%s, SUM(CASE WHEN {when} THEN {total} END), "
            f"{'SUM' if count else 'COUNT'}(CASE WHEN {when} THEN {count or '1'} END)"
        )
        bounds = [day for period in ranges for day in (period.start, period.end)]
        params += [name, *bounds, *bounds]
    where: list[Any] = [workspace.pk, *components, *sorted(keys)]
    channel_sql = ""
    if channels is not None:
        channel_sql = f" AND channel_id IN ({', '.join(['%s'] * len(channels))})"
        where += sorted(channels)
    sql = (
        f"SELECT channel_id, metric, {', '.join(columns)} "
        f"FROM {connection.ops.quote_name(model._meta.db_table)} "
        f"WHERE workspace_id = %s AND metric IN ({', '.join(['%s'] * len(components))}) "
        f"AND {key} IN ({', '.join(['%s'] * len(keys))}){channel_sql} "
        "GROUP BY channel_id, metric"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *where])
        return list(cursor.fetchall())


def _days(period: Period) -> list[date]:
    return [period.start + timedelta(days=i) for i in range(period.days)]


def _month_firsts(whole: Period) -> list[date]:
    """The first day of each month of a period of whole months."""
    out, day = [], whole.start
    while day <= whole.end:
        out.append(day)
        day = month_end(day) + ONE_DAY
    return out


def metric_daily(
    workspace: Workspace, metric: MetricDef, period: Period, channels: Channels = None
) -> list[tuple[date, ChannelRef, Decimal | None]]:
    """The metric day by day and channel by channel over ``period``: one query."""
    components = metric_components(metric)
    rows = (
        in_channels(
            Observation.objects.filter(workspace=workspace, metric__in=components), channels
        )
        .filter(period.q())
        .values(*CHANNEL_FIELDS, "day", "metric")
        .annotate(total=Sum("value"))
        .order_by("day")
    )
    days: dict[tuple[date, int | None], dict[str, Decimal]] = {}
    refs: dict[int | None, ChannelRef] = {}
    for row in rows:
        refs.setdefault(row["channel_id"], _channel_ref(row))
        days.setdefault((row["day"], row["channel_id"]), {})[row["metric"]] = row["total"]
    out: list[tuple[date, ChannelRef, Decimal | None]] = []
    for (day, channel), values in days.items():
        if metric.aggregation == "ratio":
            value = derived_value(metric, values.get(components[0]), values.get(components[-1]))
        else:
            value = values.get(metric.key)
        out.append((day, refs[channel], value))
    return out


ANY_CHANNEL: Any = object()  # the drill-down's "every channel"


def metric_rows(
    workspace: Workspace,
    metric: MetricDef,
    period: Period,
    channel: int | None | Any = ANY_CHANNEL,
) -> QuerySet[Observation]:
    """The observations behind ``metric`` over ``period`` (for one channel, or every one):
    the rows a figure of the explorer adds up. For a last-value metric, each channel's
    last day only."""
    rows = Observation.objects.filter(
        workspace=workspace, metric__in=metric_components(metric)
    ).filter(period.q())
    if channel is not ANY_CHANNEL:
        rows = (
            rows.filter(channel__isnull=True)
            if channel is None
            else rows.filter(channel_id=channel)
        )
    if metric.aggregation == "last":
        found = last_days(workspace, metric.key, {"p": period})
        wanted = [
            Q(channel_id=c, day=d)
            for (_n, c), d in found.items()
            if channel is ANY_CHANNEL or c == channel
        ]
        rows = rows.filter(reduce(operator.or_, wanted)) if wanted else rows.none()
    return rows.select_related("channel", "source_import").order_by(
        "-day", "channel__platform", "channel__handle", "metric"
    )


def metric_row_totals(rows: QuerySet[Observation]) -> dict[str, tuple[Decimal, int]]:
    """metric → (Σ value, number of rows) of the drill-down's rows: one query."""
    return {
        row["metric"]: (row["total"], row["n"])
        for row in rows.order_by()
        .values("metric")
        .annotate(total=Sum("value"), n=Count("value"))
        .order_by()
    }


def _published(period: Period, time_zone: str) -> Q:
    zone = ZoneInfo(time_zone)
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)
    return Q(published_at__gte=start, published_at__lt=end)


@dataclass(frozen=True)
class PostContributions:
    key: str  # the post metric the posts are ranked by
    posts: list[tuple[Post, PostFigure]]
    campaigns: list[CampaignFigure]
    total: Decimal  # what every post of the period carries of ``key``
    count: int


def post_figures(
    workspace: Workspace, metric: MetricDef, period: Period, channels: Channels = None
) -> QuerySet[Post] | None:
    """The posts published in ``period`` that carry the metric (a ratio's numerator), each
    annotated with it as ``figure`` (and the ratio's denominator as ``base``); ``None`` for a
    metric that posts do not carry (means, last values)."""
    if metric.aggregation in ("mean", "last"):
        return None
    key = metric_components(metric)[0]
    base = metric.denominator if metric.aggregation == "ratio" else None
    number: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=4)
    rows = (
        in_channels(Post.objects.filter(workspace=workspace, metrics__has_key=key), channels)
        .filter(_published(period, workspace.time_zone))
        .annotate(figure=Cast(KT(f"metrics__{key}"), number))
    )
    if base:
        rows = rows.annotate(base=Cast(KT(f"metrics__{base}"), number))
    return rows


def metric_posts(
    workspace: Workspace,
    metric: MetricDef,
    period: Period,
    *,
    limit: int = 5,
    channels: Channels = None,
) -> PostContributions | None:
    """The posts published in ``period`` that carry the most of the metric (of a ratio's
    numerator), and the campaigns by what their posts carry: three queries. ``None`` for a
    metric that posts do not carry (means, last values)."""
    rows = post_figures(workspace, metric, period, channels)
    if rows is None:
        return None
    key = metric_components(metric)[0]
    base = metric.denominator if metric.aggregation == "ratio" else None
    summary = rows.aggregate(total=Sum("figure"), n=Count("id"))
    top = list(rows.select_related("channel", "source_import").order_by("-figure", "id")[:limit])
    campaigns = (
        rows.exclude(campaign="")
        .values("campaign")
        .annotate(n=Count("id"), value=Sum("figure"), **({"based": Sum("base")} if base else {}))
        .order_by("-value", "campaign")[:limit]
    )
    return PostContributions(
        key=key,
        posts=[
            (
                p,
                PostFigure(
                    ident=p.external_id,
                    channel=str(p.channel),
                    text=p.text,
                    campaign=p.campaign,
                    value=p.figure,  # type: ignore[attr-defined]
                    base=getattr(p, "base", None),
                ),
            )
            for p in top
        ],
        campaigns=[
            CampaignFigure(c["campaign"], c["n"], c["value"], c.get("based")) for c in campaigns
        ],
        total=summary["total"] or Decimal(0),
        count=summary["n"],
    )


def channel_labels(rows: QuerySet[Observation]) -> list[str]:
    """The channels of the given rows, by name: one query."""
    refs = [_channel_ref(row) for row in rows.order_by().values(*CHANNEL_FIELDS).distinct()]
    refs.sort(key=lambda r: (r.id is None, r.platform, r.handle))
    return [r.label for r in refs]


def channel_uuids(workspace: Workspace) -> dict[int, Any]:
    """Each channel's UUID by its id, for links: one query."""
    return dict(Channel.objects.filter(workspace=workspace).values_list("pk", "uuid"))


def channel_ref(workspace: Workspace, wanted: str) -> ChannelRef | None:
    """The drill-down's ``channel`` parameter (a channel's UUID, or "none" for the business
    figures) as a channel of this workspace; ``None`` when it names none."""
    if wanted == "none":
        return ChannelRef(None, None, "", "")
    try:
        channel = Channel.objects.filter(workspace=workspace, uuid=wanted).first()
    except ValidationError:
        return None
    if channel is None:
        return None
    return ChannelRef(channel.pk, channel.uuid, channel.platform, channel.handle)


def post_rows(
    workspace: Workspace,
    metric: MetricDef,
    period: Period,
    *,
    channel: int | None = None,
    campaign: str | None = None,
    post: str | None = None,
) -> QuerySet[Post]:
    """The posts behind a post figure of the explorer, largest first: every post of the
    period carrying the metric, or those of one channel, one campaign, or one post."""
    rows = post_figures(workspace, metric, period)
    if rows is None:
        return Post.objects.none()
    if channel is not None:
        rows = rows.filter(channel_id=channel)
    if campaign is not None:
        rows = rows.filter(campaign=campaign)
    if post is not None:
        rows = rows.filter(external_id=post)
    return rows.select_related("channel", "source_import").order_by("-figure", "id")


def post_row_totals(rows: QuerySet[Post]) -> tuple[Decimal, int]:
    """Σ of the posts' figure and how many posts: one query."""
    found = rows.order_by().aggregate(total=Sum("figure"), n=Count("id"))
    return found["total"] or Decimal(0), found["n"]


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
    before: Decimal | None = None  # the value as it stood on ``compare_to``, when asked

    @property
    def change(self) -> Decimal | None:
        """The current value minus the value before (``None`` without both)."""
        now = self.progress.current
        return None if now is None or self.before is None else now - self.before


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
    """The figures as rows for ``progress.Figures``. Tens of thousands of rows: read through
    the cursor, without the ORM's per-row machinery. PostgreSQL gives days and decimals as
    such and the rows pass as they are; SQLite may give days as text and sums as numbers."""
    sql, params = grouped.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if not fetched:
        return []
    # PostgreSQL types every column (date, numeric → Decimal, bigint) and its rows are tuples;
    # SQLite's sums come back as int or float row by row.
    typed = connection.vendor == "postgresql"
    if combined:
        if typed:
            return [(m, progress.ALL, d, v, n) for m, d, v, n in fetched]
        return [(m, progress.ALL, _as_day(d), _as_decimal(v), int(n)) for m, d, v, n in fetched]
    if typed:
        return fetched
    return [(m, c, _as_day(d), _as_decimal(v)) for m, c, d, v in fetched]


def _as_day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _as_decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _from_days(firsts: dict[str, date]) -> Q:
    """Each metric from its own first day: one condition per distinct first day."""
    by_day: dict[date, list[str]] = {}
    for key, first in firsts.items():
        by_day.setdefault(first, []).append(key)
    where = Q()
    for first, keys in sorted(by_day.items()):
        where |= Q(metric__in=sorted(keys), day__gte=first)
    return where


def kpi_progress(
    workspace: Workspace,
    kpis: Sequence[Kpi],
    as_of: date,
    *,
    history_years: int = 1,
    history_from: date | None = None,
    compare_to: date | None = None,
    index: dict[str, MetricDef] | None = None,
    known_channels: Mapping[int, set[int]] | None = None,
    known_values: Mapping[int, Sequence[tuple[date, Decimal]]] | None = None,
) -> dict[int, KpiProgress]:
    """Progress of many KPIs at once, by KPI id, in a constant number of queries: the metric
    index, the KPIs' channels, the figures over the date range all of them need — GROUP BY
    (metric, day) for KPIs that read every channel, GROUP BY (metric, channel, day) for those
    that read chosen channels or a last value — and the manual values. The rest is pure maths
    (``progress.py``).

    The history (for charts and the linear pace) reaches ``history_years`` before each KPI's
    baseline date (or from ``history_from`` when that is earlier); lists that show no chart
    pass 0 and read less. With ``compare_to``, each KPI's value as it stood on that day comes
    from the same figures (``KpiProgress.before``), for "this period against the one before".
    A caller that has the workspace's metric ``index`` already passes it, and one that has
    read every KPI's chosen channels passes them as ``known_channels`` (KPI id → channel ids;
    a KPI missing from it reads every channel); one that has read KPIs' values entered by
    hand passes them as ``known_values`` (KPI id → (day, value) pairs, in any order; the
    KPIs missing from it are read)."""
    kpis = list(kpis)
    if not kpis:
        return {}
    index = index if index is not None else metric_index(workspace)
    ids = [k.pk for k in kpis]
    scopes: dict[int, set[int]] = {}
    if known_channels is not None:
        scopes = {k: set(c) for k, c in known_channels.items() if c}
    else:
        for kpi_id, channel_id in Kpi.channels.through.objects.filter(kpi_id__in=ids).values_list(
            "kpi_id", "channel_id"
        ):
            scopes.setdefault(kpi_id, set()).add(channel_id)
    plans = []
    # Each stored metric is read from the first day any KPI needing it looks at, in one of
    # three ways: every channel added up (from the daily totals), per channel for every
    # channel (last values), or per channel for the chosen channels only.
    combined: dict[str, date] = {}
    every_channel: dict[str, date] = {}
    chosen_keys: dict[str, date] = {}
    chosen_channels: set[int] = set()

    def need(keys: set[str], into: dict[str, date], first: date) -> None:
        for key in keys:
            into[key] = min(into.get(key, first), first)

    for kpi in kpis:
        metric = index.get(kpi.metric_key)
        window = kpi_window(kpi, metric)
        since = history_start(kpi, as_of, history_years)
        if history_from is not None:
            since = min(since, history_from)
        chosen = scopes.get(kpi.pk)
        scope = frozenset(chosen) if chosen else None
        if metric is not None:
            earliest = min(since, progress.add_years(as_of, -1), compare_to or as_of)
            first = progress.window_start(window, earliest)
            summed, separate = progress.needs(metric, index, scope)
            need(summed, combined, first)
            if scope is None:
                need(separate, every_channel, first)
            else:
                need(separate, chosen_keys, first)
                chosen_channels |= scope
        plans.append((kpi, metric, window, scope, since))
    for key in set(chosen_keys) & set(every_channel):
        every_channel[key] = min(every_channel[key], chosen_keys.pop(key))
    rows: list[progress.Row] = []
    if combined:
        # Every channel's figures added up per day, as the daily totals keep them: one row per
        # metric and day.
        rows += _rows(
            DailyTotal.objects.filter(_from_days(combined), workspace=workspace, day__lte=as_of)
            .order_by()
            .values_list("metric", "day", "total", "figures"),
            combined=True,
        )
    wanted = _from_days(every_channel) if every_channel else Q()
    if chosen_keys:
        wanted |= _from_days(chosen_keys) & Q(channel_id__in=sorted(chosen_channels))
    if wanted:
        # One figure per channel, metric and day is all there is (the observations' unique
        # key), so no GROUP BY and no ORDER BY: ``progress.Figures`` sorts each series.
        rows += _rows(
            Observation.objects.filter(wanted, workspace=workspace, day__lte=as_of)
            .order_by()
            .values_list("metric", "channel_id", "day", "value"),
            combined=False,
        )
    figures = progress.Figures(rows)
    manual: dict[int, list[progress.Point]] = {}
    known = known_values or {}
    for kpi_id, entered in known.items():
        manual[kpi_id] = [progress.Point(d, v) for d, v in sorted(entered) if d <= as_of]
    unread = [kpi_id for kpi_id in ids if kpi_id not in known]
    for kpi_id, day, value in (
        KpiValue.objects.filter(kpi_id__in=unread, day__lte=as_of)
        .order_by("day")
        .values_list("kpi_id", "day", "value")
        if unread
        else ()
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
        before = None
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
            if found is not None and compare_to is not None:
                before = progress.value_on(metric, index, figures, channels, window, compare_to)
        if found is None:
            found = progress.progress_from_values(
                goal=goal, values=manual.get(kpi.pk, []), as_of=as_of, history_from=since
            )
            if compare_to is not None:
                before = progress.value_entered_on(manual.get(kpi.pk, []), compare_to)
        out[kpi.pk] = KpiProgress(kpi.pk, metric, window, channels, found, since, before)
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


# --- The KPI dashboard ---------------------------------------------------------------------


@dataclass(frozen=True)
class BoardRow:
    kpi: Kpi
    found: KpiProgress


@dataclass(frozen=True)
class BoardGroup:
    title: str
    goal: Any  # the BusinessGoal, or None for KPIs whose objective serves no goal
    rows: list[BoardRow]


def kpi_board(
    workspace: Workspace,
    as_of: date,
    department: Department | None = None,
    *,
    history_from: date | None = None,
    compare_to: date | None = None,
) -> list[BoardGroup]:
    """Every live KPI with its progress, grouped by the business goals its objective serves (a
    KPI appears under each of them); with ``department``, only the KPIs of the objectives that
    serve that department — social's impact on *their* objectives. Queries: the KPIs, the
    goals, the objective–goal links, and ``kpi_progress``'s constant few — none per KPI."""
    from converge.strategy.models import BusinessGoal, SocialObjective

    live = Kpi.objects.filter(workspace=workspace, archived_at__isnull=True)
    if department is not None:
        live = live.filter(objective__departments=department).distinct()
    kpis = list(live.select_related("objective").order_by("name"))
    found = kpi_progress(
        workspace,
        kpis,
        as_of,
        history_years=0,
        history_from=history_from,
        compare_to=compare_to,
    )
    goals = {
        g.pk: g
        for g in BusinessGoal.objects.filter(
            workspace=workspace, archived_at__isnull=True
        ).order_by("title")
    }
    served: dict[int, list[int | None]] = {}
    links = SocialObjective.goals.through.objects.filter(
        socialobjective__workspace=workspace
    ).values_list("socialobjective_id", "businessgoal_id")
    for objective_id, linked_goal in links:
        if linked_goal in goals:
            served.setdefault(objective_id, []).append(linked_goal)
    groups: dict[int | None, list[BoardRow]] = {}
    for kpi in kpis:
        row = BoardRow(kpi, found[kpi.pk])
        for under in served.get(kpi.objective_id, [None]):
            groups.setdefault(under, []).append(row)
    board = [
        BoardGroup(goal.title, goal, groups[goal_id])
        for goal_id, goal in goals.items()
        if goal_id in groups
    ]
    if None in groups:
        board.append(BoardGroup(str(_("KPIs not tied to a business goal")), None, groups[None]))
    return board


# --- A channel's dashboard ------------------------------------------------------------------


@dataclass(frozen=True)
class ChannelFigure:
    metric: MetricDef
    after: Decimal | None
    before: Decimal | None

    @property
    def change(self) -> Decimal | None:
        if self.after is None or self.before is None:
            return None
        return self.after - self.before


def channel_board(
    workspace: Workspace, channel: Channel, current: Period, previous: Period
) -> list[ChannelFigure]:
    """Every metric the channel has figures for in either period — the stored ones and the
    ratios whose two parts it has — with its value in both periods, computed as the explorer
    computes it (ratios of sums). One query to find the metrics, then one or two per metric."""
    from converge.measurement import why

    stored = set(
        Observation.objects.filter(workspace=workspace, channel=channel)
        .filter(current.q() | previous.q())
        .values_list("metric", flat=True)
        .distinct()
    )
    out: list[ChannelFigure] = []
    for _key, metric in sorted(metric_index(workspace).items()):
        if not stored.issuperset(metric_components(metric)):
            continue
        found = metric_comparison(workspace, metric, current, previous)
        after = found.current.get(channel.pk)
        before = found.previous.get(channel.pk)
        out.append(
            ChannelFigure(
                metric,
                why.value_of(metric, [after]) if after is not None else None,
                why.value_of(metric, [before]) if before is not None else None,
            )
        )
    return out

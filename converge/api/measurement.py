"""API: channels, the metric catalogue, observations (bulk read and write), and imports
(upload and check, status with preview, commit, roll back) — the same services as the pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from converge.api.core import _context
from converge.core.errors import ConvergeError
from converge.core.models import Capability, Department, Workspace
from converge.core.policy import Action
from converge.measurement import explorer, selectors, services
from converge.measurement.catalogue import MetricDef
from converge.measurement.forms import MAX_PERIOD_DAYS
from converge.measurement.links import kpi_rows_url
from converge.measurement.models import (
    Annotation,
    AnnotationKind,
    Channel,
    ColumnMapping,
    Import,
    ImportStatus,
    Observation,
)
from converge.measurement.periods import last_year
from converge.measurement.progress_text import plain
from converge.measurement.selectors import Period

router = Router(tags=["measurement"])
BASE = "/workspaces/{slug}/measurement"
READ = Action.VIEW_WORKSPACE
EDIT = Capability.EDIT_STRATEGY


class ChannelOut(Schema):
    uuid: UUID
    platform: str
    handle: str
    url: str
    department: str | None
    active_from: date | None
    active_to: date | None


class ChannelIn(Schema):
    platform: str
    handle: str = Field(min_length=1, max_length=100)
    url: str = ""
    department: str | None = None
    active_from: date | None = None
    active_to: date | None = None


class MetricOut(Schema):
    key: str
    name_en: str
    name_sv: str
    unit: str
    aggregation: str
    amec_stage: str
    numerator: str | None
    denominator: str | None
    definition: str
    source: str
    workspace_defined: bool = False


class MetricChange(Schema):
    name_en: str
    name_sv: str
    unit: str
    aggregation: str
    amec_stage: str
    numerator: str = ""
    denominator: str = ""
    definition: str = ""
    source: str = ""


class MetricIn(MetricChange):
    key: str


class MappingOut(Schema):
    uuid: UUID
    name: str
    kind: str
    header: list[str]
    date_column: str
    date_order: str
    amount_column: str
    status_column: str
    status_value: str
    response_column: str


class MappingIn(Schema):
    name: str
    kind: str
    header: list[str]
    date_column: str
    date_order: str = "ymd"
    amount_column: str = ""
    status_column: str = ""
    status_value: str = ""
    response_column: str = ""


class ObservationOut(Schema):
    metric: str
    day: date
    value: str
    channel: UUID | None
    import_id: UUID | None = Field(default=None, alias="import")
    line: int | None


class ObservationIn(Schema):
    metric: str
    day: date
    value: Decimal
    channel: UUID | None = None


class ImportOut(Schema):
    uuid: UUID
    file_name: str
    sha256: str
    size: int
    format: str
    status: str
    channel: UUID | None
    created_at: datetime
    new: int
    changed: int
    unchanged: int
    rejected: int
    problems: list[dict[str, object]]
    preview: list[dict[str, object]]
    progress: int | None  # percent, while a big file is checked or imported in the background
    failure: str


def _channel_out(c: Channel) -> ChannelOut:
    return ChannelOut(
        uuid=c.uuid,
        platform=c.platform,
        handle=c.handle,
        url=c.url,
        department=c.department.slug if c.department else None,
        active_from=c.active_from,
        active_to=c.active_to,
    )


def _import_out(i: Import) -> ImportOut:
    return ImportOut(
        uuid=i.uuid,
        file_name=i.file_name,
        sha256=i.sha256,
        size=i.size,
        format=i.format,
        status=i.status,
        channel=i.channel.uuid if i.channel else None,
        created_at=i.created_at,
        new=i.new,
        changed=i.changed,
        unchanged=i.unchanged,
        rejected=i.rejected,
        problems=list(i.problems),
        preview=list(i.preview),
        progress=(
            selectors.import_progress(i).percent
            if i.status in (ImportStatus.CHECKING, ImportStatus.COMMITTING)
            else None
        ),
        failure=i.failure,
    )


def _get_import(workspace: Workspace, imp: UUID) -> Import:
    record = Import.objects.filter(workspace=workspace, uuid=imp).select_related("channel").first()
    if record is None:
        raise Http404
    return record


@router.get(f"{BASE}/channels", response=list[ChannelOut], summary="Channels")
def channel_list(request: HttpRequest, slug: str) -> list[ChannelOut]:
    workspace, _m = _context(request, slug, READ)
    return [
        _channel_out(c)
        for c in Channel.objects.filter(workspace=workspace).select_related("department")
    ]


@router.post(f"{BASE}/channels", response={201: ChannelOut}, summary="Add a channel")
def channel_post(request: HttpRequest, slug: str, payload: ChannelIn) -> tuple[int, ChannelOut]:
    workspace, me = _context(request, slug, EDIT)
    department = None
    if payload.department:
        department = Department.objects.filter(workspace=workspace, slug=payload.department).first()
        if department is None:
            raise ConvergeError(
                _("No department of this workspace has the slug given."),
                field="department",
                status=422,
            )
    channel = services.channel_save(
        actor=me.user,
        workspace=workspace,
        platform=payload.platform,
        handle=payload.handle,
        url=payload.url,
        department=department,
        active_from=payload.active_from,
        active_to=payload.active_to,
    )
    return 201, _channel_out(channel)


def _metric_out(m: MetricDef) -> MetricOut:
    return MetricOut(
        key=m.key,
        name_en=m.name_en,
        name_sv=m.name_sv,
        unit=m.unit,
        aggregation=m.aggregation,
        amec_stage=m.amec,
        numerator=m.numerator,
        denominator=m.denominator,
        definition=m.definition,
        source=m.source,
        workspace_defined=m.own,
    )


def _metric_values(payload: MetricChange) -> dict[str, str]:
    return {
        "name_en": payload.name_en,
        "name_sv": payload.name_sv,
        "unit": payload.unit,
        "aggregation": payload.aggregation,
        "amec": payload.amec_stage,
        "numerator": payload.numerator,
        "denominator": payload.denominator,
        "definition": payload.definition,
        "source": payload.source,
    }


@router.get(
    f"{BASE}/metrics",
    response=list[MetricOut],
    summary="The metric catalogue: the built-in metrics and the workspace's own",
)
def metric_list(request: HttpRequest, slug: str) -> list[MetricOut]:
    workspace, _m = _context(request, slug, READ)
    return [_metric_out(m) for m in selectors.metric_index(workspace).values()]


@router.post(
    f"{BASE}/metrics",
    response={201: MetricOut},
    summary="Add a metric of the workspace's own (a derived one: aggregation ratio)",
)
def metric_post(request: HttpRequest, slug: str, payload: MetricIn) -> tuple[int, MetricOut]:
    workspace, me = _context(request, slug, EDIT)
    metric = services.metric_create(
        actor=me.user, workspace=workspace, key=payload.key, **_metric_values(payload)
    )
    return 201, _metric_out(selectors.metric_def(metric))


@router.put(
    f"{BASE}/metrics/{{key}}",
    response=MetricOut,
    summary="Change a metric of the workspace's own (its key stays)",
)
def metric_put(request: HttpRequest, slug: str, key: str, payload: MetricChange) -> MetricOut:
    workspace, me = _context(request, slug, EDIT)
    metric = selectors.workspace_metrics(workspace).filter(key=key).first()
    if metric is None:
        raise Http404
    metric = services.metric_update(actor=me.user, metric=metric, **_metric_values(payload))
    return _metric_out(selectors.metric_def(metric))


def _mapping_out(m: ColumnMapping) -> MappingOut:
    return MappingOut(
        uuid=m.uuid,
        name=m.name,
        kind=m.kind,
        header=list(m.header),
        date_column=m.date_column,
        date_order=m.date_order,
        amount_column=m.amount_column,
        status_column=m.status_column,
        status_value=m.status_value,
        response_column=m.response_column,
    )


@router.get(
    f"{BASE}/mappings",
    response=list[MappingOut],
    summary="Saved column mappings for CRM and support-system CSVs",
)
def mapping_list(request: HttpRequest, slug: str) -> list[MappingOut]:
    workspace, _m = _context(request, slug, READ)
    return [_mapping_out(m) for m in selectors.column_mappings(workspace)]


@router.post(
    f"{BASE}/mappings",
    response={201: MappingOut},
    summary="Save a column mapping: files with exactly this header are read with it",
)
def mapping_post(request: HttpRequest, slug: str, payload: MappingIn) -> tuple[int, MappingOut]:
    workspace, me = _context(request, slug, EDIT)
    mapping = services.mapping_create(actor=me.user, workspace=workspace, **payload.model_dump())
    return 201, _mapping_out(mapping)


@router.get(
    f"{BASE}/observations",
    response=list[ObservationOut],
    summary="Daily observations, filtered by metric, channel and date range",
)
def observation_list(
    request: HttpRequest,
    slug: str,
    metric: str | None = None,
    channel: UUID | None = None,
    start: date | None = None,
    end: date | None = None,
    limit: int = 10000,
) -> list[ObservationOut]:
    workspace, _m = _context(request, slug, READ)
    rows = Observation.objects.filter(workspace=workspace).select_related(
        "channel", "source_import"
    )
    if metric:
        rows = rows.filter(metric=metric)
    if channel:
        rows = rows.filter(channel__uuid=channel)
    if start:
        rows = rows.filter(day__gte=start)
    if end:
        rows = rows.filter(day__lte=end)
    return [
        ObservationOut(
            metric=o.metric,
            day=o.day,
            value=f"{o.value.normalize():f}",
            channel=o.channel.uuid if o.channel else None,
            **{"import": o.source_import.uuid if o.source_import else None},
            line=o.source_line,
        )
        for o in rows.order_by("day", "metric")[: max(1, min(limit, 100000))]
    ]


@router.post(
    f"{BASE}/observations",
    response={200: dict[str, int]},
    summary="Write figures by hand in bulk (all or nothing)",
)
def observation_post(
    request: HttpRequest, slug: str, payload: list[ObservationIn]
) -> dict[str, int]:
    workspace, me = _context(request, slug, EDIT)
    channels = {c.uuid: c for c in Channel.objects.filter(workspace=workspace)}
    with transaction.atomic():
        for index, item in enumerate(payload):
            channel = None
            if item.channel is not None:
                channel = channels.get(item.channel)
                if channel is None:
                    raise ConvergeError(
                        _("No channel of this workspace has the id given."),
                        details={"index": index, "field": "channel"},
                        status=422,
                    )
            try:
                services.observation_set(
                    actor=me.user,
                    workspace=workspace,
                    metric=item.metric,
                    day=item.day,
                    value=item.value,
                    channel=channel,
                )
            except ConvergeError as exc:
                exc.details["index"] = index
                raise
    return {"written": len(payload)}


@router.post(
    f"{BASE}/imports",
    response={201: ImportOut},
    summary="Upload a file: it is checked and previewed, nothing is written yet",
)
def import_post(
    request: HttpRequest,
    slug: str,
    file: UploadedFile = File(...),  # noqa: B008 - ninja's way to declare an upload
    channel: UUID | None = Form(None),  # noqa: B008
) -> tuple[int, ImportOut]:
    workspace, me = _context(request, slug, EDIT)
    chosen = None
    if channel is not None:
        chosen = Channel.objects.filter(workspace=workspace, uuid=channel).first()
        if chosen is None:
            raise ConvergeError(
                _("No channel of this workspace has the id given."), field="channel", status=422
            )
    record = services.import_start(
        actor=me.user,
        workspace=workspace,
        data=file,
        filename=file.name or "upload",
        channel=chosen,
    )
    return 201, _import_out(record)


@router.get(f"{BASE}/imports", response=list[ImportOut], summary="Import history")
def import_list(request: HttpRequest, slug: str) -> list[ImportOut]:
    workspace, _m = _context(request, slug, READ)
    return [
        _import_out(i) for i in Import.objects.filter(workspace=workspace).select_related("channel")
    ]


@router.get(f"{BASE}/imports/{{imp}}", response=ImportOut, summary="One import and its status")
def import_get(request: HttpRequest, slug: str, imp: UUID) -> ImportOut:
    workspace, _m = _context(request, slug, READ)
    return _import_out(_get_import(workspace, imp))


@router.post(f"{BASE}/imports/{{imp}}/commit", response=ImportOut, summary="Write a checked import")
def import_commit(request: HttpRequest, slug: str, imp: UUID) -> ImportOut:
    workspace, me = _context(request, slug, EDIT)
    return _import_out(services.import_commit(actor=me.user, record=_get_import(workspace, imp)))


@router.post(f"{BASE}/imports/{{imp}}/rollback", response=ImportOut, summary="Roll an import back")
def import_rollback(request: HttpRequest, slug: str, imp: UUID) -> ImportOut:
    workspace, me = _context(request, slug, EDIT)
    return _import_out(services.import_rollback(actor=me.user, record=_get_import(workspace, imp)))


# --- The metric explorer: a metric's value, why it changed, the rows behind it ------------


class PeriodOut(Schema):
    start: date
    end: date


class ChannelFigureOut(Schema):
    channel: UUID | None  # None: the business figures (no channel)
    label: str
    before: str | None
    after: str | None


class MetricValueOut(Schema):
    key: str
    unit: str
    aggregation: str
    period: PeriodOut
    previous_period: PeriodOut
    value: str | None
    previous_value: str | None
    change: str | None
    formula: str
    channels: list[ChannelFigureOut]


class ChannelChangeOut(Schema):
    channel: UUID | None
    label: str
    before: str | None
    after: str | None
    weight_before: str | None  # ratios: percent of the denominator
    weight_after: str | None
    rate_effect: str
    mix_effect: str
    change: str  # rate_effect + mix_effect; the channels' changes add up to the total
    share: str | None  # percent of the total change


class ContributorOut(Schema):
    label: str
    channel: str
    value: str
    share_of_posts: str | None
    share_of_change: str | None
    rate: str | None
    posts: int
    post_id: str | None = None
    import_id: UUID | None = Field(default=None, alias="import")
    line: int | None = None


class WhyOut(Schema):
    key: str
    period: PeriodOut
    previous_period: PeriodOut
    before: str | None
    after: str | None
    change: str | None
    method: str  # additive | rate_and_mix
    explanation: str
    channels: list[ChannelChangeOut]
    posts_metric: str | None
    posts: list[ContributorOut]
    campaigns: list[ContributorOut]


class RowOut(Schema):
    day: date
    channel: UUID | None
    channel_label: str
    metric: str
    value: str
    import_id: UUID | None = Field(default=None, alias="import")
    file_name: str | None
    line: int | None


class TotalOut(Schema):
    total: str
    rows: int


class RowsOut(Schema):
    key: str
    period: PeriodOut
    channel: UUID | None
    formula: str
    totals: dict[str, TotalOut]
    figure: str | None
    count: int
    rows: list[RowOut]


def _text(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def _period_pair(
    start: date | None, end: date | None, vs_start: date | None, vs_end: date | None
) -> tuple[Period, Period]:
    """The period asked for (by default the last 30 days) and the one to compare it with
    (by default the same length just before)."""
    today = timezone.localdate()
    end = end or (start + timedelta(days=29) if start and start > today else today)
    start = start or end - timedelta(days=29)
    if start > end:
        raise ConvergeError(_("The end comes before the start."), field="end", status=422)
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ConvergeError(_("A period can be at most three years long."), field="end", status=422)
    current = Period(start, end)
    if bool(vs_start) != bool(vs_end):
        raise ConvergeError(
            _("Give both ends of the period to compare with, or neither."),
            field="vs_end" if vs_start else "vs_start",
            status=422,
        )
    if vs_start and vs_end:
        if vs_start > vs_end:
            raise ConvergeError(_("The end comes before the start."), field="vs_end", status=422)
        return current, Period(vs_start, vs_end)
    return current, current.previous()


def _explorer(
    request: HttpRequest,
    slug: str,
    key: str,
    start: date | None,
    end: date | None,
    vs_start: date | None,
    vs_end: date | None,
) -> explorer.Explorer:
    workspace, _m = _context(request, slug, READ)
    index = selectors.metric_index(workspace)
    metric = index.get(key)
    if metric is None:
        raise Http404
    current, previous = _period_pair(start, end, vs_start, vs_end)
    return explorer.build(workspace, metric, current, previous, index)


@router.get(
    f"{BASE}/metrics/{{key}}/value",
    response=MetricValueOut,
    summary="A metric's value over a period and the period before, per channel",
)
def metric_value(
    request: HttpRequest,
    slug: str,
    key: str,
    start: date | None = None,
    end: date | None = None,
    vs_start: date | None = None,
    vs_end: date | None = None,
) -> MetricValueOut:
    data = _explorer(request, slug, key, start, end, vs_start, vs_end)
    return MetricValueOut(
        key=data.metric.key,
        unit=data.metric.unit,
        aggregation=data.metric.aggregation,
        period=PeriodOut(start=data.current.start, end=data.current.end),
        previous_period=PeriodOut(start=data.previous.start, end=data.previous.end),
        value=_text(data.after),
        previous_value=_text(data.before),
        change=_text(data.change),
        formula=explorer.formula(data.metric, data.current, data.labels()),
        channels=[
            ChannelFigureOut(
                channel=row.ref.uuid,
                label=row.ref.label,
                before=_text(row.before),
                after=_text(row.after),
            )
            for row in data.channels
        ],
    )


@router.get(
    f"{BASE}/metrics/{{key}}/why",
    response=WhyOut,
    summary="Why a metric changed: its change split by channel (exactly), posts, campaigns",
)
def metric_why(
    request: HttpRequest,
    slug: str,
    key: str,
    start: date | None = None,
    end: date | None = None,
    vs_start: date | None = None,
    vs_end: date | None = None,
) -> WhyOut:
    data = _explorer(request, slug, key, start, end, vs_start, vs_end)
    refs = {row.ref.id: row.ref for row in data.channels}
    return WhyOut(
        key=data.metric.key,
        period=PeriodOut(start=data.current.start, end=data.current.end),
        previous_period=PeriodOut(start=data.previous.start, end=data.previous.end),
        before=_text(data.before),
        after=_text(data.after),
        change=_text(data.change),
        method="additive" if data.why.additive else "rate_and_mix",
        explanation=data.explanation,
        channels=[
            ChannelChangeOut(
                channel=refs[c.channel].uuid,
                label=refs[c.channel].label,
                before=_text(c.before),
                after=_text(c.after),
                weight_before=_text(c.weight_before),
                weight_after=_text(c.weight_after),
                rate_effect=f"{c.rate_effect:f}",
                mix_effect=f"{c.mix_effect:f}",
                change=f"{c.effect:f}",
                share=_text(c.share),
            )
            for c in data.why.channels
        ],
        posts_metric=data.posts_key or None,
        posts=[
            ContributorOut(
                label=c.label,
                channel=c.channel,
                value=f"{c.value.normalize():f}",
                share_of_posts=_text(c.share_of_posts),
                share_of_change=_text(c.share_of_change),
                rate=_text(c.rate),
                posts=1,
                post_id=post.external_id,
                **{"import": post.source_import.uuid if post.source_import else None},
                line=post.source_line,
            )
            for post, c in data.posts
        ],
        campaigns=[
            ContributorOut(
                label=c.label,
                channel="",
                value=f"{c.value.normalize():f}",
                share_of_posts=_text(c.share_of_posts),
                share_of_change=_text(c.share_of_change),
                rate=_text(c.rate),
                posts=c.count,
            )
            for c in data.campaigns
        ],
    )


@router.get(
    f"{BASE}/metrics/{{key}}/rows",
    response=RowsOut,
    summary="The rows behind a metric's figure over a period, with their totals and the formula",
)
def metric_rows(
    request: HttpRequest,
    slug: str,
    key: str,
    start: date | None = None,
    end: date | None = None,
    channel: str | None = None,
    limit: int = 10000,
) -> RowsOut:
    workspace, _m = _context(request, slug, READ)
    metric = selectors.metric_index(workspace).get(key)
    if metric is None:
        raise Http404
    period, _previous = _period_pair(start, end, None, None)
    target = selectors.ANY_CHANNEL
    ref = None
    if channel:
        ref = selectors.channel_ref(workspace, channel)
        if ref is None:
            raise ConvergeError(
                _("No channel of this workspace has the id given."), field="channel", status=422
            )
        target = ref.id
    found = explorer.drill(workspace, metric, period, target)
    return RowsOut(
        key=metric.key,
        period=PeriodOut(start=period.start, end=period.end),
        channel=ref.uuid if ref else None,
        formula=found.formula,
        totals={
            k: TotalOut(total=f"{total.normalize():f}", rows=n)
            for k, (total, n) in found.totals.items()
        },
        figure=_text(found.figure),
        count=sum(n for _t, n in found.totals.values()),
        rows=[
            RowOut(
                day=o.day,
                channel=o.channel.uuid if o.channel else None,
                channel_label=str(o.channel) if o.channel else "",
                metric=o.metric,
                value=f"{o.value.normalize():f}",
                **{"import": o.source_import.uuid if o.source_import else None},
                file_name=o.source_import.file_name if o.source_import else None,
                line=o.source_line,
            )
            for o in found.rows[: max(1, min(limit, 100000))]
        ],
    )


# --- Annotations ----------------------------------------------------------------------------


class AnnotationIn(Schema):
    day: date
    end_day: date | None = None
    title: str = Field(min_length=1, max_length=200)
    kind: AnnotationKind = AnnotationKind.OTHER
    channel: UUID | None = Field(default=None, description="None: the whole workspace.")


class AnnotationPatch(Schema):
    day: date | None = None
    end_day: date | None = None
    title: str | None = Field(default=None, min_length=1, max_length=200)
    kind: AnnotationKind | None = None
    channel: UUID | None = None


class AnnotationOut(Schema):
    uuid: UUID
    day: date
    end_day: date | None
    title: str
    kind: str
    channel: UUID | None


def _annotation_out(a: Annotation) -> AnnotationOut:
    return AnnotationOut(
        uuid=a.uuid,
        day=a.day,
        end_day=a.end_day,
        title=a.title,
        kind=a.kind,
        channel=a.channel.uuid if a.channel else None,
    )


def _channel_of(workspace: Workspace, uuid: UUID | None) -> Channel | None:
    if uuid is None:
        return None
    channel = Channel.objects.filter(workspace=workspace, uuid=uuid).first()
    if channel is None:
        raise ConvergeError(
            _("No channel of this workspace has the id given."), field="channel", status=422
        )
    return channel


def _get_annotation(workspace: Workspace, annotation: UUID) -> Annotation:
    found = selectors.annotation(workspace, annotation)
    if found is None:
        raise Http404
    return found


@router.get(
    f"{BASE}/annotations",
    response=list[AnnotationOut],
    summary="Annotations (campaigns, outages, crises), optionally those touching a date range",
)
def annotation_list(
    request: HttpRequest, slug: str, start: date | None = None, end: date | None = None
) -> list[AnnotationOut]:
    workspace, _m = _context(request, slug, READ)
    return [_annotation_out(a) for a in selectors.annotations_in(workspace, start, end)]


@router.post(f"{BASE}/annotations", response={201: AnnotationOut}, summary="Add an annotation")
def annotation_post(
    request: HttpRequest, slug: str, payload: AnnotationIn
) -> tuple[int, AnnotationOut]:
    workspace, me = _context(request, slug, EDIT)
    row = services.annotation_save(
        actor=me.user,
        workspace=workspace,
        day=payload.day,
        end_day=payload.end_day,
        title=payload.title,
        kind=payload.kind.value,
        channel=_channel_of(workspace, payload.channel),
    )
    return 201, _annotation_out(row)


@router.get(f"{BASE}/annotations/{{annotation}}", response=AnnotationOut, summary="One annotation")
def annotation_get(request: HttpRequest, slug: str, annotation: UUID) -> AnnotationOut:
    workspace, _m = _context(request, slug, READ)
    return _annotation_out(_get_annotation(workspace, annotation))


@router.patch(
    f"{BASE}/annotations/{{annotation}}", response=AnnotationOut, summary="Change an annotation"
)
def annotation_patch(
    request: HttpRequest, slug: str, annotation: UUID, payload: AnnotationPatch
) -> AnnotationOut:
    workspace, me = _context(request, slug, EDIT)
    row = _get_annotation(workspace, annotation)
    given = payload.model_dump(exclude_unset=True)
    channel = row.channel
    if "channel" in given:
        channel = _channel_of(workspace, given["channel"])
    kind = given.get("kind") or row.kind
    row = services.annotation_save(
        actor=me.user,
        workspace=workspace,
        annotation=row,
        day=given.get("day") or row.day,
        end_day=given.get("end_day", row.end_day),
        title=given.get("title") or row.title,
        kind=str(getattr(kind, "value", kind)),
        channel=channel,
    )
    return _annotation_out(row)


@router.delete(
    f"{BASE}/annotations/{{annotation}}", response={204: None}, summary="Delete an annotation"
)
def annotation_delete(request: HttpRequest, slug: str, annotation: UUID) -> tuple[int, None]:
    workspace, me = _context(request, slug, EDIT)
    services.annotation_delete(actor=me.user, annotation=_get_annotation(workspace, annotation))
    return 204, None


# --- Dashboard tables -------------------------------------------------------------------------


class BoardKpiOut(Schema):
    kpi: UUID
    name: str
    metric_key: str
    unit: str
    status: str
    value: str | None
    value_before: str | None  # as it stood at the end of the period before
    change: str | None
    percent_to_target: str | None
    last_updated: date | None
    rows_url: str | None  # the rows behind the value (one channel or every channel)


class BoardGroupOut(Schema):
    goal: UUID | None  # None: KPIs whose objective serves no business goal
    title: str
    kpis: list[BoardKpiOut]


class BoardOut(Schema):
    department: str | None
    period: PeriodOut
    previous_period: PeriodOut
    groups: list[BoardGroupOut]


class ChannelBoardRowOut(Schema):
    key: str
    unit: str
    aggregation: str
    value: str | None
    value_before: str | None
    change: str | None


class ChannelBoardOut(Schema):
    channel: UUID
    label: str
    period: PeriodOut
    previous_period: PeriodOut
    metrics: list[ChannelBoardRowOut]


def _dashboard_periods(
    start: date | None, end: date | None, vs_start: date | None, vs_end: date | None
) -> tuple[Period, Period]:
    """As the dashboard page: by default the last 365 days against the 365 before."""
    if start is None and end is None:
        default = last_year(timezone.localdate())
        start, end = default.start, default.end
    return _period_pair(start, end, vs_start, vs_end)


@router.get(
    f"{BASE}/dashboard",
    response=BoardOut,
    summary="The KPI dashboard: every KPI by business goal, at the end of a period and before",
)
def dashboard(
    request: HttpRequest,
    slug: str,
    department: str | None = None,
    start: date | None = None,
    end: date | None = None,
    vs_start: date | None = None,
    vs_end: date | None = None,
) -> BoardOut:
    workspace, _m = _context(request, slug, READ)
    chosen = None
    if department:
        chosen = Department.objects.filter(workspace=workspace, slug=department).first()
        if chosen is None:
            raise Http404
    current, previous = _dashboard_periods(start, end, vs_start, vs_end)
    groups = selectors.kpi_board(
        workspace, current.end, chosen, history_from=current.start, compare_to=previous.end
    )
    uuids = selectors.channel_uuids(workspace)
    out = []
    for group in groups:
        rows = []
        for row in group.rows:
            p = row.found.progress
            rows.append(
                BoardKpiOut(
                    kpi=row.kpi.uuid,
                    name=row.kpi.name,
                    metric_key=row.kpi.metric_key,
                    unit=row.kpi.unit,
                    status=p.status,
                    value=plain(p.current),
                    value_before=plain(row.found.before),
                    change=plain(row.found.change),
                    percent_to_target=plain(p.percent_to_target, 1),
                    last_updated=p.last_updated,
                    rows_url=kpi_rows_url(workspace.slug, row.kpi, p, row.found.channels, uuids),
                )
            )
        out.append(
            BoardGroupOut(
                goal=group.goal.uuid if group.goal else None, title=group.title, kpis=rows
            )
        )
    return BoardOut(
        department=chosen.slug if chosen else None,
        period=PeriodOut(start=current.start, end=current.end),
        previous_period=PeriodOut(start=previous.start, end=previous.end),
        groups=out,
    )


@router.get(
    f"{BASE}/channels/{{channel}}/dashboard",
    response=ChannelBoardOut,
    summary="A channel's dashboard: every metric it has figures for, in a period and before",
)
def channel_dashboard(
    request: HttpRequest,
    slug: str,
    channel: UUID,
    start: date | None = None,
    end: date | None = None,
    vs_start: date | None = None,
    vs_end: date | None = None,
) -> ChannelBoardOut:
    workspace, _m = _context(request, slug, READ)
    found = Channel.objects.filter(workspace=workspace, uuid=channel).first()
    if found is None:
        raise Http404
    current, previous = _period_pair(start, end, vs_start, vs_end)
    figures = selectors.channel_board(workspace, found, current, previous)
    return ChannelBoardOut(
        channel=found.uuid,
        label=str(found),
        period=PeriodOut(start=current.start, end=current.end),
        previous_period=PeriodOut(start=previous.start, end=previous.end),
        metrics=[
            ChannelBoardRowOut(
                key=f.metric.key,
                unit=f.metric.unit,
                aggregation=f.metric.aggregation,
                value=_text(f.after),
                value_before=_text(f.before),
                change=_text(f.change),
            )
            for f in figures
        ],
    )

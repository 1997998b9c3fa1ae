"""API: the social strategy — business goals, objectives, KPIs, audiences and their evidence,
messages, the roadmap's initiatives, and the alignment check.

Every path is ``/workspaces/{slug}/strategy/…``. Reading needs ``view_workspace``; writing
needs the ``edit_strategy`` capability and goes through ``converge.strategy.services``.

Shapes: references are by UUID (goals, objectives, audiences, KPIs; people by membership UUID)
or by slug (departments). Decimals are accepted as strings or numbers and always returned as
strings, exactly (send strings for figures beyond a float's precision). A create (POST) takes
the whole object; an update (PATCH) takes only the fields to change, and the others keep their
value. Nothing is deleted: objects are archived and restored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar
from uuid import UUID

import pydantic
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import ValidationError
from pydantic import Field

from converge.api.core import _context
from converge.core.errors import ConvergeError
from converge.core.models import Capability, Department, Membership, User, Workspace
from converge.core.policy import Action
from converge.measurement import progress_text
from converge.measurement import selectors as measurement
from converge.measurement.models import Channel
from converge.strategy import selectors, services, yaml_io
from converge.strategy.models import (
    AmecStage,
    Audience,
    AudienceKind,
    BusinessGoal,
    Cadence,
    Direction,
    Initiative,
    InitiativeStatus,
    Kpi,
    KpiValue,
    KpiWindow,
    MaturityStage,
    Message,
    Platform,
    PlatformPresence,
    PresenceUnit,
    Priority,
    Realism,
    SocialObjective,
)
from converge.strategy.rules import Report

router = Router(tags=["strategy"])

READ = Action.VIEW_WORKSPACE
EDIT = Capability.EDIT_STRATEGY
BASE = "/workspaces/{slug}/strategy"

M = TypeVar("M", bound=Model)
S = TypeVar("S", bound=Schema)

# Decimals as the columns hold them (max digits, decimal places).
KpiNumber = Annotated[Decimal, Field(max_digits=18, decimal_places=4)]
Money = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Figure = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
URL_PATTERN = r"^(https?://\S+)?$"


# --- Helpers --------------------------------------------------------------------------------


def _decimal_str(value: Decimal) -> str:
    """A stored decimal as an exact string, without the column's trailing zeros."""
    return format(value.normalize(), "f")


def _decimal_out(value: Decimal | None) -> str | None:
    return None if value is None else _decimal_str(value)


def _exact(value: Decimal, places: int) -> Decimal:
    """``value`` with the column's decimal places, so an unchanged figure compares equal."""
    return value.quantize(Decimal(1).scaleb(-places))


def _exact_or_none(value: Decimal | None, places: int) -> Decimal | None:
    return None if value is None else _exact(value, places)


def _one(select: Callable[..., QuerySet[M]], workspace: Workspace, uuid: UUID) -> M:
    """One object through its list selector (with the list's joins), archived or not."""
    for archived in (False, True):
        found = select(workspace, archived=archived).filter(uuid=uuid).first()
        if found is not None:
            return found
    raise Http404


def _resolve(
    queryset: QuerySet[M], keys: Sequence[Any], *, key: str, field: str, message: str
) -> list[M]:
    """The objects named by ``keys`` (in that order), or 422 naming the ones not found."""
    wanted = list(dict.fromkeys(keys))
    found = {getattr(o, key): o for o in queryset.filter(**{f"{key}__in": wanted})}
    missing = [str(k) for k in wanted if k not in found]
    if missing:
        raise ConvergeError(message, field=field, details={"missing": missing}, status=422)
    return [found[k] for k in wanted]


def _live(model: type[M], workspace: Workspace, keep: Collection[int] = ()) -> QuerySet[M]:
    """The workspace's live objects, and those already linked (``keep``: their ids)."""
    return model._default_manager.filter(workspace=workspace).filter(
        Q(archived_at__isnull=True) | Q(pk__in=list(keep))
    )


def _goals(
    workspace: Workspace, uuids: Sequence[UUID], keep: Collection[int]
) -> list[BusinessGoal]:
    return _resolve(
        _live(BusinessGoal, workspace, keep),
        uuids,
        key="uuid",
        field="goals",
        message=_("No live business goal of this workspace has the id given."),
    )


def _objectives(
    workspace: Workspace, uuids: Sequence[UUID], keep: Collection[int], field: str
) -> list[SocialObjective]:
    return _resolve(
        _live(SocialObjective, workspace, keep),
        uuids,
        key="uuid",
        field=field,
        message=_("No live objective of this workspace has the id given."),
    )


def _audiences(
    workspace: Workspace, uuids: Sequence[UUID], keep: Collection[int]
) -> list[Audience]:
    return _resolve(
        _live(Audience, workspace, keep),
        uuids,
        key="uuid",
        field="audiences",
        message=_("No live audience of this workspace has the id given."),
    )


def _departments(workspace: Workspace, slugs: Sequence[str], field: str) -> list[Department]:
    return _resolve(
        Department.objects.filter(workspace=workspace),
        slugs,
        key="slug",
        field=field,
        message=_("No department of this workspace has the slug given."),
    )


def _member(workspace: Workspace, uuid: UUID | None, field: str) -> Membership | None:
    if uuid is None:
        return None
    return _resolve(
        Membership.objects.filter(workspace=workspace),
        [uuid],
        key="uuid",
        field=field,
        message=_("No member of this workspace has the id given."),
    )[0]


def _deep_merge(current: Mapping[str, Any], given: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(current)
    for name, value in given.items():
        if isinstance(value, Mapping) and isinstance(merged.get(name), Mapping):
            merged[name] = _deep_merge(merged[name], value)
        else:
            merged[name] = value
    return merged


def _patched(schema: type[S], current: Schema, patch: Schema, nullable: Collection[str] = ()) -> S:
    """The full input ``schema`` for an update: the object as it is (``current``, its output)
    with the fields ``patch`` gives. A null keeps the field, unless the field may be empty
    (``nullable``); inside a nested object (a KPI's baseline, …) a null always empties it."""
    given = {
        name: value
        for name, value in patch.model_dump(exclude_unset=True).items()
        if value is not None or name in nullable
    }
    merged = _deep_merge(current.model_dump(include=set(schema.model_fields)), given)
    try:
        return schema.model_validate(merged)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [
                {**error, "loc": ("body", "payload", *error["loc"])}
                for error in exc.errors(include_url=False, include_context=False)
            ]
        ) from exc


def _archived(
    obj: Any, archive: Callable[..., Any], kind: str, actor: User, archived: bool
) -> None:
    """Archive or restore ``obj`` through its service; nothing is written if it already is."""
    if (obj.archived_at is not None) != archived:
        archive(**{"actor": actor, kind: obj, "archived": archived})


# --- Business goals -------------------------------------------------------------------------


class GoalIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    business_metric: str = Field(min_length=1, max_length=200)
    horizon: dt.date
    priority: Priority = Priority.MEDIUM
    description: str = ""
    departments: list[str] = Field(default=[], description="Department slugs.")
    source: str = Field(default="", max_length=300)


class GoalPatch(Schema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    business_metric: str | None = Field(default=None, min_length=1, max_length=200)
    horizon: dt.date | None = None
    priority: Priority | None = None
    description: str | None = None
    departments: list[str] | None = None
    source: str | None = Field(default=None, max_length=300)


class GoalOut(Schema):
    uuid: UUID
    title: str
    business_metric: str
    horizon: dt.date
    priority: int
    description: str
    departments: list[str]
    source: str
    created_at: dt.datetime
    archived_at: dt.datetime | None


def _goal_out(g: BusinessGoal) -> GoalOut:
    return GoalOut(
        uuid=g.uuid,
        title=g.title,
        business_metric=g.business_metric,
        horizon=g.horizon,
        priority=g.priority,
        description=g.description,
        departments=[d.slug for d in g.departments.all()],
        source=g.source,
        created_at=g.created_at,
        archived_at=g.archived_at,
    )


def _goal_write(
    me: Membership, workspace: Workspace, goal: BusinessGoal | None, data: GoalIn
) -> BusinessGoal:
    return services.goal_save(
        actor=me.user,
        workspace=workspace,
        goal=goal,
        title=data.title,
        business_metric=data.business_metric,
        horizon=data.horizon,
        priority=data.priority.value,
        description=data.description,
        departments=_departments(workspace, data.departments, "departments"),
        source=data.source,
    )


@router.get(f"{BASE}/goals", response=list[GoalOut], summary="Business goals")
def goal_list(request: HttpRequest, slug: str, archived: bool = False) -> list[GoalOut]:
    workspace, _m = _context(request, slug, READ)
    return [_goal_out(g) for g in selectors.goals(workspace, archived=archived)]


@router.post(f"{BASE}/goals", response={201: GoalOut}, summary="Add a business goal")
def goal_post(request: HttpRequest, slug: str, payload: GoalIn) -> tuple[int, GoalOut]:
    workspace, me = _context(request, slug, EDIT)
    goal = _goal_write(me, workspace, None, payload)
    return 201, _goal_out(_one(selectors.goals, workspace, goal.uuid))


@router.get(f"{BASE}/goals/{{goal}}", response=GoalOut, summary="One business goal")
def goal_get(request: HttpRequest, slug: str, goal: UUID) -> GoalOut:
    workspace, _m = _context(request, slug, READ)
    return _goal_out(_one(selectors.goals, workspace, goal))


@router.patch(f"{BASE}/goals/{{goal}}", response=GoalOut, summary="Change a business goal")
def goal_patch(request: HttpRequest, slug: str, goal: UUID, payload: GoalPatch) -> GoalOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.goals, workspace, goal)
    _goal_write(me, workspace, obj, _patched(GoalIn, _goal_out(obj), payload))
    return _goal_out(_one(selectors.goals, workspace, goal))


@router.post(f"{BASE}/goals/{{goal}}/archive", response=GoalOut, summary="Archive a goal")
def goal_archive(request: HttpRequest, slug: str, goal: UUID) -> GoalOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.goals, workspace, goal)
    _archived(obj, services.goal_archive, "goal", me.user, archived=True)
    return _goal_out(_one(selectors.goals, workspace, goal))


@router.post(f"{BASE}/goals/{{goal}}/restore", response=GoalOut, summary="Restore a goal")
def goal_restore(request: HttpRequest, slug: str, goal: UUID) -> GoalOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.goals, workspace, goal)
    _archived(obj, services.goal_archive, "goal", me.user, archived=False)
    return _goal_out(_one(selectors.goals, workspace, goal))


# --- Social objectives ----------------------------------------------------------------------


class ObjectiveIn(Schema):
    statement: str = Field(min_length=1, max_length=300)
    goals: list[UUID] = Field(default=[], description="The business goals it serves.")
    departments: list[str] = Field(default=[], description="Slugs of the departments served.")
    start: dt.date
    end: dt.date
    realism: Realism = Realism.MEDIUM
    realism_rationale: str = ""
    review_cadence: Cadence = Cadence.QUARTERLY


class ObjectivePatch(Schema):
    statement: str | None = Field(default=None, min_length=1, max_length=300)
    goals: list[UUID] | None = None
    departments: list[str] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    realism: Realism | None = None
    realism_rationale: str | None = None
    review_cadence: Cadence | None = None


class ObjectiveOut(Schema):
    uuid: UUID
    statement: str
    goals: list[UUID]
    departments: list[str]
    start: dt.date
    end: dt.date
    realism: str
    realism_rationale: str
    review_cadence: str
    kpis: list[UUID]
    last_review: dt.date | None
    created_at: dt.datetime
    archived_at: dt.datetime | None


def _objective_out(o: SocialObjective) -> ObjectiveOut:
    return ObjectiveOut(
        uuid=o.uuid,
        statement=o.statement,
        goals=[g.uuid for g in o.goals.all()],
        departments=[d.slug for d in o.departments.all()],
        start=o.start,
        end=o.end,
        realism=o.realism,
        realism_rationale=o.realism_rationale,
        review_cadence=o.review_cadence,
        kpis=[k.uuid for k in o.kpis.all()],
        last_review=getattr(o, "last_review", None),
        created_at=o.created_at,
        archived_at=o.archived_at,
    )


def _objective_write(
    me: Membership, workspace: Workspace, objective: SocialObjective | None, data: ObjectiveIn
) -> SocialObjective:
    linked = [g.pk for g in objective.goals.all()] if objective else []
    return services.objective_save(
        actor=me.user,
        workspace=workspace,
        objective=objective,
        statement=data.statement,
        goals=_goals(workspace, data.goals, linked),
        departments=_departments(workspace, data.departments, "departments"),
        start=data.start,
        end=data.end,
        realism=data.realism.value,
        realism_rationale=data.realism_rationale,
        review_cadence=data.review_cadence.value,
    )


@router.get(f"{BASE}/objectives", response=list[ObjectiveOut], summary="Social objectives")
def objective_list(request: HttpRequest, slug: str, archived: bool = False) -> list[ObjectiveOut]:
    workspace, _m = _context(request, slug, READ)
    return [_objective_out(o) for o in selectors.objectives(workspace, archived=archived)]


@router.post(f"{BASE}/objectives", response={201: ObjectiveOut}, summary="Add an objective")
def objective_post(
    request: HttpRequest, slug: str, payload: ObjectiveIn
) -> tuple[int, ObjectiveOut]:
    workspace, me = _context(request, slug, EDIT)
    objective = _objective_write(me, workspace, None, payload)
    return 201, _objective_out(_one(selectors.objectives, workspace, objective.uuid))


@router.get(f"{BASE}/objectives/{{objective}}", response=ObjectiveOut, summary="One objective")
def objective_get(request: HttpRequest, slug: str, objective: UUID) -> ObjectiveOut:
    workspace, _m = _context(request, slug, READ)
    return _objective_out(_one(selectors.objectives, workspace, objective))


@router.patch(
    f"{BASE}/objectives/{{objective}}", response=ObjectiveOut, summary="Change an objective"
)
def objective_patch(
    request: HttpRequest, slug: str, objective: UUID, payload: ObjectivePatch
) -> ObjectiveOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.objectives, workspace, objective)
    _objective_write(me, workspace, obj, _patched(ObjectiveIn, _objective_out(obj), payload))
    return _objective_out(_one(selectors.objectives, workspace, objective))


@router.post(
    f"{BASE}/objectives/{{objective}}/archive",
    response=ObjectiveOut,
    summary="Archive an objective",
)
def objective_archive(request: HttpRequest, slug: str, objective: UUID) -> ObjectiveOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.objectives, workspace, objective)
    _archived(obj, services.objective_archive, "objective", me.user, archived=True)
    return _objective_out(_one(selectors.objectives, workspace, objective))


@router.post(
    f"{BASE}/objectives/{{objective}}/restore",
    response=ObjectiveOut,
    summary="Restore an objective",
)
def objective_restore(request: HttpRequest, slug: str, objective: UUID) -> ObjectiveOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.objectives, workspace, objective)
    _archived(obj, services.objective_archive, "objective", me.user, archived=False)
    return _objective_out(_one(selectors.objectives, workspace, objective))


# --- KPIs -----------------------------------------------------------------------------------


class KpiPointIn(Schema):
    """A figure on a day: a KPI's baseline or target."""

    value: KpiNumber | None = None
    date: dt.date | None = None


class KpiBandIn(Schema):
    low: KpiNumber | None = None
    high: KpiNumber | None = None


class KpiIn(Schema):
    objective: UUID
    name: str = Field(min_length=1, max_length=200)
    metric_key: str = Field(
        min_length=1,
        max_length=64,
        pattern=r"^[-a-zA-Z0-9_]+$",
        description="E.g. engagement_rate, leads, response_time.",
    )
    unit: str = Field(default="", max_length=20)
    direction: Direction = Direction.INCREASE
    baseline: KpiPointIn = Field(default_factory=KpiPointIn)
    target: KpiPointIn = Field(
        default_factory=KpiPointIn, description="The target value is not used for a band."
    )
    band: KpiBandIn | None = Field(default=None, description="Only for the direction 'band'.")
    owner: UUID | None = Field(default=None, description="The owner's membership id.")
    review_cadence: Cadence = Cadence.MONTHLY
    amec_stage: AmecStage = AmecStage.OUTCOME
    window: KpiWindow | Literal[""] = Field(
        default="",
        description="The trailing period the figures are aggregated over: day, week, month "
        "(30 days), quarter (91 days) or year; empty: the default for the metric.",
    )
    channels: list[UUID] = Field(
        default=[],
        description="Measurement channel ids the KPI is computed from; none: every channel "
        "and the figures without a channel.",
    )


class KpiPatch(Schema):
    objective: UUID | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    metric_key: str | None = Field(
        default=None, min_length=1, max_length=64, pattern=r"^[-a-zA-Z0-9_]+$"
    )
    unit: str | None = Field(default=None, max_length=20)
    direction: Direction | None = None
    baseline: KpiPointIn | None = Field(default=None, description="Only the given parts change.")
    target: KpiPointIn | None = Field(default=None, description="Only the given parts change.")
    band: KpiBandIn | None = None
    owner: UUID | None = None
    review_cadence: Cadence | None = None
    amec_stage: AmecStage | None = None
    window: KpiWindow | Literal[""] | None = None
    channels: list[UUID] | None = None


class KpiPointOut(Schema):
    value: str | None
    date: dt.date | None


class KpiBandOut(Schema):
    low: str | None
    high: str | None


class KpiOut(Schema):
    uuid: UUID
    objective: UUID
    name: str
    metric_key: str
    unit: str
    direction: str
    baseline: KpiPointOut
    target: KpiPointOut
    band: KpiBandOut | None
    owner: UUID | None
    review_cadence: str
    amec_stage: str
    window: str
    channels: list[UUID]
    created_at: dt.datetime
    archived_at: dt.datetime | None


class KpiValueIn(Schema):
    day: dt.date
    value: KpiNumber
    note: str = Field(default="", max_length=300)


class KpiValueOut(Schema):
    day: dt.date
    value: str
    note: str


# The service names a KPI's fields flat; the API nests them.
KPI_FIELDS = {
    "baseline_value": "baseline.value",
    "baseline_date": "baseline.date",
    "target_value": "target.value",
    "target_date": "target.date",
    "band_low": "band.low",
    "band_high": "band.high",
}


@contextmanager
def _fields_renamed(names: Mapping[str, str]) -> Iterator[None]:
    """Name the payload's field, not the service's, in a ConvergeError's details."""
    try:
        yield
    except ConvergeError as exc:
        if exc.field is not None and exc.field in names:
            exc.field = names[exc.field]
            exc.details["field"] = exc.field
        raise


def _kpi_out(k: Kpi) -> KpiOut:
    band = None
    if k.band_low is not None or k.band_high is not None:
        band = KpiBandOut(low=_decimal_out(k.band_low), high=_decimal_out(k.band_high))
    return KpiOut(
        uuid=k.uuid,
        objective=k.objective.uuid,
        name=k.name,
        metric_key=k.metric_key,
        unit=k.unit,
        direction=k.direction,
        baseline=KpiPointOut(value=_decimal_out(k.baseline_value), date=k.baseline_date),
        target=KpiPointOut(value=_decimal_out(k.target_value), date=k.target_date),
        band=band,
        owner=k.owner.uuid if k.owner else None,
        review_cadence=k.review_cadence,
        amec_stage=k.amec_stage,
        window=k.window,
        channels=sorted((c.uuid for c in k.channels.all()), key=str),
        created_at=k.created_at,
        archived_at=k.archived_at,
    )


def _kpi_write(me: Membership, workspace: Workspace, kpi: Kpi | None, data: KpiIn) -> Kpi:
    linked = [kpi.objective_id] if kpi else []
    objective = _objectives(workspace, [data.objective], linked, "objective")[0]
    owner = _member(workspace, data.owner, "owner")
    channels = _resolve(
        Channel.objects.filter(workspace=workspace),
        data.channels,
        key="uuid",
        field="channels",
        message=_("No channel of this workspace has the id given."),
    )
    band = data.band or KpiBandIn()
    with _fields_renamed(KPI_FIELDS):
        return services.kpi_save(
            actor=me.user,
            workspace=workspace,
            kpi=kpi,
            objective=objective,
            name=data.name,
            metric_key=data.metric_key,
            direction=data.direction.value,
            baseline_value=_exact_or_none(data.baseline.value, 4),
            baseline_date=data.baseline.date,
            target_value=_exact_or_none(data.target.value, 4),
            target_date=data.target.date,
            band_low=_exact_or_none(band.low, 4),
            band_high=_exact_or_none(band.high, 4),
            unit=data.unit,
            owner=owner,
            review_cadence=data.review_cadence.value,
            amec_stage=data.amec_stage.value,
            window=str(data.window),
            channels=channels,
        )


@router.get(f"{BASE}/kpis", response=list[KpiOut], summary="KPIs")
def kpi_list(request: HttpRequest, slug: str, archived: bool = False) -> list[KpiOut]:
    workspace, _m = _context(request, slug, READ)
    return [_kpi_out(k) for k in selectors.kpis(workspace, archived=archived)]


@router.post(f"{BASE}/kpis", response={201: KpiOut}, summary="Add a KPI")
def kpi_post(request: HttpRequest, slug: str, payload: KpiIn) -> tuple[int, KpiOut]:
    workspace, me = _context(request, slug, EDIT)
    kpi = _kpi_write(me, workspace, None, payload)
    return 201, _kpi_out(_one(selectors.kpis, workspace, kpi.uuid))


@router.get(f"{BASE}/kpis/{{kpi}}", response=KpiOut, summary="One KPI")
def kpi_get(request: HttpRequest, slug: str, kpi: UUID) -> KpiOut:
    workspace, _m = _context(request, slug, READ)
    return _kpi_out(_one(selectors.kpis, workspace, kpi))


@router.patch(f"{BASE}/kpis/{{kpi}}", response=KpiOut, summary="Change a KPI")
def kpi_patch(request: HttpRequest, slug: str, kpi: UUID, payload: KpiPatch) -> KpiOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.kpis, workspace, kpi)
    data = _patched(KpiIn, _kpi_out(obj), payload, nullable={"band", "owner"})
    _kpi_write(me, workspace, obj, data)
    return _kpi_out(_one(selectors.kpis, workspace, kpi))


@router.post(f"{BASE}/kpis/{{kpi}}/archive", response=KpiOut, summary="Archive a KPI")
def kpi_archive(request: HttpRequest, slug: str, kpi: UUID) -> KpiOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.kpis, workspace, kpi)
    _archived(obj, services.kpi_archive, "kpi", me.user, archived=True)
    return _kpi_out(_one(selectors.kpis, workspace, kpi))


@router.post(f"{BASE}/kpis/{{kpi}}/restore", response=KpiOut, summary="Restore a KPI")
def kpi_restore(request: HttpRequest, slug: str, kpi: UUID) -> KpiOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.kpis, workspace, kpi)
    _archived(obj, services.kpi_archive, "kpi", me.user, archived=False)
    return _kpi_out(_one(selectors.kpis, workspace, kpi))


class ProjectionOut(Schema):
    method: str = Field(description="linear | seasonal")
    day: dt.date
    value: str
    explanation: str
    inputs: dict[str, Any]


class KpiProgressOut(Schema):
    kpi: UUID
    name: str
    metric_key: str
    status: str = Field(description="on_track | at_risk | off_track | no_data | no_target")
    status_label: str
    reason: str
    source: str = Field(description="observations | manual | none")
    window: str
    as_of: dt.date
    current: str | None
    current_day: dt.date | None = Field(description="The day the current window ends.")
    last_updated: dt.date | None
    stale: bool
    percent_to_target: str | None
    time_elapsed_percent: str | None
    projected_percent: str | None = Field(
        description="The share of the way the status is judged by."
    )
    required_per_day: str | None
    projection: ProjectionOut | None = Field(description="The projection the status follows.")
    linear: ProjectionOut | None
    seasonal: ProjectionOut | None
    explanation: str
    formula: str | None = Field(description="The current value's formula in words, with inputs.")
    inputs: dict[str, Any] | None = Field(description="Sums, counts and the rows' date range.")


def _projection_out(p: Any) -> ProjectionOut | None:
    if p is None:
        return None
    inputs = {
        "points": p.points,
        "since": p.since,
        "slope_per_day": progress_text.plain(p.slope_per_day, 6),
        "intercept": progress_text.plain(p.intercept),
        "growth": progress_text.plain(p.growth, 6),
        "year_ago_day": p.year_ago_day,
        "year_ago_value": progress_text.plain(p.year_ago_value),
        "reference_day": p.reference_day,
        "reference_value": progress_text.plain(p.reference_value),
        "years": p.years,
    }
    return ProjectionOut(
        method=p.method,
        day=p.day,
        value=progress_text.plain(p.value) or "0",
        explanation=progress_text.describe_projection(p),
        inputs={k: v for k, v in inputs.items() if v not in (None, 0)},
    )


def _progress_out(
    k: Kpi, found: measurement.KpiProgress, index: Mapping[str, Any]
) -> KpiProgressOut:
    p = found.progress
    pct = progress_text.plain
    return KpiProgressOut(
        kpi=k.uuid,
        name=k.name,
        metric_key=k.metric_key,
        status=p.status,
        status_label=str(progress_text.STATUS_LABELS[p.status]),
        reason=p.reason,
        source=p.source,
        window=found.window,
        as_of=p.as_of,
        current=pct(p.current),
        current_day=p.current_day,
        last_updated=p.last_updated,
        stale=p.stale,
        percent_to_target=pct(p.percent_to_target, 2),
        time_elapsed_percent=pct(p.time_elapsed_percent, 2),
        projected_percent=pct(p.projected_percent, 2),
        required_per_day=pct(p.required_per_day, 6),
        projection=_projection_out(p.projection),
        linear=_projection_out(p.linear),
        seasonal=_projection_out(p.seasonal),
        explanation=progress_text.describe_status(p),
        formula=progress_text.describe(p.aggregate, index) if p.aggregate else None,
        inputs=progress_text.inputs(p.aggregate),
    )


@router.get(
    f"{BASE}/progress",
    response=list[KpiProgressOut],
    summary="Progress of every live KPI: current value, percent to target, pace, status",
)
def kpi_progress_list(
    request: HttpRequest, slug: str, as_of: dt.date | None = None
) -> list[KpiProgressOut]:
    workspace, _m = _context(request, slug, READ)
    kpis = list(selectors.kpis(workspace))
    found = measurement.kpi_progress(
        workspace, kpis, as_of or timezone.localdate(), history_years=0
    )
    index = measurement.metric_index(workspace)
    return [_progress_out(k, found[k.pk], index) for k in kpis]


@router.get(
    f"{BASE}/kpis/{{kpi}}/progress",
    response=KpiProgressOut,
    summary="A KPI's progress: current value, percent to target, pace, status, and how",
)
def kpi_progress_get(
    request: HttpRequest, slug: str, kpi: UUID, as_of: dt.date | None = None
) -> KpiProgressOut:
    workspace, _m = _context(request, slug, READ)
    obj = _one(selectors.kpis, workspace, kpi)
    found = measurement.kpi_progress(workspace, [obj], as_of or timezone.localdate())
    return _progress_out(obj, found[obj.pk], measurement.metric_index(workspace))


def _value_out(v: KpiValue) -> KpiValueOut:
    return KpiValueOut(day=v.day, value=_decimal_str(v.value), note=v.note)


@router.get(
    f"{BASE}/kpis/{{kpi}}/values", response=list[KpiValueOut], summary="A KPI's entered values"
)
def kpi_value_list(request: HttpRequest, slug: str, kpi: UUID) -> list[KpiValueOut]:
    workspace, _m = _context(request, slug, READ)
    obj = selectors.get(Kpi, workspace, kpi)
    return [_value_out(v) for v in obj.values.order_by("day")]


@router.post(
    f"{BASE}/kpis/{{kpi}}/values",
    response={201: KpiValueOut},
    summary="Enter (or correct) a KPI's value on a day",
)
def kpi_value_post(
    request: HttpRequest, slug: str, kpi: UUID, payload: KpiValueIn
) -> tuple[int, KpiValueOut]:
    workspace, me = _context(request, slug, EDIT)
    row = services.kpi_value_set(
        actor=me.user,
        kpi=selectors.get(Kpi, workspace, kpi),
        day=payload.day,
        value=_exact(payload.value, 4),
        note=payload.note,
    )
    return 201, _value_out(row)


# --- Audiences and the evidence of where they are ------------------------------------------


class AudienceIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: AudienceKind
    size: int | None = Field(default=None, ge=0)
    priority: Priority = Priority.MEDIUM
    demographics: str = ""


class AudiencePatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: AudienceKind | None = None
    size: int | None = Field(default=None, ge=0)
    priority: Priority | None = None
    demographics: str | None = None


class PresenceIn(Schema):
    figure: Figure
    unit: PresenceUnit = PresenceUnit.PERCENT
    source: str = Field(min_length=1, max_length=300)
    figure_date: dt.date
    source_url: str = Field(default="", max_length=200, pattern=URL_PATTERN)


class PresenceOut(Schema):
    platform: str
    figure: str
    unit: str
    source: str
    source_url: str
    figure_date: dt.date


class AudienceOut(Schema):
    uuid: UUID
    name: str
    kind: str
    size: int | None
    priority: int
    demographics: str
    evidence: list[PresenceOut]
    created_at: dt.datetime
    archived_at: dt.datetime | None


def _presence_out(p: PlatformPresence) -> PresenceOut:
    return PresenceOut(
        platform=p.platform,
        figure=_decimal_str(p.figure),
        unit=p.unit,
        source=p.source,
        source_url=p.source_url,
        figure_date=p.figure_date,
    )


def _audience_out(a: Audience) -> AudienceOut:
    return AudienceOut(
        uuid=a.uuid,
        name=a.name,
        kind=a.kind,
        size=a.size,
        priority=a.priority,
        demographics=a.demographics,
        evidence=[_presence_out(p) for p in a.presence.all()],
        created_at=a.created_at,
        archived_at=a.archived_at,
    )


def _audience_write(
    me: Membership, workspace: Workspace, audience: Audience | None, data: AudienceIn
) -> Audience:
    return services.audience_save(
        actor=me.user,
        workspace=workspace,
        audience=audience,
        name=data.name,
        kind=data.kind.value,
        size=data.size,
        priority=data.priority.value,
        demographics=data.demographics,
    )


@router.get(f"{BASE}/audiences", response=list[AudienceOut], summary="Audiences")
def audience_list(request: HttpRequest, slug: str, archived: bool = False) -> list[AudienceOut]:
    workspace, _m = _context(request, slug, READ)
    return [_audience_out(a) for a in selectors.audiences(workspace, archived=archived)]


@router.post(f"{BASE}/audiences", response={201: AudienceOut}, summary="Add an audience")
def audience_post(request: HttpRequest, slug: str, payload: AudienceIn) -> tuple[int, AudienceOut]:
    workspace, me = _context(request, slug, EDIT)
    audience = _audience_write(me, workspace, None, payload)
    return 201, _audience_out(_one(selectors.audiences, workspace, audience.uuid))


@router.get(f"{BASE}/audiences/{{audience}}", response=AudienceOut, summary="One audience")
def audience_get(request: HttpRequest, slug: str, audience: UUID) -> AudienceOut:
    workspace, _m = _context(request, slug, READ)
    return _audience_out(_one(selectors.audiences, workspace, audience))


@router.patch(f"{BASE}/audiences/{{audience}}", response=AudienceOut, summary="Change an audience")
def audience_patch(
    request: HttpRequest, slug: str, audience: UUID, payload: AudiencePatch
) -> AudienceOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.audiences, workspace, audience)
    data = _patched(AudienceIn, _audience_out(obj), payload, nullable={"size"})
    _audience_write(me, workspace, obj, data)
    return _audience_out(_one(selectors.audiences, workspace, audience))


@router.post(
    f"{BASE}/audiences/{{audience}}/archive", response=AudienceOut, summary="Archive an audience"
)
def audience_archive(request: HttpRequest, slug: str, audience: UUID) -> AudienceOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.audiences, workspace, audience)
    _archived(obj, services.audience_archive, "audience", me.user, archived=True)
    return _audience_out(_one(selectors.audiences, workspace, audience))


@router.post(
    f"{BASE}/audiences/{{audience}}/restore", response=AudienceOut, summary="Restore an audience"
)
def audience_restore(request: HttpRequest, slug: str, audience: UUID) -> AudienceOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.audiences, workspace, audience)
    _archived(obj, services.audience_archive, "audience", me.user, archived=False)
    return _audience_out(_one(selectors.audiences, workspace, audience))


@router.put(
    f"{BASE}/audiences/{{audience}}/evidence/{{platform}}",
    response=PresenceOut,
    summary="Record (or replace) the evidence of an audience's presence on a platform",
)
def presence_put(
    request: HttpRequest, slug: str, audience: UUID, platform: Platform, payload: PresenceIn
) -> PresenceOut:
    workspace, me = _context(request, slug, EDIT)
    row = services.presence_save(
        actor=me.user,
        audience=selectors.get(Audience, workspace, audience),
        platform=platform.value,
        figure=_exact(payload.figure, 2),
        unit=payload.unit.value,
        source=payload.source,
        figure_date=payload.figure_date,
        source_url=payload.source_url,
    )
    return _presence_out(row)


@router.delete(
    f"{BASE}/audiences/{{audience}}/evidence/{{platform}}",
    response={204: None},
    summary="Remove the evidence of an audience's presence on a platform",
)
def presence_delete(
    request: HttpRequest, slug: str, audience: UUID, platform: Platform
) -> tuple[int, None]:
    workspace, me = _context(request, slug, EDIT)
    obj = selectors.get(Audience, workspace, audience)
    row = PlatformPresence.objects.filter(audience=obj, platform=platform.value).first()
    if row is None:
        raise Http404
    services.presence_remove(actor=me.user, presence=row)
    return 204, None


# --- Messages -------------------------------------------------------------------------------


class StrategyMessageIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    audiences: list[UUID] = Field(default=[], description="The audiences it is for.")
    channels: list[Platform] = []
    text: str = ""
    tone: str = Field(default="", max_length=100)
    owner: UUID | None = Field(default=None, description="The owner's membership id.")


class StrategyMessagePatch(Schema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    audiences: list[UUID] | None = None
    channels: list[Platform] | None = None
    text: str | None = None
    tone: str | None = Field(default=None, max_length=100)
    owner: UUID | None = None


class StrategyMessageOut(Schema):
    uuid: UUID
    title: str
    audiences: list[UUID]
    channels: list[str]
    text: str
    tone: str
    owner: UUID | None
    created_at: dt.datetime
    archived_at: dt.datetime | None


def _message_out(m: Message) -> StrategyMessageOut:
    return StrategyMessageOut(
        uuid=m.uuid,
        title=m.title,
        audiences=[a.uuid for a in m.audiences.all()],
        channels=list(m.channels),
        text=m.text,
        tone=m.tone,
        owner=m.owner.uuid if m.owner else None,
        created_at=m.created_at,
        archived_at=m.archived_at,
    )


def _message_write(
    me: Membership, workspace: Workspace, message: Message | None, data: StrategyMessageIn
) -> Message:
    linked = [a.pk for a in message.audiences.all()] if message else []
    return services.message_save(
        actor=me.user,
        workspace=workspace,
        message=message,
        title=data.title,
        audiences=_audiences(workspace, data.audiences, linked),
        channels=[c.value for c in data.channels],
        text=data.text,
        tone=data.tone,
        owner=_member(workspace, data.owner, "owner"),
    )


@router.get(f"{BASE}/messages", response=list[StrategyMessageOut], summary="Messages")
def message_list(
    request: HttpRequest, slug: str, archived: bool = False
) -> list[StrategyMessageOut]:
    workspace, _m = _context(request, slug, READ)
    return [_message_out(m) for m in selectors.messages(workspace, archived=archived)]


@router.post(f"{BASE}/messages", response={201: StrategyMessageOut}, summary="Add a message")
def message_post(
    request: HttpRequest, slug: str, payload: StrategyMessageIn
) -> tuple[int, StrategyMessageOut]:
    workspace, me = _context(request, slug, EDIT)
    message = _message_write(me, workspace, None, payload)
    return 201, _message_out(_one(selectors.messages, workspace, message.uuid))


@router.get(f"{BASE}/messages/{{message}}", response=StrategyMessageOut, summary="One message")
def message_get(request: HttpRequest, slug: str, message: UUID) -> StrategyMessageOut:
    workspace, _m = _context(request, slug, READ)
    return _message_out(_one(selectors.messages, workspace, message))


@router.patch(
    f"{BASE}/messages/{{message}}", response=StrategyMessageOut, summary="Change a message"
)
def message_patch(
    request: HttpRequest, slug: str, message: UUID, payload: StrategyMessagePatch
) -> StrategyMessageOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.messages, workspace, message)
    data = _patched(StrategyMessageIn, _message_out(obj), payload, nullable={"owner"})
    _message_write(me, workspace, obj, data)
    return _message_out(_one(selectors.messages, workspace, message))


@router.post(
    f"{BASE}/messages/{{message}}/archive", response=StrategyMessageOut, summary="Archive a message"
)
def message_archive(request: HttpRequest, slug: str, message: UUID) -> StrategyMessageOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.messages, workspace, message)
    _archived(obj, services.message_archive, "message", me.user, archived=True)
    return _message_out(_one(selectors.messages, workspace, message))


@router.post(
    f"{BASE}/messages/{{message}}/restore", response=StrategyMessageOut, summary="Restore a message"
)
def message_restore(request: HttpRequest, slug: str, message: UUID) -> StrategyMessageOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.messages, workspace, message)
    _archived(obj, services.message_archive, "message", me.user, archived=False)
    return _message_out(_one(selectors.messages, workspace, message))


# --- Roadmap initiatives --------------------------------------------------------------------


class InitiativeIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    start: dt.date
    end: dt.date
    goals: list[UUID] = []
    objectives: list[UUID] = []
    department: str | None = Field(default=None, description="The owner department's slug.")
    status: InitiativeStatus = InitiativeStatus.PLANNED
    priority: Priority = Priority.MEDIUM
    estimated_cost: Money | None = None
    maturity_stage: MaturityStage | None = None
    description: str = ""


class InitiativePatch(Schema):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    start: dt.date | None = None
    end: dt.date | None = None
    goals: list[UUID] | None = None
    objectives: list[UUID] | None = None
    department: str | None = None
    status: InitiativeStatus | None = None
    priority: Priority | None = None
    estimated_cost: Money | None = None
    maturity_stage: MaturityStage | None = None
    description: str | None = None


class InitiativeOut(Schema):
    uuid: UUID
    title: str
    start: dt.date
    end: dt.date
    goals: list[UUID]
    objectives: list[UUID]
    department: str | None
    status: str
    priority: int
    estimated_cost: str | None
    maturity_stage: int | None
    description: str
    created_at: dt.datetime
    archived_at: dt.datetime | None


def _initiative_out(i: Initiative) -> InitiativeOut:
    return InitiativeOut(
        uuid=i.uuid,
        title=i.title,
        start=i.start,
        end=i.end,
        goals=[g.uuid for g in i.goals.all()],
        objectives=[o.uuid for o in i.objectives.all()],
        department=i.department.slug if i.department else None,
        status=i.status,
        priority=i.priority,
        estimated_cost=_decimal_out(i.estimated_cost),
        maturity_stage=i.maturity_stage,
        description=i.description,
        created_at=i.created_at,
        archived_at=i.archived_at,
    )


def _initiative_write(
    me: Membership, workspace: Workspace, initiative: Initiative | None, data: InitiativeIn
) -> Initiative:
    linked_goals = [g.pk for g in initiative.goals.all()] if initiative else []
    linked_objectives = [o.pk for o in initiative.objectives.all()] if initiative else []
    department = None
    if data.department is not None:
        department = _departments(workspace, [data.department], "department")[0]
    return services.initiative_save(
        actor=me.user,
        workspace=workspace,
        initiative=initiative,
        title=data.title,
        start=data.start,
        end=data.end,
        goals=_goals(workspace, data.goals, linked_goals),
        objectives=_objectives(workspace, data.objectives, linked_objectives, "objectives"),
        department=department,
        status=data.status.value,
        priority=data.priority.value,
        estimated_cost=_exact_or_none(data.estimated_cost, 2),
        maturity_stage=data.maturity_stage.value if data.maturity_stage else None,
        description=data.description,
    )


@router.get(f"{BASE}/initiatives", response=list[InitiativeOut], summary="Roadmap initiatives")
def initiative_list(request: HttpRequest, slug: str, archived: bool = False) -> list[InitiativeOut]:
    workspace, _m = _context(request, slug, READ)
    return [_initiative_out(i) for i in selectors.initiatives(workspace, archived=archived)]


@router.post(f"{BASE}/initiatives", response={201: InitiativeOut}, summary="Add an initiative")
def initiative_post(
    request: HttpRequest, slug: str, payload: InitiativeIn
) -> tuple[int, InitiativeOut]:
    workspace, me = _context(request, slug, EDIT)
    initiative = _initiative_write(me, workspace, None, payload)
    return 201, _initiative_out(_one(selectors.initiatives, workspace, initiative.uuid))


@router.get(f"{BASE}/initiatives/{{initiative}}", response=InitiativeOut, summary="One initiative")
def initiative_get(request: HttpRequest, slug: str, initiative: UUID) -> InitiativeOut:
    workspace, _m = _context(request, slug, READ)
    return _initiative_out(_one(selectors.initiatives, workspace, initiative))


@router.patch(
    f"{BASE}/initiatives/{{initiative}}", response=InitiativeOut, summary="Change an initiative"
)
def initiative_patch(
    request: HttpRequest, slug: str, initiative: UUID, payload: InitiativePatch
) -> InitiativeOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.initiatives, workspace, initiative)
    data = _patched(
        InitiativeIn,
        _initiative_out(obj),
        payload,
        nullable={"department", "estimated_cost", "maturity_stage"},
    )
    _initiative_write(me, workspace, obj, data)
    return _initiative_out(_one(selectors.initiatives, workspace, initiative))


@router.post(
    f"{BASE}/initiatives/{{initiative}}/archive",
    response=InitiativeOut,
    summary="Archive an initiative",
)
def initiative_archive(request: HttpRequest, slug: str, initiative: UUID) -> InitiativeOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.initiatives, workspace, initiative)
    _archived(obj, services.initiative_archive, "initiative", me.user, archived=True)
    return _initiative_out(_one(selectors.initiatives, workspace, initiative))


@router.post(
    f"{BASE}/initiatives/{{initiative}}/restore",
    response=InitiativeOut,
    summary="Restore an initiative",
)
def initiative_restore(request: HttpRequest, slug: str, initiative: UUID) -> InitiativeOut:
    workspace, me = _context(request, slug, EDIT)
    obj = _one(selectors.initiatives, workspace, initiative)
    _archived(obj, services.initiative_archive, "initiative", me.user, archived=False)
    return _initiative_out(_one(selectors.initiatives, workspace, initiative))


# --- Alignment ------------------------------------------------------------------------------


class AlignmentGapOut(Schema):
    rule: str
    kind: str
    ref: str
    label: str
    detail: list[str]


class AlignmentOut(Schema):
    score: str = Field(description="Share of checks passed, 0–100, one decimal.")
    passed: int
    total: int
    gaps: list[AlignmentGapOut]


def _alignment_out(report: Report) -> AlignmentOut:
    return AlignmentOut(
        score=str(report.score),
        passed=report.passed,
        total=report.total,
        gaps=[
            AlignmentGapOut(
                rule=g.rule, kind=g.kind, ref=g.ref, label=g.label, detail=list(g.detail)
            )
            for g in report.gaps
        ],
    )


@router.get(
    f"{BASE}/alignment",
    response=AlignmentOut,
    summary="The alignment check: its score and every gap found",
)
def alignment_get(request: HttpRequest, slug: str) -> AlignmentOut:
    workspace, _m = _context(request, slug, READ)
    return _alignment_out(selectors.alignment_report(workspace))


# --- YAML export and import -----------------------------------------------------------------


class StrategyYamlIn(Schema):
    yaml: str
    dry_run: bool = False


class StrategyImportOut(Schema):
    dry_run: bool
    changed: bool
    counts: dict[str, dict[str, int]]


@router.get(
    f"{BASE}/yaml",
    response={200: None},
    summary="Export the whole strategy as one YAML document",
)
def strategy_yaml_get(request: HttpRequest, slug: str) -> HttpResponse:
    workspace, _m = _context(request, slug, READ)
    response = HttpResponse(
        yaml_io.strategy_export(workspace), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{workspace.slug}-strategy.yaml"'
    return response


@router.post(
    f"{BASE}/yaml",
    response=StrategyImportOut,
    summary="Import a strategy YAML document (all or nothing; dry_run to preview)",
)
def strategy_yaml_post(
    request: HttpRequest, slug: str, payload: StrategyYamlIn
) -> StrategyImportOut:
    workspace, me = _context(request, slug, EDIT)
    result = yaml_io.strategy_import(
        actor=me.user, workspace=workspace, text=payload.yaml, dry_run=payload.dry_run
    )
    return StrategyImportOut(
        dry_run=result.dry_run, changed=result.changed, counts=result.as_dict()
    )

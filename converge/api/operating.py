"""API: the organisation around social — the RACI (matrix and gaps), policies and playbooks with
their versions and acknowledgements, trainings with their sessions and completions.

Every path is ``/workspaces/{slug}/operating/…``. Reading needs ``view_workspace``; writing
needs ``manage_operating_model`` and goes through ``converge.operating.services``; every member
acknowledges what they were asked to. References are by UUID (activities, documents, trainings,
people by membership UUID) or by slug (departments). Shares of the bill are decimals, returned
as strings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from converge.api.core import _context
from converge.core.errors import ConvergeError
from converge.core.models import Department, Membership, Workspace
from converge.core.policy import Action
from converge.measurement.models import Channel
from converge.operating import selectors, services
from converge.operating.gaps import describe_gap
from converge.operating.models import (
    Acknowledgement,
    DocumentKind,
    PolicyDocument,
    PolicyVersion,
    RaciActivity,
    Training,
    TrainingKind,
)

router = Router(tags=["operating"])

READ = Action.VIEW_WORKSPACE
MANAGE = Action.MANAGE_OPERATING_MODEL
BASE = "/workspaces/{slug}/operating"

Share = Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]
RoleName = Literal["decides", "executes", "pays", "consulted", "informed"]


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def _department(workspace: Workspace, slug: str, field: str) -> Department:
    found = Department.objects.filter(workspace=workspace, slug=slug).first()
    if found is None:
        raise ConvergeError(
            _("No department of this workspace has the slug given."), field=field, status=422
        )
    return found


def _member(workspace: Workspace, uuid: UUID | None, field: str) -> Membership | None:
    if uuid is None:
        return None
    found = Membership.objects.filter(workspace=workspace, uuid=uuid).first()
    if found is None:
        raise ConvergeError(
            _("No member of this workspace has the id given."), field=field, status=422
        )
    return found


def _channel(workspace: Workspace, uuid: UUID | None) -> Channel | None:
    if uuid is None:
        return None
    found = Channel.objects.filter(workspace=workspace, uuid=uuid).first()
    if found is None:
        raise ConvergeError(
            _("No channel of this workspace has the id given."), field="channel", status=422
        )
    return found


# --- RACI -----------------------------------------------------------------------------------


class PartyOut(Schema):
    key: str
    name: str
    department: str | None
    member: UUID | None


class CellOut(Schema):
    party: str
    roles: list[str]
    pay_share: str | None


class GapOut(Schema):
    activity: str
    kind: str
    parties: list[str]
    total: str | None
    text: str


class ActivityOut(Schema):
    uuid: UUID
    name: str
    description: str
    cells: list[CellOut]
    gaps: list[GapOut]


class RaciOut(Schema):
    parties: list[PartyOut]
    activities: list[ActivityOut]
    gaps: list[GapOut]


class ActivityIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""


class AssignmentIn(Schema):
    role: RoleName
    department: str | None = Field(default=None, description="Department slug.")
    member: UUID | None = Field(default=None, description="Membership UUID of a person.")
    pay_share: Share | None = None


class RowIn(Schema):
    assignments: list[AssignmentIn]


def _gap_out(g: object) -> GapOut:
    from converge.operating.raci import Gap

    assert isinstance(g, Gap)
    return GapOut(
        activity=g.activity,
        kind=g.kind,
        parties=list(g.parties),
        total=_dec(g.total),
        text=describe_gap(g),
    )


def _share(cell: dict[str, Decimal | bool | None]) -> str | None:
    value = cell.get("pays")
    return _dec(value) if isinstance(value, Decimal) else None


def _raci_out(workspace: Workspace) -> RaciOut:
    matrix = selectors.raci_matrix(workspace)
    return RaciOut(
        parties=[
            PartyOut(
                key=p.key,
                name=p.name,
                department=p.department.slug if p.department else None,
                member=p.membership.uuid if p.membership else None,
            )
            for p in matrix.parties
        ],
        activities=[
            ActivityOut(
                uuid=row.activity.uuid,
                name=row.activity.name,
                description=row.activity.description,
                cells=[
                    CellOut(
                        party=p.key,
                        roles=[
                            r
                            for r in ("decides", "executes", "pays", "consulted", "informed")
                            if r in cell
                        ],
                        pay_share=_share(cell),
                    )
                    for p, cell in zip(matrix.parties, row.cells, strict=True)
                    if cell
                ],
                gaps=[_gap_out(g) for g in row.gaps],
            )
            for row in matrix.rows
        ],
        gaps=[_gap_out(g) for g in matrix.gaps],
    )


@router.get(f"{BASE}/raci", response=RaciOut, summary="The RACI matrix and its gaps")
def raci_get(request: HttpRequest, slug: str) -> RaciOut:
    workspace, _m = _context(request, slug, READ)
    return _raci_out(workspace)


@router.post(f"{BASE}/raci/activities", response={201: RaciOut}, summary="Add an activity")
def raci_activity_post(request: HttpRequest, slug: str, payload: ActivityIn) -> tuple[int, RaciOut]:
    workspace, me = _context(request, slug, MANAGE)
    services.raci_activity_save(
        actor=me.user, workspace=workspace, name=payload.name, description=payload.description
    )
    return 201, _raci_out(workspace)


@router.put(
    f"{BASE}/raci/activities/{{activity}}",
    response=RaciOut,
    summary="Replace one activity's row (who decides, executes, pays, …)",
)
def raci_row_put(request: HttpRequest, slug: str, activity: UUID, payload: RowIn) -> RaciOut:
    workspace, me = _context(request, slug, MANAGE)
    row = selectors.get(RaciActivity, workspace, activity)
    cells = []
    for i, a in enumerate(payload.assignments):
        field = f"assignments.{i}"
        if (a.department is None) == (a.member is None):
            raise ConvergeError(
                _("Each assignment names one department or one person."), field=field, status=422
            )
        cells.append(
            services.CellInput(
                row,
                a.role,
                _department(workspace, a.department, field) if a.department else None,
                _member(workspace, a.member, field),
                a.pay_share,
            )
        )
    services.raci_replace(actor=me.user, workspace=workspace, cells=cells, activities=[row])
    return _raci_out(workspace)


# --- Policies -------------------------------------------------------------------------------


class VersionOut(Schema):
    number: int
    body: str
    change_note: str
    applies_to_everyone: bool
    departments: list[str]
    published_at: dt.datetime
    asked: int
    acknowledged: int


class DocumentOut(Schema):
    uuid: UUID
    title: str
    kind: str
    channel: UUID | None
    current_version: int | None


class PolicyIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    kind: DocumentKind = DocumentKind.POLICY
    channel: UUID | None = None
    body: str = Field(min_length=1)
    change_note: str = Field(default="", max_length=300)
    applies_to_everyone: bool = True
    departments: list[str] = Field(default=[], description="Department slugs.")


class PublishIn(Schema):
    body: str = Field(min_length=1)
    change_note: str = Field(default="", max_length=300)
    applies_to_everyone: bool = True
    departments: list[str] = Field(default=[], description="Department slugs.")


class DepartmentAckOut(Schema):
    department: str | None
    name: str
    asked: int
    acknowledged: int
    percent: int | None


class PersonAckOut(Schema):
    member: UUID
    name: str
    acknowledged_at: dt.datetime | None
    reminded_at: dt.datetime | None


class AckStatusOut(Schema):
    version: int
    asked: int
    acknowledged: int
    percent: int | None
    departments: list[DepartmentAckOut]
    people: list[PersonAckOut]


class WaitingOut(Schema):
    document: UUID
    title: str
    version: int
    requested_at: dt.datetime


def _version_out(v: PolicyVersion) -> VersionOut:
    return VersionOut(
        number=v.number,
        body=v.body,
        change_note=v.change_note,
        applies_to_everyone=v.applies_to_everyone,
        departments=[d.slug for d in v.departments.all()],
        published_at=v.published_at,
        asked=getattr(v, "asked", 0),
        acknowledged=getattr(v, "done", 0),
    )


def _document_out(d: PolicyDocument) -> DocumentOut:
    return DocumentOut(
        uuid=d.uuid,
        title=d.title,
        kind=d.kind,
        channel=d.channel.uuid if d.channel else None,
        current_version=getattr(d, "current_number", None),
    )


def _one_document(workspace: Workspace, uuid: UUID) -> PolicyDocument:
    return selectors.get(PolicyDocument, workspace, uuid)


def _departments(workspace: Workspace, slugs: list[str]) -> list[Department]:
    return [_department(workspace, s, "departments") for s in dict.fromkeys(slugs)]


@router.get(f"{BASE}/policies", response=list[DocumentOut], summary="Policies and playbooks")
def policy_list(request: HttpRequest, slug: str) -> list[DocumentOut]:
    workspace, _m = _context(request, slug, READ)
    return [_document_out(d) for d in selectors.documents(workspace)]


@router.post(f"{BASE}/policies", response={201: DocumentOut}, summary="Add and publish one")
def policy_post(request: HttpRequest, slug: str, payload: PolicyIn) -> tuple[int, DocumentOut]:
    workspace, me = _context(request, slug, MANAGE)
    version = services.policy_create(
        actor=me.user,
        workspace=workspace,
        title=payload.title,
        kind=payload.kind.value,
        channel=_channel(workspace, payload.channel),
        body=payload.body,
        change_note=payload.change_note,
        applies_to_everyone=payload.applies_to_everyone,
        departments=_departments(workspace, payload.departments),
    )
    return 201, _document_out(selectors.documents(workspace).get(pk=version.document_id))


@router.get(f"{BASE}/policies/{{document}}", response=DocumentOut, summary="One document")
def policy_get(request: HttpRequest, slug: str, document: UUID) -> DocumentOut:
    workspace, _m = _context(request, slug, READ)
    _one_document(workspace, document)
    return _document_out(selectors.documents(workspace).get(uuid=document))


@router.get(
    f"{BASE}/policies/{{document}}/versions",
    response=list[VersionOut],
    summary="Its versions, newest first",
)
def version_list(request: HttpRequest, slug: str, document: UUID) -> list[VersionOut]:
    workspace, _m = _context(request, slug, READ)
    return [_version_out(v) for v in selectors.versions(_one_document(workspace, document))]


@router.post(
    f"{BASE}/policies/{{document}}/versions",
    response={201: VersionOut},
    summary="Publish a new version (asks everyone it applies to)",
)
def version_post(
    request: HttpRequest, slug: str, document: UUID, payload: PublishIn
) -> tuple[int, VersionOut]:
    workspace, me = _context(request, slug, MANAGE)
    doc = _one_document(workspace, document)
    version = services.policy_publish(
        actor=me.user,
        document=doc,
        body=payload.body,
        change_note=payload.change_note,
        applies_to_everyone=payload.applies_to_everyone,
        departments=_departments(workspace, payload.departments),
    )
    return 201, _version_out(selectors.version(doc, version.number))


@router.get(
    f"{BASE}/policies/{{document}}/acknowledgements",
    response=AckStatusOut,
    summary="Who acknowledged the current version, per department and person",
)
def ack_status(request: HttpRequest, slug: str, document: UUID) -> AckStatusOut:
    workspace, _m = _context(request, slug, READ)
    doc = _one_document(workspace, document)
    current = services.current_version(doc)
    if current is None:
        raise ConvergeError(_("The document has no version."), status=404)
    status = selectors.ack_status(current)
    return AckStatusOut(
        version=current.number,
        asked=status.asked,
        acknowledged=status.done,
        percent=status.percent,
        departments=[
            DepartmentAckOut(
                department=d.slug,
                name=d.name,
                asked=d.asked,
                acknowledged=d.done,
                percent=d.percent,
            )
            for d in status.departments
        ],
        people=[
            PersonAckOut(
                member=a.membership.uuid,
                name=str(a.membership.user),
                acknowledged_at=a.acknowledged_at,
                reminded_at=_reminded(a),
            )
            for a in status.people
        ],
    )


def _reminded(ack: Acknowledgement) -> dt.datetime | None:
    reminder = getattr(ack, "reminder", None)
    return reminder.sent_at if reminder is not None else None


@router.post(
    f"{BASE}/policies/{{document}}/acknowledge",
    response=WaitingOut,
    summary="Acknowledge the current version (as the token's person)",
)
def acknowledge(request: HttpRequest, slug: str, document: UUID) -> WaitingOut:
    workspace, me = _context(request, slug, READ)
    doc = _one_document(workspace, document)
    ack = services.policy_acknowledge(actor=me.user, document=doc)
    return WaitingOut(
        document=doc.uuid,
        title=doc.title,
        version=ack.version.number,
        requested_at=ack.requested_at,
    )


@router.get(
    f"{BASE}/acknowledgements/waiting",
    response=list[WaitingOut],
    summary="Policies waiting for my acknowledgement",
)
def waiting(request: HttpRequest, slug: str) -> list[WaitingOut]:
    _workspace, me = _context(request, slug, READ)
    return [
        WaitingOut(
            document=a.version.document.uuid,
            title=a.version.document.title,
            version=a.version.number,
            requested_at=a.requested_at,
        )
        for a in selectors.waiting_for(me)
    ]


# --- Training -------------------------------------------------------------------------------


class TrainingOut(Schema):
    uuid: UUID
    title: str
    kind: str
    description: str
    policy: UUID | None
    channel: UUID | None
    sessions: int
    completions: int


class TrainingIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    kind: TrainingKind = TrainingKind.OTHER
    description: str = ""
    policy: UUID | None = None
    channel: UUID | None = None


class SessionIn(Schema):
    day: dt.date
    trainer: UUID | None = None
    attendees: list[UUID] = []
    notes: str = ""


class SessionOut(Schema):
    uuid: UUID
    day: dt.date
    trainer: UUID | None
    attendees: list[UUID]
    notes: str


class CompletionOut(Schema):
    member: UUID
    name: str
    completed_on: dt.date
    departments: list[str]


class DepartmentCompletionOut(Schema):
    department: str
    members: int
    completed: dict[str, int]
    percent: dict[str, int | None]


def _training_out(t: Training) -> TrainingOut:
    return TrainingOut(
        uuid=t.uuid,
        title=t.title,
        kind=t.kind,
        description=t.description,
        policy=t.policy.uuid if t.policy else None,
        channel=t.channel.uuid if t.channel else None,
        sessions=getattr(t, "session_count", 0),
        completions=getattr(t, "completion_count", 0),
    )


@router.get(f"{BASE}/trainings", response=list[TrainingOut], summary="The training catalogue")
def training_list(request: HttpRequest, slug: str) -> list[TrainingOut]:
    workspace, _m = _context(request, slug, READ)
    return [_training_out(t) for t in selectors.trainings(workspace)]


@router.post(f"{BASE}/trainings", response={201: TrainingOut}, summary="Add a training")
def training_post(request: HttpRequest, slug: str, payload: TrainingIn) -> tuple[int, TrainingOut]:
    workspace, me = _context(request, slug, MANAGE)
    policy = None
    if payload.policy is not None:
        policy = PolicyDocument.objects.filter(workspace=workspace, uuid=payload.policy).first()
        if policy is None:
            raise ConvergeError(
                _("No policy of this workspace has the id given."), field="policy", status=422
            )
    training = services.training_save(
        actor=me.user,
        workspace=workspace,
        title=payload.title,
        kind=payload.kind.value,
        description=payload.description,
        policy=policy,
        channel=_channel(workspace, payload.channel),
    )
    return 201, _training_out(selectors.trainings(workspace).get(pk=training.pk))


@router.get(
    f"{BASE}/trainings/completions",
    response=list[DepartmentCompletionOut],
    summary="Completions per department (by training UUID)",
)
def completion_table(request: HttpRequest, slug: str) -> list[DepartmentCompletionOut]:
    workspace, _m = _context(request, slug, READ)
    catalogue = list(selectors.trainings(workspace))
    return [
        DepartmentCompletionOut(
            department=row.department.slug,
            members=row.members,
            completed={str(t.uuid): c.done for t, c in zip(catalogue, row.cells, strict=True)},
            percent={str(t.uuid): c.percent for t, c in zip(catalogue, row.cells, strict=True)},
        )
        for row in selectors.completion_table(workspace, catalogue)
    ]


@router.get(
    f"{BASE}/trainings/{{training}}/sessions", response=list[SessionOut], summary="Sessions held"
)
def session_list(request: HttpRequest, slug: str, training: UUID) -> list[SessionOut]:
    workspace, _m = _context(request, slug, READ)
    obj = selectors.get(Training, workspace, training)
    return [
        SessionOut(
            uuid=s.uuid,
            day=s.day,
            trainer=s.trainer.uuid if s.trainer else None,
            attendees=[a.uuid for a in s.attendees.all()],
            notes=s.notes,
        )
        for s in selectors.sessions(obj)
    ]


@router.post(
    f"{BASE}/trainings/{{training}}/sessions",
    response={201: SessionOut},
    summary="Record a session (its attendees complete the training)",
)
def session_post(
    request: HttpRequest, slug: str, training: UUID, payload: SessionIn
) -> tuple[int, SessionOut]:
    workspace, me = _context(request, slug, MANAGE)
    obj = selectors.get(Training, workspace, training)
    attendees = [_member(workspace, u, "attendees") for u in dict.fromkeys(payload.attendees)]
    session = services.training_session_add(
        actor=me.user,
        training=obj,
        day=payload.day,
        trainer=_member(workspace, payload.trainer, "trainer"),
        attendees=[a for a in attendees if a is not None],
        notes=payload.notes,
    )
    return 201, SessionOut(
        uuid=session.uuid,
        day=session.day,
        trainer=session.trainer.uuid if session.trainer else None,
        attendees=[a.uuid for a in session.attendees.all()],
        notes=session.notes,
    )


@router.get(
    f"{BASE}/trainings/{{training}}/completions",
    response=list[CompletionOut],
    summary="Who completed a training",
)
def completion_list(request: HttpRequest, slug: str, training: UUID) -> list[CompletionOut]:
    workspace, _m = _context(request, slug, READ)
    obj = selectors.get(Training, workspace, training)
    return [
        CompletionOut(
            member=c.membership.uuid,
            name=str(c.membership.user),
            completed_on=c.completed_on,
            departments=[d.slug for d in c.membership.departments.all()],
        )
        for c in selectors.completions(obj)
    ]


# --- Operating model, executives and the best-practice log (read) ---------------------------


class TeamMemberOut(Schema):
    member: UUID
    name: str
    role: str
    time_share: int


class OperatingModelOut(Schema):
    kind: str | None
    summary: str
    priorities: str
    guidelines: str
    processes: str
    roles: str
    team: list[TeamMemberOut]
    team_size_warning: bool


class TouchpointOut(Schema):
    day: dt.date
    kind: str
    notes: str


class ExecutiveOut(Schema):
    uuid: UUID
    member: UUID
    name: str
    title: str
    is_sponsor: bool
    engaged_in: str
    since: dt.date | None
    touchpoints: list[TouchpointOut]


class PracticeOut(Schema):
    uuid: UUID
    day: dt.date
    title: str
    kind: str
    text: str
    tags: list[str]
    shared_by: UUID | None


@router.get(f"{BASE}/model", response=OperatingModelOut, summary="The operating model and team")
def model_get(request: HttpRequest, slug: str) -> OperatingModelOut:
    workspace, _m = _context(request, slug, READ)
    model = selectors.operating_model(workspace)
    team = list(selectors.team(workspace))
    return OperatingModelOut(
        kind=model.kind if model else None,
        summary=model.summary if model else "",
        priorities=model.priorities if model else "",
        guidelines=model.guidelines if model else "",
        processes=model.processes if model else "",
        roles=model.roles if model else "",
        team=[
            TeamMemberOut(
                member=t.membership.uuid,
                name=str(t.membership.user),
                role=t.role,
                time_share=t.time_share,
            )
            for t in team
        ],
        team_size_warning=selectors.team_size_warning(model, len(team)),
    )


@router.get(
    f"{BASE}/executives",
    response=list[ExecutiveOut],
    summary="The executive sponsor and engaged executives, with touchpoints",
)
def executive_list(request: HttpRequest, slug: str) -> list[ExecutiveOut]:
    workspace, _m = _context(request, slug, READ)
    return [
        ExecutiveOut(
            uuid=e.uuid,
            member=e.membership.uuid,
            name=str(e.membership.user),
            title=e.title,
            is_sponsor=e.is_sponsor,
            engaged_in=e.engaged_in,
            since=e.since,
            touchpoints=[
                TouchpointOut(day=t.day, kind=t.kind, notes=t.notes) for t in e.touchpoints.all()
            ],
        )
        for e in selectors.executives(workspace)
    ]


@router.get(
    f"{BASE}/practices",
    response=list[PracticeOut],
    summary="The best-practice log, newest first; q searches title, text and tags",
)
def practice_list(request: HttpRequest, slug: str, q: str = "") -> list[PracticeOut]:
    workspace, _m = _context(request, slug, READ)
    return [
        PracticeOut(
            uuid=p.uuid,
            day=p.day,
            title=p.title,
            kind=p.kind,
            text=p.text,
            tags=p.tag_list,
            shared_by=p.shared_by.uuid if p.shared_by else None,
        )
        for p in selectors.practices(workspace, q[:200])
    ]

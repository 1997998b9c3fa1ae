"""API: the operating rhythm — committees, their meetings with the agenda pack, decisions and
action items.

Every path is ``/workspaces/{slug}/governance/…``. Reading needs ``view_workspace``; creating
committees needs ``manage_governance``; decisions and actions of a meeting are recorded by its
committee's chair (or a lead); an action's owner may change its status. Writes go through
``converge.governance.services``. People are referenced by membership UUID, linked strategy
objects by UUID, departments by slug; times are ISO 8601 with their offset."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from converge.api.core import _context
from converge.core.errors import ConvergeError
from converge.core.models import Membership, Workspace
from converge.core.policy import Action, allowed_actions
from converge.governance import selectors, services
from converge.governance.models import (
    ActionItem,
    ActionStatus,
    Committee,
    Decision,
    DecisionStatus,
    Meeting,
)
from converge.strategy.models import Initiative, Kpi, SocialObjective

router = Router(tags=["governance"])

READ = Action.VIEW_WORKSPACE
MANAGE = Action.MANAGE_GOVERNANCE
BASE = "/workspaces/{slug}/governance"


def _members(workspace: Workspace, uuids: list[UUID], field: str) -> list[Membership]:
    found = {
        m.uuid: m
        for m in Membership.objects.filter(workspace=workspace, uuid__in=uuids).select_related(
            "user"
        )
    }
    missing = [str(u) for u in uuids if u not in found]
    if missing:
        raise ConvergeError(
            _("No member of this workspace has the id given."),
            field=field,
            details={"missing": missing},
            status=422,
        )
    return [found[u] for u in uuids]


def _member(workspace: Workspace, uuid: UUID | None, field: str) -> Membership | None:
    return _members(workspace, [uuid], field)[0] if uuid else None


def _linked(model: Any, workspace: Workspace, uuids: list[UUID], field: str) -> list[Any]:
    found = {o.uuid: o for o in model.objects.filter(workspace=workspace, uuid__in=uuids)}
    missing = [str(u) for u in uuids if u not in found]
    if missing:
        raise ConvergeError(
            _("No object of this workspace has the id given."),
            field=field,
            details={"missing": missing},
            status=422,
        )
    return [found[u] for u in uuids]


# --- Committees -------------------------------------------------------------------------------


class SeatOut(Schema):
    member: UUID
    name: str
    department: str | None


class CommitteeOut(Schema):
    uuid: UUID
    name: str
    purpose: str
    chair: UUID | None
    members: list[SeatOut]
    rrule: str
    starts_on: dt.date
    start_time: dt.time
    time_zone: str
    duration_minutes: int
    location: str


class CommitteeIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    purpose: str = ""
    chair: UUID | None = Field(default=None, description="Membership UUID of the chair.")
    members: list[UUID] = Field(default=[], description="Membership UUIDs.")
    rrule: str = Field(description="An RFC 5545 RRULE value, e.g. FREQ=WEEKLY;BYDAY=MO.")
    starts_on: dt.date
    start_time: dt.time = Field(description="Local time in the workspace's time zone.")
    duration_minutes: int = Field(default=60, ge=5, le=1440)
    location: str = Field(default="", max_length=200)


def _committee_out(c: Committee) -> CommitteeOut:
    return CommitteeOut(
        uuid=c.uuid,
        name=c.name,
        purpose=c.purpose,
        chair=c.chair.uuid if c.chair else None,
        members=[
            SeatOut(
                member=s.membership.uuid,
                name=str(s.membership.user),
                department=s.department.slug if s.department else None,
            )
            for s in selectors.seats(c)
        ],
        rrule=c.rrule,
        starts_on=c.starts_on,
        start_time=c.start_time,
        time_zone=c.workspace.time_zone,
        duration_minutes=c.duration_minutes,
        location=c.location,
    )


@router.get(f"{BASE}/committees", response=list[CommitteeOut], summary="Committees")
def committee_list(request: HttpRequest, slug: str) -> list[CommitteeOut]:
    workspace, _m = _context(request, slug, READ)
    return [_committee_out(c) for c in selectors.committees(workspace)]


@router.post(f"{BASE}/committees", response={201: CommitteeOut}, summary="Add a committee")
def committee_post(request: HttpRequest, slug: str, payload: CommitteeIn) -> tuple[int, Any]:
    workspace, me = _context(request, slug, MANAGE)
    committee = services.committee_save(
        actor=me.user,
        workspace=workspace,
        name=payload.name,
        purpose=payload.purpose,
        chair=_member(workspace, payload.chair, "chair"),
        members=_members(workspace, payload.members, "members"),
        rrule=payload.rrule,
        starts_on=payload.starts_on,
        start_time=payload.start_time,
        duration_minutes=payload.duration_minutes,
        location=payload.location,
    )
    return 201, _committee_out(selectors.get_committee(workspace, committee.uuid))


@router.get(f"{BASE}/committees/{{committee}}", response=CommitteeOut, summary="One committee")
def committee_get(request: HttpRequest, slug: str, committee: UUID) -> CommitteeOut:
    workspace, _m = _context(request, slug, READ)
    return _committee_out(selectors.get_committee(workspace, committee))


# --- Meetings ---------------------------------------------------------------------------------


class EntryOut(Schema):
    key: str
    section: str
    title: str
    detail: str
    ref: str


class MeetingOut(Schema):
    uuid: UUID
    committee: UUID
    committee_name: str
    occurrence: dt.datetime
    starts_at: dt.datetime
    duration_minutes: int
    location: str
    status: str
    minutes: str


class MeetingDetailOut(MeetingOut):
    agenda_frozen: bool
    agenda: list[EntryOut]


def _meeting_out(m: Meeting) -> dict[str, Any]:
    return {
        "uuid": m.uuid,
        "committee": m.committee.uuid,
        "committee_name": m.committee.name,
        "occurrence": m.occurrence,
        "starts_at": m.starts_at,
        "duration_minutes": m.duration_minutes,
        "location": m.location,
        "status": m.status,
        "minutes": m.minutes,
    }


@router.get(
    f"{BASE}/committees/{{committee}}/meetings",
    response=list[MeetingOut],
    summary="A committee's meetings",
)
def meeting_list(request: HttpRequest, slug: str, committee: UUID) -> list[MeetingOut]:
    workspace, _m = _context(request, slug, READ)
    found = selectors.get_committee(workspace, committee)
    return [
        MeetingOut(**_meeting_out(m))
        for m in selectors.committee_meetings(found).select_related("committee")
    ]


@router.get(
    f"{BASE}/meetings/{{meeting}}",
    response=MeetingDetailOut,
    summary="One meeting with its agenda pack",
)
def meeting_get(request: HttpRequest, slug: str, meeting: UUID) -> MeetingDetailOut:
    workspace, me = _context(request, slug, READ)
    found = selectors.get_meeting(workspace, meeting)
    pack = selectors.agenda_pack(found)
    pack.items = selectors.shown_to(pack.items, allowed_actions(me))
    return MeetingDetailOut(
        **_meeting_out(found),
        agenda_frozen=pack.frozen,
        agenda=[
            EntryOut(key=e.key, section=e.section, title=e.title, detail=e.detail, ref=e.ref)
            for e in pack.items
        ],
    )


@router.get(f"{BASE}/meetings", response=list[MeetingOut], summary="Upcoming meetings")
def meeting_upcoming(request: HttpRequest, slug: str, limit: int = 20) -> list[MeetingOut]:
    """The workspace's next meetings (cancelled ones left out), soonest first."""
    workspace, _m = _context(request, slug, READ)
    return [
        MeetingOut(**_meeting_out(m))
        for m in selectors.upcoming(workspace, limit=max(1, min(limit, 200)))
    ]


# --- Decisions --------------------------------------------------------------------------------


class DecisionOut(Schema):
    uuid: UUID
    text: str
    status: str
    owner: UUID | None
    decided_on: dt.date | None
    meeting: UUID | None
    objectives: list[UUID]
    kpis: list[UUID]
    initiatives: list[UUID]


class DecisionIn(Schema):
    text: str = Field(min_length=1)
    meeting: UUID | None = Field(default=None, description="The meeting it was taken in.")
    owner: UUID | None = None
    decided_on: dt.date | None = None
    status: DecisionStatus = DecisionStatus.PENDING
    objectives: list[UUID] = []
    kpis: list[UUID] = []
    initiatives: list[UUID] = []


def _decision_out(d: Decision) -> DecisionOut:
    return DecisionOut(
        uuid=d.uuid,
        text=d.text,
        status=d.status,
        owner=d.owner.uuid if d.owner else None,
        decided_on=d.decided_on,
        meeting=d.meeting.uuid if d.meeting else None,
        objectives=[o.uuid for o in d.objectives.all()],
        kpis=[k.uuid for k in d.kpis.all()],
        initiatives=[i.uuid for i in d.initiatives.all()],
    )


@router.get(f"{BASE}/decisions", response=list[DecisionOut], summary="Decisions")
def decision_list(
    request: HttpRequest, slug: str, status: DecisionStatus | None = None
) -> list[DecisionOut]:
    workspace, _m = _context(request, slug, READ)
    rows = selectors.decisions(workspace)
    if status:
        rows = rows.filter(status=status)
    return [_decision_out(d) for d in rows]


@router.post(f"{BASE}/decisions", response={201: DecisionOut}, summary="Record a decision")
def decision_post(request: HttpRequest, slug: str, payload: DecisionIn) -> tuple[int, Any]:
    workspace, me = _context(request, slug, READ)
    meeting = selectors.get_meeting(workspace, payload.meeting) if payload.meeting else None
    decision = services.decision_save(
        actor=me.user,
        workspace=workspace,
        meeting=meeting,
        text=payload.text,
        owner=_member(workspace, payload.owner, "owner"),
        decided_on=payload.decided_on,
        status=payload.status,
        objectives=_linked(SocialObjective, workspace, payload.objectives, "objectives"),
        kpis=_linked(Kpi, workspace, payload.kpis, "kpis"),
        initiatives=_linked(Initiative, workspace, payload.initiatives, "initiatives"),
    )
    return 201, _decision_out(selectors.get_decision(workspace, decision.uuid))


class DecisionPatch(Schema):
    text: str | None = Field(default=None, min_length=1)
    owner: UUID | None = None
    decided_on: dt.date | None = None
    status: DecisionStatus | None = None


@router.get(f"{BASE}/decisions/{{decision}}", response=DecisionOut, summary="One decision")
def decision_get(request: HttpRequest, slug: str, decision: UUID) -> DecisionOut:
    workspace, _m = _context(request, slug, READ)
    return _decision_out(selectors.get_decision(workspace, decision))


@router.patch(f"{BASE}/decisions/{{decision}}", response=DecisionOut, summary="Change a decision")
def decision_patch(
    request: HttpRequest, slug: str, decision: UUID, payload: DecisionPatch
) -> DecisionOut:
    """Take a pending decision (``status: decided``) or change its text, owner or date; its
    links stay. For its meeting's chair, or a lead."""
    workspace, me = _context(request, slug, READ)
    found = selectors.get_decision(workspace, decision)
    given = payload.model_dump(exclude_unset=True)
    services.decision_save(
        actor=me.user,
        workspace=workspace,
        decision=found,
        text=given.get("text") or found.text,
        owner=_member(workspace, given["owner"], "owner") if "owner" in given else found.owner,
        decided_on=given.get("decided_on", found.decided_on),
        status=given.get("status") or found.status,
        objectives=list(found.objectives.all()),
        kpis=list(found.kpis.all()),
        initiatives=list(found.initiatives.all()),
    )
    return _decision_out(selectors.get_decision(workspace, decision))


# --- Actions ----------------------------------------------------------------------------------


class ActionOut(Schema):
    uuid: UUID
    title: str
    owner: UUID | None
    owner_name: str | None
    due_on: dt.date
    status: str
    meeting: UUID | None


class ActionIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    owner: UUID = Field(description="Membership UUID of the owner.")
    due_on: dt.date
    meeting: UUID | None = Field(default=None, description="The meeting it came from.")


class ActionPatch(Schema):
    status: ActionStatus | None = None
    due_on: dt.date | None = None
    title: str | None = Field(default=None, min_length=1, max_length=300)


def _action_out(a: ActionItem) -> ActionOut:
    return ActionOut(
        uuid=a.uuid,
        title=a.title,
        owner=a.owner.uuid if a.owner else None,
        owner_name=str(a.owner.user) if a.owner else None,
        due_on=a.due_on,
        status=a.status,
        meeting=a.meeting.uuid if a.meeting else None,
    )


@router.get(f"{BASE}/actions", response=list[ActionOut], summary="Action items")
def action_list(
    request: HttpRequest, slug: str, status: ActionStatus | None = None, mine: bool = False
) -> list[ActionOut]:
    """All action items, or only yours (``mine=true``); optionally of one status."""
    workspace, me = _context(request, slug, READ)
    rows = selectors.my_actions(me) if mine else selectors.actions(workspace)
    if status:
        rows = rows.filter(status=status)
    return [_action_out(a) for a in rows.order_by("due_on", "title")]


@router.post(f"{BASE}/actions", response={201: ActionOut}, summary="Record an action item")
def action_post(request: HttpRequest, slug: str, payload: ActionIn) -> tuple[int, Any]:
    workspace, me = _context(request, slug, READ)
    meeting = selectors.get_meeting(workspace, payload.meeting) if payload.meeting else None
    item = services.action_create(
        actor=me.user,
        workspace=workspace,
        meeting=meeting,
        title=payload.title,
        owner=_member(workspace, payload.owner, "owner"),
        due_on=payload.due_on,
    )
    return 201, _action_out(selectors.get_action(workspace, item.uuid))


@router.patch(f"{BASE}/actions/{{item}}", response=ActionOut, summary="Change an action item")
def action_patch(request: HttpRequest, slug: str, item: UUID, payload: ActionPatch) -> ActionOut:
    """Its owner may change the status (open, done, dropped); the chair and leads also the
    title and the due date."""
    workspace, me = _context(request, slug, READ)
    found = selectors.get_action(workspace, item)
    services.action_update(
        actor=me.user,
        item=found,
        status=payload.status,
        due_on=payload.due_on,
        title=payload.title,
    )
    return _action_out(selectors.get_action(workspace, item))


@router.get(f"{BASE}/actions/{{item}}", response=ActionOut, summary="One action item")
def action_get(request: HttpRequest, slug: str, item: UUID) -> ActionOut:
    workspace, _m = _context(request, slug, READ)
    return _action_out(selectors.get_action(workspace, item))

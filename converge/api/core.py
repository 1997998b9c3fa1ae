"""API: the workspace, its departments, members and grants."""

from __future__ import annotations

from datetime import datetime
from typing import cast
from uuid import UUID

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from converge.core import selectors, services
from converge.core.errors import ConvergeError
from converge.core.models import (
    ApiToken,
    Capability,
    Currency,
    Department,
    DepartmentKind,
    Language,
    Membership,
    Role,
    Workspace,
)
from converge.core.policy import Action, allowed_actions, membership_of, require

router = Router(tags=["workspace"])


def _context(request: HttpRequest, slug: str, action: str) -> tuple[Workspace, Membership]:
    """The token's workspace if ``slug`` names it (404 otherwise), with ``action`` required."""
    token = cast(ApiToken, request.auth)  # type: ignore[attr-defined]
    if token.workspace.slug != slug:
        raise Http404
    membership = membership_of(token.user, token.workspace)
    if membership is None:
        raise Http404
    require(membership, action)
    return token.workspace, membership


class WorkspaceOut(Schema):
    uuid: UUID
    name: str
    slug: str
    time_zone: str
    currency: str
    default_language: str
    created_at: datetime
    your_role: str
    your_permissions: list[str]


class WorkspaceIn(Schema):
    name: str | None = None
    time_zone: str | None = None
    currency: Currency | None = None
    default_language: Language | None = None


class PersonOut(Schema):
    uuid: UUID
    email: str
    full_name: str
    title: str


class MemberOut(Schema):
    uuid: UUID
    role: str
    person: PersonOut
    departments: list[str]
    joined_at: datetime


class MemberIn(Schema):
    role: Role


class DepartmentOut(Schema):
    uuid: UUID
    slug: str
    name: str
    kind: str
    head: UUID | None
    members: list[UUID]
    aims: list[str]
    challenges: list[str]
    capabilities: list[str]


class DepartmentIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    kind: DepartmentKind
    head: UUID | None = None
    members: list[UUID] = []
    aims: list[str] = []
    challenges: list[str] = []


class DepartmentPatch(Schema):
    name: str | None = Field(default=None, min_length=1, max_length=120)
    kind: DepartmentKind | None = None
    head: UUID | None = None
    members: list[UUID] | None = None
    aims: list[str] | None = None
    challenges: list[str] | None = None


class GrantsIn(Schema):
    capabilities: list[Capability]


class GrantRowOut(Schema):
    department: str
    department_name: str
    capabilities: list[str]


class InvitationIn(Schema):
    email: str
    role: Role = Role.MEMBER
    department: str | None = None


class InvitationOut(Schema):
    uuid: UUID
    email: str
    role: str
    expires_at: datetime


def _member_out(m: Membership) -> MemberOut:
    return MemberOut(
        uuid=m.uuid,
        role=m.role,
        person=PersonOut(
            uuid=m.user.uuid, email=m.user.email, full_name=m.user.full_name, title=m.user.title
        ),
        departments=[d.slug for d in m.departments.all()],
        joined_at=m.joined_at,
    )


def _department_out(d: Department) -> DepartmentOut:
    return DepartmentOut(
        uuid=d.uuid,
        slug=d.slug,
        name=d.name,
        kind=d.kind,
        head=d.head.uuid if d.head else None,
        members=[m.uuid for m in d.members.all()],
        aims=d.aim_list,
        challenges=d.challenge_list,
        capabilities=sorted(g.capability for g in d.grants.all()),
    )


def _members_by_uuid(workspace: Workspace, uuids: list[UUID], field: str) -> list[Membership]:
    found = list(Membership.objects.filter(workspace=workspace, uuid__in=uuids))
    if len(found) != len(set(uuids)):
        missing = sorted(str(u) for u in set(uuids) - {m.uuid for m in found})
        raise ConvergeError(
            _("No member of this workspace has the id given."),
            field=field,
            details={"missing": missing},
            status=422,
        )
    return found


@router.get("/workspaces/{slug}", response=WorkspaceOut, summary="The token's workspace")
def workspace_get(request: HttpRequest, slug: str) -> WorkspaceOut:
    workspace, membership = _context(request, slug, Action.VIEW_WORKSPACE)
    return WorkspaceOut(
        uuid=workspace.uuid,
        name=workspace.name,
        slug=workspace.slug,
        time_zone=workspace.time_zone,
        currency=workspace.currency,
        default_language=workspace.default_language,
        created_at=workspace.created_at,
        your_role=membership.role,
        your_permissions=sorted(allowed_actions(membership)),
    )


@router.patch("/workspaces/{slug}", response=WorkspaceOut, summary="Change workspace settings")
def workspace_patch(request: HttpRequest, slug: str, payload: WorkspaceIn) -> WorkspaceOut:
    workspace, _membership = _context(request, slug, Action.EDIT_WORKSPACE)
    services.workspace_update(
        actor=_membership.user,
        workspace=workspace,
        name=payload.name if payload.name is not None else workspace.name,
        time_zone=payload.time_zone or workspace.time_zone,
        currency=payload.currency or workspace.currency,
        default_language=payload.default_language or workspace.default_language,
    )
    return workspace_get(request, slug)


@router.get("/workspaces/{slug}/members", response=list[MemberOut], summary="Members")
def member_list(request: HttpRequest, slug: str) -> list[MemberOut]:
    workspace, _m = _context(request, slug, Action.VIEW_WORKSPACE)
    return [_member_out(m) for m in selectors.members_of(workspace)]


@router.patch(
    "/workspaces/{slug}/members/{member}", response=MemberOut, summary="Change a member's role"
)
def member_patch(request: HttpRequest, slug: str, member: UUID, payload: MemberIn) -> MemberOut:
    workspace, me = _context(request, slug, Action.MANAGE_MEMBERS)
    target = selectors.get_membership(workspace, member)
    services.membership_set_role(actor=me.user, membership=target, role=payload.role)
    return _member_out(selectors.get_membership(workspace, member))


@router.delete(
    "/workspaces/{slug}/members/{member}", response={204: None}, summary="Remove a member"
)
def member_delete(request: HttpRequest, slug: str, member: UUID) -> tuple[int, None]:
    workspace, me = _context(request, slug, Action.MANAGE_MEMBERS)
    services.membership_remove(
        actor=me.user, membership=selectors.get_membership(workspace, member)
    )
    return 204, None


@router.post(
    "/workspaces/{slug}/invitations",
    response={201: InvitationOut},
    summary="Invite a person by e-mail",
)
def invitation_post(
    request: HttpRequest, slug: str, payload: InvitationIn
) -> tuple[int, InvitationOut]:
    workspace, me = _context(request, slug, Action.MANAGE_MEMBERS)
    department = (
        selectors.get_department(workspace, payload.department) if payload.department else None
    )
    issued = services.invitation_issue(
        actor=me.user,
        workspace=workspace,
        email=str(payload.email),
        role=payload.role,
        department=department,
        accept_url_for=lambda token: request.build_absolute_uri(
            reverse("invitation_open", args=[token])
        ),
    )
    inv = issued.invitation
    return 201, InvitationOut(
        uuid=inv.uuid, email=inv.email, role=inv.role, expires_at=inv.expires_at
    )


@router.get("/workspaces/{slug}/departments", response=list[DepartmentOut], summary="Departments")
def department_list(request: HttpRequest, slug: str) -> list[DepartmentOut]:
    workspace, _m = _context(request, slug, Action.VIEW_WORKSPACE)
    return [
        _department_out(d) for d in selectors.departments_of(workspace).prefetch_related("members")
    ]


@router.post(
    "/workspaces/{slug}/departments",
    response={201: DepartmentOut},
    summary="Create a department",
)
def department_post(
    request: HttpRequest, slug: str, payload: DepartmentIn
) -> tuple[int, DepartmentOut]:
    workspace, me = _context(request, slug, Action.MANAGE_DEPARTMENTS)
    head = _members_by_uuid(workspace, [payload.head], "head")[0] if payload.head else None
    department = services.department_create(
        actor=me.user,
        workspace=workspace,
        name=payload.name,
        kind=payload.kind,
        head=head,
        members=_members_by_uuid(workspace, payload.members, "members"),
        aims="\n".join(payload.aims),
        challenges="\n".join(payload.challenges),
    )
    return 201, _department_out(selectors.get_department(workspace, department.slug))


@router.get(
    "/workspaces/{slug}/departments/{department}",
    response=DepartmentOut,
    summary="One department",
)
def department_get(request: HttpRequest, slug: str, department: str) -> DepartmentOut:
    workspace, _m = _context(request, slug, Action.VIEW_WORKSPACE)
    return _department_out(selectors.get_department(workspace, department))


@router.patch(
    "/workspaces/{slug}/departments/{department}",
    response=DepartmentOut,
    summary="Change a department",
)
def department_patch(
    request: HttpRequest, slug: str, department: str, payload: DepartmentPatch
) -> DepartmentOut:
    workspace, me = _context(request, slug, Action.MANAGE_DEPARTMENTS)
    dept = selectors.get_department(workspace, department)
    fields = payload.model_fields_set
    head = dept.head
    if "head" in fields:
        head = _members_by_uuid(workspace, [payload.head], "head")[0] if payload.head else None
    members = list(dept.members.all())
    if payload.members is not None:
        members = _members_by_uuid(workspace, payload.members, "members")
    dept = services.department_update(
        actor=me.user,
        department=dept,
        name=payload.name if payload.name is not None else dept.name,
        kind=payload.kind or dept.kind,
        head=head,
        members=members,
        aims="\n".join(payload.aims) if payload.aims is not None else dept.aims,
        challenges=(
            "\n".join(payload.challenges) if payload.challenges is not None else dept.challenges
        ),
    )
    return _department_out(selectors.get_department(workspace, dept.slug))


@router.delete(
    "/workspaces/{slug}/departments/{department}",
    response={204: None},
    summary="Delete a department (its people stay); confirm=true when it has members",
)
def department_delete(
    request: HttpRequest, slug: str, department: str, confirm: bool = False
) -> tuple[int, None]:
    workspace, me = _context(request, slug, Action.MANAGE_DEPARTMENTS)
    services.department_delete(
        actor=me.user,
        department=selectors.get_department(workspace, department),
        confirmed=confirm,
    )
    return 204, None


@router.get("/workspaces/{slug}/grants", response=list[GrantRowOut], summary="Grants matrix")
def grant_list(request: HttpRequest, slug: str) -> list[GrantRowOut]:
    workspace, _m = _context(request, slug, Action.VIEW_WORKSPACE)
    return [
        GrantRowOut(
            department=row.department.slug,
            department_name=row.department.name,
            capabilities=sorted(row.granted),
        )
        for row in selectors.grant_matrix(workspace)
    ]


@router.put(
    "/workspaces/{slug}/departments/{department}/grants",
    response=GrantRowOut,
    summary="Set the capabilities extended to a department",
)
def grant_put(request: HttpRequest, slug: str, department: str, payload: GrantsIn) -> GrantRowOut:
    workspace, me = _context(request, slug, Action.MANAGE_GRANTS)
    dept = selectors.get_department(workspace, department)
    grants = services.grants_set(
        actor=me.user, department=dept, capabilities=[c.value for c in payload.capabilities]
    )
    return GrantRowOut(
        department=dept.slug,
        department_name=dept.name,
        capabilities=sorted(g.capability for g in grants),
    )

"""Reads of the core domain, with their joins done here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from converge.core.models import (
    ApiToken,
    AuditEntry,
    Capability,
    Department,
    Grant,
    Invitation,
    Membership,
    User,
    Workspace,
)


def workspaces_for_user(user: User) -> QuerySet[Workspace]:
    return Workspace.objects.filter(memberships__user_id=user.pk).order_by("name")


def memberships_for_user(user: User) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(user_id=user.pk)
        .select_related("workspace")
        .order_by("workspace__name")
    )


def members_of(workspace: Workspace) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .prefetch_related(Prefetch("departments", queryset=Department.objects.order_by("name")))
        .order_by("user__full_name", "user__email")
    )


def pending_invitations(workspace: Workspace) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            workspace=workspace,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .select_related("invited_by", "department")
        .order_by("-created_at")
    )


def departments_of(workspace: Workspace) -> QuerySet[Department]:
    return (
        Department.objects.filter(workspace=workspace)
        .select_related("head__user")
        .annotate(member_count=Count("members", distinct=True))
        .prefetch_related(Prefetch("grants", queryset=Grant.objects.order_by("capability")))
        .order_by("name")
    )


def get_department(workspace: Workspace, slug: str) -> Department:
    department = (
        Department.objects.filter(workspace=workspace, slug=slug)
        .select_related("head__user")
        .prefetch_related(
            Prefetch(
                "members",
                queryset=Membership.objects.select_related("user").order_by("user__full_name"),
            ),
            Prefetch("grants", queryset=Grant.objects.order_by("capability")),
        )
        .first()
    )
    if department is None:
        raise Http404("No such department.")
    return department


def get_membership(workspace: Workspace, uuid: UUID | str) -> Membership:
    membership = (
        Membership.objects.filter(workspace=workspace, uuid=uuid)
        .select_related("user", "workspace")
        .prefetch_related("departments")
        .first()
    )
    if membership is None:
        raise Http404("No such member.")
    return membership


def get_invitation(workspace: Workspace, uuid: UUID | str) -> Invitation:
    invitation = Invitation.objects.filter(workspace=workspace, uuid=uuid).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def get_token(workspace: Workspace, uuid: UUID | str) -> ApiToken:
    token = ApiToken.objects.filter(workspace=workspace, uuid=uuid).select_related("user").first()
    if token is None:
        raise Http404("No such token.")
    return token


@dataclass(frozen=True)
class GrantRow:
    department: Department
    granted: frozenset[str]


def grant_matrix(workspace: Workspace) -> list[GrantRow]:
    """Departments × capabilities, in two queries."""
    granted: dict[int, set[str]] = {}
    for dept_id, cap in Grant.objects.filter(workspace=workspace).values_list(
        "department_id", "capability"
    ):
        granted.setdefault(dept_id, set()).add(cap)
    return [
        GrantRow(department=d, granted=frozenset(granted.get(d.pk, set())))
        for d in Department.objects.filter(workspace=workspace).order_by("name")
    ]


def capabilities_catalogue() -> list[tuple[str, str]]:
    return [(c.value, str(c.label)) for c in Capability]


def tokens_for(user: User, workspace: Workspace) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(workspace=workspace, user_id=user.pk).order_by("-created_at")


@dataclass(frozen=True)
class AuditFilter:
    actor: User | None = None
    object_type: str = ""
    date_from: date | None = None
    date_to: date | None = None


def audit_entries(workspace: Workspace, f: AuditFilter) -> QuerySet[AuditEntry]:
    """Audit entries, newest first, filtered by person, object type and (local) date range."""
    qs = AuditEntry.objects.filter(workspace=workspace).select_related("actor")
    tz = timezone.get_current_timezone()
    if f.actor is not None:
        qs = qs.filter(actor=f.actor)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.date_from:
        qs = qs.filter(at__gte=datetime.combine(f.date_from, time.min, tzinfo=tz))
    if f.date_to:
        qs = qs.filter(at__lt=datetime.combine(f.date_to + timedelta(days=1), time.min, tzinfo=tz))
    return qs.order_by("-at", "-id")


def audit_object_types(workspace: Workspace) -> list[str]:
    return list(
        AuditEntry.objects.filter(workspace=workspace)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )


def audit_actors(workspace: Workspace) -> QuerySet[User]:
    return (
        User.objects.filter(
            Q(memberships__workspace=workspace)
            | Q(pk__in=AuditEntry.objects.filter(workspace=workspace).values("actor_id"))
        )
        .distinct()
        .order_by("full_name", "email")
    )

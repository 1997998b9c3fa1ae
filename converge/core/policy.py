"""The one policy: who may do what, from the membership role and the department grants.

``can(user, action, target)`` is the only question the rest of Converge asks. ``target`` is a
workspace or any object with a ``workspace`` attribute. A person who is not a member of the
target's workspace may do nothing at all, and views answer 404 for them (never 403, which would
reveal that the object exists).

Actions are of two kinds:

* workspace actions that follow from the role alone (``Action``), and
* capabilities from the fixed catalogue (``Capability``), which a role may carry by itself and
  which a lead may also *extend* to a department: every member of that department then has it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from converge.core.models import Capability, Grant, Membership, Role, User, Workspace


class Action(StrEnum):
    VIEW_WORKSPACE = "view_workspace"
    EDIT_WORKSPACE = "edit_workspace"
    DELETE_WORKSPACE = "delete_workspace"
    MANAGE_MEMBERS = "manage_members"
    MANAGE_OWNERS = "manage_owners"
    MANAGE_DEPARTMENTS = "manage_departments"
    MANAGE_GRANTS = "manage_grants"
    VIEW_AUDIT = "view_audit"
    USE_API = "use_api"
    MANAGE_GOVERNANCE = "manage_governance"  # committees, meetings, reviews (leads, owners)
    MANAGE_OPERATING_MODEL = "manage_operating_model"
    MANAGE_MATURITY = "manage_maturity"  # start and finish assessments, plan gaps (leads, owners)
    MANAGE_BUDGET = "manage_budget"  # budget, spend, value model, scenarios, business case


ALL_CAPABILITIES: frozenset[str] = frozenset(c.value for c in Capability)
ALL_ACTIONS: frozenset[str] = frozenset(a.value for a in Action) | ALL_CAPABILITIES

_EVERYONE = frozenset({Action.VIEW_WORKSPACE, Action.USE_API})

# What each role may do by itself, before any department grant.
ROLE_ALLOWS: dict[str, frozenset[str]] = {
    Role.OWNER: ALL_ACTIONS,
    Role.LEAD: ALL_ACTIONS - {Action.DELETE_WORKSPACE, Action.MANAGE_OWNERS},
    Role.EXECUTIVE: _EVERYONE | {Capability.VIEW_DASHBOARDS, Capability.VIEW_BUDGET},
    Role.MEMBER: _EVERYONE,
    Role.GUEST: _EVERYONE | {Capability.VIEW_DASHBOARDS},
}


def _workspace_of(target: Any) -> Workspace:
    if isinstance(target, Workspace):
        return target
    workspace = getattr(target, "workspace", None)
    if not isinstance(workspace, Workspace):
        raise TypeError(f"{target!r} belongs to no workspace")
    return workspace


def membership_of(user: User | AnonymousUser | None, workspace: Workspace) -> Membership | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    return Membership.objects.filter(workspace=workspace, user_id=user.pk).order_by().first()


def granted_capabilities(membership: Membership) -> frozenset[str]:
    """Capabilities extended to any department the member belongs to."""
    return frozenset(
        Grant.objects.filter(
            workspace_id=membership.workspace_id, department__members=membership
        ).values_list("capability", flat=True)
    )


def allowed_actions(membership: Membership | None) -> frozenset[str]:
    """Everything the member may do in their workspace: role first, then department grants."""
    if membership is None:
        return frozenset()
    allowed = ROLE_ALLOWS[membership.role]
    if allowed >= ALL_CAPABILITIES:
        return allowed
    return allowed | granted_capabilities(membership)


def actions_for(user: User | AnonymousUser | None, workspace: Workspace) -> frozenset[str]:
    return allowed_actions(membership_of(user, workspace))


def can(user: User | AnonymousUser | None, action: str, target: Any) -> bool:
    """May ``user`` do ``action`` on ``target`` (a workspace or an object in one)?"""
    if action not in ALL_ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    membership = membership_of(user, _workspace_of(target))
    if membership is None:
        return False
    if action in ROLE_ALLOWS[membership.role]:
        return True
    return action in ALL_CAPABILITIES and action in granted_capabilities(membership)


def role_may_assign(actor_role: str, role: str) -> bool:
    """Only owners make or unmake owners; leads manage every other role."""
    if actor_role == Role.OWNER:
        return True
    return actor_role == Role.LEAD and role != Role.OWNER


def capability_sources(membership: Membership) -> dict[str, list[str]]:
    """For each capability the member has, why: their role or which departments' grants."""
    sources: dict[str, list[str]] = {}
    for cap in Capability:
        if cap.value in ROLE_ALLOWS[membership.role]:
            sources.setdefault(cap.value, []).append("role")
    for cap_value, dept_name in Grant.objects.filter(
        workspace_id=membership.workspace_id, department__members=membership
    ).values_list("capability", "department__name"):
        sources.setdefault(cap_value, []).append(dept_name)
    return sources


@dataclass(frozen=True)
class Access:
    """A person's standing in one workspace: computed once a request."""

    workspace: Workspace
    membership: Membership
    allowed: frozenset[str]


def get_workspace_for_user(
    user: User | AnonymousUser | None,
    slug: str,
    action: str = Action.VIEW_WORKSPACE,
    known: Workspace | None = None,
) -> Access:
    """The workspace with the user's membership and permissions, or 404 for a non-member.

    Outsiders get 404 (never 403, which would reveal that the workspace exists); an insider
    lacking ``action`` gets ``NotPermitted`` so the page can say so plainly. ``known`` is the
    workspace already read for this request (by the locale middleware), used if it is the one.
    """
    if known is not None and known.slug == slug:
        workspace: Workspace | None = known
    else:
        workspace = Workspace.objects.filter(slug=slug).first()
    membership = membership_of(user, workspace) if workspace else None
    if workspace is None or membership is None:
        raise Http404("No such workspace.")
    membership.workspace = workspace
    allowed = allowed_actions(membership)
    if action not in allowed:
        raise NotPermitted(action)
    return Access(workspace=workspace, membership=membership, allowed=allowed)


class NotPermitted(Exception):
    """An insider asked for something their role and grants do not allow."""

    def __init__(self, action: str) -> None:
        super().__init__(action)
        self.action = action


def require(membership: Membership, action: str) -> None:
    if action not in allowed_actions(membership):
        raise NotPermitted(action)


def roles_with(action: str) -> Iterable[str]:
    return [role for role, allowed in ROLE_ALLOWS.items() if action in allowed]

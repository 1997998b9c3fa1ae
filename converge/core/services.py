"""Every write of the core domain. Keyword-only arguments, one transaction, an audit entry."""

from __future__ import annotations

import hashlib
import secrets
import smtplib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import (
    ApiToken,
    Capability,
    Department,
    Grant,
    Invitation,
    Membership,
    Role,
    User,
    Workspace,
    validate_time_zone,
)
from converge.core.policy import Action, NotPermitted, allowed_actions, role_may_assign

RESERVED_SLUGS = frozenset({"new", "admin", "api", "static", "accounts", "w"})


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _membership(actor: User, workspace: Workspace) -> Membership:
    membership = Membership.objects.filter(workspace=workspace, user_id=actor.pk).first()
    if membership is None:
        raise ConvergeError(_("Not found."), status=404)
    return membership


def _require(actor: User, workspace: Workspace, action: str) -> Membership:
    membership = _membership(actor, workspace)
    if action not in allowed_actions(membership):
        raise NotPermitted(action)
    return membership


# --- People -------------------------------------------------------------------------------


def user_create(*, email: str, full_name: str, password: str, title: str = "") -> User:
    """Create an account (sign-up or an accepted invitation)."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ConvergeError(_("An account with this e-mail address already exists."), field="email")
    candidate = User(email=email, full_name=full_name.strip(), title=title.strip())
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise ConvergeError(" ".join(exc.messages), field="password1") from exc
    return User.objects.create_user(
        email=email, password=password, full_name=full_name.strip(), title=title.strip()
    )


def user_update_profile(*, actor: User, full_name: str, title: str) -> User:
    """A person changes their own name and job title."""
    if not full_name.strip():
        raise ConvergeError(_("Enter your name."), field="full_name")
    actor.full_name, actor.title = full_name.strip(), title.strip()
    actor.save(update_fields=["full_name", "title"])
    return actor


# --- Workspaces ---------------------------------------------------------------------------


def _check_slug(slug: str) -> str:
    slug = slugify(slug)
    if not slug:
        raise ConvergeError(_("Enter a slug of letters, digits and hyphens."), field="slug")
    if slug in RESERVED_SLUGS:
        raise ConvergeError(
            _("“%(slug)s” is reserved; choose another.") % {"slug": slug}, field="slug"
        )
    if Workspace.objects.filter(slug=slug).exists():
        raise ConvergeError(
            _("The slug “%(slug)s” is already taken.") % {"slug": slug}, field="slug"
        )
    return slug


def _check_time_zone(time_zone: str) -> None:
    try:
        validate_time_zone(time_zone)
    except ValidationError as exc:
        raise ConvergeError(" ".join(exc.messages), field="time_zone") from exc


WORKSPACE_FIELDS = ("name", "time_zone", "currency", "default_language")


@transaction.atomic
def workspace_create(
    *,
    actor: User,
    name: str,
    slug: str,
    time_zone: str = "Europe/Stockholm",
    currency: str = "SEK",
    default_language: str = "en",
) -> Workspace:
    """Create a workspace; its creator becomes its owner."""
    if not name.strip():
        raise ConvergeError(_("Enter a name."), field="name")
    slug = _check_slug(slug)
    _check_time_zone(time_zone)
    try:
        with transaction.atomic():
            workspace = Workspace.objects.create(
                name=name.strip(),
                slug=slug,
                time_zone=time_zone,
                currency=currency,
                default_language=default_language,
            )
    except IntegrityError as exc:
        raise ConvergeError(
            _("The slug “%(slug)s” is already taken.") % {"slug": slug}, field="slug"
        ) from exc
    Membership.objects.create(workspace=workspace, user=actor, role=Role.OWNER)
    audit.record(
        workspace=workspace,
        actor=actor,
        action="workspace.create",
        obj=workspace,
        changes=audit.diff({}, audit.snapshot(workspace, ("slug", *WORKSPACE_FIELDS))),
    )
    return workspace


@transaction.atomic
def workspace_update(
    *,
    actor: User,
    workspace: Workspace,
    name: str,
    time_zone: str,
    currency: str,
    default_language: str,
) -> Workspace:
    _require(actor, workspace, Action.EDIT_WORKSPACE)
    if not name.strip():
        raise ConvergeError(_("Enter a name."), field="name")
    _check_time_zone(time_zone)
    before = audit.snapshot(workspace, WORKSPACE_FIELDS)
    workspace.name = name.strip()
    workspace.time_zone = time_zone
    workspace.currency = currency
    workspace.default_language = default_language
    workspace.save()
    changes = audit.diff(before, audit.snapshot(workspace, WORKSPACE_FIELDS))
    if changes:
        audit.record(
            workspace=workspace,
            actor=actor,
            action="workspace.update",
            obj=workspace,
            changes=changes,
        )
    return workspace


@transaction.atomic
def workspace_delete(*, actor: User, workspace: Workspace, confirm_slug: str) -> None:
    _require(actor, workspace, Action.DELETE_WORKSPACE)
    if confirm_slug.strip() != workspace.slug:
        raise ConvergeError(
            _("Type the workspace's slug “%(slug)s” to confirm.") % {"slug": workspace.slug},
            field="confirm_slug",
        )
    workspace.delete()


# --- Members and invitations --------------------------------------------------------------


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str


def _owner_count(workspace: Workspace) -> int:
    return Membership.objects.filter(workspace=workspace, role=Role.OWNER).count()


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    workspace: Workspace,
    email: str,
    role: str,
    department: Department | None = None,
) -> IssuedInvitation:
    """Invite a person by e-mail. The returned token is shown in the link and stored hashed."""
    actor_membership = _require(actor, workspace, Action.MANAGE_MEMBERS)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ConvergeError(_("Enter a valid e-mail address."), field="email") from exc
    if role not in Role.values:
        raise ConvergeError(_("Choose a valid role."), field="role")
    if not role_may_assign(actor_membership.role, role):
        raise ConvergeError(_("Only an owner can invite another owner."), field="role")
    if department is not None and department.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a department of this workspace."), field="department")
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise ConvergeError(_("This person is already a member of the workspace."), field="email")
    if Invitation.objects.filter(
        workspace=workspace,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).exists():
        raise ConvergeError(
            _("An invitation to this address is pending; withdraw it first to send a new one."),
            field="email",
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        workspace=workspace,
        email=email,
        role=role,
        department=department,
        token_hash=hash_secret(token),
        invited_by=actor,
        expires_at=timezone.now() + timedelta(days=settings.CONVERGE_INVITATION_DAYS),
    )
    audit.record(
        workspace=workspace,
        actor=actor,
        action="invitation.create",
        obj=invitation,
        changes={"email": [None, email], "role": [None, role]},
    )
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def invitation_issue(
    *,
    actor: User,
    workspace: Workspace,
    email: str,
    role: str,
    department: Department | None = None,
    accept_url_for: Callable[[str], str],
) -> IssuedInvitation:
    """Create an invitation and e-mail its link, or neither: if the mail cannot be sent, the
    invitation is not kept and the person is told why."""
    issued = invitation_create(
        actor=actor, workspace=workspace, email=email, role=role, department=department
    )
    try:
        invitation_send(issued=issued, accept_url=accept_url_for(issued.token))
    except (smtplib.SMTPException, OSError) as exc:
        raise ConvergeError(
            _("The invitation e-mail could not be sent (%(error)s). Nothing was saved; try again.")
            % {"error": exc},
            field="email",
            status=502,
        ) from exc
    return issued


def invitation_send(*, issued: IssuedInvitation, accept_url: str) -> None:
    """E-mail the invitation link, in the workspace's default language."""
    invitation = issued.invitation
    with translation.override(invitation.workspace.default_language):
        context = {
            "invitation": invitation,
            "accept_url": accept_url,
            "inviter": invitation.invited_by,
            "days": settings.CONVERGE_INVITATION_DAYS,
        }
        subject = _("You are invited to %(workspace)s on Converge") % {
            "workspace": invitation.workspace.name
        }
        body = render_to_string("core/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: Invitation) -> None:
    _require(actor, invitation.workspace, Action.MANAGE_MEMBERS)
    if invitation.accepted_at is not None:
        raise ConvergeError(_("This invitation has already been accepted."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(
        workspace=invitation.workspace,
        actor=actor,
        action="invitation.revoke",
        obj=invitation,
    )


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("workspace", "invited_by")
        .filter(token_hash=hash_secret(token))
        .first()
    )


def invitation_problem(invitation: Invitation | None, user: User | None) -> str | None:
    """Why this invitation cannot be accepted by ``user`` now, in plain words; None if it can."""
    if invitation is None:
        return _("This invitation link is not valid. Check that you copied the whole link.")
    if invitation.accepted_at is not None:
        return _("This invitation has already been used. Sign in to reach the workspace.")
    if invitation.revoked_at is not None:
        return _("This invitation was withdrawn. Ask the person who invited you for a new one.")
    if invitation.expires_at <= timezone.now():
        return _(
            "This invitation expired on %(date)s. Ask the person who invited you for a new one."
        ) % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M")}
    if (
        user is not None
        and user.is_authenticated
        and user.email.lower() != invitation.email.lower()
    ):
        return _(
            "This invitation is for %(invited)s, but you are signed in as %(current)s. "
            "Sign out and open the link again."
        ) % {"invited": invitation.email, "current": user.email}
    return None


@transaction.atomic
def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    full_name: str = "",
    password: str = "",
) -> Membership:
    """Accept an invitation, as the signed-in ``user`` or by creating the invited account.

    Everything or nothing: the account, the membership and the invitation's use are one write.
    """
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=hash_secret(token)).first()
    )
    problem = invitation_problem(invitation, user)
    if problem or invitation is None:
        raise ConvergeError(problem or _("This invitation link is not valid."))
    if user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ConvergeError(
                _("An account with this e-mail address exists. Sign in to accept the invitation.")
            )
        if not full_name.strip():
            raise ConvergeError(_("Enter your name."), field="full_name")
        user = user_create(email=invitation.email, full_name=full_name, password=password)
    if Membership.objects.filter(workspace=invitation.workspace, user=user).exists():
        raise ConvergeError(_("You are already a member of this workspace."))
    membership = Membership.objects.create(
        workspace=invitation.workspace, user=user, role=invitation.role
    )
    if invitation.department is not None:
        invitation.department.members.add(membership)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit.record(
        workspace=invitation.workspace,
        actor=user,
        action="membership.join",
        obj=membership,
        changes={"role": [None, membership.role]},
    )
    return membership


@transaction.atomic
def membership_add(*, actor: User, workspace: Workspace, user: User, role: str) -> Membership:
    """Add an existing account directly (used by the demo and by owners' tooling)."""
    actor_membership = _require(actor, workspace, Action.MANAGE_MEMBERS)
    if not role_may_assign(actor_membership.role, role):
        raise ConvergeError(_("Only an owner can make someone an owner."), field="role")
    membership, created = Membership.objects.get_or_create(
        workspace=workspace, user=user, defaults={"role": role}
    )
    if not created:
        raise ConvergeError(_("This person is already a member of the workspace."), field="email")
    audit.record(
        workspace=workspace,
        actor=actor,
        action="membership.add",
        obj=membership,
        changes={"role": [None, role]},
    )
    return membership


@transaction.atomic
def membership_set_role(*, actor: User, membership: Membership, role: str) -> Membership:
    """Change a member's role. Takes effect on their next request; the last owner stays owner."""
    workspace = membership.workspace
    actor_membership = _require(actor, workspace, Action.MANAGE_MEMBERS)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if role not in Role.values:
        raise ConvergeError(_("Choose a valid role."), field="role")
    if role == membership.role:
        return membership
    if not role_may_assign(actor_membership.role, role) or not role_may_assign(
        actor_membership.role, membership.role
    ):
        raise ConvergeError(_("Only an owner can make or change an owner."), field="role")
    if membership.role == Role.OWNER and _owner_count(workspace) <= 1:
        raise ConvergeError(
            _("This is the workspace's last owner. Make someone else owner first."), field="role"
        )
    old = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    audit.record(
        workspace=workspace,
        actor=actor,
        action="membership.role",
        obj=membership,
        changes={"role": [old, role]},
    )
    return membership


@transaction.atomic
def membership_remove(*, actor: User, membership: Membership) -> None:
    """Remove a person from the workspace. Their account, and other workspaces, stay."""
    workspace = membership.workspace
    actor_membership = _require(actor, workspace, Action.MANAGE_MEMBERS)
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not role_may_assign(actor_membership.role, membership.role):
        raise ConvergeError(_("Only an owner can remove an owner."))
    if membership.role == Role.OWNER and _owner_count(workspace) <= 1:
        raise ConvergeError(_("This is the workspace's last owner. Make someone else owner first."))
    audit.record(
        workspace=workspace,
        actor=actor,
        action="membership.remove",
        obj=membership,
        changes={"role": [membership.role, None]},
    )
    ApiToken.objects.filter(workspace=workspace, user_id=membership.user_id).update(
        revoked_at=timezone.now()
    )
    membership.delete()


@transaction.atomic
def membership_set_departments(
    *, actor: User, membership: Membership, departments: Iterable[Department]
) -> Membership:
    workspace = membership.workspace
    _require(actor, workspace, Action.MANAGE_DEPARTMENTS)
    chosen = list(departments)
    if any(d.workspace_id != workspace.pk for d in chosen):
        raise ConvergeError(_("Choose departments of this workspace."), field="departments")
    before = sorted(d.name for d in membership.departments.all())
    membership.departments.set(chosen)
    after = sorted(d.name for d in chosen)
    if before != after:
        audit.record(
            workspace=workspace,
            actor=actor,
            action="membership.departments",
            obj=membership,
            changes={"departments": [before, after]},
        )
    return membership


# --- Departments --------------------------------------------------------------------------

DEPARTMENT_FIELDS = ("name", "kind", "head", "aims", "challenges")


def _unique_department_slug(workspace: Workspace, name: str, exclude_pk: int | None = None) -> str:
    base = slugify(name)[:70] or "department"
    slug, n = base, 2
    existing = Department.objects.filter(workspace=workspace)
    if exclude_pk is not None:
        existing = existing.exclude(pk=exclude_pk)
    taken = set(existing.values_list("slug", flat=True))
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _check_department(
    workspace: Workspace,
    *,
    name: str,
    kind: str,
    head: Membership | None,
    members: list[Membership],
    exclude_pk: int | None = None,
) -> None:
    from converge.core.models import DepartmentKind

    if not name.strip():
        raise ConvergeError(_("Enter a name."), field="name")
    same_name = Department.objects.filter(workspace=workspace, name__iexact=name.strip())
    if exclude_pk is not None:
        same_name = same_name.exclude(pk=exclude_pk)
    if same_name.exists():
        raise ConvergeError(_("A department with this name already exists."), field="name")
    if kind not in DepartmentKind.values:
        raise ConvergeError(_("Choose a kind."), field="kind")
    if head is not None and head.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a head from this workspace."), field="head")
    if any(m.workspace_id != workspace.pk for m in members):
        raise ConvergeError(_("Choose members from this workspace."), field="members")


def _department_snapshot(department: Department) -> audit.Snapshot:
    data = audit.snapshot(department, DEPARTMENT_FIELDS)
    data["members"] = sorted(str(m.user) for m in department.members.select_related("user"))
    return data


@transaction.atomic
def department_create(
    *,
    actor: User,
    workspace: Workspace,
    name: str,
    kind: str,
    head: Membership | None = None,
    members: Iterable[Membership] = (),
    aims: str = "",
    challenges: str = "",
) -> Department:
    _require(actor, workspace, Action.MANAGE_DEPARTMENTS)
    member_list = list(members)
    _check_department(workspace, name=name, kind=kind, head=head, members=member_list)
    department = Department.objects.create(
        workspace=workspace,
        name=name.strip(),
        slug=_unique_department_slug(workspace, name),
        kind=kind,
        head=head,
        aims=aims.strip(),
        challenges=challenges.strip(),
    )
    if head is not None and head not in member_list:
        member_list.append(head)
    department.members.set(member_list)
    audit.record(
        workspace=workspace,
        actor=actor,
        action="department.create",
        obj=department,
        changes=audit.diff({}, _department_snapshot(department)),
    )
    return department


@transaction.atomic
def department_update(
    *,
    actor: User,
    department: Department,
    name: str,
    kind: str,
    head: Membership | None,
    members: Iterable[Membership],
    aims: str,
    challenges: str,
) -> Department:
    workspace = department.workspace
    _require(actor, workspace, Action.MANAGE_DEPARTMENTS)
    member_list = list(members)
    _check_department(
        workspace, name=name, kind=kind, head=head, members=member_list, exclude_pk=department.pk
    )
    before = _department_snapshot(department)
    if department.name != name.strip():
        department.slug = _unique_department_slug(workspace, name, exclude_pk=department.pk)
    department.name = name.strip()
    department.kind = kind
    department.head = head
    department.aims = aims.strip()
    department.challenges = challenges.strip()
    department.save()
    if head is not None and head not in member_list:
        member_list.append(head)
    department.members.set(member_list)
    changes = audit.diff(before, _department_snapshot(department))
    if changes:
        audit.record(
            workspace=workspace,
            actor=actor,
            action="department.update",
            obj=department,
            changes=changes,
        )
    return department


@transaction.atomic
def department_delete(*, actor: User, department: Department, confirmed: bool) -> None:
    """Delete a department. People stay; a department with members needs confirmation."""
    workspace = department.workspace
    _require(actor, workspace, Action.MANAGE_DEPARTMENTS)
    member_count = department.members.count()
    if member_count and not confirmed:
        raise ConvergeError(
            _("This department has %(count)d members. Confirm to delete it; the people stay.")
            % {"count": member_count},
            field="confirm",
            status=409,
        )
    audit.record(
        workspace=workspace,
        actor=actor,
        action="department.delete",
        obj=department,
        changes=audit.diff(_department_snapshot(department), {}),
    )
    department.delete()


# --- Grants -------------------------------------------------------------------------------


@transaction.atomic
def grants_set(*, actor: User, department: Department, capabilities: Iterable[str]) -> list[Grant]:
    """Make ``capabilities`` exactly the set extended to ``department``."""
    workspace = department.workspace
    _require(actor, workspace, Action.MANAGE_GRANTS)
    wanted = set(capabilities)
    unknown = wanted - set(Capability.values)
    if unknown:
        raise ConvergeError(
            _("Unknown capability: %(names)s.") % {"names": ", ".join(sorted(unknown))},
            field="capabilities",
            details={"unknown": sorted(unknown)},
        )
    current = set(Grant.objects.filter(department=department).values_list("capability", flat=True))
    added, removed = wanted - current, current - wanted
    Grant.objects.filter(department=department, capability__in=removed).delete()
    Grant.objects.bulk_create(
        [
            Grant(workspace=workspace, department=department, capability=cap, granted_by=actor)
            for cap in sorted(added)
        ]
    )
    if added or removed:
        audit.record(
            workspace=workspace,
            actor=actor,
            action="grants.set",
            obj=department,
            object_type="grant",
            changes={"capabilities": [sorted(current), sorted(wanted)]},
        )
    return list(Grant.objects.filter(department=department))


@transaction.atomic
def grants_replace(
    *, actor: User, workspace: Workspace, matrix: dict[Department, set[str]]
) -> None:
    """Set the capabilities of several departments at once: all of them or none."""
    _require(actor, workspace, Action.MANAGE_GRANTS)
    for department, capabilities in matrix.items():
        if department.workspace_id != workspace.pk:
            raise ConvergeError(_("Choose departments of this workspace."), field="capabilities")
        grants_set(actor=actor, department=department, capabilities=capabilities)


def grant_add(*, actor: User, department: Department, capability: str) -> list[Grant]:
    current = set(Grant.objects.filter(department=department).values_list("capability", flat=True))
    return grants_set(actor=actor, department=department, capabilities=current | {capability})


def grant_remove(*, actor: User, department: Department, capability: str) -> list[Grant]:
    current = set(Grant.objects.filter(department=department).values_list("capability", flat=True))
    return grants_set(actor=actor, department=department, capabilities=current - {capability})


# --- API tokens ---------------------------------------------------------------------------

TOKEN_PREFIX = "cvg_"


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str


@transaction.atomic
def api_token_create(*, actor: User, workspace: Workspace, name: str) -> IssuedToken:
    """A new personal token for ``actor`` in ``workspace``. The secret is shown once."""
    _require(actor, workspace, Action.USE_API)
    if not name.strip():
        raise ConvergeError(_("Give the token a name, e.g. where it will be used."), field="name")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        workspace=workspace,
        user=actor,
        name=name.strip()[:100],
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        key_hash=hash_secret(secret),
    )
    audit.record(
        workspace=workspace,
        actor=actor,
        action="api_token.create",
        obj=token,
        changes={"name": [None, token.name]},
    )
    return IssuedToken(token=token, secret=secret)


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    membership = _membership(actor, token.workspace)
    if token.user_id != actor.pk and Action.MANAGE_MEMBERS not in allowed_actions(membership):
        raise NotPermitted(Action.MANAGE_MEMBERS)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(workspace=token.workspace, actor=actor, action="api_token.revoke", obj=token)
    return token


def api_token_authenticate(secret: str) -> ApiToken | None:
    """The live token for ``secret``, with its user still a member; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user", "workspace")
        .filter(key_hash=hash_secret(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if not Membership.objects.filter(workspace=token.workspace, user=token.user).exists():
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token

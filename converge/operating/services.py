"""Every write of the operating model, RACI, executives, policies and training.

Leads and owners (``manage_operating_model``) write; every member acknowledges the policies
asked of them. Each write is one transaction with an audit entry; nothing unchanged is audited,
so the demo can run again without noise."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import Department, Membership, User, Workspace
from converge.core.policy import Action, NotPermitted, can, membership_of
from converge.measurement.models import Channel
from converge.operating import raci
from converge.operating.models import (
    Acknowledgement,
    DocumentKind,
    Executive,
    ModelKind,
    OperatingModel,
    PolicyDocument,
    PolicyReminder,
    PolicyVersion,
    PracticeEntry,
    PracticeKind,
    RaciActivity,
    RaciAssignment,
    RaciRole,
    TeamMember,
    Touchpoint,
    TouchpointKind,
    Training,
    TrainingCompletion,
    TrainingKind,
    TrainingSession,
)

logger = logging.getLogger(__name__)
M = TypeVar("M", bound=models.Model)
MANAGE = Action.MANAGE_OPERATING_MODEL

# The governance activities every organisation has to settle (seed 004), in this order.
DEFAULT_ACTIVITIES: tuple[tuple[str, str], ...] = (
    ("Opening a new channel", "Whether to open (or close) an account on a new platform."),
    ("Crisis response", "Who speaks, who approves and who acts when something goes wrong."),
    ("Paid-social budget", "The war chest for sponsored content and how it is split."),
    ("Content approval", "Who approves posts and campaigns before they go out."),
    ("Policy changes", "Changes to the employee social media policy and the playbooks."),
    ("Tool purchases", "Buying or replacing social media management and listening tools."),
    ("Influencer agreements", "Contracts, disclosure and payment of influencers."),
    ("Customer-care on social", "Answering complaints and questions on social channels."),
)


def require_manager(actor: User, workspace: Workspace) -> None:
    if not can(actor, MANAGE, workspace):
        raise NotPermitted(MANAGE)


def _same_workspace(workspace: Workspace, objects: Iterable[Any], field: str) -> list[Any]:
    items = [o for o in objects if o is not None]
    if any(getattr(o, "workspace_id", None) != workspace.pk for o in items):
        raise ConvergeError(_("Choose items of this workspace."), field=field)
    return items


def _required(value: str, field: str, message: str) -> str:
    if not str(value or "").strip():
        raise ConvergeError(message, field=field)
    return str(value).strip()


def _choice(value: str, choices: type[models.TextChoices], field: str) -> str:
    if value not in choices.values:
        raise ConvergeError(_("Choose one of the options."), field=field)
    return value


def _save(
    *,
    actor: User,
    obj: M,
    values: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    kind: str,
) -> M:
    """Save and audit (``audit.save_audited``); an update that changes nothing writes nothing."""
    return audit.save_audited(
        actor=actor, obj=obj, values=values, m2m=m2m, kind=kind, skip_unchanged=True
    )


def _delete(*, actor: User, obj: Any, kind: str) -> None:
    require_manager(actor, obj.workspace)
    audit.record(workspace=obj.workspace, actor=actor, action=f"{kind}.delete", obj=obj)
    obj.delete()


# --- Operating model ------------------------------------------------------------------------


@transaction.atomic
def operating_model_save(
    *,
    actor: User,
    workspace: Workspace,
    kind: str,
    summary: str = "",
    priorities: str = "",
    guidelines: str = "",
    processes: str = "",
    roles: str = "",
) -> OperatingModel:
    """Choose the operating model and write the hub's mandate (Markdown)."""
    require_manager(actor, workspace)
    values = {
        "kind": _choice(kind, ModelKind, "kind"),
        "summary": summary.strip(),
        "priorities": priorities.strip(),
        "guidelines": guidelines.strip(),
        "processes": processes.strip(),
        "roles": roles.strip(),
    }
    current = OperatingModel.objects.filter(workspace=workspace).first()
    return _save(
        actor=actor,
        obj=current or OperatingModel(workspace=workspace),
        values=values,
        kind="operating_model",
    )


@transaction.atomic
def team_member_save(
    *, actor: User, workspace: Workspace, membership: Membership, role: str, time_share: int
) -> TeamMember:
    """Add a person to the dedicated team, or change their role and share of time (1–100%)."""
    require_manager(actor, workspace)
    _same_workspace(workspace, [membership], "membership")
    role = _required(role, "role", _("Name the person's role in the team."))
    if time_share is None or not 1 <= int(time_share) <= 100:
        raise ConvergeError(
            _("The share of time is a whole percentage from 1 to 100."), field="time_share"
        )
    current = TeamMember.objects.filter(workspace=workspace, membership=membership).first()
    return _save(
        actor=actor,
        obj=current or TeamMember(workspace=workspace, membership=membership),
        values={"role": role, "time_share": int(time_share)},
        kind="team_member",
    )


@transaction.atomic
def team_member_remove(*, actor: User, team_member: TeamMember) -> None:
    _delete(actor=actor, obj=team_member, kind="team_member")


# --- RACI -----------------------------------------------------------------------------------


@transaction.atomic
def raci_activity_save(
    *,
    actor: User,
    workspace: Workspace,
    activity: RaciActivity | None = None,
    name: str,
    description: str = "",
) -> RaciActivity:
    require_manager(actor, workspace)
    name = _required(name, "name", _("Name the activity."))
    values: dict[str, Any] = {"name": name, "description": description.strip()}
    if activity is None:
        last = RaciActivity.objects.filter(workspace=workspace).aggregate(p=Max("position"))["p"]
        values["position"] = (last or 0) + 1
    return _save(
        actor=actor,
        obj=activity or RaciActivity(workspace=workspace),
        values=values,
        kind="raci_activity",
    )


@transaction.atomic
def raci_activity_remove(*, actor: User, activity: RaciActivity) -> None:
    _delete(actor=actor, obj=activity, kind="raci_activity")


@transaction.atomic
def raci_defaults_add(*, actor: User, workspace: Workspace) -> list[RaciActivity]:
    """Add the usual governance activities that the workspace does not have yet."""
    require_manager(actor, workspace)
    have = set(RaciActivity.objects.filter(workspace=workspace).values_list("name", flat=True))
    return [
        raci_activity_save(actor=actor, workspace=workspace, name=name, description=text)
        for name, text in DEFAULT_ACTIVITIES
        if name not in have
    ]


@dataclass(frozen=True)
class CellInput:
    """One role of one party in one activity, as a form or the API sends it."""

    activity: RaciActivity
    role: str
    department: Department | None = None
    membership: Membership | None = None
    pay_share: Decimal | None = None


SHARE_TEXT = {
    "share_without_paying": "Only a party that pays has a share of the bill.",
    "share_out_of_range": "A share of the bill lies above 0% and at most 100%.",
}


def _party_name(department: Department | None, membership: Membership | None) -> str:
    return department.name if department else str(membership.user) if membership else "?"


def _cell_key(c: RaciAssignment | CellInput) -> tuple[int, int | None, int | None, str]:
    return (
        c.activity.pk,
        c.department.pk if c.department else None,
        c.membership.pk if c.membership else None,
        c.role,
    )


@transaction.atomic
def raci_replace(
    *,
    actor: User,
    workspace: Workspace,
    cells: Iterable[CellInput],
    activities: Iterable[RaciActivity] | None = None,
) -> list[RaciAssignment]:
    """Make the matrix (or the rows of ``activities``) exactly ``cells``.

    A payer alone on an activity without a share pays 100%. Shares are checked here (only payers
    have one, above 0 and at most 100); the governance gaps — no decider, two deciders, shares
    not adding up to 100 — are saved and listed (``selectors.raci_matrix``)."""
    require_manager(actor, workspace)
    wanted = list(cells)
    scope = list(activities) if activities is not None else None
    for c in wanted:
        _same_workspace(workspace, [c.activity, c.department, c.membership], "matrix")
        _choice(c.role, RaciRole, "matrix")
        if (c.department is None) == (c.membership is None):
            raise ConvergeError(_("Each cell names one department or one person."), field="matrix")
        problem = raci.share_problem(c.role, c.pay_share)
        if problem:
            raise ConvergeError(
                _(
                    "%(activity)s, %(party)s: only a party that pays has a share of the bill, "
                    "above 0%% and at most 100%%."
                )
                % {"activity": c.activity.name, "party": _party_name(c.department, c.membership)},
                field="matrix",
                details={"problem": problem, "activity": str(c.activity.uuid)},
            )
    payers: dict[int, list[int]] = {}
    for index, c in enumerate(wanted):
        if c.role == RaciRole.PAYS:
            payers.setdefault(c.activity.pk, []).append(index)
    for indexes in payers.values():
        if len(indexes) == 1 and wanted[indexes[0]].pay_share is None:
            c = wanted[indexes[0]]
            wanted[indexes[0]] = CellInput(
                c.activity, c.role, c.department, c.membership, Decimal(100)
            )
    existing = RaciAssignment.objects.filter(workspace=workspace).select_related(
        "activity", "department", "membership__user"
    )
    if scope is not None:
        existing = existing.filter(activity__in=scope)
    current = {_cell_key(a): a for a in existing}
    target = {_cell_key(c): c for c in wanted}
    changes: dict[str, list[Any]] = {}
    for key, old in current.items():
        if key not in target:
            changes[str(old)] = [audit._plain(old.pay_share) if old.role == "pays" else True, None]
            old.delete()
    result: list[RaciAssignment] = []
    for key, c in target.items():
        row: RaciAssignment | None = current.get(key)
        share = c.pay_share.quantize(Decimal("0.01")) if c.pay_share is not None else None
        if row is None:
            row = RaciAssignment.objects.create(
                workspace=workspace,
                activity=c.activity,
                department=c.department,
                membership=c.membership,
                role=c.role,
                pay_share=share,
            )
            changes[str(row)] = [None, audit._plain(share) if c.role == "pays" else True]
        elif row.pay_share != share:
            changes[str(row)] = [audit._plain(row.pay_share), audit._plain(share)]
            row.pay_share = share
            row.save(update_fields=["pay_share"])
        result.append(row)
    if changes:
        audit.record(
            workspace=workspace,
            actor=actor,
            action="raci.update",
            object_type="raci",
            object_repr=_("RACI matrix"),
            changes=changes,
        )
    return result


@transaction.atomic
def raci_assign(
    *,
    actor: User,
    activity: RaciActivity,
    role: str,
    department: Department | None = None,
    membership: Membership | None = None,
    pay_share: Decimal | None = None,
) -> RaciAssignment:
    """Give one party one role in one activity (or change its share), keeping the rest."""
    workspace = activity.workspace
    require_manager(actor, workspace)
    others = [
        CellInput(a.activity, a.role, a.department, a.membership, a.pay_share)
        for a in RaciAssignment.objects.filter(activity=activity).select_related(
            "activity", "department", "membership"
        )
        if not (
            a.role == role
            and a.department_id == (department.pk if department else None)
            and a.membership_id == (membership.pk if membership else None)
        )
    ]
    new = CellInput(activity, role, department, membership, pay_share)
    rows = raci_replace(
        actor=actor, workspace=workspace, cells=[*others, new], activities=[activity]
    )
    return next(r for r in rows if _cell_key(r) == _cell_key(new))


# --- Executives -----------------------------------------------------------------------------


@transaction.atomic
def executive_save(
    *,
    actor: User,
    workspace: Workspace,
    membership: Membership,
    title: str,
    is_sponsor: bool = False,
    engaged_in: str = "",
    since: date | None = None,
) -> Executive:
    """Record the executive sponsor or an engaged executive. Naming a new sponsor makes the
    previous one an engaged executive."""
    require_manager(actor, workspace)
    _same_workspace(workspace, [membership], "membership")
    title = _required(title, "title", _("Enter the executive's role or title."))
    if is_sponsor:
        for previous in Executive.objects.filter(workspace=workspace, is_sponsor=True).exclude(
            membership=membership
        ):
            _save(actor=actor, obj=previous, values={"is_sponsor": False}, kind="executive")
    current = Executive.objects.filter(workspace=workspace, membership=membership).first()
    return _save(
        actor=actor,
        obj=current or Executive(workspace=workspace, membership=membership),
        values={
            "title": title,
            "is_sponsor": bool(is_sponsor),
            "engaged_in": engaged_in.strip(),
            "since": since,
        },
        kind="executive",
    )


@transaction.atomic
def executive_remove(*, actor: User, executive: Executive) -> None:
    _delete(actor=actor, obj=executive, kind="executive")


@transaction.atomic
def touchpoint_add(
    *, actor: User, executive: Executive, day: date, kind: str, notes: str = ""
) -> Touchpoint:
    require_manager(actor, executive.workspace)
    if day is None:
        raise ConvergeError(_("Enter the date."), field="day")
    return _save(
        actor=actor,
        obj=Touchpoint(workspace=executive.workspace, executive=executive, recorded_by=actor),
        values={"day": day, "kind": _choice(kind, TouchpointKind, "kind"), "notes": notes.strip()},
        kind="touchpoint",
    )


# --- Policies and playbooks -----------------------------------------------------------------


def applicable_members(
    workspace: Workspace, *, everyone: bool, departments: Iterable[Department]
) -> list[Membership]:
    """The people a version applies to: everyone, or the members of the departments chosen."""
    people = Membership.objects.filter(workspace=workspace)
    if not everyone:
        people = people.filter(departments__in=list(departments))
    return list(people.distinct().order_by("pk"))


@transaction.atomic
def policy_create(
    *,
    actor: User,
    workspace: Workspace,
    title: str,
    kind: str,
    body: str,
    channel: Channel | None = None,
    change_note: str = "",
    applies_to_everyone: bool = True,
    departments: Iterable[Department] = (),
    now: datetime | None = None,
) -> PolicyVersion:
    """A new policy, playbook or guideline, published as version 1."""
    require_manager(actor, workspace)
    title = _required(title, "title", _("Enter a title."))
    _same_workspace(workspace, [channel], "channel")
    document = _save(
        actor=actor,
        obj=PolicyDocument(workspace=workspace),
        values={"title": title, "kind": _choice(kind, DocumentKind, "kind"), "channel": channel},
        kind="policy",
    )
    return policy_publish(
        actor=actor,
        document=document,
        body=body,
        change_note=change_note,
        applies_to_everyone=applies_to_everyone,
        departments=departments,
        now=now,
    )


@transaction.atomic
def policy_update(
    *, actor: User, document: PolicyDocument, title: str, kind: str, channel: Channel | None
) -> PolicyDocument:
    """Rename a document or change its kind or channel (the text changes by publishing)."""
    require_manager(actor, document.workspace)
    _same_workspace(document.workspace, [channel], "channel")
    return _save(
        actor=actor,
        obj=document,
        values={
            "title": _required(title, "title", _("Enter a title.")),
            "kind": _choice(kind, DocumentKind, "kind"),
            "channel": channel,
        },
        kind="policy",
    )


def current_version(document: PolicyDocument) -> PolicyVersion | None:
    return document.versions.order_by("-number").first()


@transaction.atomic
def policy_publish(
    *,
    actor: User,
    document: PolicyDocument,
    body: str,
    change_note: str = "",
    applies_to_everyone: bool = True,
    departments: Iterable[Department] = (),
    now: datetime | None = None,
) -> PolicyVersion:
    """Publish a new version and ask everyone it applies to to acknowledge it."""
    workspace = document.workspace
    require_manager(actor, workspace)
    body = _required(body, "body", _("Write the text of the document."))
    depts = _same_workspace(workspace, departments, "departments")
    if not applies_to_everyone and not depts:
        raise ConvergeError(
            _("Choose the departments it applies to, or let it apply to everyone."),
            field="departments",
        )
    PolicyDocument.objects.select_for_update().filter(pk=document.pk).first()
    latest = current_version(document)
    if latest is not None and latest.body.strip() == body.strip():
        raise ConvergeError(
            _("The text is the same as version %(number)s: change it to publish a new version.")
            % {"number": latest.number},
            field="body",
        )
    at = now or timezone.now()
    version = PolicyVersion.objects.create(
        workspace=workspace,
        document=document,
        number=(latest.number if latest else 0) + 1,
        body=body.strip() + "\n",
        change_note=change_note.strip(),
        applies_to_everyone=applies_to_everyone,
        published_at=at,
        published_by=actor,
    )
    if not applies_to_everyone:
        version.departments.set(depts)
    people = applicable_members(workspace, everyone=applies_to_everyone, departments=depts)
    Acknowledgement.objects.bulk_create(
        [
            Acknowledgement(workspace=workspace, version=version, membership=m, requested_at=at)
            for m in people
        ]
    )
    audit.record(
        workspace=workspace,
        actor=actor,
        action="policy.publish",
        obj=version,
        changes={
            "version": [latest.number if latest else None, version.number],
            "applies_to": [
                None,
                "everyone" if applies_to_everyone else sorted(d.name for d in depts),
            ],
            "asked": [None, len(people)],
        },
    )
    return version


def not_yet_asked(version: PolicyVersion) -> list[Membership]:
    """People the version applies to today who were not asked (they joined later)."""
    people = applicable_members(
        version.workspace,
        everyone=version.applies_to_everyone,
        departments=list(version.departments.all()),
    )
    asked = set(version.acknowledgements.values_list("membership_id", flat=True))
    return [m for m in people if m.pk not in asked]


@transaction.atomic
def policy_ask_newcomers(
    *, actor: User, document: PolicyDocument, now: datetime | None = None
) -> int:
    """Ask those who joined (or joined a department it applies to) since the current version
    was published to acknowledge it too. Returns how many were asked."""
    require_manager(actor, document.workspace)
    version = current_version(document)
    if version is None:
        return 0
    people = not_yet_asked(version)
    at = now or timezone.now()
    Acknowledgement.objects.bulk_create(
        [
            Acknowledgement(
                workspace=document.workspace, version=version, membership=m, requested_at=at
            )
            for m in people
        ]
    )
    if people:
        audit.record(
            workspace=document.workspace,
            actor=actor,
            action="policy.ask",
            obj=version,
            changes={"asked": [None, sorted(str(m.user) for m in people)]},
        )
    return len(people)


@transaction.atomic
def policy_acknowledge(
    *, actor: User, document: PolicyDocument, now: datetime | None = None
) -> Acknowledgement:
    """The signed-in person acknowledges the document's current version."""
    membership = membership_of(actor, document.workspace)
    if membership is None:
        raise ConvergeError(_("Not found."), status=404)
    version = current_version(document)
    ack = (
        Acknowledgement.objects.select_for_update()
        .filter(version=version, membership=membership)
        .first()
        if version
        else None
    )
    if ack is None:
        raise ConvergeError(_("You have not been asked to acknowledge this document."), status=409)
    if ack.acknowledged_at is None:
        ack.acknowledged_at = now or timezone.now()
        ack.save(update_fields=["acknowledged_at"])
        audit.record(
            workspace=document.workspace,
            actor=actor,
            action="policy.acknowledge",
            obj=version,
            changes={"acknowledged_by": [None, str(actor)]},
        )
    return ack


def reminder_days() -> int:
    return int(getattr(settings, "CONVERGE_POLICY_REMINDER_DAYS", 7))


def _remind(ack: Acknowledgement, now: datetime, document_url: str | None) -> PolicyReminder | None:
    """Send the one reminder of ``ack``, inside its own transaction: the row that records it is
    written first, so a second run (even a concurrent one) finds it and sends nothing."""
    version = ack.version
    user = ack.membership.user
    with translation.override(ack.workspace.default_language):
        subject = _("Please acknowledge: %(title)s (version %(number)s)") % {
            "title": version.document.title,
            "number": version.number,
        }
        body = render_to_string(
            "operating/email/policy_reminder.txt",
            {"ack": ack, "version": version, "user": user, "url": document_url},
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = PolicyReminder.objects.create(
                    workspace=ack.workspace,
                    acknowledgement=ack,
                    sent_at=now,
                    to=user.email,
                    subject=subject[:300],
                )
        except IntegrityError:
            return None
        send_mail(subject, body, None, [user.email])
    return record


def policy_reminders_send(
    *,
    now: datetime | None = None,
    after_days: int | None = None,
    workspace: Workspace | None = None,
    base_url: str = "",
) -> int:
    """E-mail everyone who still has not acknowledged a document's current version, once per
    person and version, ``after_days`` after they were asked. Returns how many were sent."""
    at = now or timezone.now()
    days = reminder_days() if after_days is None else after_days
    latest = PolicyVersion.objects.filter(document=models.OuterRef("version__document")).order_by(
        "-number"
    )
    pending = (
        Acknowledgement.objects.filter(
            acknowledged_at__isnull=True,
            reminder__isnull=True,
            requested_at__lte=at - timedelta(days=days),
            membership__user__is_active=True,
        )
        .filter(version=models.Subquery(latest.values("pk")[:1]))
        .select_related("version__document", "membership__user", "workspace")
        .order_by("pk")
    )
    if workspace is not None:
        pending = pending.filter(workspace=workspace)
    sent = 0
    for ack in pending:
        url = (
            f"{base_url.rstrip('/')}/w/{ack.workspace.slug}/governance/policies/"
            f"{ack.version.document.uuid}/"
            if base_url
            else None
        )
        if _remind(ack, at, url) is not None:
            sent += 1
    logger.info("policy reminders sent", extra={"sent": sent})
    return sent


# --- Training -------------------------------------------------------------------------------


@transaction.atomic
def training_save(
    *,
    actor: User,
    workspace: Workspace,
    training: Training | None = None,
    title: str,
    kind: str,
    description: str = "",
    policy: PolicyDocument | None = None,
    channel: Channel | None = None,
) -> Training:
    require_manager(actor, workspace)
    _same_workspace(workspace, [policy], "policy")
    _same_workspace(workspace, [channel], "channel")
    return _save(
        actor=actor,
        obj=training or Training(workspace=workspace),
        values={
            "title": _required(title, "title", _("Enter a title.")),
            "kind": _choice(kind, TrainingKind, "kind"),
            "description": description.strip(),
            "policy": policy,
            "channel": channel,
        },
        kind="training",
    )


@transaction.atomic
def training_session_add(
    *,
    actor: User,
    training: Training,
    day: date,
    trainer: Membership | None = None,
    attendees: Iterable[Membership] = (),
    notes: str = "",
) -> TrainingSession:
    """Record a session held; everyone who attended has completed the training (unless they
    already had)."""
    workspace = training.workspace
    require_manager(actor, workspace)
    if day is None:
        raise ConvergeError(_("Enter the date."), field="day")
    _same_workspace(workspace, [trainer], "trainer")
    people = _same_workspace(workspace, attendees, "attendees")
    session = _save(
        actor=actor,
        obj=TrainingSession(workspace=workspace, training=training),
        values={"day": day, "trainer": trainer, "notes": notes.strip()},
        m2m={"attendees": people},
        kind="training_session",
    )
    for person in people:
        _complete(actor, training, person, day, session)
    return session


def _complete(
    actor: User,
    training: Training,
    membership: Membership,
    day: date,
    session: TrainingSession | None,
) -> TrainingCompletion:
    done = TrainingCompletion.objects.filter(training=training, membership=membership).first()
    if done is not None:
        return done
    done = TrainingCompletion.objects.create(
        workspace=training.workspace,
        training=training,
        membership=membership,
        completed_on=day,
        session=session,
    )
    audit.record(
        workspace=training.workspace,
        actor=actor,
        action="training.complete",
        obj=done,
        changes={"completed_on": [None, day.isoformat()]},
    )
    return done


@transaction.atomic
def training_completion_record(
    *, actor: User, training: Training, membership: Membership, completed_on: date
) -> TrainingCompletion:
    """Record by hand that a person completed a training (e.g. an online course)."""
    require_manager(actor, training.workspace)
    _same_workspace(training.workspace, [membership], "membership")
    if completed_on is None:
        raise ConvergeError(_("Enter the date."), field="completed_on")
    return _complete(actor, training, membership, completed_on, None)


# --- Best-practice log ----------------------------------------------------------------------


def search_text(title: str, text: str, tags: str) -> str:
    return "\n".join((title, text, tags)).casefold()


@transaction.atomic
def practice_save(
    *,
    actor: User,
    workspace: Workspace,
    entry: PracticeEntry | None = None,
    day: date,
    title: str,
    kind: str,
    text: str = "",
    tags: str = "",
    shared_by: Membership | None = None,
) -> PracticeEntry:
    """An entry of the monthly best-practice session's log."""
    require_manager(actor, workspace)
    if day is None:
        raise ConvergeError(_("Enter the date."), field="day")
    _same_workspace(workspace, [shared_by], "shared_by")
    title = _required(title, "title", _("Enter a title."))
    tags = ", ".join(dict.fromkeys(t.strip() for t in tags.split(",") if t.strip()))
    return _save(
        actor=actor,
        obj=entry or PracticeEntry(workspace=workspace),
        values={
            "day": day,
            "title": title,
            "kind": _choice(kind, PracticeKind, "kind"),
            "text": text.strip(),
            "tags": tags,
            "shared_by": shared_by,
            "search_text": search_text(title, text.strip(), tags),
        },
        kind="practice",
    )


@transaction.atomic
def practice_remove(*, actor: User, entry: PracticeEntry) -> None:
    _delete(actor=actor, obj=entry, kind="practice")

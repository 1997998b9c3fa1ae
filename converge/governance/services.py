"""Every write of the operating rhythm. Leads and owners (``manage_governance``) manage
committees and reviews; a committee's chair runs its meetings (agenda, attendance, minutes,
decisions, actions); an action's owner may close it. Each write is one transaction with an
audit entry (none when nothing changed)."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import Department, Membership, User, Workspace
from converge.core.policy import Action, NotPermitted, can, membership_of
from converge.governance import recurrence
from converge.governance.models import (
    ActionItem,
    ActionStatus,
    Adaptation,
    AdaptationKind,
    AgendaItem,
    Attendance,
    CalendarFeed,
    Committee,
    CommitteeMember,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingStatus,
    Presence,
    ReminderKind,
    ReminderSent,
    Review,
)
from converge.strategy.models import Initiative, Kpi, SocialObjective

MANAGE = Action.MANAGE_GOVERNANCE
UPCOMING = 6  # meetings kept materialised ahead of today, per committee
DUE_SOON_DAYS = 2  # a reminder goes out this many days before an action is due


# --- Who may ------------------------------------------------------------------------------


def may_manage(actor: User, workspace: Workspace) -> bool:
    return can(actor, MANAGE, workspace)


def may_chair(actor: User, committee: Committee) -> bool:
    """Leads and owners, and the committee's chair."""
    if may_manage(actor, committee.workspace):
        return True
    chair = committee.chair
    return chair is not None and chair.user_id == actor.pk


def may_close(actor: User, item: ActionItem) -> bool:
    """The action's owner, the chair of the committee it came from, leads and owners."""
    if item.owner is not None and item.owner.user_id == actor.pk:
        return membership_of(actor, item.workspace) is not None
    if item.meeting is not None:
        return may_chair(actor, item.meeting.committee)
    return may_manage(actor, item.workspace)


def _require_manage(actor: User, workspace: Workspace) -> None:
    if not may_manage(actor, workspace):
        raise NotPermitted(MANAGE)


def _require_chair(actor: User, committee: Committee) -> None:
    if membership_of(actor, committee.workspace) is None or not may_chair(actor, committee):
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


def _record(actor: User | None, obj: Any, action: str, changes: Mapping[str, Any]) -> None:
    audit.record(workspace=obj.workspace, actor=actor, action=action, obj=obj, changes=changes)


# --- Committees -------------------------------------------------------------------------------


COMMITTEE_FIELDS = (
    "name",
    "purpose",
    "chair",
    "starts_on",
    "start_time",
    "rrule",
    "duration_minutes",
    "location",
)
CADENCE_FIELDS = {"starts_on", "start_time", "rrule", "duration_minutes", "location"}


@transaction.atomic
def committee_save(
    *,
    actor: User,
    workspace: Workspace,
    committee: Committee | None = None,
    name: str,
    rrule: str,
    starts_on: date,
    start_time: time,
    purpose: str = "",
    chair: Membership | None = None,
    members: Iterable[Membership] = (),
    duration_minutes: int = 60,
    location: str = "",
) -> Committee:
    """Create or change a committee and its members; then keep its next meetings in step
    with the cadence (untouched future meetings that the new rule no longer gives go)."""
    _require_manage(actor, workspace)
    name = _required(name, "name", _("Enter a name."))
    try:
        rule = recurrence.normalise(rrule)
    except recurrence.RuleError as exc:
        raise ConvergeError(
            _("This is not a recurrence rule we can use (%(reason)s).") % {"reason": exc},
            field="rrule",
        ) from exc
    if starts_on is None or start_time is None:
        raise ConvergeError(_("Enter the first date and the start time."), field="starts_on")
    if not 5 <= int(duration_minutes) <= 24 * 60:
        raise ConvergeError(_("A meeting lasts from 5 minutes to a day."), field="duration_minutes")
    _same_workspace(workspace, [chair], "chair")
    people = _same_workspace(workspace, members, "members")
    if chair is not None and chair not in people:
        people.append(chair)
    obj = committee or Committee(workspace=workspace)
    creating = obj.pk is None
    before = {} if creating else audit.snapshot(obj, COMMITTEE_FIELDS)
    seats_before = (
        []
        if creating
        else sorted(str(s.membership.user) for s in obj.seats.select_related("membership__user"))
    )
    values = {
        "name": name,
        "purpose": purpose.strip(),
        "chair": chair,
        "starts_on": starts_on,
        "start_time": start_time.replace(second=0, microsecond=0),
        "rrule": rule,
        "duration_minutes": int(duration_minutes),
        "location": location.strip(),
    }
    for field, value in values.items():
        setattr(obj, field, value)
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ConvergeError(
            _("Another committee already has this name."), field="name", status=409
        ) from exc
    wanted = {m.pk: m for m in people}
    obj.seats.exclude(membership_id__in=list(wanted)).delete()
    have = set(obj.seats.values_list("membership_id", flat=True))
    for pk, person in wanted.items():
        if pk not in have:
            CommitteeMember.objects.create(
                committee=obj,
                membership=person,
                department=person.departments.order_by("name").first(),
            )
    changes = audit.diff(before, audit.snapshot(obj, COMMITTEE_FIELDS))
    seats_after = sorted(str(m.user) for m in people)
    if seats_after != seats_before:
        changes["members"] = [seats_before, seats_after]
    if creating or changes:
        _record(actor, obj, f"committee.{'create' if creating else 'update'}", changes)
    if not creating and CADENCE_FIELDS & set(changes):
        _reschedule_untouched(obj)
    meetings_materialise(committee=obj)
    return obj


def _reschedule_untouched(committee: Committee) -> None:
    """After the cadence changed: forget future meetings nobody has touched; they come back
    from the new rule (with its time, duration and place)."""
    Meeting.objects.filter(
        committee=committee,
        status=MeetingStatus.SCHEDULED,
        occurrence__gte=timezone.now(),
        minutes="",
    ).filter(
        decisions__isnull=True,
        actions__isnull=True,
        agenda_items__isnull=True,
        attendance__isnull=True,
    ).delete()


@transaction.atomic
def committee_seat_set(
    *,
    actor: User,
    committee: Committee,
    membership: Membership,
    department: Department | None = None,
) -> CommitteeMember:
    """Put a person on the committee (or change the department they represent)."""
    _require_manage(actor, committee.workspace)
    _same_workspace(committee.workspace, [membership, department], "membership")
    seat, created = CommitteeMember.objects.get_or_create(
        committee=committee, membership=membership, defaults={"department": department}
    )
    if not created and seat.department_id != (department.pk if department else None):
        old = str(seat.department or "")
        seat.department = department
        seat.save(update_fields=["department"])
        _record(
            actor,
            committee,
            "committee.seat",
            {str(membership.user): [old, str(department or "")]},
        )
    elif created:
        _record(
            actor,
            committee,
            "committee.seat",
            {str(membership.user): [None, str(department or "")]},
        )
    return seat


@transaction.atomic
def committee_seat_remove(*, actor: User, committee: Committee, membership: Membership) -> None:
    _require_manage(actor, committee.workspace)
    if committee.chair_id == membership.pk:
        raise ConvergeError(_("Choose another chair before removing this one."))
    deleted, _rows = CommitteeMember.objects.filter(
        committee=committee, membership=membership
    ).delete()
    if deleted:
        _record(actor, committee, "committee.unseat", {str(membership.user): ["member", None]})


@transaction.atomic
def committee_archive(*, actor: User, committee: Committee, archived: bool = True) -> Committee:
    _require_manage(actor, committee.workspace)
    before = committee.archived_at
    committee.archived_at = timezone.now() if archived else None
    committee.save(update_fields=["archived_at"])
    _record(
        actor,
        committee,
        f"committee.{'archive' if archived else 'restore'}",
        {"archived_at": [audit._plain(before), audit._plain(committee.archived_at)]},
    )
    return committee


# --- Meetings ---------------------------------------------------------------------------------


def meetings_materialise(
    *, committee: Committee, since: datetime | None = None, count: int = UPCOMING
) -> list[Meeting]:
    """Make sure the next ``count`` occurrences from ``since`` (default: now) exist as
    meetings. Idempotent: the natural key is (committee, occurrence); existing meetings,
    moved or cancelled ones included, are left as they are. Returns those created."""
    if committee.archived_at is not None:
        return []
    start = since or timezone.now()
    planned = recurrence.occurrences(
        committee.rrule,
        starts_on=committee.starts_on,
        start_time=committee.start_time,
        zone=committee.workspace.time_zone,
        after=start,
        count=count,
    )
    existing = set(
        Meeting.objects.filter(committee=committee, occurrence__in=planned).values_list(
            "occurrence", flat=True
        )
    )
    created = []
    for moment in planned:
        if moment in existing:
            continue
        meeting, made = Meeting.objects.get_or_create(
            committee=committee,
            occurrence=moment,
            defaults={
                "workspace": committee.workspace,
                "starts_at": moment,
                "duration_minutes": committee.duration_minutes,
                "location": committee.location,
            },
        )
        if made:
            created.append(meeting)
    return created


def meetings_materialise_all() -> int:
    """Every live committee's next meetings; the number of meetings made."""
    made = 0
    for committee in Committee.objects.filter(archived_at__isnull=True).select_related("workspace"):
        made += len(meetings_materialise(committee=committee))
    return made


def _require_open(meeting: Meeting) -> None:
    if meeting.pack is not None:
        raise ConvergeError(
            _("The meeting has been held: its agenda pack is kept as it was."), status=409
        )


@transaction.atomic
def meeting_reschedule(
    *,
    actor: User,
    meeting: Meeting,
    starts_at: datetime,
    duration_minutes: int | None = None,
    location: str | None = None,
) -> Meeting:
    _require_chair(actor, meeting.committee)
    _require_open(meeting)
    if starts_at is None:
        raise ConvergeError(_("Enter the new start."), field="starts_at")
    fields = ("starts_at", "duration_minutes", "location")
    before = audit.snapshot(meeting, fields)
    meeting.starts_at = starts_at
    if duration_minutes is not None:
        if not 5 <= int(duration_minutes) <= 24 * 60:
            raise ConvergeError(
                _("A meeting lasts from 5 minutes to a day."), field="duration_minutes"
            )
        meeting.duration_minutes = int(duration_minutes)
    if location is not None:
        meeting.location = location.strip()
    changes = audit.diff(before, audit.snapshot(meeting, fields))
    if changes:
        meeting.sequence += 1
        meeting.save()
        _record(actor, meeting, "meeting.reschedule", changes)
    return meeting


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, cancelled: bool = True) -> Meeting:
    _require_chair(actor, meeting.committee)
    _require_open(meeting)
    status = MeetingStatus.CANCELLED if cancelled else MeetingStatus.SCHEDULED
    if meeting.status != status:
        old = meeting.status
        meeting.status = status
        meeting.sequence += 1
        meeting.save(update_fields=["status", "sequence"])
        _record(
            actor,
            meeting,
            "meeting.cancel" if cancelled else "meeting.restore",
            {"status": [old, status]},
        )
    return meeting


@transaction.atomic
def meeting_hold(*, actor: User, meeting: Meeting, today: date | None = None) -> Meeting:
    """Mark the meeting held and freeze its agenda pack as it stands."""
    from converge.governance.selectors import agenda_pack

    _require_chair(actor, meeting.committee)
    _require_open(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ConvergeError(_("A cancelled meeting cannot be held."), status=409)
    pack = agenda_pack(meeting, today=today)
    meeting.pack = [entry.as_dict() for entry in pack.items]
    meeting.status = MeetingStatus.HELD
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["pack", "status", "held_at"])
    _record(
        actor, meeting, "meeting.hold", {"status": [MeetingStatus.SCHEDULED, MeetingStatus.HELD]}
    )
    return meeting


# --- The agenda: the chair's edits of the live pack -------------------------------------------


def _current_keys(meeting: Meeting) -> list[str]:
    from converge.governance.selectors import agenda_pack

    return [entry.key for entry in agenda_pack(meeting).items]


def _place(meeting: Meeting, keys: list[str]) -> None:
    """Store the order ``keys`` as positions 0…n-1."""
    rows = {row.key: row for row in AgendaItem.objects.filter(meeting=meeting)}
    for position, key in enumerate(keys):
        row = rows.get(key)
        if row is None:
            AgendaItem.objects.create(meeting=meeting, key=key, position=position)
        elif row.position != position:
            row.position = position
            row.save(update_fields=["position"])


@transaction.atomic
def agenda_add(*, actor: User, meeting: Meeting, title: str, note: str = "") -> AgendaItem:
    """A free item at the end of the agenda."""
    _require_chair(actor, meeting.committee)
    _require_open(meeting)
    title = _required(title, "title", _("Enter the item's title."))
    keys = _current_keys(meeting)
    _place(meeting, keys)
    item = AgendaItem.objects.create(
        meeting=meeting,
        key=f"free:{secrets.token_hex(6)}",
        position=len(keys),
        title=title[:300],
        note=note.strip(),
    )
    _record(actor, meeting, "agenda.add", {"item": [None, title]})
    return item


@transaction.atomic
def agenda_move(*, actor: User, meeting: Meeting, key: str, up: bool) -> None:
    _require_chair(actor, meeting.committee)
    _require_open(meeting)
    keys = _current_keys(meeting)
    if key not in keys:
        raise ConvergeError(_("This item is not on the agenda."), status=404)
    i = keys.index(key)
    j = i - 1 if up else i + 1
    if 0 <= j < len(keys):
        keys[i], keys[j] = keys[j], keys[i]
        _place(meeting, keys)
        _record(actor, meeting, "agenda.move", {key: [i + 1, j + 1]})


@transaction.atomic
def agenda_remove(*, actor: User, meeting: Meeting, key: str) -> None:
    """Take an item off the agenda (a free item goes; a live one stays hidden)."""
    _require_chair(actor, meeting.committee)
    _require_open(meeting)
    if key not in _current_keys(meeting):
        raise ConvergeError(_("This item is not on the agenda."), status=404)
    if key.startswith("free:"):
        AgendaItem.objects.filter(meeting=meeting, key=key).delete()
    else:
        AgendaItem.objects.update_or_create(meeting=meeting, key=key, defaults={"hidden": True})
    _record(actor, meeting, "agenda.remove", {"item": [key, None]})


@transaction.atomic
def agenda_restore(*, actor: User, meeting: Meeting, key: str) -> None:
    """Put a removed item of the live pack back on the agenda."""
    _require_chair(actor, meeting.committee)
    _require_open(meeting)
    updated = AgendaItem.objects.filter(meeting=meeting, key=key, hidden=True).update(hidden=False)
    if updated:
        _record(actor, meeting, "agenda.restore", {"item": [None, key]})


# --- Attendance and minutes -------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, actor: User, meeting: Meeting, presence: Mapping[Membership, str]) -> None:
    _require_chair(actor, meeting.committee)
    changes: dict[str, list[Any]] = {}
    current = {a.membership_id: a for a in meeting.attendance.all()}
    for person, value in presence.items():
        if person.workspace_id != meeting.workspace_id:
            raise ConvergeError(_("Choose people of this workspace."))
        if value not in Presence.values and value != "":
            raise ConvergeError(_("Choose present, apologies or absent."))
        row = current.get(person.pk)
        old = row.presence if row else None
        if not value:
            if row is not None:
                row.delete()
                changes[str(person.user)] = [old, None]
            continue
        if old != value:
            Attendance.objects.update_or_create(
                meeting=meeting, membership=person, defaults={"presence": value}
            )
            changes[str(person.user)] = [old, value]
    if changes:
        _record(actor, meeting, "meeting.attendance", changes)


@transaction.atomic
def minutes_save(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    _require_chair(actor, meeting.committee)
    text = minutes.strip()
    if text != meeting.minutes:
        old = meeting.minutes
        meeting.minutes = text
        meeting.save(update_fields=["minutes"])
        _record(actor, meeting, "meeting.minutes", {"minutes": [old[:200], text[:200]]})
    return meeting


# --- Decisions and actions --------------------------------------------------------------------


DECISION_FIELDS = ("text", "owner", "decided_on", "status")


@transaction.atomic
def decision_save(
    *,
    actor: User,
    workspace: Workspace,
    decision: Decision | None = None,
    meeting: Meeting | None = None,
    text: str,
    owner: Membership | None = None,
    decided_on: date | None = None,
    status: str = DecisionStatus.PENDING,
    objectives: Iterable[SocialObjective] = (),
    kpis: Iterable[Kpi] = (),
    initiatives: Iterable[Initiative] = (),
) -> Decision:
    """Record a decision (from a meeting, by its chair; else by a lead) or change one."""
    meeting = meeting or (decision.meeting if decision else None)
    if meeting is not None:
        _same_workspace(workspace, [meeting], "meeting")
        _require_chair(actor, meeting.committee)
    else:
        _require_manage(actor, workspace)
    text = _required(text, "text", _("Write the decision."))
    if status not in DecisionStatus.values:
        raise ConvergeError(_("Choose pending or decided."), field="status")
    if status == DecisionStatus.DECIDED and decided_on is None:
        decided_on = timezone.localdate()
    _same_workspace(workspace, [owner], "owner")
    links = {
        "objectives": _same_workspace(workspace, objectives, "objectives"),
        "kpis": _same_workspace(workspace, kpis, "kpis"),
        "initiatives": _same_workspace(workspace, initiatives, "initiatives"),
    }
    obj = decision or Decision(workspace=workspace, meeting=meeting)
    creating = obj.pk is None

    def state() -> dict[str, Any]:
        data = audit.snapshot(obj, DECISION_FIELDS)
        if obj.pk:
            for name in links:
                data[name] = sorted(str(o) for o in getattr(obj, name).all())
        return data

    before = {} if creating else state()
    obj.text = text
    obj.owner = owner
    obj.decided_on = decided_on
    obj.status = status
    obj.save()
    for name, items in links.items():
        getattr(obj, name).set(items)
    changes = audit.diff(before, state())
    if creating or changes:
        _record(actor, obj, f"decision.{'create' if creating else 'update'}", changes)
    return obj


@transaction.atomic
def action_create(
    *,
    actor: User,
    workspace: Workspace,
    title: str,
    owner: Membership | None,
    due_on: date,
    meeting: Meeting | None = None,
) -> ActionItem:
    if meeting is not None:
        _same_workspace(workspace, [meeting], "meeting")
        _require_chair(actor, meeting.committee)
    else:
        _require_manage(actor, workspace)
    title = _required(title, "title", _("Describe the action."))
    if due_on is None:
        raise ConvergeError(_("Enter the due date."), field="due_on")
    _same_workspace(workspace, [owner], "owner")
    item = ActionItem.objects.create(
        workspace=workspace, meeting=meeting, title=title[:300], owner=owner, due_on=due_on
    )
    _record(
        actor,
        item,
        "action.create",
        {"owner": [None, str(owner.user) if owner else None], "due_on": [None, str(due_on)]},
    )
    return item


@transaction.atomic
def action_update(
    *,
    actor: User,
    item: ActionItem,
    status: str | None = None,
    due_on: date | None = None,
    title: str | None = None,
) -> ActionItem:
    """Close (done/dropped) or reopen an action; its owner may, as may the chair and leads.
    Changing the title or due date is for the chair and leads."""
    if not may_close(actor, item) or membership_of(actor, item.workspace) is None:
        raise NotPermitted(MANAGE)
    if (title is not None or due_on is not None) and not (
        may_manage(actor, item.workspace)
        or (item.meeting is not None and may_chair(actor, item.meeting.committee))
    ):
        raise NotPermitted(MANAGE)
    fields = ("status", "due_on", "title")
    before = audit.snapshot(item, fields)
    if status is not None:
        if status not in ActionStatus.values:
            raise ConvergeError(_("Choose open, done or dropped."), field="status")
        if status != item.status:
            item.closed_at = None if status == ActionStatus.OPEN else timezone.now()
        item.status = status
    if due_on is not None:
        item.due_on = due_on
    if title is not None:
        item.title = _required(title, "title", _("Describe the action."))[:300]
    changes = audit.diff(before, audit.snapshot(item, fields))
    if changes:
        item.save()
        _record(actor, item, "action.update", changes)
    return item


# --- Reminders --------------------------------------------------------------------------------


def reminders_send(*, now: datetime | None = None) -> int:
    """E-mail each open action's owner once when it is due within ``DUE_SOON_DAYS`` days and
    once when it is overdue (again only if its due date changes). What went out is recorded
    (``ReminderSent``), so running this twice sends nothing the second time. Returns the number
    of e-mails sent."""
    moment = now or timezone.now()
    sent = 0
    candidates = (
        ActionItem.objects.filter(status=ActionStatus.OPEN, owner__isnull=False)
        .select_related("workspace", "owner__user", "meeting__committee")
        .order_by("workspace_id", "due_on", "id")
    )
    for item in candidates:
        assert item.owner is not None
        today = timezone.localtime(moment, timezone=_zone(item.workspace)).date()
        if item.due_on < today:
            kind = ReminderKind.OVERDUE
        elif item.due_on <= today + timedelta(days=DUE_SOON_DAYS):
            kind = ReminderKind.DUE_SOON
        else:
            continue
        if ReminderSent.objects.filter(action=item, kind=kind, due_on=item.due_on).exists():
            continue
        user = item.owner.user
        if not user.email or not user.is_active:
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    workspace=item.workspace,
                    action=item,
                    kind=kind,
                    due_on=item.due_on,
                    sent_to=user.email,
                    sent_at=moment,
                )
                subject, body = _reminder_text(item, kind)
                send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent


def _zone(workspace: Workspace) -> Any:
    import zoneinfo

    return zoneinfo.ZoneInfo(workspace.time_zone)


def _reminder_text(item: ActionItem, kind: str) -> tuple[str, str]:
    with translation.override(item.workspace.default_language):
        url = reverse("governance_my_actions", args=[item.workspace.slug])
        base = settings.CONVERGE_BASE_URL.rstrip("/")
        if kind == ReminderKind.OVERDUE:
            subject = _("Overdue: %(title)s") % {"title": item.title}
            lead = _("This action was due on %(due)s and is still open.")
        else:
            subject = _("Due soon: %(title)s") % {"title": item.title}
            lead = _("This action is due on %(due)s.")
        lines = [
            lead % {"due": item.due_on.isoformat()},
            "",
            item.title,
        ]
        if item.meeting is not None:
            lines.append(
                _("From: %(committee)s, %(day)s")
                % {
                    "committee": item.meeting.committee.name,
                    "day": timezone.localtime(item.meeting.starts_at, _zone(item.workspace))
                    .date()
                    .isoformat(),
                }
            )
        lines += ["", _("Your actions: %(url)s") % {"url": f"{base}{url}"}]
        return f"[{item.workspace.name}] {subject}", "\n".join(lines)


# --- Calendar feeds ---------------------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def feed_for(*, membership: Membership, committee: Committee | None = None) -> CalendarFeed:
    """The person's secret feed address (their own, or one committee's); made on first use."""
    if committee is not None and committee.workspace_id != membership.workspace_id:
        raise ConvergeError(_("Choose a committee of this workspace."), status=404)
    feed = CalendarFeed.objects.filter(membership=membership, committee=committee).first()
    if feed is None:
        feed = CalendarFeed.objects.create(
            workspace=membership.workspace,
            membership=membership,
            committee=committee,
            token=_new_token(),
        )
    return feed


@transaction.atomic
def feed_rotate(*, actor: User, feed: CalendarFeed) -> CalendarFeed:
    """A new secret address: the old one answers 404 from now on."""
    if feed.membership.user_id != actor.pk:
        raise NotPermitted(MANAGE)
    feed.token = _new_token()
    feed.rotated_at = timezone.now()
    feed.save(update_fields=["token", "rotated_at"])
    audit.record(
        workspace=feed.workspace,
        actor=actor,
        action="calendar.rotate",
        obj=feed,
        object_repr=str(feed.committee or _("all my meetings")),
    )
    return feed


# --- Quarterly reviews ------------------------------------------------------------------------


@transaction.atomic
def review_save(
    *,
    actor: User,
    workspace: Workspace,
    review: Review | None = None,
    year: int,
    quarter: int,
    held_on: date,
    committee: Committee | None = None,
    summary: str = "",
) -> Review:
    _require_manage(actor, workspace)
    if quarter not in (1, 2, 3, 4):
        raise ConvergeError(_("Choose a quarter from 1 to 4."), field="quarter")
    if not 2000 <= int(year) <= 2100:
        raise ConvergeError(_("Enter a year."), field="year")
    if held_on is None:
        raise ConvergeError(_("Enter the date of the review."), field="held_on")
    _same_workspace(workspace, [committee], "committee")
    fields = ("year", "quarter", "committee", "held_on", "summary")
    obj = review or Review(workspace=workspace)
    twin = Review.objects.filter(
        workspace=workspace, year=year, quarter=quarter, committee=committee
    ).exclude(pk=obj.pk)
    if twin.exists():  # NULL committees are distinct to a unique index on most databases
        raise ConvergeError(
            _("This quarter already has a review for this committee."), field="quarter", status=409
        )
    creating = obj.pk is None
    before = {} if creating else audit.snapshot(obj, fields)
    obj.year, obj.quarter, obj.committee = int(year), int(quarter), committee
    obj.held_on, obj.summary = held_on, summary.strip()
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ConvergeError(
            _("This quarter already has a review for this committee."), field="quarter", status=409
        ) from exc
    changes = audit.diff(before, audit.snapshot(obj, fields))
    if creating or changes:
        _record(actor, obj, f"review.{'create' if creating else 'update'}", changes)
    return obj


@transaction.atomic
def adaptation_add(
    *,
    actor: User,
    review: Review,
    kind: str,
    text: str,
    department: Department | None = None,
    objectives: Iterable[SocialObjective] = (),
    kpis: Iterable[Kpi] = (),
    initiatives: Iterable[Initiative] = (),
) -> Adaptation:
    """An adaptation agreed in the review: start, stop or change something."""
    _require_manage(actor, review.workspace)
    if kind not in AdaptationKind.values:
        raise ConvergeError(_("Choose start, stop or change."), field="kind")
    text = _required(text, "text", _("Write what was agreed."))
    ws = review.workspace
    _same_workspace(ws, [department], "department")
    adaptation = Adaptation.objects.create(
        workspace=ws, review=review, kind=kind, text=text, department=department
    )
    adaptation.objectives.set(_same_workspace(ws, objectives, "objectives"))
    adaptation.kpis.set(_same_workspace(ws, kpis, "kpis"))
    adaptation.initiatives.set(_same_workspace(ws, initiatives, "initiatives"))
    _record(actor, review, "review.adaptation", {kind: [None, text[:200]]})
    return adaptation


@transaction.atomic
def adaptation_remove(*, actor: User, adaptation: Adaptation) -> None:
    _require_manage(actor, adaptation.workspace)
    review = adaptation.review
    text = adaptation.text
    adaptation.delete()
    _record(actor, review, "review.adaptation_remove", {"adaptation": [text[:200], None]})

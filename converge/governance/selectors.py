"""Reads of the operating rhythm, and the agenda pack assembled from the workspace's live data.

The agenda pack (``agenda_pack``) is plain data: a list of ``Entry`` in the order the chair
set, each from one *section*. The sections are providers in ``SECTIONS``; each gets a
``PackContext`` (the meeting, the day it is judged on, the previous and the next meeting) and
returns its entries, or none — a section with nothing to say does not appear.

Extension points: when wins and ideas (collaboration) or budget burn (finance) exist, they add
a provider to ``SECTIONS`` (``register_section``) — e.g. ``("wins", _("Wins since the last
meeting"), wins_since)`` — and the pack shows them without further change here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from converge.core.models import Department, Membership, Workspace
from converge.governance.models import (
    ActionItem,
    ActionStatus,
    AgendaItem,
    CalendarFeed,
    Committee,
    CommitteeMember,
    Decision,
    DecisionStatus,
    Meeting,
    MeetingStatus,
    Review,
)
from converge.measurement import progress
from converge.measurement import selectors as measurement
from converge.strategy.models import Initiative, InitiativeStatus, Kpi

# --- Committees and meetings ----------------------------------------------------------------


def committees(workspace: Workspace, *, archived: bool = False) -> QuerySet[Committee]:
    return (
        Committee.objects.filter(workspace=workspace, archived_at__isnull=not archived)
        .select_related("chair__user")
        .annotate(seat_count=Count("seats", distinct=True))
        .order_by("name")
    )


def get_committee(workspace: Workspace, uuid: UUID | str) -> Committee:
    found = (
        Committee.objects.filter(workspace=workspace, uuid=uuid)
        .select_related("chair__user", "workspace")
        .first()
    )
    if found is None:
        raise Http404("No such committee.")
    return found


def seats(committee: Committee) -> QuerySet[CommitteeMember]:
    return committee.seats.select_related("membership__user", "department").order_by(
        "membership__user__full_name", "membership__user__email"
    )


def get_meeting(workspace: Workspace, uuid: UUID | str) -> Meeting:
    found = (
        Meeting.objects.filter(workspace=workspace, uuid=uuid)
        .select_related("committee__chair__user", "committee__workspace", "workspace")
        .first()
    )
    if found is None:
        raise Http404("No such meeting.")
    return found


def meetings(workspace: Workspace) -> QuerySet[Meeting]:
    return Meeting.objects.filter(
        workspace=workspace, committee__archived_at__isnull=True
    ).select_related("committee")


def upcoming(workspace: Workspace, *, now: datetime | None = None, limit: int = 8) -> list[Meeting]:
    moment = now or timezone.now()
    return list(
        meetings(workspace)
        .filter(starts_at__gte=moment - timedelta(hours=2))
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")[:limit]
    )


def committee_meetings(committee: Committee) -> QuerySet[Meeting]:
    return committee.meetings.order_by("occurrence")


def previous_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(committee_id=meeting.committee_id, occurrence__lt=meeting.occurrence)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-occurrence")
        .first()
    )


def next_meeting(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(committee_id=meeting.committee_id, occurrence__gt=meeting.occurrence)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("occurrence")
        .first()
    )


def committees_of(membership: Membership) -> QuerySet[Committee]:
    """The live committees a person chairs or sits on."""
    return (
        Committee.objects.filter(workspace_id=membership.workspace_id, archived_at__isnull=True)
        .filter(Q(chair=membership) | Q(seats__membership=membership))
        .distinct()
        .order_by("name")
    )


def is_member(membership: Membership, committee: Committee) -> bool:
    return (
        committee.chair_id == membership.pk
        or committee.seats.filter(membership=membership).exists()
    )


# --- Decisions, actions, reviews ------------------------------------------------------------


def decisions(workspace: Workspace) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(workspace=workspace)
        .select_related("owner__user", "meeting__committee")
        .prefetch_related("objectives", "kpis", "initiatives")
        .order_by("status", "-decided_on", "-created_at")
    )


def get_decision(workspace: Workspace, uuid: UUID | str) -> Decision:
    found = decisions(workspace).filter(uuid=uuid).first()
    if found is None:
        raise Http404("No such decision.")
    return found


def actions(workspace: Workspace) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(workspace=workspace).select_related(
        "owner__user", "meeting__committee__chair"
    )


def get_action(workspace: Workspace, uuid: UUID | str) -> ActionItem:
    found = actions(workspace).filter(uuid=uuid).first()
    if found is None:
        raise Http404("No such action.")
    return found


def my_actions(membership: Membership, *, open_only: bool = False) -> QuerySet[ActionItem]:
    rows = actions(membership.workspace).filter(owner=membership)
    if open_only:
        rows = rows.filter(status=ActionStatus.OPEN)
    return rows.order_by("status", "due_on", "title")


def reviews(workspace: Workspace) -> QuerySet[Review]:
    return (
        Review.objects.filter(workspace=workspace)
        .select_related("committee")
        .annotate(adaptation_count=Count("adaptations"))
    )


def get_review(workspace: Workspace, uuid: UUID | str) -> Review:
    found = reviews(workspace).filter(uuid=uuid).first()
    if found is None:
        raise Http404("No such review.")
    return found


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


@dataclass(frozen=True)
class DepartmentPerformance:
    department: Department
    board: list[measurement.BoardGroup]
    counts: dict[str, int]


def review_walkthrough(review: Review, *, today: date | None = None) -> list[DepartmentPerformance]:
    """Performance per stakeholder department at the quarter's end (or today, if sooner):
    the KPI board of the objectives that serve each department, with counts per status.
    Departments served by no objective are left out."""
    as_of = min(quarter_end(review.year, review.quarter), today or timezone.localdate())
    out = []
    served = Department.objects.filter(
        workspace=review.workspace, objectives__archived_at__isnull=True
    ).distinct()
    for department in served.order_by("name"):
        board = measurement.kpi_board(review.workspace, as_of, department=department)
        counts: dict[str, int] = dict.fromkeys(progress.STATUSES, 0)
        seen: set[int] = set()
        for group in board:
            for row in group.rows:
                if row.kpi.pk not in seen:
                    seen.add(row.kpi.pk)
                    counts[row.found.progress.status] += 1
        if seen:
            out.append(DepartmentPerformance(department, board, counts))
    return out


def feeds(membership: Membership) -> dict[int | None, CalendarFeed]:
    return {
        f.committee_id: f
        for f in CalendarFeed.objects.filter(membership=membership).select_related("committee")
    }


def feed_by_token(token: str) -> CalendarFeed | None:
    """The feed for a secret token, while its owner still belongs to the workspace."""
    if not token or len(token) > 64:
        return None
    return (
        CalendarFeed.objects.filter(token=token)
        .select_related("workspace", "membership__user", "committee")
        .first()
    )


# --- The agenda pack ------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One agenda item: ``key`` identifies it across rebuilds (``kpi:<uuid>``,
    ``action:<uuid>``, ``free:<hex>``…); ``ref`` is the linked object's UUID, if any."""

    key: str
    section: str
    title: str
    detail: str = ""
    ref: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class PackContext:
    meeting: Meeting
    as_of: date  # the day the live data is judged on: today, or the meeting's day if sooner
    since: date  # the previous meeting's day (or a cadence-length before)
    until: date  # the next meeting's day (or a month after)
    previous: Meeting | None
    following: Meeting | None


@dataclass
class AgendaPack:
    meeting: Meeting
    frozen: bool
    since: date | None
    until: date | None
    items: list[Entry] = field(default_factory=list)
    hidden: list[Entry] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)


def _kpis_off_track(ctx: PackContext) -> list[Entry]:
    """KPIs off track now that were not off track at the previous meeting. A committee whose
    members represent departments looks at the KPIs of the objectives serving them."""
    workspace = ctx.meeting.workspace
    live = Kpi.objects.filter(workspace=workspace, archived_at__isnull=True)
    represented = [
        d
        for d in ctx.meeting.committee.seats.exclude(department__isnull=True).values_list(
            "department_id", flat=True
        )
    ]
    if represented:
        live = live.filter(objective__departments__in=represented).distinct()
    kpis = list(live.order_by("name"))
    if not kpis:
        return []
    now = measurement.kpi_progress(workspace, kpis, ctx.as_of, history_years=0)
    then = measurement.kpi_progress(workspace, kpis, ctx.since, history_years=0)
    from converge.measurement.progress_text import STATUS_LABELS

    out = []
    for kpi in kpis:
        status_now = now[kpi.pk].progress.status
        status_then = then[kpi.pk].progress.status
        if status_now == progress.OFF_TRACK and status_then != progress.OFF_TRACK:
            out.append(
                Entry(
                    key=f"kpi:{kpi.uuid}",
                    section="kpis",
                    title=kpi.name,
                    detail=_("%(before)s on %(since)s → %(now)s on %(as_of)s")
                    % {
                        "before": STATUS_LABELS[status_then],
                        "since": ctx.since.isoformat(),
                        "now": STATUS_LABELS[status_now],
                        "as_of": ctx.as_of.isoformat(),
                    },
                    ref=str(kpi.uuid),
                )
            )
    return out


def _actions_due(ctx: PackContext) -> list[Entry]:
    """Open actions from this committee's meetings due before the next meeting, or overdue."""
    rows = (
        ActionItem.objects.filter(
            workspace=ctx.meeting.workspace,
            meeting__committee=ctx.meeting.committee,
            status=ActionStatus.OPEN,
            due_on__lte=ctx.until,
        )
        .select_related("owner__user")
        .order_by("due_on", "title")
    )
    out = []
    for item in rows:
        owner = str(item.owner.user) if item.owner else _("no owner")
        when = (_("overdue since %(day)s") if item.due_on < ctx.as_of else _("due %(day)s")) % {
            "day": item.due_on.isoformat()
        }
        out.append(
            Entry(
                key=f"action:{item.uuid}",
                section="actions",
                title=item.title,
                detail=f"{owner} · {when}",
                ref=str(item.uuid),
            )
        )
    return out


def _decisions_pending(ctx: PackContext) -> list[Entry]:
    rows = (
        Decision.objects.filter(workspace=ctx.meeting.workspace, status=DecisionStatus.PENDING)
        .filter(Q(meeting__committee=ctx.meeting.committee) | Q(meeting__isnull=True))
        .select_related("owner__user")
        .order_by("created_at", "id")
    )
    return [
        Entry(
            key=f"decision:{d.uuid}",
            section="decisions",
            title=d.text[:300],
            detail=str(d.owner.user) if d.owner else "",
            ref=str(d.uuid),
        )
        for d in rows
    ]


def _roadmap(ctx: PackContext) -> list[Entry]:
    """Roadmap initiatives that start or end between now and the next meeting."""
    window = Q(start__gte=ctx.as_of, start__lte=ctx.until) | Q(
        end__gte=ctx.as_of, end__lte=ctx.until
    )
    rows = (
        Initiative.objects.filter(workspace=ctx.meeting.workspace, archived_at__isnull=True)
        .exclude(status__in=[InitiativeStatus.CANCELLED, InitiativeStatus.DONE])
        .filter(window)
        .order_by("start", "title")
    )
    out = []
    for i in rows:
        starts = ctx.as_of <= i.start <= ctx.until
        detail = (_("starts %(day)s") if starts else _("ends %(day)s")) % {
            "day": (i.start if starts else i.end).isoformat()
        }
        out.append(
            Entry(
                key=f"initiative:{i.uuid}",
                section="roadmap",
                title=i.title,
                detail=f"{detail} · {i.get_status_display()}",
                ref=str(i.uuid),
            )
        )
    return out


Provider = Callable[[PackContext], list[Entry]]

# (section key, heading, provider) in the pack's default order. Wins, ideas and budget burn
# register here when their apps exist (see the module's docstring).
SECTIONS: list[tuple[str, Any, Provider]] = [
    ("kpis", gettext_lazy("KPIs that went off track since the last meeting"), _kpis_off_track),
    ("actions", gettext_lazy("Actions due or overdue"), _actions_due),
    ("decisions", gettext_lazy("Decisions pending"), _decisions_pending),
    ("roadmap", gettext_lazy("Roadmap: starting or ending before the next meeting"), _roadmap),
]
SECTION_LABELS: dict[str, Any] = {key: label for key, label, _p in SECTIONS} | {
    "free": gettext_lazy("Other business")
}


# Sections only some people may read (section key → the capability it needs): the budget's
# figures, say, are not for every member of a committee.
SECTION_NEEDS: dict[str, str] = {}


def register_section(key: str, label: Any, provider: Provider, *, needs: str = "") -> None:
    """Add a section to every agenda pack (e.g. wins since the last meeting); with ``needs``,
    only people with that capability see its items."""
    if key not in SECTION_LABELS:
        SECTIONS.append((key, label, provider))
        SECTION_LABELS[key] = label
    if needs:
        SECTION_NEEDS[key] = needs


def shown_to(items: list[Entry], allowed: frozenset[str] | set[str]) -> list[Entry]:
    """The items of a pack that someone with the ``allowed`` actions may read."""
    return [e for e in items if SECTION_NEEDS.get(e.section, "") in ("", *allowed)]


def pack_context(meeting: Meeting, today: date | None = None) -> PackContext:
    zone = meeting.workspace.time_zone
    import zoneinfo

    tz = zoneinfo.ZoneInfo(zone)
    day = timezone.localtime(meeting.starts_at, tz).date()
    as_of = min(today or timezone.localdate(timezone=tz), day)
    previous = previous_meeting(meeting)
    following = next_meeting(meeting)
    since = (
        timezone.localtime(previous.starts_at, tz).date() if previous else day - timedelta(days=31)
    )
    until = (
        timezone.localtime(following.starts_at, tz).date()
        if following
        else day + timedelta(days=31)
    )
    return PackContext(meeting, as_of, min(since, as_of), until, previous, following)


def agenda_pack(meeting: Meeting, *, today: date | None = None) -> AgendaPack:
    """The meeting's agenda: frozen as held, or assembled now from the live data and merged
    with the chair's edits (order, removals, free items)."""
    if meeting.pack is not None:
        fields = set(Entry.__dataclass_fields__)
        items = [Entry(**{k: v for k, v in row.items() if k in fields}) for row in meeting.pack]
        return AgendaPack(
            meeting, True, None, None, items, [], list(dict.fromkeys(e.section for e in items))
        )
    ctx = pack_context(meeting, today)
    live: list[Entry] = []
    for _key, _label, provider in SECTIONS:
        live.extend(provider(ctx))
    edits = {row.key: row for row in AgendaItem.objects.filter(meeting=meeting)}
    live += [
        Entry(key=row.key, section="free", title=row.title, detail=row.note)
        for row in edits.values()
        if row.key.startswith("free:")
    ]
    default = {e.key: i for i, e in enumerate(live)}

    def order(entry: Entry) -> tuple[int, int]:
        row = edits.get(entry.key)
        if row is not None:
            return (row.position, default[entry.key])
        return (10_000 + default[entry.key], 0)

    ordered = sorted(live, key=order)
    shown = [e for e in ordered if not (edits.get(e.key) and edits[e.key].hidden)]
    hidden = [e for e in ordered if edits.get(e.key) and edits[e.key].hidden]
    return AgendaPack(
        meeting,
        False,
        ctx.since,
        ctx.until,
        shown,
        hidden,
        list(dict.fromkeys(e.section for e in shown)),
    )

"""Governance pages: the operating rhythm. Everyone in the workspace sees committees and
meetings; leads and owners manage committees and reviews; a committee's chair runs its
meetings; an action's owner closes it. Outsiders get 404 (``workspace_view``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from converge.core.errors import ConvergeError
from converge.core.models import Membership
from converge.core.pages import form_page, inline_post, posted, url_for
from converge.core.policy import Action, NotPermitted, can
from converge.core.views import WorkspaceRequest, workspace_view
from converge.governance import calendar, selectors, services
from converge.governance.forms import (
    ActionForm,
    ActionStatusForm,
    AdaptationForm,
    AgendaItemForm,
    CommitteeForm,
    DecisionForm,
    MinutesForm,
    RescheduleForm,
    ReviewForm,
    SeatForm,
)
from converge.governance.models import (
    ActionStatus,
    AdaptationKind,
    Committee,
    DecisionStatus,
    Meeting,
    Presence,
)
from converge.governance.text import describe_cadence, render_markdown
from converge.measurement import progress_text

MANAGE = services.MANAGE


def _chair_or_403(request: WorkspaceRequest, committee: Committee) -> None:
    if not services.may_chair(request.user, committee):
        raise NotPermitted(MANAGE)


FORM = "governance/form.html"


# --- Home -----------------------------------------------------------------------------------


@workspace_view()
def home(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    return render(
        request,
        "governance/home.html",
        {
            "committees": selectors.committees(ws),
            "upcoming": selectors.upcoming(ws, limit=6),
            "my_actions": selectors.my_actions(request.membership, open_only=True)[:10],
            "pending": selectors.decisions(ws).filter(status=DecisionStatus.PENDING)[:10],
            "latest_review": selectors.reviews(ws).first(),
            "today": timezone.localdate(),
            "can_manage": MANAGE in request.allowed,
        },
    )


# --- Committees -----------------------------------------------------------------------------


@workspace_view()
def committee_list(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "governance/committee_list.html",
        {
            "committees": [
                (c, describe_cadence(c.rrule)) for c in selectors.committees(request.workspace)
            ],
            "can_manage": MANAGE in request.allowed,
        },
    )


@workspace_view(MANAGE)
def committee_edit(request: WorkspaceRequest, committee: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get_committee(ws, committee) if committee else None
    initial = (
        CommitteeForm.initial_for(instance)
        if instance
        else {"starts_on": timezone.localdate(), "start_time": "09:00", "duration_minutes": 60}
    )
    form = CommitteeForm(posted(request), workspace=ws, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.committee_save(
            actor=request.user, workspace=ws, committee=instance, **form.service_data()
        ),
        title=_("Edit committee") if instance else _("New committee"),
        done=lambda obj: url_for(request, "governance_committee", obj.uuid),
        cancel=url_for(request, "governance_committee", instance.uuid)
        if instance
        else url_for(request, "governance_committees"),
        saved=_("Committee saved."),
        template="governance/committee_form.html",
    )


@workspace_view()
def committee_detail(request: WorkspaceRequest, committee: str) -> HttpResponse:
    ws = request.workspace
    obj = selectors.get_committee(ws, committee)
    now = timezone.now()
    rows = list(selectors.committee_meetings(obj))
    upcoming = [m for m in rows if m.starts_at >= now or m.occurrence >= now]
    past = [m for m in rows if m not in upcoming][::-1][:12]
    feed = services.feed_for(membership=request.membership, committee=obj)
    return render(
        request,
        "governance/committee_detail.html",
        {
            "committee": obj,
            "cadence": describe_cadence(obj.rrule),
            "seats": selectors.seats(obj),
            "upcoming": upcoming,
            "past": past,
            "seat_form": SeatForm(workspace=ws),
            "can_manage": MANAGE in request.allowed,
            "feed_url": request.build_absolute_uri(reverse("calendar_feed", args=[feed.token])),
        },
    )


@workspace_view(MANAGE)
@require_POST
def committee_seat(request: WorkspaceRequest, committee: str) -> HttpResponse:
    obj = selectors.get_committee(request.workspace, committee)
    return inline_post(
        request,
        SeatForm(request.POST, workspace=request.workspace),
        lambda data: services.committee_seat_set(actor=request.user, committee=obj, **data),
        saved=_("Member saved."),
        back=url_for(request, "governance_committee", obj.uuid),
    )


@workspace_view(MANAGE)
@require_POST
def committee_unseat(request: WorkspaceRequest, committee: str, member: str) -> HttpResponse:
    obj = selectors.get_committee(request.workspace, committee)
    person = Membership.objects.filter(workspace=request.workspace, uuid=member).first()
    if person is None:
        raise Http404("No such member.")
    try:
        services.committee_seat_remove(actor=request.user, committee=obj, membership=person)
        messages.success(request, _("Member removed."))
    except ConvergeError as exc:
        messages.error(request, exc.message)
    return redirect(url_for(request, "governance_committee", obj.uuid))


@workspace_view(MANAGE)
@require_POST
def committee_schedule(request: WorkspaceRequest, committee: str) -> HttpResponse:
    obj = selectors.get_committee(request.workspace, committee)
    made = services.meetings_materialise(committee=obj)
    messages.success(request, _("%(count)s meetings added to the schedule.") % {"count": len(made)})
    return redirect(url_for(request, "governance_committee", obj.uuid))


@workspace_view(MANAGE)
@require_POST
def committee_archive(request: WorkspaceRequest, committee: str) -> HttpResponse:
    """Archive a committee (its meetings, decisions and actions stay) or restore it."""
    obj = selectors.get_committee(request.workspace, committee)
    archive = request.POST.get("archived", "1") == "1"
    services.committee_archive(actor=request.user, committee=obj, archived=archive)
    messages.success(request, _("Committee archived.") if archive else _("Committee restored."))
    return redirect(url_for(request, "governance_committee", obj.uuid))


# --- Meetings -------------------------------------------------------------------------------


def _entry_url(slug: str, entry: selectors.Entry) -> str | None:
    """Where an agenda item leads: the KPI, the roadmap, the year's budget, or the quarter's
    ROI report."""
    kind, _sep, rest = entry.key.partition(":")
    if kind == "kpi" and entry.ref:
        return reverse("strategy_kpi", args=[slug, entry.ref])
    if kind == "initiative":
        return reverse("strategy_roadmap", args=[slug])
    if kind == "budget" and rest.isdigit():
        return f"{reverse('budget', args=[slug])}?year={rest}"
    if kind == "roi" and len(rest) == 7 and rest[:4].isdigit() and rest[6] in "1234":
        year, quarter = int(rest[:4]), int(rest[6])
        first = date(year, 3 * quarter - 2, 1)
        last = selectors.quarter_end(year, quarter)
        return f"{reverse('budget_roi', args=[slug])}?from={first}&to={last}"
    return None


def _meeting_context(request: WorkspaceRequest, meeting: Meeting) -> dict[str, Any]:
    ws = request.workspace
    committee = meeting.committee
    chair = services.may_chair(request.user, committee)
    pack = selectors.agenda_pack(meeting)
    seats = list(selectors.seats(committee))
    people = [s.membership for s in seats]
    if committee.chair and committee.chair not in people:
        people.insert(0, committee.chair)
    presence = {a.membership_id: a.presence for a in meeting.attendance.all()}
    pack.items = selectors.shown_to(pack.items, request.allowed)
    items = []
    for number, entry in enumerate(pack.items, start=1):
        url = _entry_url(ws.slug, entry)
        items.append(
            {
                "entry": entry,
                "number": number,
                "first": number == 1,
                "last": number == len(pack.items),
                "section": selectors.SECTION_LABELS.get(entry.section, entry.section),
                "url": url,
            }
        )
    decision_form = DecisionForm(
        prefix="decision",
        workspace=ws,
        initial={
            "decided_on": timezone.localtime(meeting.starts_at).date(),
            "owner": committee.chair,
        },
    )
    return {
        "meeting": meeting,
        "committee": committee,
        "pack": pack,
        "items": items,
        "can_chair": chair,
        "editable": chair and not pack.frozen,
        "attendance": [{"person": p, "presence": presence.get(p.pk, "")} for p in people],
        "presence_choices": Presence.choices,
        "minutes_html": render_markdown(meeting.minutes),
        "decisions": meeting.decisions.select_related("owner__user").prefetch_related(
            "objectives", "kpis", "initiatives"
        ),
        "actions": meeting.actions.select_related("owner__user"),
        "agenda_form": AgendaItemForm(),
        "decision_form": decision_form,
        "action_form": ActionForm(
            prefix="action", workspace=ws, initial={"owner": request.membership}
        ),
        "statuses": ActionStatus.choices,
        "me": request.membership,
        "previous": selectors.previous_meeting(meeting),
        "following": selectors.next_meeting(meeting),
    }


@workspace_view()
def meeting_detail(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    obj = selectors.get_meeting(request.workspace, meeting)
    return render(request, "governance/meeting_detail.html", _meeting_context(request, obj))


def _meeting_for_chair(request: WorkspaceRequest, meeting: str) -> Meeting:
    obj = selectors.get_meeting(request.workspace, meeting)
    _chair_or_403(request, obj.committee)
    return obj


def _back(request: WorkspaceRequest, meeting: Meeting, anchor: str = "") -> str:
    return url_for(request, "governance_meeting", meeting.uuid) + (f"#{anchor}" if anchor else "")


@workspace_view()
def meeting_reschedule(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    obj = _meeting_for_chair(request, meeting)
    form = RescheduleForm(
        posted(request),
        initial={
            "starts_at": timezone.localtime(obj.starts_at),
            "duration_minutes": obj.duration_minutes,
            "location": obj.location,
        },
    )
    return form_page(
        request,
        form,
        lambda data: services.meeting_reschedule(actor=request.user, meeting=obj, **data),
        template=FORM,
        title=_("Move the meeting"),
        done=lambda m: _back(request, m),
        cancel=_back(request, obj),
        saved=_("Meeting moved."),
    )


@workspace_view()
@require_POST
def meeting_cancel(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    obj = _meeting_for_chair(request, meeting)
    cancel = request.POST.get("cancel", "1") == "1"
    try:
        services.meeting_cancel(actor=request.user, meeting=obj, cancelled=cancel)
        messages.success(request, _("Meeting cancelled.") if cancel else _("Meeting restored."))
    except ConvergeError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, obj))


@workspace_view()
@require_POST
def meeting_hold(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    obj = _meeting_for_chair(request, meeting)
    try:
        services.meeting_hold(actor=request.user, meeting=obj)
        messages.success(request, _("The meeting is recorded as held; its agenda pack is kept."))
    except ConvergeError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, obj))


@workspace_view()
@require_POST
def agenda_add(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    obj = _meeting_for_chair(request, meeting)
    return inline_post(
        request,
        AgendaItemForm(request.POST),
        lambda data: services.agenda_add(actor=request.user, meeting=obj, **data),
        saved=_("Item added to the agenda."),
        back=_back(request, obj, "agenda"),
    )


@workspace_view()
@require_POST
def agenda_change(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    """Move an item up or down, remove it or put it back (``op`` = up | down | remove |
    restore)."""
    obj = _meeting_for_chair(request, meeting)
    key = request.POST.get("key", "")
    op = request.POST.get("op", "")
    try:
        if op in ("up", "down"):
            services.agenda_move(actor=request.user, meeting=obj, key=key, up=op == "up")
        elif op == "remove":
            services.agenda_remove(actor=request.user, meeting=obj, key=key)
            messages.success(request, _("Item removed from the agenda."))
        elif op == "restore":
            services.agenda_restore(actor=request.user, meeting=obj, key=key)
            messages.success(request, _("Item back on the agenda."))
        else:
            messages.error(request, _("Choose up, down or remove."))
    except ConvergeError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, obj, "agenda"))


@workspace_view()
@require_POST
def meeting_attendance(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    obj = _meeting_for_chair(request, meeting)
    people = Membership.objects.filter(workspace=request.workspace).select_related("user")
    presence = {
        p: request.POST[f"presence-{p.uuid}"]
        for p in people
        if f"presence-{p.uuid}" in request.POST
    }
    try:
        services.attendance_record(actor=request.user, meeting=obj, presence=presence)
        messages.success(request, _("Attendance saved."))
    except ConvergeError as exc:
        messages.error(request, exc.message)
    return redirect(_back(request, obj, "attendance"))


@workspace_view()
def meeting_minutes(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    obj = _meeting_for_chair(request, meeting)
    form = MinutesForm(posted(request), initial={"minutes": obj.minutes})
    return form_page(
        request,
        form,
        lambda data: services.minutes_save(actor=request.user, meeting=obj, **data),
        template=FORM,
        title=_("Minutes"),
        done=lambda m: _back(request, m, "minutes"),
        cancel=_back(request, obj),
        saved=_("Minutes saved."),
    )


@workspace_view()
@require_POST
def decision_add(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    obj = _meeting_for_chair(request, meeting)
    return inline_post(
        request,
        DecisionForm(request.POST, prefix="decision", workspace=request.workspace),
        lambda data: services.decision_save(
            actor=request.user, workspace=request.workspace, meeting=obj, **data
        ),
        saved=_("Decision recorded."),
        back=_back(request, obj, "decisions"),
    )


@workspace_view()
@require_POST
def action_add(request: WorkspaceRequest, meeting: str) -> HttpResponse:
    obj = _meeting_for_chair(request, meeting)
    return inline_post(
        request,
        ActionForm(request.POST, prefix="action", workspace=request.workspace),
        lambda data: services.action_create(
            actor=request.user, workspace=request.workspace, meeting=obj, **data
        ),
        saved=_("Action recorded."),
        back=_back(request, obj, "actions"),
    )


# --- Decisions and actions ------------------------------------------------------------------


@workspace_view()
def decision_list(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "governance/decision_list.html",
        {
            "decisions": selectors.decisions(request.workspace),
            "can_manage": MANAGE in request.allowed,
        },
    )


@workspace_view()
def decision_edit(request: WorkspaceRequest, decision: str) -> HttpResponse:
    ws = request.workspace
    obj = selectors.get_decision(ws, decision)
    if obj.meeting is not None:
        _chair_or_403(request, obj.meeting.committee)
    elif MANAGE not in request.allowed:
        raise NotPermitted(MANAGE)
    form = DecisionForm(
        posted(request),
        workspace=ws,
        initial={
            "text": obj.text,
            "owner": obj.owner,
            "decided_on": obj.decided_on,
            "status": obj.status,
            "objectives": list(obj.objectives.all()),
            "kpis": list(obj.kpis.all()),
            "initiatives": list(obj.initiatives.all()),
        },
    )
    back = (
        _back(request, obj.meeting, "decisions")
        if obj.meeting
        else url_for(request, "governance_decisions")
    )
    return form_page(
        request,
        form,
        lambda data: services.decision_save(actor=request.user, workspace=ws, decision=obj, **data),
        template=FORM,
        title=_("Edit decision"),
        done=lambda _d: back,
        cancel=back,
        saved=_("Decision saved."),
    )


def _with_permission(request: WorkspaceRequest, rows: Any) -> list[Any]:
    """Each action with ``can_close``: leads, its owner and its committee's chair may."""
    manage = MANAGE in request.allowed
    me = request.membership.pk
    out = []
    for item in rows:
        chair = item.meeting.committee.chair_id if item.meeting else None
        item.can_close = manage or item.owner_id == me or chair == me
        out.append(item)
    return out


@workspace_view()
def action_list(request: WorkspaceRequest) -> HttpResponse:
    status = request.GET.get("status", ActionStatus.OPEN)
    rows = selectors.actions(request.workspace).order_by("due_on", "title")
    if status in ActionStatus.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "governance/action_list.html",
        {
            "actions": _with_permission(request, rows),
            "status": status,
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
            "title": _("All actions"),
            "mine": False,
        },
    )


@workspace_view()
def my_actions(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "governance/action_list.html",
        {
            "actions": _with_permission(request, selectors.my_actions(request.membership)),
            "statuses": ActionStatus.choices,
            "today": timezone.localdate(),
            "title": _("My actions"),
            "mine": True,
        },
    )


@workspace_view()
@require_POST
def action_status(request: WorkspaceRequest, item: str) -> HttpResponse:
    obj = selectors.get_action(request.workspace, item)
    if not services.may_close(request.user, obj):
        raise NotPermitted(MANAGE)
    back = request.POST.get("next", "")
    if not back.startswith(f"/w/{request.workspace.slug}/"):
        back = url_for(request, "governance_my_actions")
    return inline_post(
        request,
        ActionStatusForm(request.POST),
        lambda data: services.action_update(actor=request.user, item=obj, **data),
        saved=_("Action updated."),
        back=back,
    )


# --- Calendar -------------------------------------------------------------------------------


@workspace_view()
def calendar_page(request: WorkspaceRequest) -> HttpResponse:
    mine = services.feed_for(membership=request.membership)
    rows = []
    for committee in [None, *selectors.committees(request.workspace)]:
        feed = (
            mine
            if committee is None
            else services.feed_for(membership=request.membership, committee=committee)
        )
        https = request.build_absolute_uri(reverse("calendar_feed", args=[feed.token]))
        rows.append(
            {
                "committee": committee,
                "feed": feed,
                "https": https,
                "webcal": "webcal://" + https.split("://", 1)[1],
            }
        )
    return render(request, "governance/calendar.html", {"rows": rows})


@workspace_view()
@require_POST
def calendar_rotate(request: WorkspaceRequest, feed: str) -> HttpResponse:
    found = selectors.feeds(request.membership)
    match = next((f for f in found.values() if str(f.uuid) == str(feed)), None)
    if match is None:
        raise Http404("No such feed.")
    services.feed_rotate(actor=request.user, feed=match)
    messages.success(request, _("A new address is ready; the old one no longer works."))
    return redirect(url_for(request, "governance_calendar"))


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The secret .ics address: no sign-in, the token is the key. A rotated token, or one of
    a person who has left the workspace, is 404."""
    feed = selectors.feed_by_token(token)
    if feed is None or not can(feed.membership.user, Action.VIEW_WORKSPACE, feed.workspace):
        raise Http404("No such calendar.")
    membership = feed.membership
    if feed.committee is not None:
        if feed.committee.archived_at is not None:
            raise Http404("No such calendar.")
        chosen = [feed.committee]
        actions: list[Any] = []
        name = f"{feed.committee.name} · {feed.workspace.name}"
    else:
        chosen = list(selectors.committees_of(membership))
        actions = list(selectors.my_actions(membership, open_only=True))
        name = f"{membership.user} · {feed.workspace.name}"
    body = calendar.build(name, [(c, c.meetings.order_by("occurrence")) for c in chosen], actions)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="converge.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Quarterly reviews ----------------------------------------------------------------------


@workspace_view()
def review_list(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "governance/review_list.html",
        {"reviews": selectors.reviews(request.workspace), "can_manage": MANAGE in request.allowed},
    )


@workspace_view(MANAGE)
def review_edit(request: WorkspaceRequest, review: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get_review(ws, review) if review else None
    today = timezone.localdate()
    initial: dict[str, Any] = (
        {
            "year": instance.year,
            "quarter": instance.quarter,
            "committee": instance.committee,
            "held_on": instance.held_on,
            "summary": instance.summary,
        }
        if instance
        else {"year": today.year, "quarter": (today.month - 1) // 3 + 1, "held_on": today}
    )
    form = ReviewForm(posted(request), workspace=ws, initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.review_save(
            actor=request.user, workspace=ws, review=instance, **data
        ),
        template=FORM,
        title=_("Edit quarterly review") if instance else _("New quarterly review"),
        done=lambda r: url_for(request, "governance_review", r.uuid),
        cancel=url_for(request, "governance_review", instance.uuid)
        if instance
        else url_for(request, "governance_reviews"),
        saved=_("Review saved."),
    )


@workspace_view()
def review_detail(request: WorkspaceRequest, review: str) -> HttpResponse:
    ws = request.workspace
    obj = selectors.get_review(ws, review)
    walk = selectors.review_walkthrough(obj)
    adaptations = obj.adaptations.select_related("department").prefetch_related(
        "objectives", "kpis", "initiatives"
    )
    return render(
        request,
        "governance/review_detail.html",
        {
            "review": obj,
            "walk": [
                {
                    "department": p.department,
                    "counts": [
                        (progress_text.STATUS_LABELS[s], s, n) for s, n in p.counts.items() if n
                    ],
                    "rows": [
                        {
                            "kpi": row.kpi,
                            "status": row.found.progress.status,
                            "label": progress_text.STATUS_LABELS[row.found.progress.status],
                            "current": progress_text.number(row.found.progress.current),
                        }
                        for row in dict((r.kpi.pk, r) for g in p.board for r in g.rows).values()
                    ],
                }
                for p in walk
            ],
            "groups": [
                (label, [a for a in adaptations if a.kind == kind])
                for kind, label in AdaptationKind.choices
            ],
            "form": AdaptationForm(workspace=ws),
            "can_manage": MANAGE in request.allowed,
        },
    )


@workspace_view(MANAGE)
@require_POST
def adaptation_add(request: WorkspaceRequest, review: str) -> HttpResponse:
    obj = selectors.get_review(request.workspace, review)
    return inline_post(
        request,
        AdaptationForm(request.POST, workspace=request.workspace),
        lambda data: services.adaptation_add(actor=request.user, review=obj, **data),
        saved=_("Adaptation recorded."),
        back=url_for(request, "governance_review", obj.uuid) + "#adaptations",
    )


@workspace_view(MANAGE)
@require_POST
def adaptation_remove(request: WorkspaceRequest, review: str, adaptation: str) -> HttpResponse:
    obj = selectors.get_review(request.workspace, review)
    found = obj.adaptations.filter(uuid=adaptation).first()
    if found is None:
        raise Http404("No such adaptation.")
    services.adaptation_remove(actor=request.user, adaptation=found)
    messages.success(request, _("Adaptation removed."))
    return redirect(url_for(request, "governance_review", obj.uuid) + "#adaptations")

"""Evidence rules: each reads data that exists in Converge and says whether a criterion is met,
what was found, where to see it (``url``) and where to create what is missing (``create_url``).

``RULES`` maps the names used in ``model.yaml`` to the functions; a rule is
``rule(workspace, params, today) -> Evidence``. Rules read, never write."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from converge.core.models import Department, Grant, Membership, Role, Workspace


@dataclass(frozen=True)
class Evidence:
    met: bool
    found: str
    url: str | None = None
    create_url: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


Rule = Callable[[Workspace, Mapping[str, Any], date], Evidence]
RULES: dict[str, Rule] = {}


def rule(name: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        RULES[name] = fn
        return fn

    return register


def _url(name: str, workspace: Workspace) -> str:
    return reverse(name, args=[workspace.slug])


def _since(today: date, days: int) -> datetime:
    return timezone.make_aware(datetime.combine(today - timedelta(days=days), time.min))


def _count(
    workspace: Workspace, n: int, minimum: int, found: str, view: str, create: str
) -> Evidence:
    return Evidence(
        met=n >= minimum,
        found=found,
        url=_url(view, workspace) if n else None,
        create_url=_url(create, workspace),
    )


# --- Strategy -------------------------------------------------------------------------------


@rule("vision_defined")
def vision_defined(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import Vision

    vision = Vision.objects.filter(workspace=workspace).first()
    met = vision is not None and bool(vision.statement.strip())
    return Evidence(
        met=met,
        found=_("The vision: “%(text)s”") % {"text": vision.statement[:120]}
        if met and vision
        else _("No vision is written yet."),
        url=_url("strategy_vision", workspace) if met else None,
        create_url=_url("strategy_vision", workspace),
    )


@rule("goals_defined")
def goals_defined(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import BusinessGoal

    n = BusinessGoal.objects.filter(workspace=workspace, archived_at__isnull=True).count()
    found = ngettext("%(n)d business goal.", "%(n)d business goals.", n) % {"n": n}
    return _count(
        workspace, n, int(params.get("min", 1)), found, "strategy_goals", "strategy_goal_new"
    )


@rule("goals_have_objectives_and_kpis")
def goals_have_objectives_and_kpis(
    workspace: Workspace, params: Mapping[str, Any], today: date
) -> Evidence:
    from converge.strategy.models import BusinessGoal, SocialObjective

    goals = BusinessGoal.objects.filter(workspace=workspace, archived_at__isnull=True)
    bare_goals = [
        g.title
        for g in goals.annotate(
            live=Count("objectives", filter=Q(objectives__archived_at__isnull=True))
        )
        if g.live == 0
    ]
    objectives = SocialObjective.objects.filter(
        workspace=workspace, archived_at__isnull=True
    ).annotate(live=Count("kpis", filter=Q(kpis__archived_at__isnull=True)))
    bare_objectives = [o.statement for o in objectives if o.live == 0]
    total = goals.count()
    if total == 0:
        found = _("No business goals yet.")
    elif bare_goals or bare_objectives:
        found = _("Without an objective: %(goals)s. Without a KPI: %(objectives)s.") % {
            "goals": "; ".join(bare_goals) or "—",
            "objectives": "; ".join(bare_objectives) or "—",
        }
    else:
        found = ngettext(
            "%(n)d goal, each with objectives that each have a KPI.",
            "%(n)d goals, each with objectives that each have a KPI.",
            total,
        ) % {"n": total}
    return Evidence(
        met=total > 0 and not bare_goals and not bare_objectives,
        found=found,
        url=_url("strategy_goals", workspace) if total else None,
        create_url=_url("strategy_objective_new", workspace)
        if bare_goals or not total
        else _url("strategy_kpi_new", workspace),
    )


@rule("roadmap_reaches_years")
def roadmap_reaches_years(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import Initiative
    from converge.strategy.rules import add_years

    years = int(params.get("years", 3))
    horizon = add_years(today, years)
    reaches = Initiative.objects.filter(workspace=workspace, archived_at__isnull=True).aggregate(
        end=Max("end")
    )["end"]
    return Evidence(
        met=reaches is not None and reaches >= horizon,
        found=_("The roadmap reaches %(end)s; %(years)d years ahead is %(horizon)s.")
        % {"end": reaches.isoformat(), "years": years, "horizon": horizon.isoformat()}
        if reaches
        else _("The roadmap has no initiatives."),
        url=_url("strategy_roadmap", workspace) if reaches else None,
        create_url=_url("strategy_initiative_new", workspace),
    )


@rule("departments_served")
def departments_served(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import SocialObjective

    names = sorted(
        set(
            SocialObjective.objects.filter(
                workspace=workspace, archived_at__isnull=True, departments__isnull=False
            ).values_list("departments__name", flat=True)
        )
    )
    n = len(names)
    found = ngettext(
        "%(n)d department served: %(names)s.", "%(n)d departments served: %(names)s.", n
    ) % {"n": n, "names": ", ".join(names) or "—"}
    return _count(
        workspace, n, int(params.get("min", 5)), found, "strategy_goals", "strategy_objective_new"
    )


@rule("competitors_tracked")
def competitors_tracked(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import CaseStudy, Competitor

    competitors = Competitor.objects.filter(workspace=workspace, archived_at__isnull=True).count()
    cases = CaseStudy.objects.filter(workspace=workspace, archived_at__isnull=True).count()
    found = _("%(c)d competitors and %(s)d case studies on record.") % {
        "c": competitors,
        "s": cases,
    }
    return _count(
        workspace,
        competitors,
        int(params.get("min", 1)),
        found,
        "strategy_competitors",
        "strategy_competitor_new",
    )


@rule("audiences_defined")
def audiences_defined(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import Audience

    n = Audience.objects.filter(workspace=workspace, archived_at__isnull=True).count()
    found = ngettext("%(n)d audience.", "%(n)d audiences.", n) % {"n": n}
    return _count(
        workspace,
        n,
        int(params.get("min", 1)),
        found,
        "strategy_audiences",
        "strategy_audience_new",
    )


@rule("messages_defined")
def messages_defined(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import Message

    n = Message.objects.filter(workspace=workspace, archived_at__isnull=True).count()
    found = ngettext("%(n)d key message.", "%(n)d key messages.", n) % {"n": n}
    return _count(
        workspace, n, int(params.get("min", 1)), found, "strategy_messages", "strategy_message_new"
    )


# --- Measurement ----------------------------------------------------------------------------


@rule("channels_exist")
def channels_exist(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.measurement.models import Channel

    n = Channel.objects.filter(workspace=workspace).count()
    found = ngettext("%(n)d channel.", "%(n)d channels.", n) % {"n": n}
    return _count(
        workspace, n, int(params.get("min", 1)), found, "measurement", "measurement_channel_new"
    )


@rule("recent_import")
def recent_import(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.measurement.models import Import

    days = int(params.get("days", 30))
    last = (
        Import.objects.filter(
            workspace=workspace, committed_at__isnull=False, rolled_back_at__isnull=True
        )
        .aggregate(last=Max("committed_at"))
        .get("last")
    )
    met = last is not None and last >= _since(today, days)
    return Evidence(
        met=met,
        found=_("The last import was committed on %(day)s.")
        % {"day": timezone.localdate(last).isoformat()}
        if last
        else _("Nothing has been imported yet."),
        url=_url("measurement_imports", workspace) if last else None,
        create_url=_url("measurement_imports", workspace),
    )


@rule("kpis_with_targets")
def kpis_with_targets(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import Kpi

    kpis = Kpi.objects.filter(workspace=workspace, archived_at__isnull=True)
    total = kpis.count()
    complete = kpis.filter(baseline_value__isnull=False, target_value__isnull=False).count()
    found = _("%(done)d of %(total)d KPIs have a baseline and a target.") % {
        "done": complete,
        "total": total,
    }
    return Evidence(
        met=total > 0 and complete >= float(params.get("share", 1)) * total,
        found=found,
        url=_url("strategy_kpis", workspace) if total else None,
        create_url=_url("strategy_kpis", workspace),
    )


@rule("objectives_measured")
def objectives_measured(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import SocialObjective

    n = (
        SocialObjective.objects.filter(workspace=workspace, archived_at__isnull=True)
        .annotate(
            live_goals=Count("goals", filter=Q(goals__archived_at__isnull=True), distinct=True),
            live_kpis=Count("kpis", filter=Q(kpis__archived_at__isnull=True), distinct=True),
        )
        .filter(live_goals__gt=0, live_kpis__gt=0)
        .count()
    )
    found = ngettext(
        "%(n)d objective serves a business goal and has a KPI.",
        "%(n)d objectives serve a business goal and have a KPI.",
        n,
    ) % {"n": n}
    return _count(
        workspace, n, int(params.get("min", 1)), found, "strategy_goals", "strategy_objective_new"
    )


@rule("objectives_reviewed")
def objectives_reviewed(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.strategy.models import ObjectiveReview

    days = int(params.get("days", 90))
    last = (
        ObjectiveReview.objects.filter(
            workspace=workspace,
            reviewed_on__gte=today - timedelta(days=days),
            reviewed_on__lte=today,
        )
        .select_related("objective")
        .order_by("-reviewed_on")
        .first()
    )
    return Evidence(
        met=last is not None,
        found=_("“%(objective)s” was reviewed on %(day)s.")
        % {"objective": last.objective.statement[:80], "day": last.reviewed_on.isoformat()}
        if last
        else _("No objective was reviewed in the last %(days)d days.") % {"days": days},
        url=reverse("strategy_objective", args=[workspace.slug, last.objective.uuid])
        if last
        else None,
        create_url=_url("strategy_goals", workspace),
    )


@rule("kpis_on_track")
def kpis_on_track(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.measurement.progress import ON_TRACK
    from converge.measurement.selectors import kpi_progress
    from converge.strategy.models import Kpi

    share = float(params.get("share", 0.5))
    kpis = list(Kpi.objects.filter(workspace=workspace, archived_at__isnull=True))
    progress = kpi_progress(workspace, kpis, today) if kpis else {}
    on_track = sum(1 for p in progress.values() if p.progress.status == ON_TRACK)
    total = len(kpis)
    return Evidence(
        met=total > 0 and on_track >= share * total,
        found=_("%(on)d of %(total)d KPIs are on track (needed: %(share)d%%).")
        % {"on": on_track, "total": total, "share": round(share * 100)},
        url=_url("strategy_kpis", workspace) if total else None,
        create_url=_url("strategy_kpis", workspace),
    )


@rule("annotations_recent")
def annotations_recent(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.measurement.models import Annotation

    days = int(params.get("days", 90))
    n = Annotation.objects.filter(
        workspace=workspace, day__gte=today - timedelta(days=days), day__lte=today
    ).count()
    found = ngettext(
        "%(n)d annotation in the last %(days)d days.",
        "%(n)d annotations in the last %(days)d days.",
        n,
    ) % {"n": n, "days": days}
    return _count(workspace, n, 1, found, "measurement_annotations", "measurement_annotations")


# --- People and departments -----------------------------------------------------------------


@rule("departments_with_members")
def departments_with_members(
    workspace: Workspace, params: Mapping[str, Any], today: date
) -> Evidence:
    n = (
        Department.objects.filter(workspace=workspace)
        .annotate(people=Count("members"))
        .filter(people__gt=0)
        .count()
    )
    found = ngettext("%(n)d department with members.", "%(n)d departments with members.", n) % {
        "n": n
    }
    return _count(
        workspace, n, int(params.get("min", 2)), found, "department_list", "department_create"
    )


@rule("grants_extended")
def grants_extended(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    n = Grant.objects.filter(workspace=workspace).count()
    found = ngettext(
        "%(n)d capability extended to departments.",
        "%(n)d capabilities extended to departments.",
        n,
    ) % {"n": n}
    return _count(workspace, n, int(params.get("min", 1)), found, "grant_matrix", "grant_matrix")


@rule("executive_member")
def executive_member(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    n = Membership.objects.filter(workspace=workspace, role=Role.EXECUTIVE).count()
    found = ngettext(
        "%(n)d member with the executive role.", "%(n)d members with the executive role.", n
    ) % {"n": n}
    return _count(workspace, n, 1, found, "member_list", "member_list")


# --- Operating model (converge.operating) ----------------------------------------------------


@rule("sponsor_named")
def sponsor_named(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.operating.models import Executive

    sponsor = (
        Executive.objects.filter(workspace=workspace, is_sponsor=True)
        .select_related("membership__user")
        .first()
    )
    return Evidence(
        met=sponsor is not None,
        found=_("%(name)s is the executive sponsor.") % {"name": sponsor.membership.user}
        if sponsor
        else _("No executive sponsor is named."),
        url=_url("executive_list", workspace) if sponsor else None,
        create_url=_url("executive_list", workspace),
    )


@rule("raci_one_decider")
def raci_one_decider(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.operating.models import RaciActivity, RaciRole

    activities = list(
        RaciActivity.objects.filter(workspace=workspace).annotate(
            deciders=Count("assignments", filter=Q(assignments__role=RaciRole.DECIDES))
        )
    )
    wrong = [a.name for a in activities if a.deciders != 1]
    minimum = int(params.get("min", 3))
    if not activities:
        found = _("The RACI has no activities.")
    elif wrong:
        found = _("Not exactly one decider: %(names)s.") % {"names": "; ".join(wrong)}
    else:
        found = _("%(n)d activities, each with one decider.") % {"n": len(activities)}
    return Evidence(
        met=len(activities) >= minimum and not wrong,
        found=found,
        url=_url("raci_matrix", workspace) if activities else None,
        create_url=_url("raci_matrix", workspace),
    )


@rule("policy_acknowledged")
def policy_acknowledged(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.operating.models import Acknowledgement, DocumentKind, PolicyVersion

    share = float(params.get("share", 0.8))
    latest = (
        PolicyVersion.objects.filter(workspace=workspace, document__kind=DocumentKind.POLICY)
        .select_related("document")
        .order_by("-published_at", "-number")
        .first()
    )
    if latest is None:
        return Evidence(
            met=False,
            found=_("No policy is published."),
            create_url=_url("policy_new", workspace),
        )
    acks = Acknowledgement.objects.filter(version=latest).aggregate(
        asked=Count("id"), done=Count("id", filter=Q(acknowledged_at__isnull=False))
    )
    asked, done = acks["asked"], acks["done"]
    url = reverse("policy_detail", args=[workspace.slug, latest.document.uuid])
    return Evidence(
        met=asked > 0 and done >= share * asked,
        found=_("%(done)d of %(asked)d people acknowledged %(policy)s v%(number)d.")
        % {"done": done, "asked": asked, "policy": latest.document.title, "number": latest.number},
        url=url,
        create_url=url,
    )


@rule("education_monthly")
def education_monthly(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.operating.models import TrainingSession

    months = int(params.get("months", 3))
    wanted: list[tuple[int, int]] = []
    year, month = today.year, today.month
    for _n in range(months):
        wanted.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    first = date(wanted[-1][0], wanted[-1][1], 1)
    days = TrainingSession.objects.filter(
        workspace=workspace, day__gte=first, day__lte=today
    ).values_list("day", flat=True)
    held = {(d.year, d.month) for d in days}
    missing = [f"{y}-{m:02d}" for y, m in reversed(wanted) if (y, m) not in held]
    return Evidence(
        met=not missing,
        found=_("Sessions in each of the last %(n)d months.") % {"n": months}
        if not missing
        else _("No session in: %(months)s.") % {"months": ", ".join(missing)},
        url=_url("training_list", workspace) if held else None,
        create_url=_url("training_list", workspace),
    )


@rule("dedicated_team")
def dedicated_team(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.operating.models import TeamMember

    n = TeamMember.objects.filter(workspace=workspace).count()
    found = ngettext("%(n)d person in the social team.", "%(n)d people in the social team.", n) % {
        "n": n
    }
    return _count(
        workspace, n, int(params.get("min", 2)), found, "operating_model", "operating_model"
    )


@rule("operating_model_chosen")
def operating_model_chosen(
    workspace: Workspace, params: Mapping[str, Any], today: date
) -> Evidence:
    from converge.operating.models import OperatingModel

    model = OperatingModel.objects.filter(workspace=workspace).first()
    return Evidence(
        met=model is not None,
        found=_("The operating model: %(kind)s.") % {"kind": model.get_kind_display()}
        if model
        else _("No operating model is chosen."),
        url=_url("operating_model", workspace) if model else None,
        create_url=_url("operating_model", workspace),
    )


@rule("executives_engaged")
def executives_engaged(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.operating.models import Touchpoint

    days = int(params.get("days", 90))
    n = Touchpoint.objects.filter(
        workspace=workspace, day__gte=today - timedelta(days=days), day__lte=today
    ).count()
    found = ngettext(
        "%(n)d executive touchpoint in the last %(days)d days.",
        "%(n)d executive touchpoints in the last %(days)d days.",
        n,
    ) % {"n": n, "days": days}
    return _count(workspace, n, 1, found, "executive_list", "executive_list")


@rule("best_practices_shared")
def best_practices_shared(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.operating.models import PracticeEntry

    days = int(params.get("days", 90))
    n = PracticeEntry.objects.filter(
        workspace=workspace, day__gte=today - timedelta(days=days), day__lte=today
    ).count()
    found = ngettext(
        "%(n)d practice shared in the last %(days)d days.",
        "%(n)d practices shared in the last %(days)d days.",
        n,
    ) % {"n": n, "days": days}
    return _count(workspace, n, 1, found, "practice_log", "practice_log")


# --- Governance (converge.governance) -------------------------------------------------------


@rule("committee_meets")
def committee_meets(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.governance.models import Meeting, MeetingStatus

    days = int(params.get("days", 90))
    last = (
        Meeting.objects.filter(
            workspace=workspace,
            status=MeetingStatus.HELD,
            starts_at__lt=_since(today + timedelta(days=1), 0),
        )
        .order_by("-starts_at")
        .select_related("committee")
        .first()
    )
    met = last is not None and last.starts_at >= _since(today, days)
    return Evidence(
        met=met,
        found=_("%(committee)s last met on %(day)s.")
        % {"committee": last.committee.name, "day": timezone.localdate(last.starts_at).isoformat()}
        if last
        else _("No committee meeting has been held."),
        url=reverse("governance_meeting", args=[workspace.slug, last.uuid]) if last else None,
        create_url=_url("governance_committees", workspace),
    )


@rule("quarterly_review")
def quarterly_review(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.governance.models import Review

    days = int(params.get("days", 120))
    last = (
        Review.objects.filter(workspace=workspace, held_on__lte=today).order_by("-held_on").first()
    )
    return Evidence(
        met=last is not None and last.held_on >= today - timedelta(days=days),
        found=_("The last quarterly review (Q%(q)d %(year)d) was held on %(day)s.")
        % {"q": last.quarter, "year": last.year, "day": last.held_on.isoformat()}
        if last
        else _("No quarterly review has been held."),
        url=reverse("governance_review", args=[workspace.slug, last.uuid]) if last else None,
        create_url=_url("governance_review_new", workspace),
    )


@rule("actions_closed")
def actions_closed(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.governance.models import ActionItem, ActionStatus

    share = float(params.get("share", 0.7))
    due = ActionItem.objects.filter(workspace=workspace, due_on__lte=today)
    counts = due.aggregate(
        total=Count("id"), closed=Count("id", filter=~Q(status=ActionStatus.OPEN))
    )
    total, closed = counts["total"], counts["closed"]
    return Evidence(
        met=total > 0 and closed >= share * total,
        found=_("%(closed)d of %(total)d actions due are closed.")
        % {"closed": closed, "total": total},
        url=_url("governance_actions", workspace) if total else None,
        create_url=_url("governance_actions", workspace),
    )


@rule("decisions_recorded")
def decisions_recorded(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    from converge.governance.models import Decision

    days = int(params.get("days", 180))
    n = Decision.objects.filter(
        workspace=workspace, decided_on__gte=today - timedelta(days=days), decided_on__lte=today
    ).count()
    found = ngettext(
        "%(n)d decision in the last %(days)d days.", "%(n)d decisions in the last %(days)d days.", n
    ) % {"n": n, "days": days}
    return _count(workspace, n, 1, found, "governance_decisions", "governance_committees")


# --- Budget ---------------------------------------------------------------------------------


@rule("roadmap_funded")
def roadmap_funded(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    """The roadmap's current and coming initiatives get money from the budget: a share of a
    budget line of a year they run in (this year or later)."""
    from converge.finance.models import Allocation, AllocationKind
    from converge.strategy.models import Initiative, InitiativeStatus

    share = float(params.get("share", 0.8))
    live = {
        i.pk: i
        for i in Initiative.objects.filter(
            workspace=workspace, archived_at__isnull=True, end__gte=today
        ).exclude(status__in=[InitiativeStatus.DONE, InitiativeStatus.CANCELLED])
    }
    funded = {
        initiative
        for initiative, year in Allocation.objects.filter(
            workspace=workspace, kind=AllocationKind.INITIATIVE, initiative_id__in=live
        ).values_list("initiative_id", "line__year")
        if max(live[initiative].start.year, today.year) <= year <= live[initiative].end.year
    }
    unfunded = sorted(i.title for pk, i in live.items() if pk not in funded)
    found = _("%(funded)d of %(total)d current initiatives are funded in the budget.") % {
        "funded": len(funded),
        "total": len(live),
    }
    if unfunded:
        found += " " + _("Not funded: %(titles)s.") % {"titles": ", ".join(unfunded)}
    if not live:
        found = _("The roadmap has no current initiatives.")
    return Evidence(
        met=bool(live) and len(funded) >= share * len(live),
        found=found,
        url=_url("budget", workspace) if funded else None,
        create_url=_url("budget", workspace),
    )


@rule("roi_reported")
def roi_reported(workspace: Workspace, params: Mapping[str, Any], today: date) -> Evidence:
    """Return was reported to executives: a committee meeting held in the last ``days`` had the
    quarter's ROI on its agenda as held (the pack's ``roi:`` item) with an executive present."""
    from converge.core.models import Role
    from converge.governance.models import Meeting, MeetingStatus, Presence

    days = int(params.get("days", 92))
    held = (
        Meeting.objects.filter(
            workspace=workspace,
            status=MeetingStatus.HELD,
            starts_at__gte=_since(today, days),
            starts_at__lt=_since(today + timedelta(days=1), 0),
            pack__isnull=False,
        )
        .select_related("committee")
        .order_by("-starts_at")
    )
    with_roi = [
        m for m in held if any(str(e.get("key", "")).startswith("roi:") for e in m.pack or [])
    ]
    executives = set(
        Meeting.objects.filter(
            pk__in=[m.pk for m in with_roi],
            attendance__presence=Presence.PRESENT,
            attendance__membership__role=Role.EXECUTIVE,
        ).values_list("pk", flat=True)
    )
    reported = next((m for m in with_roi if m.pk in executives), None)
    if reported is not None:
        found = _("%(committee)s discussed the return on %(day)s with an executive present.") % {
            "committee": reported.committee.name,
            "day": timezone.localdate(reported.starts_at).isoformat(),
        }
    elif with_roi:
        found = _(
            "The return was on the agenda of %(committee)s on %(day)s, but no executive was "
            "present."
        ) % {
            "committee": with_roi[0].committee.name,
            "day": timezone.localdate(with_roi[0].starts_at).isoformat(),
        }
    else:
        found = _("No meeting held in the last %(days)d days had the return on its agenda.") % {
            "days": days
        }
    shown = reported or (with_roi[0] if with_roi else None)
    return Evidence(
        met=reported is not None,
        found=found,
        url=reverse("governance_meeting", args=[workspace.slug, shown.uuid]) if shown else None,
        create_url=_url("budget_roi", workspace),
    )

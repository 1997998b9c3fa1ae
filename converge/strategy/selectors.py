"""Reads of the strategy, with their joins and counts done in SQL."""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from django.db.models import Count, Max, Model, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from converge.core.models import Department, Workspace
from converge.strategy import rules
from converge.strategy.models import (
    CADENCE_DAYS,
    AlignmentSnapshot,
    Audience,
    BusinessGoal,
    CaseStudy,
    Competitor,
    CompetitorObservation,
    Initiative,
    Kpi,
    Message,
    PlatformPresence,
    SocialObjective,
    Tactic,
    Vision,
)

LIVE = Q(archived_at__isnull=True)
T = TypeVar("T", bound=Model)


def goals(workspace: Workspace, *, archived: bool = False) -> QuerySet[BusinessGoal]:
    return (
        BusinessGoal.objects.filter(workspace=workspace, archived_at__isnull=not archived)
        .prefetch_related("departments")
        .annotate(
            objective_count=Count(
                "objectives", filter=Q(objectives__archived_at__isnull=True), distinct=True
            )
        )
        .order_by("priority", "title")
    )


def objectives(workspace: Workspace, *, archived: bool = False) -> QuerySet[SocialObjective]:
    return (
        SocialObjective.objects.filter(workspace=workspace, archived_at__isnull=not archived)
        .prefetch_related(
            "goals",
            "departments",
            Prefetch("kpis", queryset=Kpi.objects.filter(LIVE).select_related("owner__user")),
        )
        .annotate(last_review=Max("reviews__reviewed_on"))
        .order_by("start", "statement")
    )


def kpis(workspace: Workspace, *, archived: bool = False) -> QuerySet[Kpi]:
    return (
        Kpi.objects.filter(workspace=workspace, archived_at__isnull=not archived)
        .select_related("objective", "owner__user")
        .prefetch_related("channels")
        .order_by("objective__start", "objective__statement", "name")
    )


def audiences(workspace: Workspace, *, archived: bool = False) -> QuerySet[Audience]:
    return (
        Audience.objects.filter(workspace=workspace, archived_at__isnull=not archived)
        .prefetch_related(
            Prefetch("presence", queryset=PlatformPresence.objects.order_by("-figure"))
        )
        .annotate(
            message_count=Count(
                "messages", filter=Q(messages__archived_at__isnull=True), distinct=True
            )
        )
        .order_by("priority", "name")
    )


def messages(workspace: Workspace, *, archived: bool = False) -> QuerySet[Message]:
    return (
        Message.objects.filter(workspace=workspace, archived_at__isnull=not archived)
        .select_related("owner__user")
        .prefetch_related("audiences")
        .order_by("title")
    )


def initiatives(workspace: Workspace, *, archived: bool = False) -> QuerySet[Initiative]:
    return (
        Initiative.objects.filter(workspace=workspace, archived_at__isnull=not archived)
        .select_related("department")
        .prefetch_related("goals", "objectives")
        .order_by("start", "title")
    )


def competitors(workspace: Workspace) -> QuerySet[Competitor]:
    return (
        Competitor.objects.filter(workspace=workspace, archived_at__isnull=True)
        .prefetch_related(
            Prefetch(
                "observations", queryset=CompetitorObservation.objects.order_by("-observed_on")
            )
        )
        .order_by("name")
    )


def case_studies(workspace: Workspace) -> QuerySet[CaseStudy]:
    return CaseStudy.objects.filter(workspace=workspace, archived_at__isnull=True).order_by("title")


def tactics(workspace: Workspace) -> QuerySet[Tactic]:
    return Tactic.objects.filter(workspace=workspace).select_related("objective")


def vision(workspace: Workspace) -> Vision | None:
    return Vision.objects.filter(workspace=workspace).select_related("sponsor__user").first()


def get(model: type[T], workspace: Workspace, uuid: object, *related: str) -> T:
    """One strategy object of this workspace by UUID (with ``related`` objects), or 404."""
    rows = model._default_manager.filter(workspace=workspace, uuid=uuid)
    obj = (rows.select_related(*related) if related else rows).first()
    if obj is None:
        raise Http404("Not found.")
    return obj


def objectives_serving(department: Department) -> QuerySet[SocialObjective]:
    """The live objectives that serve a department, with their KPIs (for its page)."""
    return (
        SocialObjective.objects.filter(departments=department, archived_at__isnull=True)
        .prefetch_related(Prefetch("kpis", queryset=Kpi.objects.filter(LIVE)))
        .order_by("start", "statement")
    )


# --- Alignment ----------------------------------------------------------------------------


def alignment_facts(workspace: Workspace) -> rules.StrategyFacts:
    """The plain facts the alignment rules need, in a handful of aggregate queries."""
    goal_facts = [
        rules.GoalFact(ref=str(g.uuid), label=g.title, objectives=g.objective_count)
        for g in BusinessGoal.objects.filter(workspace=workspace, archived_at__isnull=True)
        .annotate(
            objective_count=Count(
                "objectives", filter=Q(objectives__archived_at__isnull=True), distinct=True
            )
        )
        .order_by("priority", "title")
    ]
    objective_facts = [
        rules.ObjectiveFact(
            ref=str(o.uuid),
            label=o.statement,
            kpis=o.kpi_count,
            start=o.start,
            end=o.end,
            cadence_days=CADENCE_DAYS[o.review_cadence],
            last_review=o.last_review,
        )
        for o in SocialObjective.objects.filter(workspace=workspace, archived_at__isnull=True)
        .annotate(
            kpi_count=Count("kpis", filter=Q(kpis__archived_at__isnull=True), distinct=True),
            last_review=Max("reviews__reviewed_on"),
        )
        .order_by("start", "statement")
    ]
    kpi_facts = [
        rules.KpiFact(
            ref=str(k.uuid),
            label=k.name,
            figures=rules.KpiFigures(
                direction=k.direction,
                baseline_value=k.baseline_value,
                baseline_date=k.baseline_date,
                target_value=k.target_value,
                target_date=k.target_date,
                band_low=k.band_low,
                band_high=k.band_high,
            ),
        )
        for k in Kpi.objects.filter(
            workspace=workspace, archived_at__isnull=True, objective__archived_at__isnull=True
        ).order_by("name")
    ]
    department_facts = [
        rules.DepartmentFact(ref=d.slug, label=d.name, objectives=d.objective_count)
        for d in Department.objects.filter(workspace=workspace)
        .annotate(
            objective_count=Count(
                "objectives", filter=Q(objectives__archived_at__isnull=True), distinct=True
            )
        )
        .order_by("name")
    ]
    audience_facts = [
        rules.AudienceFact(
            ref=str(a.uuid), label=a.name, evidence=a.evidence_count, messages=a.message_count
        )
        for a in Audience.objects.filter(workspace=workspace, archived_at__isnull=True)
        .annotate(
            evidence_count=Count("presence", distinct=True),
            message_count=Count(
                "messages", filter=Q(messages__archived_at__isnull=True), distinct=True
            ),
        )
        .order_by("priority", "name")
    ]
    initiative_facts = [
        rules.InitiativeFact(
            ref=str(i.uuid),
            label=i.title,
            goals=i.goal_count,
            objectives=i.objective_count,
            end=i.end,
        )
        for i in Initiative.objects.filter(workspace=workspace, archived_at__isnull=True)
        .exclude(status="cancelled")
        .annotate(
            goal_count=Count("goals", distinct=True),
            objective_count=Count("objectives", distinct=True),
        )
        .order_by("start", "title")
    ]
    return rules.StrategyFacts(
        goals=goal_facts,
        objectives=objective_facts,
        kpis=kpi_facts,
        departments=department_facts,
        audiences=audience_facts,
        initiatives=initiative_facts,
    )


def alignment_report(workspace: Workspace, today: date | None = None) -> rules.Report:
    return rules.check(alignment_facts(workspace), today or timezone.localdate())


def alignment_history(workspace: Workspace) -> QuerySet[AlignmentSnapshot]:
    return AlignmentSnapshot.objects.filter(workspace=workspace).order_by("day")

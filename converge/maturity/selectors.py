"""Reading maturity assessments: the runs, their results (live while open, the frozen snapshot
once finished), the history of snapshots and the gaps already turned into plans."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from converge.core.models import Membership, Workspace
from converge.maturity import definition
from converge.maturity.models import Answer, Assessment, AssessmentStatus, GapLink, Respondent
from converge.maturity.results import Results, build


def assessments(workspace: Workspace) -> QuerySet[Assessment]:
    return Assessment.objects.filter(workspace=workspace).select_related("started_by")


def get_assessment(workspace: Workspace, uuid: UUID | str) -> Assessment:
    """The run of ``workspace`` with ``uuid``, or 404 (also for another workspace's run)."""
    try:
        return assessments(workspace).get(uuid=uuid)
    except (Assessment.DoesNotExist, ValueError) as exc:
        raise Http404("No such assessment.") from exc


def open_assessment(workspace: Workspace) -> Assessment | None:
    return assessments(workspace).filter(status=AssessmentStatus.OPEN).first()


def last_finished(workspace: Workspace) -> Assessment | None:
    return (
        assessments(workspace)
        .filter(status=AssessmentStatus.FINISHED)
        .order_by("-finished_on", "-created_at")
        .first()
    )


def history(workspace: Workspace) -> list[Assessment]:
    """Finished runs, oldest first."""
    return list(
        assessments(workspace)
        .filter(status=AssessmentStatus.FINISHED)
        .order_by("finished_on", "created_at")
    )


def respondents(assessment: Assessment) -> QuerySet[Respondent]:
    return assessment.respondents.select_related("membership__user").order_by(
        "membership__user__full_name"
    )


def respondent_for(assessment: Assessment, membership: Membership) -> Respondent | None:
    return Respondent.objects.filter(assessment=assessment, membership=membership).first()


def my_answers(respondent: Respondent) -> dict[str, Answer]:
    return {a.criterion: a for a in respondent.answers.all()}


def links(workspace: Workspace) -> dict[str, list[dict[str, Any]]]:
    """Criterion id → the initiatives and action items made from it, with their status."""
    found: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for link in GapLink.objects.filter(workspace=workspace).select_related("initiative", "action"):
        if link.initiative is not None:
            found[link.criterion].append(
                {
                    "kind": "initiative",
                    "title": link.initiative.title,
                    "status": link.initiative.get_status_display(),
                    "url": reverse(
                        "strategy_initiative_edit", args=[workspace.slug, link.initiative.uuid]
                    ),
                }
            )
        if link.action is not None:
            found[link.criterion].append(
                {
                    "kind": "action",
                    "title": link.action.title,
                    "status": link.action.get_status_display(),
                    "url": reverse("governance_actions", args=[workspace.slug]),
                }
            )
    return dict(found)


def live_results(assessment: Assessment, as_of: date | None = None) -> Results:
    """An open run's results: evidence from its start, the answers as they stand now."""
    answers: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for answer in (
        Answer.objects.filter(respondent__assessment=assessment)
        .select_related("respondent__membership__user")
        .order_by("respondent__membership__user__full_name")
    ):
        answers[answer.criterion].append(
            {
                "name": str(answer.respondent.membership.user),
                "respondent": str(answer.respondent.uuid),
                "value": answer.value,
                "note": answer.note,
            }
        )
    return build(
        model=definition.current(),
        evidence=assessment.evidence,
        answers=answers,
        links=links(assessment.workspace),
        as_of=as_of or timezone.localdate(),
    )


def results(assessment: Assessment) -> Results:
    """The frozen snapshot of a finished run; the live results of an open one."""
    if assessment.finished:
        return assessment.snapshot
    return live_results(assessment)

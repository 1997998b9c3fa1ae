"""Demo maturity history for Nordvik: three earlier snapshots showing the journey Presence →
Engagement → Formalized over the past two years, answered by the social lead, the community
manager and the CMO. Idempotent (nothing is added once the workspace has assessments) and
deterministic for a given day.

The live data of the other demos make a new run come out at Formalized: every evidence rule of
stages 1–4 holds, and the new run's respondents start from the last snapshot's answers (yes for
stages 1–4)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from converge.core.models import Membership, User, Workspace
from converge.maturity import definition
from converge.maturity.models import Answer, Assessment, AssessmentStatus, Respondent
from converge.maturity.results import build

RESPONDENTS = ("lead@nordvik.example", "community@nordvik.example", "cmo@nordvik.example")

# (days ago, the stage reached, criteria of the next stage already met)
JOURNEY: tuple[tuple[int, int, tuple[str, ...]], ...] = (
    (700, 2, ("engagement-departments",)),
    (380, 3, ("formalized-sponsor", "formalized-operating-model", "formalized-grants")),
    (95, 4, ("strategic-executive-member", "strategic-review", "strategic-executives")),
)
NOTES = {
    "engagement-risk": "Escalation path agreed with PR and Legal; rehearsed in the spring.",
    "converged-one-strategy": "Still a separate social plan.",
}


def _answer(criterion: definition.Criterion, stage: int, person: int) -> str:
    if criterion.stage <= stage:
        return "yes"
    if criterion.stage == stage + 1:
        return ("partly", "no", "partly")[person]  # respondents disagree on the next stage
    return "no"


@transaction.atomic
def build_maturity_demo(workspace: Workspace, lead: User) -> None:
    if Assessment.objects.filter(workspace=workspace).exists():
        return
    model = definition.current()
    people = list(
        Membership.objects.filter(workspace=workspace, user__email__in=RESPONDENTS)
        .select_related("user")
        .order_by("user__email")
    )
    today = timezone.localdate()
    for days_ago, stage, ahead in JOURNEY:
        day = today - timedelta(days=days_ago)
        evidence: dict[str, dict[str, Any]] = {
            c.id: {
                "met": c.stage <= stage or c.id in ahead,
                "found": {},
                "url": None,
                "create_url": None,
            }
            for c in model.criteria
            if c.rule is not None
        }
        run = Assessment.objects.create(
            workspace=workspace,
            model_version=model.version,
            started_by=lead,
            started_on=day - timedelta(days=7),
            evidence=evidence,
        )
        answers: dict[str, list[dict[str, str]]] = {}
        for n, membership in enumerate(people):
            respondent = Respondent.objects.create(
                workspace=workspace, assessment=run, membership=membership
            )
            for c in model.criteria:
                if not c.self_assessed:
                    continue
                value = _answer(c, stage, n % 3)
                note = NOTES.get(c.id, "") if n == 0 else ""
                Answer.objects.create(
                    workspace=workspace,
                    respondent=respondent,
                    criterion=c.id,
                    value=value,
                    note=note,
                )
                answers.setdefault(c.id, []).append(
                    {
                        "name": str(membership.user),
                        "respondent": str(respondent.uuid),
                        "value": value,
                        "note": note,
                    }
                )
        for c in model.criteria:
            if c.rule is not None:
                evidence[c.id]["found"] = _found(c.stage <= stage or c.id in ahead, day)
        run.evidence = evidence
        run.snapshot = build(model=model, evidence=evidence, answers=answers, links={}, as_of=day)
        run.status = AssessmentStatus.FINISHED
        run.finished_on = day
        run.save()


def _found(met: bool, day: date) -> dict[str, str]:
    if met:
        return {"en": f"Evidence on record on {day}.", "sv": f"Underlag fanns den {day}."}
    return {"en": f"No evidence on record on {day}.", "sv": f"Inget underlag fanns den {day}."}

"""API: the maturity model and assessments.

Every path is ``/workspaces/{slug}/maturity/…``. Reading needs ``view_workspace``; starting
and finishing a run need ``manage_maturity`` (leads, owners); answering needs to be one of the
run's respondents. A finished run's results are its frozen snapshot; it can no longer change
(409)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from converge.api.core import _context
from converge.core.errors import ConvergeError
from converge.core.models import Membership
from converge.core.policy import Action
from converge.maturity import definition, selectors, services
from converge.maturity.models import Assessment

router = Router(tags=["maturity"])

READ = Action.VIEW_WORKSPACE
MANAGE = Action.MANAGE_MATURITY
BASE = "/workspaces/{slug}/maturity"


class CriterionOut(Schema):
    id: str
    stage: int
    factors: list[str]
    priority: int
    kind: Literal["rule", "self"]
    rule: str | None
    params: dict[str, Any]
    source: str
    title: dict[str, str]
    why: dict[str, str]
    next_step: dict[str, str]


class ModelOut(Schema):
    version: int
    stages: list[str]
    factors: list[str]
    criteria: list[CriterionOut]


class AssessmentOut(Schema):
    uuid: UUID
    status: str
    model_version: int
    started_on: dt.date
    finished_on: dt.date | None
    respondents: list[UUID] = Field(description="Membership UUIDs of the respondents")
    results: dict[str, Any]


class StartIn(Schema):
    respondents: list[UUID] | None = Field(
        default=None, description="Membership UUIDs; by default the last run's respondents"
    )


class AnswerIn(Schema):
    criterion: str
    value: Literal["yes", "partly", "no", ""]
    note: str = Field(default="", max_length=1000)


class AnswersIn(Schema):
    answers: list[AnswerIn]


def _out(run: Assessment) -> AssessmentOut:
    return AssessmentOut(
        uuid=run.uuid,
        status=run.status,
        model_version=run.model_version,
        started_on=run.started_on,
        finished_on=run.finished_on,
        respondents=[r.membership.uuid for r in run.respondents.select_related("membership")],
        results=selectors.results(run),
    )


@router.get(f"{BASE}/model", response=ModelOut, summary="The maturity model")
def model_get(request: HttpRequest, slug: str) -> ModelOut:
    _context(request, slug, READ)
    model = definition.current()
    return ModelOut(
        version=model.version,
        stages=list(definition.STAGES),
        factors=list(definition.FACTORS),
        criteria=[
            CriterionOut(
                id=c.id,
                stage=c.stage,
                factors=list(c.factors),
                priority=c.priority,
                kind="self" if c.self_assessed else "rule",
                rule=c.rule,
                params=dict(c.params),
                source=c.source,
                title=dict(c.titles),
                why=dict(c.whys),
                next_step=dict(c.nexts),
            )
            for c in model.criteria
        ],
    )


@router.get(f"{BASE}/assessments", response=list[AssessmentOut], summary="Assessments")
def assessment_list(request: HttpRequest, slug: str) -> list[AssessmentOut]:
    workspace, _m = _context(request, slug, READ)
    return [_out(run) for run in selectors.assessments(workspace)]


@router.post(f"{BASE}/assessments", response={201: AssessmentOut}, summary="Start an assessment")
def assessment_post(request: HttpRequest, slug: str, payload: StartIn) -> tuple[int, AssessmentOut]:
    workspace, me = _context(request, slug, MANAGE)
    people = None
    if payload.respondents is not None:
        people = list(Membership.objects.filter(workspace=workspace, uuid__in=payload.respondents))
        if len(people) != len(set(payload.respondents)):
            raise ConvergeError(_("Choose members of this workspace."), field="respondents")
    run = services.assessment_start(actor=me.user, workspace=workspace, respondents=people)
    return 201, _out(run)


@router.get(f"{BASE}/assessments/{{assessment}}", response=AssessmentOut, summary="One assessment")
def assessment_get(request: HttpRequest, slug: str, assessment: UUID) -> AssessmentOut:
    workspace, _m = _context(request, slug, READ)
    return _out(selectors.get_assessment(workspace, assessment))


@router.post(
    f"{BASE}/assessments/{{assessment}}/answers",
    response=AssessmentOut,
    summary="Answer self-assessed criteria (as a respondent)",
)
def assessment_answer(
    request: HttpRequest, slug: str, assessment: UUID, payload: AnswersIn
) -> AssessmentOut:
    workspace, me = _context(request, slug, READ)
    run = selectors.get_assessment(workspace, assessment)
    services.answers_set(
        actor=me.user,
        assessment=run,
        answers={a.criterion: (a.value, a.note) for a in payload.answers},
    )
    return _out(run)


@router.post(
    f"{BASE}/assessments/{{assessment}}/finish",
    response=AssessmentOut,
    summary="Finish an assessment: freeze its snapshot",
)
def assessment_finish(request: HttpRequest, slug: str, assessment: UUID) -> AssessmentOut:
    workspace, me = _context(request, slug, MANAGE)
    run = selectors.get_assessment(workspace, assessment)
    return _out(services.assessment_finish(actor=me.user, assessment=run))


class GapOut(Schema):
    criterion: str
    kind: Literal["initiative", "action"]
    uuid: UUID
    title: str


@router.post(
    f"{BASE}/gaps/{{criterion}}/initiative",
    response={201: GapOut},
    summary="Turn a missing criterion into a roadmap initiative",
)
def gap_initiative(request: HttpRequest, slug: str, criterion: str) -> tuple[int, GapOut]:
    workspace, me = _context(request, slug, MANAGE)
    link = services.gap_to_initiative(actor=me.user, workspace=workspace, criterion=criterion)
    assert link.initiative is not None
    return 201, GapOut(
        criterion=criterion,
        kind="initiative",
        uuid=link.initiative.uuid,
        title=link.initiative.title,
    )


@router.post(
    f"{BASE}/gaps/{{criterion}}/action",
    response={201: GapOut},
    summary="Turn a missing criterion into an action item",
)
def gap_action(request: HttpRequest, slug: str, criterion: str) -> tuple[int, GapOut]:
    workspace, me = _context(request, slug, MANAGE)
    link = services.gap_to_action(actor=me.user, workspace=workspace, criterion=criterion)
    assert link.action is not None
    return 201, GapOut(
        criterion=criterion, kind="action", uuid=link.action.uuid, title=link.action.title
    )

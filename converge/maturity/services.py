"""Every write of the maturity assessments. Leads and owners (``manage_maturity``) start and
finish runs and turn gaps into plans; invited respondents answer. A finished run is refused
any change. Each write is one transaction with an audit entry."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import Membership, User, Workspace
from converge.core.policy import Action, NotPermitted, can, membership_of
from converge.maturity import definition, selectors
from converge.maturity.models import (
    Answer,
    AnswerValue,
    Assessment,
    AssessmentStatus,
    GapLink,
    Respondent,
)
from converge.maturity.results import evaluate_evidence, text
from converge.strategy.models import Initiative

MANAGE = Action.MANAGE_MATURITY


def _require_manage(actor: User, workspace: Workspace) -> None:
    if not can(actor, MANAGE, workspace):
        raise NotPermitted(MANAGE)


def _require_open(assessment: Assessment) -> None:
    if assessment.finished:
        raise ConvergeError(_("This assessment is finished and can no longer change."), status=409)


def _members(workspace: Workspace, memberships: Iterable[Membership]) -> list[Membership]:
    items = list(memberships)
    if any(m.workspace_id != workspace.pk for m in items):
        raise ConvergeError(_("Choose members of this workspace."), field="respondents")
    return items


@transaction.atomic
def assessment_start(
    *,
    actor: User,
    workspace: Workspace,
    respondents: Iterable[Membership] | None = None,
    today: date | None = None,
) -> Assessment:
    """Start a run: evaluate every evidence rule now, invite the respondents (by default those
    of the last finished run, or the lead) and carry their last answers forward as a start."""
    _require_manage(actor, workspace)
    if Assessment.objects.filter(workspace=workspace, status=AssessmentStatus.OPEN).exists():
        raise ConvergeError(_("An assessment is already open: finish it first."), status=409)
    today = today or timezone.localdate()
    model = definition.current()
    previous = selectors.last_finished(workspace)
    if respondents is None:
        people = (
            [r.membership for r in previous.respondents.select_related("membership")]
            if previous
            else [m for m in [membership_of(actor, workspace)] if m is not None]
        )
    else:
        people = _members(workspace, respondents)
    assessment = Assessment.objects.create(
        workspace=workspace,
        model_version=model.version,
        started_by=actor,
        started_on=today,
        evidence=evaluate_evidence(workspace, model, today),
    )
    _invite(assessment, people, previous)
    audit.record(
        workspace=workspace,
        actor=actor,
        action="maturity_assessment.start",
        obj=assessment,
        changes={"respondents": [None, sorted(str(m.user) for m in people)]},
    )
    return assessment


def _invite(
    assessment: Assessment, people: Iterable[Membership], previous: Assessment | None
) -> None:
    self_assessed = {c.id for c in definition.current().criteria if c.self_assessed}
    for membership in people:
        respondent, created = Respondent.objects.get_or_create(
            workspace=assessment.workspace, assessment=assessment, membership=membership
        )
        if not created or previous is None:
            continue
        for old in Answer.objects.filter(
            respondent__assessment=previous,
            respondent__membership=membership,
            criterion__in=self_assessed,
        ):
            Answer.objects.create(
                workspace=assessment.workspace,
                respondent=respondent,
                criterion=old.criterion,
                value=old.value,
                note=old.note,
            )


@transaction.atomic
def assessment_refresh(
    *, actor: User, assessment: Assessment, today: date | None = None
) -> Assessment:
    """Evaluate the evidence rules of an open run again (after closing some gaps)."""
    _require_manage(actor, assessment.workspace)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_open(assessment)
    before = {k: v["met"] for k, v in assessment.evidence.items()}
    assessment.evidence = evaluate_evidence(
        assessment.workspace, definition.current(), today or timezone.localdate()
    )
    assessment.save(update_fields=["evidence"])
    after = {k: v["met"] for k, v in assessment.evidence.items()}
    audit.record(
        workspace=assessment.workspace,
        actor=actor,
        action="maturity_assessment.refresh",
        obj=assessment,
        changes={k: [before.get(k), after[k]] for k in after if before.get(k) != after[k]},
    )
    return assessment


@transaction.atomic
def respondents_set(
    *, actor: User, assessment: Assessment, respondents: Iterable[Membership]
) -> Assessment:
    """Invite exactly ``respondents``; those left out lose their answers."""
    _require_manage(actor, assessment.workspace)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_open(assessment)
    people = _members(assessment.workspace, respondents)
    before = sorted(str(r.membership.user) for r in assessment.respondents.all())
    assessment.respondents.exclude(membership__in=people).delete()
    _invite(assessment, people, None)
    audit.record(
        workspace=assessment.workspace,
        actor=actor,
        action="maturity_assessment.respondents",
        obj=assessment,
        changes={"respondents": [before, sorted(str(m.user) for m in people)]},
    )
    return assessment


@transaction.atomic
def answers_set(
    *, actor: User, assessment: Assessment, answers: dict[str, tuple[str, str]]
) -> list[Answer]:
    """The actor's answers: criterion id → (yes/partly/no, note). An empty value clears."""
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_open(assessment)
    membership = membership_of(actor, assessment.workspace)
    respondent = (
        Respondent.objects.filter(assessment=assessment, membership=membership).first()
        if membership
        else None
    )
    if respondent is None:
        raise NotPermitted("answer_assessment")
    model = definition.current().by_id()
    saved: list[Answer] = []
    for criterion, (value, note) in answers.items():
        if criterion not in model or not model[criterion].self_assessed:
            raise ConvergeError(_("No such self-assessed criterion."), field=criterion)
        if not value:
            Answer.objects.filter(respondent=respondent, criterion=criterion).delete()
            continue
        if value not in AnswerValue.values:
            raise ConvergeError(_("Answer yes, partly or no."), field=criterion)
        answer, _created = Answer.objects.update_or_create(
            respondent=respondent,
            criterion=criterion,
            defaults={"workspace": assessment.workspace, "value": value, "note": note.strip()},
        )
        saved.append(answer)
    audit.record(
        workspace=assessment.workspace,
        actor=actor,
        action="maturity_assessment.answer",
        obj=assessment,
        changes={a.criterion: [None, a.value] for a in saved},
    )
    return saved


@transaction.atomic
def assessment_finish(
    *, actor: User, assessment: Assessment, today: date | None = None
) -> Assessment:
    """Freeze the results as the run's snapshot; the run never changes afterwards."""
    _require_manage(actor, assessment.workspace)
    assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
    _require_open(assessment)
    today = today or timezone.localdate()
    results = selectors.live_results(assessment, as_of=today)
    assessment.snapshot = results
    assessment.status = AssessmentStatus.FINISHED
    assessment.finished_on = today
    assessment.save(update_fields=["snapshot", "status", "finished_on"])
    audit.record(
        workspace=assessment.workspace,
        actor=actor,
        action="maturity_assessment.finish",
        obj=assessment,
        changes={"stage": [None, results["stage"]], "progress": [None, results["progress"]]},
    )
    return assessment


def _criterion(criterion: str) -> definition.Criterion:
    found = definition.current().by_id().get(criterion)
    if found is None:
        raise ConvergeError(_("No such criterion."), field="criterion", status=404)
    return found


@transaction.atomic
def gap_to_initiative(
    *,
    actor: User,
    workspace: Workspace,
    criterion: str,
    assessment: Assessment | None = None,
    today: date | None = None,
) -> GapLink:
    """Turn a missing criterion into a planned roadmap initiative (a quarter long, for the
    stage the criterion belongs to), linked back to the criterion."""
    from converge.strategy import services as strategy

    _require_manage(actor, workspace)
    item = _criterion(criterion)
    if GapLink.objects.filter(
        workspace=workspace, criterion=criterion, initiative__isnull=False
    ).exists():
        raise ConvergeError(_("This criterion already has an initiative."), status=409)
    today = today or timezone.localdate()
    title = text(item.titles)
    if Initiative.objects.filter(workspace=workspace, title=title).exists():
        title = f"{title} ({today:%Y-%m-%d})"
    initiative = strategy.initiative_save(
        actor=actor,
        workspace=workspace,
        title=title[:200],
        start=today,
        end=today + timedelta(days=90),
        maturity_stage=item.stage,
        description=f"{text(item.nexts)}\n\n{text(item.whys)}",
    )
    link = GapLink.objects.create(
        workspace=workspace,
        criterion=criterion,
        initiative=initiative,
        assessment=assessment,
        created_by=actor,
    )
    audit.record(
        workspace=workspace,
        actor=actor,
        action="maturity_gap.initiative",
        obj=link,
        changes={"criterion": [None, criterion], "initiative": [None, initiative.title]},
    )
    return link


@transaction.atomic
def gap_to_action(
    *,
    actor: User,
    workspace: Workspace,
    criterion: str,
    owner: Membership | None = None,
    assessment: Assessment | None = None,
    today: date | None = None,
) -> GapLink:
    """Turn a missing criterion into an action item (due in 30 days), linked back to it."""
    from converge.governance import services as governance

    _require_manage(actor, workspace)
    item = _criterion(criterion)
    today = today or timezone.localdate()
    action = governance.action_create(
        actor=actor,
        workspace=workspace,
        title=f"{text(item.titles)}: {text(item.nexts)}",
        owner=owner or membership_of(actor, workspace),
        due_on=today + timedelta(days=30),
    )
    link = GapLink.objects.create(
        workspace=workspace,
        criterion=criterion,
        action=action,
        assessment=assessment,
        created_by=actor,
    )
    audit.record(
        workspace=workspace,
        actor=actor,
        action="maturity_gap.action",
        obj=link,
        changes={"criterion": [None, criterion], "action": [None, action.title]},
    )
    return link

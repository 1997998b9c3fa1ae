"""Assessment runs: starting evaluates the evidence, respondents answer on their own, the
combined answer shows disagreement, finishing freezes a snapshot that never changes, and a gap
becomes an initiative or an action item linked back to its criterion."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from converge.core.errors import ConvergeError
from converge.core.models import AuditEntry, Membership, User
from converge.core.policy import NotPermitted
from converge.maturity import definition, selectors, services
from converge.maturity.models import Answer, Assessment, GapLink
from converge.strategy.models import Vision
from tests.conftest import World


def m(world: World, user: User) -> Membership:
    return Membership.objects.get(user=user, workspace=world.workspace)


@pytest.fixture
def run(world: World) -> Assessment:
    with time_machine.travel(date(2026, 6, 15), tick=False):
        return services.assessment_start(
            actor=world.lead,
            workspace=world.workspace,
            respondents=[m(world, world.lead), m(world, world.executive)],
        )


def row(results: dict, criterion: str) -> dict:
    return next(r for r in results["criteria"] if r["id"] == criterion)


def test_starting_evaluates_every_evidence_rule_at_once(world: World) -> None:
    Vision.objects.create(workspace=world.workspace, statement="We talk with people")
    run = services.assessment_start(actor=world.lead, workspace=world.workspace)
    assert run.evidence["presence-vision"]["met"] is True
    assert run.evidence["planning-goals"]["met"] is False
    assert "planning-readiness" not in run.evidence  # self-assessed
    assert AuditEntry.objects.filter(action="maturity_assessment.start").exists()


def test_without_a_choice_the_lead_is_the_respondent(world: World) -> None:
    run = services.assessment_start(actor=world.lead, workspace=world.workspace)
    assert [r.membership.user for r in run.respondents.all()] == [world.lead]


def test_a_member_may_not_start_an_assessment(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.assessment_start(actor=world.member, workspace=world.workspace)


def test_only_one_assessment_is_open_at_a_time(world: World, run: Assessment) -> None:
    with pytest.raises(ConvergeError, match="already open"):
        services.assessment_start(actor=world.lead, workspace=world.workspace)


def test_respondents_answer_on_their_own_and_the_combination_shows_disagreement(
    world: World, run: Assessment
) -> None:
    services.answers_set(
        actor=world.lead, assessment=run, answers={"planning-readiness": ("yes", "Done in May")}
    )
    services.answers_set(
        actor=world.executive, assessment=run, answers={"planning-readiness": ("partly", "")}
    )
    found = row(selectors.results(run), "planning-readiness")
    assert found["combined"] == {
        "value": "partly",
        "disagree": True,
        "counts": {"yes": 1, "partly": 1, "no": 0},
    }
    assert found["met"] is False
    assert {a["name"]: a["note"] for a in found["answers"]} == {
        "Leo Lead": "Done in May",
        "Erik Executive": "",
    }


def test_everyone_saying_yes_meets_a_self_assessed_criterion(world: World, run: Assessment) -> None:
    for user in (world.lead, world.executive):
        services.answers_set(actor=user, assessment=run, answers={"presence-support": ("yes", "")})
    assert row(selectors.results(run), "presence-support")["met"] is True


def test_someone_not_invited_may_not_answer(world: World, run: Assessment) -> None:
    with pytest.raises(NotPermitted):
        services.answers_set(
            actor=world.member, assessment=run, answers={"planning-readiness": ("yes", "")}
        )


def test_an_evidence_criterion_cannot_be_answered(world: World, run: Assessment) -> None:
    with pytest.raises(ConvergeError):
        services.answers_set(
            actor=world.lead, assessment=run, answers={"presence-vision": ("yes", "")}
        )


def test_an_empty_answer_clears_it(world: World, run: Assessment) -> None:
    services.answers_set(actor=world.lead, assessment=run, answers={"engagement-risk": ("no", "")})
    services.answers_set(actor=world.lead, assessment=run, answers={"engagement-risk": ("", "")})
    assert not Answer.objects.filter(criterion="engagement-risk").exists()


def test_finishing_saves_a_dated_snapshot_with_the_model_version(
    world: World, run: Assessment
) -> None:
    with time_machine.travel(date(2026, 6, 20), tick=False):
        done = services.assessment_finish(actor=world.lead, assessment=run)
    assert done.finished_on == date(2026, 6, 20)
    assert done.snapshot["model_version"] == done.model_version == definition.current().version
    assert done.snapshot["as_of"] == "2026-06-20"
    assert done.snapshot["stage"] == 0
    assert len(done.snapshot["criteria"]) == len(definition.current().criteria)


def test_a_finished_snapshot_never_changes(world: World, run: Assessment) -> None:
    done = services.assessment_finish(actor=world.lead, assessment=run)
    frozen = dict(done.snapshot)
    with pytest.raises(ConvergeError, match="finished"):
        services.answers_set(
            actor=world.lead, assessment=done, answers={"planning-readiness": ("yes", "")}
        )
    with pytest.raises(ConvergeError, match="finished"):
        services.respondents_set(actor=world.lead, assessment=done, respondents=[])
    with pytest.raises(ConvergeError, match="finished"):
        services.assessment_finish(actor=world.lead, assessment=done)
    Vision.objects.create(workspace=world.workspace, statement="New evidence after the fact")
    done.refresh_from_db()
    assert done.snapshot == frozen
    assert selectors.results(done) == frozen
    done.snapshot = {"stage": 6}
    with pytest.raises(ValueError, match="never changes"):
        done.save()


def test_a_member_may_not_finish(world: World, run: Assessment) -> None:
    with pytest.raises(NotPermitted):
        services.assessment_finish(actor=world.member, assessment=run)


def test_a_new_run_starts_from_the_last_runs_respondents_and_answers(
    world: World, run: Assessment
) -> None:
    services.answers_set(
        actor=world.executive, assessment=run, answers={"engagement-risk": ("yes", "Rehearsed")}
    )
    services.assessment_finish(actor=world.lead, assessment=run)
    again = services.assessment_start(actor=world.lead, workspace=world.workspace)
    assert {r.membership.user for r in again.respondents.all()} == {world.lead, world.executive}
    answer = Answer.objects.get(respondent__assessment=again, criterion="engagement-risk")
    assert (answer.value, answer.note) == ("yes", "Rehearsed")


def test_a_gap_becomes_a_roadmap_initiative_linked_back_to_its_criterion(
    world: World, run: Assessment
) -> None:
    with time_machine.travel(date(2026, 6, 15), tick=False):
        link = services.gap_to_initiative(
            actor=world.lead,
            workspace=world.workspace,
            criterion="formalized-sponsor",
            assessment=run,
        )
    initiative = link.initiative
    assert initiative is not None
    assert initiative.title == "An executive sponsor is named"
    assert (initiative.start, initiative.end) == (date(2026, 6, 15), date(2026, 9, 13))
    assert initiative.maturity_stage == 4
    assert row(selectors.results(run), "formalized-sponsor")["links"] == [
        {
            "kind": "initiative",
            "title": "An executive sponsor is named",
            "status": "Planned",
            "url": f"/w/acme/strategy/roadmap/{initiative.uuid}/edit/",
        }
    ]
    with pytest.raises(ConvergeError, match="already has an initiative"):
        services.gap_to_initiative(
            actor=world.lead, workspace=world.workspace, criterion="formalized-sponsor"
        )


def test_the_next_assessment_shows_the_initiative_made_from_a_gap(
    world: World, run: Assessment
) -> None:
    services.gap_to_initiative(
        actor=world.lead, workspace=world.workspace, criterion="strategic-roadmap"
    )
    services.assessment_finish(actor=world.lead, assessment=run)
    again = services.assessment_start(actor=world.lead, workspace=world.workspace)
    assert row(selectors.results(again), "strategic-roadmap")["links"][0]["kind"] == "initiative"


def test_a_gap_becomes_an_action_item(world: World) -> None:
    with time_machine.travel(date(2026, 6, 15), tick=False):
        link = services.gap_to_action(
            actor=world.lead, workspace=world.workspace, criterion="formalized-raci"
        )
    action = link.action
    assert action is not None
    assert action.due_on == date(2026, 7, 15)
    assert action.owner == m(world, world.lead)
    assert action.title.startswith("A RACI with exactly one decider per activity")


def test_a_member_may_not_turn_gaps_into_plans(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.gap_to_initiative(
            actor=world.member, workspace=world.workspace, criterion="formalized-sponsor"
        )
    assert not GapLink.objects.exists()


def test_an_unknown_criterion_cannot_become_a_plan(world: World) -> None:
    with pytest.raises(ConvergeError):
        services.gap_to_initiative(actor=world.lead, workspace=world.workspace, criterion="nope")


def test_changing_the_respondents_drops_the_answers_of_those_left_out(
    world: World, run: Assessment
) -> None:
    services.answers_set(
        actor=world.executive, assessment=run, answers={"engagement-risk": ("no", "")}
    )
    services.respondents_set(
        actor=world.lead, assessment=run, respondents=[m(world, world.lead), m(world, world.guest)]
    )
    assert {r.membership.user for r in run.respondents.all()} == {world.lead, world.guest}
    assert not Answer.objects.filter(respondent__assessment=run).exists()


def test_respondents_must_belong_to_the_workspace(world: World, run: Assessment) -> None:
    stranger = Membership.objects.get(user=world.outsider)
    with pytest.raises(ConvergeError, match="members of this workspace"):
        services.respondents_set(actor=world.lead, assessment=run, respondents=[stranger])


def test_the_evidence_of_an_open_run_can_be_evaluated_again(world: World, run: Assessment) -> None:
    assert run.evidence["presence-vision"]["met"] is False
    Vision.objects.create(workspace=world.workspace, statement="We talk with people")
    refreshed = services.assessment_refresh(actor=world.lead, assessment=run)
    assert refreshed.evidence["presence-vision"]["met"] is True
    entry = AuditEntry.objects.get(action="maturity_assessment.refresh")
    assert entry.changes == {"presence-vision": [False, True]}
    services.assessment_finish(actor=world.lead, assessment=run)
    with pytest.raises(ConvergeError, match="finished"):
        services.assessment_refresh(actor=world.lead, assessment=run)

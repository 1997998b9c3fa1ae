"""The maturity pages: everyone in the workspace reads; leads start, finish and plan; invited
respondents answer; outsiders get 404; a snapshot downloads as a PDF."""

from __future__ import annotations

import pytest
from django.test import Client

from converge.core.models import Membership
from converge.maturity import services
from converge.maturity.models import Answer, Assessment, AssessmentStatus
from converge.strategy.models import Initiative
from tests.conftest import World


def start(world: World) -> Assessment:
    return services.assessment_start(
        actor=world.lead,
        workspace=world.workspace,
        respondents=[Membership.objects.get(user=world.member, workspace=world.workspace)],
    )


def test_the_home_page_offers_a_lead_to_start(world: World, signed_in) -> None:
    page = signed_in(world.lead).get("/w/acme/maturity/").content.decode()
    assert "Start the assessment" in page
    assert "No assessment yet." in page


def test_a_member_reads_but_may_not_start(world: World, signed_in) -> None:
    client: Client = signed_in(world.member)
    assert "Start the assessment" not in client.get("/w/acme/maturity/").content.decode()
    response = client.post("/w/acme/maturity/start/")
    assert response.status_code == 403
    assert not Assessment.objects.exists()


def test_a_lead_starts_a_run_and_sees_the_stage_and_the_next_steps(world: World, signed_in) -> None:
    client: Client = signed_in(world.lead)
    response = client.post("/w/acme/maturity/start/", {"respondents": []})
    run = Assessment.objects.get()
    assert response.url == f"/w/acme/maturity/{run.uuid}/"
    page = client.get(response.url).content.decode()
    assert 'data-testid="maturity-stage">Not started' in page
    assert "What is missing for Planning" in page
    assert "We listen on at least one social channel" in page
    assert "Make it a roadmap initiative" in page
    assert "80% of companies are at Presence or beyond" in page


def test_a_respondent_answers_on_their_own_page(world: World, signed_in) -> None:
    run = start(world)
    client: Client = signed_in(world.member)
    url = f"/w/acme/maturity/{run.uuid}/answer/"
    assert "Internal readiness has been audited" in client.get(url).content.decode()
    response = client.post(
        url, {"planning-readiness__value": "partly", "planning-readiness__note": "Half done"}
    )
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.criterion, answer.value, answer.note) == (
        "planning-readiness",
        "partly",
        "Half done",
    )
    page = client.get(f"/w/acme/maturity/{run.uuid}/").content.decode()
    assert "Half done" in page


def test_someone_not_invited_has_no_answer_page(world: World, signed_in) -> None:
    run = start(world)
    assert signed_in(world.executive).get(f"/w/acme/maturity/{run.uuid}/answer/").status_code == 404


def test_a_lead_finishes_a_run_into_a_snapshot(world: World, signed_in) -> None:
    run = start(world)
    client: Client = signed_in(world.lead)
    client.post(f"/w/acme/maturity/{run.uuid}/finish/")
    run.refresh_from_db()
    assert run.status == AssessmentStatus.FINISHED
    page = client.get(f"/w/acme/maturity/{run.uuid}/").content.decode()
    assert "This snapshot never changes." in page
    assert "Finish and save the snapshot" not in page


def test_one_click_turns_a_gap_into_an_initiative(world: World, signed_in) -> None:
    run = start(world)
    client: Client = signed_in(world.lead)
    response = client.post(
        "/w/acme/maturity/gaps/planning-goals/initiative/",
        {"next": f"/w/acme/maturity/{run.uuid}/", "assessment": str(run.uuid)},
    )
    assert response.url == f"/w/acme/maturity/{run.uuid}/"
    initiative = Initiative.objects.get()
    assert initiative.title == "Business goals are written down"
    assert initiative.title in client.get(response.url).content.decode()


def test_a_member_cannot_turn_a_gap_into_a_plan(world: World, signed_in) -> None:
    response = signed_in(world.member).post("/w/acme/maturity/gaps/planning-goals/initiative/")
    assert response.status_code == 403
    assert not Initiative.objects.exists()


def test_the_model_page_lists_every_criterion(world: World, signed_in) -> None:
    page = signed_in(world.guest).get("/w/acme/maturity/model/").content.decode()
    assert "An executive sponsor is named" in page
    assert "raci_one_decider" in page


@pytest.mark.parametrize("path", ["", "model/", "{run}/", "{run}/pdf/"])
def test_an_outsider_gets_404(world: World, signed_in, path: str) -> None:
    run = start(world)
    url = "/w/acme/maturity/" + path.format(run=run.uuid)
    assert signed_in(world.outsider).get(url).status_code == 404


def test_another_workspaces_run_is_404_even_for_its_url(world: World, signed_in) -> None:
    run = start(world)
    client: Client = signed_in(world.outsider)
    assert client.get(f"/w/rival/maturity/{run.uuid}/").status_code == 404


def test_a_snapshot_downloads_as_a_pdf(world: World, signed_in) -> None:
    run = start(world)
    services.assessment_finish(actor=world.lead, assessment=run)
    response = signed_in(world.member).get(f"/w/acme/maturity/{run.uuid}/pdf/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pages_speak_swedish(world: World, signed_in) -> None:
    start(world)
    client: Client = signed_in(world.lead)
    client.post("/i18n/setlang/", {"language": "sv", "next": "/w/acme/"})
    page = client.get("/w/acme/maturity/").content.decode()
    assert "Vi lyssnar i minst en social kanal" in page
    assert "0 kanaler." in page  # the evidence found was kept in both languages


def test_one_click_turns_a_gap_into_an_action_item(world: World, signed_in) -> None:
    from converge.governance.models import ActionItem

    response = signed_in(world.lead).post("/w/acme/maturity/gaps/formalized-raci/action/")
    assert response.url == "/w/acme/maturity/"
    assert ActionItem.objects.get().title.startswith("A RACI with exactly one decider")


def test_an_unknown_criterion_is_404(world: World, signed_in) -> None:
    assert signed_in(world.lead).post("/w/acme/maturity/gaps/nope/initiative/").status_code == 404


def test_a_lead_changes_the_respondents(world: World, signed_in) -> None:
    run = start(world)
    guest = Membership.objects.get(user=world.guest, workspace=world.workspace)
    signed_in(world.lead).post(
        f"/w/acme/maturity/{run.uuid}/respondents/", {"respondents": [guest.pk]}
    )
    assert [r.membership for r in run.respondents.all()] == [guest]

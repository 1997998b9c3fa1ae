"""The maturity API: read the model; start, answer, finish and read assessments — for the
token's workspace only, with the same policy as the pages."""

from __future__ import annotations

from typing import Any

from django.test import Client

from converge.core import services as core_services
from converge.core.models import Membership
from converge.maturity import definition
from tests.conftest import World

URL = "/api/v1/workspaces/acme/maturity"


def client_for(world: World, user: Any) -> Client:
    secret = core_services.api_token_create(actor=user, workspace=world.workspace, name="t").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return getattr(client, method)(f"{URL}{path}", data=data, content_type="application/json")


def test_the_model_is_served_with_its_version_and_criteria(world: World) -> None:
    body = send(client_for(world, world.guest), "get", "/model").json()
    assert body["version"] == definition.current().version
    assert body["stages"][3] == "formalized"
    sponsor = next(c for c in body["criteria"] if c["id"] == "formalized-sponsor")
    assert sponsor["kind"] == "rule" and sponsor["rule"] == "sponsor_named"
    assert sponsor["title"]["sv"] == "En sponsor i ledningen är utsedd"


def test_a_lead_starts_a_respondent_answers_and_the_lead_finishes(world: World) -> None:
    lead = client_for(world, world.lead)
    member = Membership.objects.get(user=world.member, workspace=world.workspace)
    response = send(lead, "post", "/assessments", {"respondents": [str(member.uuid)]})
    assert response.status_code == 201
    run = response.json()
    assert run["status"] == "open" and run["respondents"] == [str(member.uuid)]
    answered = send(
        client_for(world, world.member),
        "post",
        f"/assessments/{run['uuid']}/answers",
        {"answers": [{"criterion": "planning-readiness", "value": "yes", "note": "Done"}]},
    )
    assert answered.status_code == 200
    readiness = next(
        r for r in answered.json()["results"]["criteria"] if r["id"] == "planning-readiness"
    )
    assert readiness["met"] is True
    finished = send(lead, "post", f"/assessments/{run['uuid']}/finish").json()
    assert finished["status"] == "finished"
    assert finished["results"]["model_version"] == definition.current().version
    again = send(lead, "post", f"/assessments/{run['uuid']}/finish")
    assert again.status_code == 409
    listed = send(client_for(world, world.guest), "get", "/assessments").json()
    assert [r["uuid"] for r in listed] == [run["uuid"]]


def test_a_member_may_not_start_or_finish(world: World) -> None:
    assert send(client_for(world, world.member), "post", "/assessments", {}).status_code == 403


def test_someone_not_invited_may_not_answer(world: World) -> None:
    run = send(client_for(world, world.lead), "post", "/assessments", {}).json()
    response = send(
        client_for(world, world.member),
        "post",
        f"/assessments/{run['uuid']}/answers",
        {"answers": [{"criterion": "planning-readiness", "value": "yes"}]},
    )
    assert response.status_code == 403


def test_a_respondent_from_another_workspace_is_refused(world: World) -> None:
    stranger = Membership.objects.get(user=world.outsider)
    response = send(
        client_for(world, world.lead), "post", "/assessments", {"respondents": [str(stranger.uuid)]}
    )
    assert response.status_code == 400


def test_another_workspaces_token_gets_404(world: World) -> None:
    run = send(client_for(world, world.lead), "post", "/assessments", {}).json()
    secret = core_services.api_token_create(
        actor=world.outsider, workspace=world.other_workspace, name="t"
    ).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert send(client, "get", f"/assessments/{run['uuid']}").status_code == 404
    response = client.get(
        f"/api/v1/workspaces/rival/maturity/assessments/{run['uuid']}",
    )
    assert response.status_code == 404


def test_a_lead_turns_gaps_into_an_initiative_and_an_action_item(world: World) -> None:
    lead = client_for(world, world.lead)
    made = send(lead, "post", "/gaps/formalized-sponsor/initiative")
    assert made.status_code == 201
    assert made.json()["title"] == "An executive sponsor is named"
    assert send(lead, "post", "/gaps/formalized-sponsor/initiative").status_code == 409
    action = send(lead, "post", "/gaps/formalized-raci/action")
    assert action.status_code == 201 and action.json()["kind"] == "action"
    assert send(lead, "post", "/gaps/nope/initiative").status_code == 404
    member = client_for(world, world.member)
    assert send(member, "post", "/gaps/strategic-roadmap/initiative").status_code == 403

"""The operating API: the RACI with its gaps, policies and versions, acknowledgements and
trainings — read by every member, written by leads, for the token's workspace only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from converge.core import services as core_services
from converge.core.models import Membership
from tests.conftest import World
from tests.operating.builders import build_operating

URL = "/api/v1/workspaces/acme/operating"


def client_for(world: World, user: Any) -> Client:
    secret = core_services.api_token_create(actor=user, workspace=world.workspace, name="t").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def built(world: World) -> dict[str, str]:
    return build_operating(world)


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return getattr(client, method)(f"{URL}{path}", data=data, content_type="application/json")


def test_the_raci_is_served_with_its_gaps(world: World, built: dict[str, str]) -> None:
    body = send(client_for(world, world.member), "get", "/raci").json()
    assert body["parties"][0]["department"] == "customer-service"
    [activity] = body["activities"]
    assert activity["cells"] == [
        {"party": "d-customer-service", "roles": ["pays"], "pay_share": "100"}
    ]
    assert [g["kind"] for g in body["gaps"]] == ["no_decider", "no_executor"]
    assert body["gaps"][0]["text"] == "Crisis response: nobody decides."


def test_a_lead_replaces_a_row_and_bad_shares_are_refused(
    world: World, built: dict[str, str]
) -> None:
    lead = client_for(world, world.lead)
    ceo = Membership.objects.get(user=world.executive, workspace=world.workspace)
    row = {
        "assignments": [
            {"role": "decides", "member": str(ceo.uuid)},
            {"role": "executes", "department": "customer-service"},
            {"role": "pays", "department": "customer-service", "pay_share": "60"},
            {"role": "pays", "member": str(ceo.uuid), "pay_share": 40},
        ]
    }
    response = send(lead, "put", f"/raci/activities/{built['activity']}", row)
    assert response.status_code == 200, response.json()
    assert response.json()["gaps"] == []
    bad = {"assignments": [{"role": "decides", "department": "customer-service", "pay_share": 5}]}
    response = send(lead, "put", f"/raci/activities/{built['activity']}", bad)
    assert response.status_code == 400
    unknown = {"assignments": [{"role": "decides", "department": "nope"}]}
    assert send(lead, "put", f"/raci/activities/{built['activity']}", unknown).status_code == 422
    member = client_for(world, world.member)
    assert send(member, "put", f"/raci/activities/{built['activity']}", row).status_code == 403


def test_policies_versions_and_acknowledgements(world: World, built: dict[str, str]) -> None:
    lead, member = client_for(world, world.lead), client_for(world, world.member)
    doc = built["document"]
    assert send(member, "get", "/policies").json()[0]["current_version"] == 1
    response = send(
        lead,
        "post",
        f"/policies/{doc}/versions",
        {
            "body": "# Policy\n\nBe kind, always.\n",
            "applies_to_everyone": False,
            "departments": ["customer-service"],
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()["number"] == 2 and response.json()["asked"] == 1
    assert [v["number"] for v in send(member, "get", f"/policies/{doc}/versions").json()] == [2, 1]
    assert [w["version"] for w in send(member, "get", "/acknowledgements/waiting").json()] == [2]
    assert send(member, "post", f"/policies/{doc}/acknowledge").status_code == 200
    assert send(member, "get", "/acknowledgements/waiting").json() == []
    status = send(lead, "get", f"/policies/{doc}/acknowledgements").json()
    assert (status["version"], status["asked"], status["acknowledged"], status["percent"]) == (
        2,
        1,
        1,
        100,
    )
    assert status["departments"][0]["department"] == "customer-service"
    assert send(lead, "post", f"/policies/{doc}/acknowledge").status_code == 409
    created = send(
        lead, "post", "/policies", {"title": "Instagram playbook", "kind": "playbook", "body": "x"}
    )
    assert created.status_code == 201 and created.json()["current_version"] == 1
    assert send(member, "post", "/policies", {"title": "T", "body": "x"}).status_code == 403


def test_trainings_sessions_and_completions(world: World, built: dict[str, str]) -> None:
    lead, member = client_for(world, world.lead), client_for(world, world.member)
    guest = Membership.objects.get(user=world.guest, workspace=world.workspace)
    training = built["training"]
    [item] = send(member, "get", "/trainings").json()
    assert (item["sessions"], item["completions"]) == (1, 1)
    response = send(
        lead,
        "post",
        f"/trainings/{training}/sessions",
        {"day": "2026-05-01", "attendees": [str(guest.uuid)]},
    )
    assert response.status_code == 201
    assert len(send(member, "get", f"/trainings/{training}/sessions").json()) == 2
    names = {c["name"] for c in send(member, "get", f"/trainings/{training}/completions").json()}
    assert names == {"Mia Member", "Greta Guest"}
    [row] = send(member, "get", "/trainings/completions").json()
    assert row["department"] == "customer-service" and row["percent"] == {training: 100}
    new = send(lead, "post", "/trainings", {"title": "Policy", "kind": "policy"})
    assert new.status_code == 201
    assert send(member, "post", "/trainings", {"title": "X"}).status_code == 403


def test_another_workspaces_token_gets_404(world: World, built: dict[str, str]) -> None:
    secret = core_services.api_token_create(
        actor=world.outsider, workspace=world.other_workspace, name="t"
    ).secret
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert send(outsider, "get", "/raci").status_code == 404
    assert send(outsider, "get", f"/policies/{built['document']}/versions").status_code == 404


def test_the_model_executives_and_log_are_read(world: World, built: dict[str, str]) -> None:
    member = client_for(world, world.member)
    model = send(member, "get", "/model").json()
    assert model["kind"] == "hub_and_spoke"
    assert [t["time_share"] for t in model["team"]] == [50]
    assert model["team_size_warning"] is True
    [sponsor] = send(member, "get", "/executives").json()
    assert sponsor["is_sponsor"] and sponsor["touchpoints"][0]["kind"] == "briefing"
    assert [p["title"] for p in send(member, "get", "/practices?q=THREADS").json()] == ["Threads"]
    assert send(member, "get", "/practices?q=nothing-like-it").json() == []

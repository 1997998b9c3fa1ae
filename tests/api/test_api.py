"""The REST API: personal tokens, the OpenAPI document, endpoints and error shapes."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from converge.core import services
from converge.core.models import ApiToken, AuditEntry, Department, Grant, Membership
from tests.conftest import World


def api(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def lead_api(world: World) -> Client:
    return api(
        services.api_token_create(actor=world.lead, workspace=world.workspace, name="t").secret
    )


@pytest.fixture
def member_api(world: World) -> Client:
    return api(
        services.api_token_create(actor=world.member, workspace=world.workspace, name="t").secret
    )


def test_the_openapi_document_and_its_docs_page_are_served(db: None) -> None:
    client = Client()
    document = client.get("/api/v1/openapi.json").json()
    assert document["info"]["title"] == "Converge API"
    assert "/api/v1/workspaces/{slug}/departments" in document["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "/static/ninja/swagger-ui-bundle.js" in docs.content.decode()  # no CDN


def test_tokens_are_stored_hashed_and_shown_once(world: World, signed_in) -> None:
    response = signed_in(world.lead).post("/w/acme/tokens/", {"name": "Power BI"})
    secret = response.context["secret"]
    assert secret.startswith("cvg_")
    token = ApiToken.objects.get()
    assert secret not in (token.key_hash, token.prefix) and token.key_hash != secret
    assert api(secret).get("/api/v1/workspaces/acme").status_code == 200
    page = signed_in(world.lead).get("/w/acme/tokens/").content.decode()
    assert secret not in page


def test_a_revoked_token_stops_working(world: World, signed_in) -> None:
    issued = services.api_token_create(actor=world.lead, workspace=world.workspace, name="t")
    signed_in(world.lead).post(f"/w/acme/tokens/{issued.token.uuid}/revoke/")
    response = api(issued.secret).get("/api/v1/workspaces/acme")
    assert response.status_code == 401
    assert set(response.json()) == {"message", "details"}


def test_a_token_stops_working_when_its_person_leaves_the_workspace(world: World) -> None:
    issued = services.api_token_create(actor=world.member, workspace=world.workspace, name="t")
    services.membership_remove(
        actor=world.lead,
        membership=Membership.objects.get(user=world.member, workspace=world.workspace),
    )
    assert api(issued.secret).get("/api/v1/workspaces/acme").status_code == 401


def test_a_token_reaches_only_its_own_workspace(world: World) -> None:
    Membership.objects.create(workspace=world.other_workspace, user=world.lead, role="owner")
    issued = services.api_token_create(actor=world.lead, workspace=world.workspace, name="t")
    assert api(issued.secret).get("/api/v1/workspaces/rival").status_code == 404


def test_the_workspace_endpoint_says_who_you_are_there(lead_api: Client) -> None:
    body = lead_api.get("/api/v1/workspaces/acme").json()
    assert body["name"] == "Acme Outdoor" and body["your_role"] == "lead"
    assert "manage_grants" in body["your_permissions"]


def test_departments_are_listed_created_changed_and_deleted(world: World, lead_api: Client) -> None:
    head = Membership.objects.get(user=world.member, workspace=world.workspace)
    created = lead_api.post(
        "/api/v1/workspaces/acme/departments",
        data={"name": "Legal", "kind": "legal", "head": str(head.uuid), "aims": ["Stay compliant"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    assert created.json()["slug"] == "legal" and created.json()["members"] == [str(head.uuid)]
    listed = lead_api.get("/api/v1/workspaces/acme/departments").json()
    assert [d["name"] for d in listed] == ["Customer Service", "Legal"]
    patched = lead_api.patch(
        "/api/v1/workspaces/acme/departments/legal",
        data={"challenges": ["Sees content late"]},
        content_type="application/json",
    ).json()
    assert patched["challenges"] == ["Sees content late"] and patched["aims"] == ["Stay compliant"]
    refused = lead_api.delete("/api/v1/workspaces/acme/departments/legal")
    assert refused.status_code == 409 and "Confirm" in refused.json()["message"]
    assert (
        lead_api.delete("/api/v1/workspaces/acme/departments/legal?confirm=true").status_code == 204
    )
    assert not Department.objects.filter(slug="legal").exists()


def test_bad_input_gets_a_message_and_details_and_writes_nothing(lead_api: Client) -> None:
    response = lead_api.post(
        "/api/v1/workspaces/acme/departments",
        data={"name": "Customer Service", "kind": "customer_service"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "message": "A department with this name already exists.",
        "details": {"field": "name"},
    }
    invalid = lead_api.post(
        "/api/v1/workspaces/acme/departments",
        data={"name": "X", "kind": "spaceship"},
        content_type="application/json",
    )
    assert invalid.status_code == 422
    assert invalid.json()["message"] == "The request is not valid." and invalid.json()["details"]
    assert Department.objects.count() == 1


def test_grants_are_read_and_set_through_the_api(world: World, lead_api: Client) -> None:
    response = lead_api.put(
        "/api/v1/workspaces/acme/departments/customer-service/grants",
        data={"capabilities": ["work_cases", "view_dashboards"]},
        content_type="application/json",
    )
    assert response.json()["capabilities"] == ["view_dashboards", "work_cases"]
    matrix = lead_api.get("/api/v1/workspaces/acme/grants").json()
    assert matrix == [
        {
            "department": "customer-service",
            "department_name": "Customer Service",
            "capabilities": ["view_dashboards", "work_cases"],
        }
    ]
    assert AuditEntry.objects.filter(action="grants.set", actor=world.lead).exists()


def test_a_member_may_read_but_not_change_grants(member_api: Client) -> None:
    assert member_api.get("/api/v1/workspaces/acme/grants").status_code == 200
    response = member_api.put(
        "/api/v1/workspaces/acme/departments/customer-service/grants",
        data={"capabilities": ["work_cases"]},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["details"] == {"action": "manage_grants"}
    assert not Grant.objects.exists()


def test_members_are_listed_and_roles_changed_with_the_same_rules(
    world: World, lead_api: Client
) -> None:
    members = lead_api.get("/api/v1/workspaces/acme/members").json()
    assert len(members) == 5
    owner = next(m for m in members if m["role"] == "owner")
    response = lead_api.patch(
        f"/api/v1/workspaces/acme/members/{owner['uuid']}",
        data={"role": "member"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "owner" in response.json()["message"]


def test_an_invitation_is_sent_through_the_api(world: World, lead_api: Client) -> None:
    from django.core import mail

    response = lead_api.post(
        "/api/v1/workspaces/acme/invitations",
        data={"email": "api-newbie@acme.example", "role": "guest"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["role"] == "guest"
    assert mail.outbox[0].to == ["api-newbie@acme.example"]
    bad = lead_api.post(
        "/api/v1/workspaces/acme/invitations",
        data={"email": "not-an-address"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["details"] == {"field": "email"}


def test_the_token_command_prints_a_working_token(world: World) -> None:
    out = StringIO()
    call_command("converge_token", "member@acme.example", workspace="acme", stdout=out)
    secret = out.getvalue().strip()
    assert api(secret).get("/api/v1/workspaces/acme").json()["your_role"] == "member"


def test_the_token_command_refuses_an_outsider(world: World) -> None:
    with pytest.raises(CommandError, match="not a member"):
        call_command("converge_token", "outsider@rival.example", workspace="acme")
    assert not ApiToken.objects.exists()


def test_errors_are_json_with_message_and_details(db: None) -> None:
    response = Client().get("/api/v1/workspaces/acme")
    assert response.status_code == 401
    body = json.loads(response.content)
    assert "Bearer" in body["message"] and "details" in body

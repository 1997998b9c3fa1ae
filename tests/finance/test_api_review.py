"""The review API: activities (CRUD), the proposal with its totals, and the lead's review —
with a real token and the same rules as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from converge.core import services as core_services
from converge.finance.models import CommActivity
from tests.conftest import World
from tests.finance.builders_review import build_activities

pytestmark = pytest.mark.django_db
URL = "/api/v1/workspaces/acme/finance/activities"


def client_for(world: World, user: Any) -> Client:
    secret = core_services.api_token_create(actor=user, workspace=world.workspace, name="t").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return getattr(client, method)(f"{URL}{path}", data=data, content_type="application/json")


def test_a_lead_adds_changes_reads_and_deletes_an_activity(world: World) -> None:
    lead = client_for(world, world.lead)
    body = {
        "name": "Local radio", "kind": "radio", "year": 2026, "cost": "320000.00",
        "results": "20", "result_unit": "leads", "department": world.department.slug,
    }  # fmt: skip
    created = send(lead, "post", "", body)
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert created.json()["cost_per_result"] == "16000.00"
    changed = send(lead, "put", f"/{uuid}", {**body, "cost": "300000"})
    assert changed.json()["cost"] == "300000.00"
    assert send(lead, "get", "?year=2026").json()[0]["department"] == "customer-service"
    assert send(lead, "delete", f"/{uuid}").status_code == 204
    assert not CommActivity.objects.exists()


def test_the_proposal_and_a_review_through_the_api(world: World) -> None:
    items = build_activities(world)
    lead = client_for(world, world.lead)
    proposal = send(lead, "get", "/proposal?year=2026").json()
    suggested = {
        s["name"]: (s["suggested"], s["suggested_move_to_social"]) for s in proposal["suggestions"]
    }
    assert suggested["Printed catalogue"] == ("stop", "200000.00")
    assert suggested["Newsletter"] == ("reduce", "15000.00")
    assert suggested["Trade fair"] == ("keep", "0")
    assert proposal["cost"] == "485000.00"
    reviewed = send(
        lead, "post", f"/{items['catalogue'].uuid}/review",
        {"proposal": "stop", "move_to_social": "200000", "in_business_case": True},
    )  # fmt: skip
    assert reviewed.status_code == 200 and reviewed.json()["reviewed_by"] == "Leo Lead"
    totals = send(lead, "get", "/proposal?year=2026").json()
    assert totals["moved_to_social_in_business_case"] == "200000.00"
    wrong = send(
        lead, "post", f"/{items['newsletter'].uuid}/review",
        {"proposal": "keep", "move_to_social": "5"},
    )  # fmt: skip
    assert wrong.status_code == 400 and wrong.json()["details"]["field"] == "move_to_social"


def test_an_executive_reads_but_may_not_write_and_a_member_may_not_read(world: World) -> None:
    build_activities(world)
    executive = client_for(world, world.executive)
    assert send(executive, "get", "").status_code == 200
    body = {
        "name": "X",
        "kind": "print",
        "year": 2026,
        "cost": "1",
        "results": "1",
        "result_unit": "leads",
    }
    assert send(executive, "post", "", body).status_code == 403
    assert send(client_for(world, world.member), "get", "").status_code == 403

"""The governance API: committees, meetings with their agenda pack, decisions and actions,
with the same rules as the pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from converge.core import services as core_services
from converge.governance.models import ActionItem, Committee
from tests.conftest import World
from tests.governance.builders import build_governance, member_of

URL = "/api/v1/workspaces/acme/governance"

pytestmark = pytest.mark.django_db


def client_for(world: World, user: Any) -> Client:
    secret = core_services.api_token_create(actor=user, workspace=world.workspace, name="t").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return getattr(client, method)(f"{URL}{path}", data=data, content_type="application/json")


def test_a_lead_creates_a_committee_and_reads_its_meetings_and_agenda(world: World) -> None:
    lead = client_for(world, world.lead)
    member = member_of(world, world.member)
    response = send(
        lead,
        "post",
        "/committees",
        {
            "name": "Quarterly review board",
            "chair": str(member_of(world, world.lead).uuid),
            "members": [str(member.uuid)],
            "rrule": "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TH",
            "starts_on": "2026-03-01",
            "start_time": "13:00",
            "duration_minutes": 120,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rrule"] == "FREQ=MONTHLY;INTERVAL=3;BYDAY=-1TH"
    assert body["time_zone"] == "Europe/Stockholm"
    assert {m["department"] for m in body["members"]} == {None, "customer-service"}
    meetings = send(lead, "get", f"/committees/{body['uuid']}/meetings").json()
    assert len(meetings) == 6
    from datetime import datetime
    from zoneinfo import ZoneInfo

    starts = datetime.fromisoformat(meetings[0]["starts_at"]).astimezone(
        ZoneInfo("Europe/Stockholm")
    )
    assert (starts.hour, starts.minute, starts.weekday()) == (13, 0, 3)
    detail = send(lead, "get", f"/meetings/{meetings[0]['uuid']}").json()
    assert detail["agenda_frozen"] is False and isinstance(detail["agenda"], list)


def test_a_member_may_read_but_not_create_committees(world: World) -> None:
    build_governance(world)
    member = client_for(world, world.member)
    assert len(send(member, "get", "/committees").json()) == 1
    response = send(
        member,
        "post",
        "/committees",
        {"name": "X", "rrule": "FREQ=WEEKLY", "starts_on": "2026-01-01", "start_time": "09:00"},
    )
    assert response.status_code == 403
    assert not Committee.objects.filter(name="X").exists()


def test_a_bad_rule_is_refused_with_the_field_named(world: World) -> None:
    response = send(
        client_for(world, world.lead),
        "post",
        "/committees",
        {"name": "X", "rrule": "FREQ=NEVER", "starts_on": "2026-01-01", "start_time": "09:00"},
    )
    assert response.status_code == 400
    assert response.json()["details"]["field"] == "rrule"


def test_decisions_and_actions_are_recorded_and_the_owner_closes_the_action(world: World) -> None:
    ids = build_governance(world)
    lead = client_for(world, world.lead)
    owner = str(member_of(world, world.member).uuid)
    response = send(
        lead,
        "post",
        "/decisions",
        {"text": "Pilot LinkedIn ads", "meeting": ids["meeting"], "status": "decided"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["decided_on"] is not None
    response = send(
        lead,
        "post",
        "/actions",
        {"title": "Brief Sales", "owner": owner, "due_on": "2026-04-01", "meeting": ids["meeting"]},
    )
    assert response.status_code == 201
    item = response.json()["uuid"]
    member = client_for(world, world.member)
    mine = send(member, "get", "/actions?mine=true&status=open").json()
    assert "Brief Sales" in [a["title"] for a in mine]
    assert send(member, "patch", f"/actions/{item}", {"due_on": "2027-01-01"}).status_code == 403
    response = send(member, "patch", f"/actions/{item}", {"status": "done"})
    assert response.status_code == 200 and response.json()["status"] == "done"
    guest = client_for(world, world.guest)
    assert send(guest, "patch", f"/actions/{ids['item']}", {"status": "done"}).status_code == 403
    assert ActionItem.objects.get(uuid=ids["item"]).status == "open"


def test_a_member_who_does_not_chair_cannot_record_a_decision(world: World) -> None:
    ids = build_governance(world)
    member = client_for(world, world.member)
    response = send(member, "post", "/decisions", {"text": "x", "meeting": ids["meeting"]})
    assert response.status_code == 403


def test_another_workspaces_token_gets_404(world: World) -> None:
    ids = build_governance(world)
    secret = core_services.api_token_create(
        actor=world.outsider, workspace=world.other_workspace, name="o"
    ).secret
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert send(outsider, "get", "/committees").status_code == 404
    assert send(outsider, "get", f"/meetings/{ids['meeting']}").status_code == 404
    response = outsider.get(f"/api/v1/workspaces/rival/governance/meetings/{ids['meeting']}")
    assert response.status_code == 404


def test_a_pending_decision_is_taken_through_the_api_and_upcoming_meetings_are_listed(
    world: World,
) -> None:
    ids = build_governance(world)
    lead = client_for(world, world.lead)
    response = send(lead, "patch", f"/decisions/{ids['decision']}", {"status": "decided"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "decided" and response.json()["decided_on"]
    assert send(lead, "get", f"/decisions/{ids['decision']}").json()["status"] == "decided"
    member = client_for(world, world.member)
    assert (
        send(member, "patch", f"/decisions/{ids['decision']}", {"status": "pending"}).status_code
        == 403
    )
    upcoming = send(member, "get", "/meetings?limit=3").json()
    assert len(upcoming) == 3
    assert upcoming == sorted(upcoming, key=lambda m: m["starts_at"])

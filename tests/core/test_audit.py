"""The audit log: who, when, what, old → new; leads browse it with filters."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import time_machine

from converge.core import services
from converge.core.models import AuditEntry
from tests.conftest import World

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_changing_workspace_settings_records_old_and_new(world: World) -> None:
    services.workspace_update(
        actor=world.owner,
        workspace=world.workspace,
        name="Acme Outdoor AB",
        time_zone="Europe/Stockholm",
        currency="EUR",
        default_language="sv",
    )
    entry = AuditEntry.objects.get(action="workspace.update")
    assert entry.actor == world.owner
    assert entry.changes == {
        "name": ["Acme Outdoor", "Acme Outdoor AB"],
        "currency": ["SEK", "EUR"],
        "default_language": ["en", "sv"],
    }


def test_saving_without_changes_records_nothing(world: World) -> None:
    ws = world.workspace
    services.workspace_update(
        actor=world.owner,
        workspace=ws,
        name=ws.name,
        time_zone=ws.time_zone,
        currency=ws.currency,
        default_language=ws.default_language,
    )
    assert not AuditEntry.objects.filter(action="workspace.update").exists()


def _three_entries(world: World) -> None:
    with time_machine.travel(datetime(2026, 3, 1, 10, 0, tzinfo=STOCKHOLM)):
        services.grants_set(
            actor=world.lead, department=world.department, capabilities=["work_cases"]
        )
    with time_machine.travel(datetime(2026, 3, 5, 23, 30, tzinfo=STOCKHOLM)):
        services.department_create(
            actor=world.owner, workspace=world.workspace, name="Legal", kind="legal"
        )
    with time_machine.travel(datetime(2026, 3, 9, 8, 0, tzinfo=STOCKHOLM)):
        services.grants_set(actor=world.lead, department=world.department, capabilities=[])


def test_a_lead_filters_the_log_by_person_type_and_date(world: World, signed_in) -> None:
    _three_entries(world)
    client = signed_in(world.lead)
    page = client.get("/w/acme/audit/")
    assert [e.action for e in page.context["page"]] == [
        "grants.set",
        "department.create",
        "grants.set",
    ]
    by_owner = client.get("/w/acme/audit/", {"actor": world.owner.pk})
    assert [e.action for e in by_owner.context["page"]] == ["department.create"]
    grants = client.get("/w/acme/audit/", {"object_type": "grant"})
    assert len(grants.context["page"]) == 2
    # 23:30 in Stockholm on 5 March is 22:30 UTC: it belongs to the 5th, in local time.
    one_day = client.get("/w/acme/audit/", {"date_from": "2026-03-05", "date_to": "2026-03-05"})
    assert [e.action for e in one_day.context["page"]] == ["department.create"]
    body = page.content.decode()
    assert "work_cases" in body and "Leo Lead" in body


def test_a_backwards_date_range_is_refused_beside_the_end_date(world: World, signed_in) -> None:
    response = signed_in(world.lead).get(
        "/w/acme/audit/", {"date_from": "2026-03-09", "date_to": "2026-03-01"}
    )
    assert "before the start date" in response.context["form"].errors["date_to"][0]


def test_members_cannot_read_the_audit_log(world: World, signed_in) -> None:
    assert signed_in(world.member).get("/w/acme/audit/").status_code == 403
    assert signed_in(world.executive).get("/w/acme/audit/").status_code == 403

"""The budget API with real tokens: lines, allocations, spend and spend imports."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from converge.core import services as core_services
from converge.finance.models import Allocation, BudgetLine, SpendEntry, SpendImport
from converge.strategy.models import SocialObjective
from tests.conftest import World
from tests.finance.builders_budget import line

URL = "/api/v1/workspaces/acme/finance"

pytestmark = pytest.mark.django_db


def client_for(world: World, user: Any) -> Client:
    secret = core_services.api_token_create(actor=user, workspace=world.workspace, name="t").secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return getattr(client, method)(f"{URL}{path}", data=data, content_type="application/json")


def test_a_lead_adds_reads_changes_and_deletes_a_line(world: World) -> None:
    lead = client_for(world, world.lead)
    response = send(
        lead,
        "post",
        "/budget-lines",
        {
            "year": 2026,
            "category": "staff",
            "name": "Community Manager",
            "planned": "450000",
            "fte": "1",
            "department": "customer-service",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["planned"], body["actual"], body["department"]) == (
        "450000.00",
        "0.00",
        "customer-service",
    )
    uuid = body["uuid"]
    changed = send(lead, "patch", f"/budget-lines/{uuid}", {"planned": "470000.50"})
    assert changed.status_code == 200 and changed.json()["planned"] == "470000.50"
    assert changed.json()["fte"] == "1.00" and changed.json()["name"] == "Community Manager"
    listed = send(lead, "get", "/budget-lines?year=2026").json()
    assert [x["name"] for x in listed] == ["Community Manager"]
    assert send(lead, "get", "/budget-lines?year=2025").json() == []
    assert send(lead, "delete", f"/budget-lines/{uuid}").status_code == 204
    assert not BudgetLine.objects.exists()


def test_a_rule_broken_is_a_4xx_with_message_and_field(world: World) -> None:
    lead = client_for(world, world.lead)
    response = send(
        lead,
        "post",
        "/budget-lines",
        {"year": 2026, "category": "tools", "name": "Suite", "planned": "1", "platform": "x"},
    )
    assert response.status_code == 400
    assert response.json()["details"]["field"] == "platform"


def test_a_line_with_spend_is_not_deleted(world: World) -> None:
    ig = line(world, "IG")
    lead = client_for(world, world.lead)
    spent = send(
        lead,
        "post",
        "/spend",
        {"line": str(ig.uuid), "day": "2026-02-01", "amount": "1500.25", "reference": "A-1"},
    )
    assert spent.status_code == 201 and spent.json()["key"] == "ref:A-1"
    response = send(lead, "delete", f"/budget-lines/{ig.uuid}")
    assert response.status_code == 409 and response.json()["details"]["spend_entries"] == 1
    assert send(lead, "get", f"/budget-lines/{ig.uuid}").json()["actual"] == "1500.25"


def test_allocations_are_put_per_kind_and_must_add_up_to_100(world: World) -> None:
    ig = line(world, "IG", planned="1000")
    a, b = (
        SocialObjective.objects.create(
            workspace=world.workspace, statement=s, start=date(2026, 1, 1), end=date(2026, 12, 31)
        )
        for s in ("A", "B")
    )
    lead = client_for(world, world.lead)
    bad = send(
        lead,
        "put",
        f"/budget-lines/{ig.uuid}/allocations",
        {
            "kind": "objective",
            "targets": [{"uuid": str(a.uuid), "share": "60"}, {"uuid": str(b.uuid), "share": "30"}],
        },
    )
    assert bad.status_code == 422 and bad.json()["details"]["problems"] == ["shares_not_100"]
    good = send(
        lead,
        "put",
        f"/budget-lines/{ig.uuid}/allocations",
        {"kind": "objective", "targets": [{"uuid": str(a.uuid)}, {"uuid": str(b.uuid)}]},
    )
    assert good.status_code == 200
    assert sorted((x["name"], x["share"], x["planned"]) for x in good.json()["allocations"]) == [
        ("A", "50.00", "500.00"),
        ("B", "50.00", "500.00"),
    ]
    theirs = SocialObjective.objects.create(
        workspace=world.other_workspace,
        statement="Theirs",
        start=date(2026, 1, 1),
        end=date(2026, 12, 31),
    )
    foreign = send(
        lead,
        "put",
        f"/budget-lines/{ig.uuid}/allocations",
        {"kind": "objective", "targets": [{"uuid": str(theirs.uuid)}]},
    )
    assert foreign.status_code == 422
    assert Allocation.objects.count() == 2


def test_an_executive_reads_but_cannot_write_and_a_member_cannot_read(world: World) -> None:
    ig = line(world, "IG")
    executive = client_for(world, world.executive)
    assert send(executive, "get", "/budget-lines").status_code == 200
    assert send(executive, "get", "/spend").status_code == 200
    denied = send(executive, "patch", f"/budget-lines/{ig.uuid}", {"planned": "1"})
    assert denied.status_code == 403
    member = client_for(world, world.member)
    assert send(member, "get", "/budget-lines").status_code == 403


def test_spend_is_listed_and_filtered(world: World) -> None:
    ig = line(world, "IG")
    suite = line(world, "Suite", category="tools")
    lead = client_for(world, world.lead)
    for target, amount, supplier in ((ig, "10", "Meta"), (suite, "20", "Suite AB")):
        send(
            lead,
            "post",
            "/spend",
            {"line": str(target.uuid), "day": "2026-02-01", "amount": amount, "supplier": supplier},
        )
    assert [x["amount"] for x in send(lead, "get", f"/spend?line={ig.uuid}").json()] == ["10.00"]
    assert [x["line_name"] for x in send(lead, "get", "/spend?supplier=Suite AB").json()] == [
        "Suite"
    ]
    assert len(send(lead, "get", "/spend?year=2026").json()) == 2
    assert send(lead, "get", "/spend?year=2025").json() == []


CSV = (
    b"date;amount;line;supplier;reference;note\n"
    b"2026-03-05;12 500,00;IG;Meta;INV-1;\n"
    b"2026-03-06;1 000,50;IG;Meta;;\n"
)


def test_a_csv_body_is_checked_then_committed_in_two_calls(world: World) -> None:
    line(world, "IG")
    lead = client_for(world, world.lead)
    checked = lead.post(f"{URL}/spend-imports?filename=march.csv", CSV, content_type="text/csv")
    assert checked.status_code == 201, checked.content
    body = checked.json()
    assert (body["filename"], body["rows_added"], body["problems"]) == ("march.csv", 2, [])
    assert body["committed_at"] is None and SpendEntry.objects.count() == 0
    done = lead.post(f"{URL}/spend-imports/{body['uuid']}/commit")
    assert done.status_code == 200 and done.json()["committed_at"] is not None
    assert SpendEntry.objects.count() == 2
    assert lead.get(f"{URL}/spend-imports/{body['uuid']}").json()["rows_added"] == 2


def test_a_multipart_upload_with_commit_writes_at_once_and_again_adds_nothing(
    world: World,
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    line(world, "IG")
    lead = client_for(world, world.lead)
    first = lead.post(
        f"{URL}/spend-imports?commit=1", {"file": SimpleUploadedFile("m.csv", CSV, "text/csv")}
    )
    assert first.status_code == 201, first.content
    assert first.json()["rows_added"] == 2 and first.json()["filename"] == "m.csv"
    again = lead.post(f"{URL}/spend-imports?commit=1", CSV, content_type="text/csv")
    assert (again.json()["rows_added"], again.json()["rows_unchanged"]) == (0, 2)
    assert SpendEntry.objects.count() == 2


def test_a_file_with_a_problem_and_commit_writes_nothing_and_says_why(world: World) -> None:
    line(world, "IG")
    lead = client_for(world, world.lead)
    bad = CSV + b"2026-03-07;12,345;IG;Meta;;\n"
    response = lead.post(f"{URL}/spend-imports?commit=1", bad, content_type="text/csv")
    assert response.status_code == 422
    details = response.json()["details"]
    assert [(p["row"], p["column"], p["code"]) for p in details["problems"]] == [
        (4, "amount", "amount_ambiguous")
    ]
    record = SpendImport.objects.get(uuid=details["import"])
    assert record.committed_at is None and SpendEntry.objects.count() == 0
    shown = lead.get(f"{URL}/spend-imports/{record.uuid}").json()
    assert shown["problems"][0]["message"].startswith("“12,345” is ambiguous")


def test_an_executive_may_not_import(world: World) -> None:
    executive = client_for(world, world.executive)
    response = executive.post(f"{URL}/spend-imports", CSV, content_type="text/csv")
    assert response.status_code == 403 and not SpendImport.objects.exists()


def test_listing_lines_takes_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries
) -> None:
    goal = SocialObjective.objects.create(
        workspace=world.workspace, statement="A", start=date(2026, 1, 1), end=date(2026, 12, 31)
    )
    from converge.finance.budget import services

    for i in range(15):
        services.allocations_set(
            actor=world.lead, line=line(world, f"L{i}"), kind="objective", shares={goal: None}
        )
    lead = client_for(world, world.lead)
    with django_assert_max_num_queries(8):
        body = send(lead, "get", "/budget-lines").json()
    assert len(body) == 15 and all(x["allocations"][0]["name"] == "A" for x in body)

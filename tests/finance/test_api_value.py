"""The value API with real tokens: the value model, the ROI report on a case computed by hand,
and budget scenarios (cuts, moves, their result, comparison)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from converge.core import services as core_services
from converge.finance.models import (
    Allocation,
    BudgetLine,
    Scenario,
    ScenarioChange,
    SpendEntry,
    ValueAssumption,
)
from converge.measurement.models import Channel, Observation
from converge.strategy.models import Kpi, SocialObjective
from tests.conftest import World
from tests.finance.builders_value import assumption

URL = "/api/v1/workspaces/acme/finance"
D = Decimal

pytestmark = pytest.mark.django_db


def client_for(world: World, user: Any, workspace: Any = None) -> Client:
    secret = core_services.api_token_create(
        actor=user, workspace=workspace or world.workspace, name="t"
    ).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def send(client: Client, method: str, path: str, data: Any = None) -> Any:
    return getattr(client, method)(f"{URL}{path}", data=data, content_type="application/json")


LEAD_VALUE = {
    "name": "Value of a lead",
    "kind": "lead",
    "hardness": "revenue",
    "metric_key": "leads",
    "unit_value": "4000",
    "owner": "exec@acme.example",
    "source": "Sales memo 2026",
    "as_of": "2026-02-01",
    "note": "Average first order × win rate.",
}


# --- The value model ------------------------------------------------------------------------


def test_a_lead_creates_reads_changes_archives_and_restores_an_assumption(world: World) -> None:
    lead = client_for(world, world.lead)
    created = send(lead, "post", "/value-assumptions", LEAD_VALUE)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["unit_value"], body["owner"], body["hardness"], body["archived_at"]) == (
        "4000.0000",
        "exec@acme.example",
        "revenue",
        None,
    )
    uuid = body["uuid"]
    assert send(lead, "get", f"/value-assumptions/{uuid}").json()["source"] == "Sales memo 2026"
    changed = send(
        lead,
        "put",
        f"/value-assumptions/{uuid}",
        {**LEAD_VALUE, "unit_value": "4250.5", "owner": None},
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["unit_value"], changed.json()["owner"]) == ("4250.5000", None)
    archived = send(lead, "post", f"/value-assumptions/{uuid}/archive")
    assert archived.status_code == 200 and archived.json()["archived_at"] is not None
    assert send(lead, "get", "/value-assumptions").json() == []
    gone = send(lead, "get", "/value-assumptions?archived=true").json()
    assert [a["uuid"] for a in gone] == [uuid]
    restored = send(lead, "post", f"/value-assumptions/{uuid}/restore")
    assert restored.status_code == 200 and restored.json()["archived_at"] is None
    assert [a["name"] for a in send(lead, "get", "/value-assumptions").json()] == [
        "Value of a lead"
    ]


def test_a_second_hard_value_for_the_same_metric_is_refused_with_409(world: World) -> None:
    lead = client_for(world, world.lead)
    assert send(lead, "post", "/value-assumptions", LEAD_VALUE).status_code == 201
    twin = send(lead, "post", "/value-assumptions", {**LEAD_VALUE, "name": "Lead, again"})
    assert twin.status_code == 409
    assert twin.json()["details"]["field"] == "metric_key"
    assert ValueAssumption.objects.count() == 1


def test_an_archived_hard_value_is_not_restored_beside_a_new_one(world: World) -> None:
    old = assumption(world, "Old lead value")
    lead = client_for(world, world.lead)
    assert send(lead, "post", f"/value-assumptions/{old.uuid}/archive").status_code == 200
    assert send(lead, "post", "/value-assumptions", LEAD_VALUE).status_code == 201
    refused = send(lead, "post", f"/value-assumptions/{old.uuid}/restore")
    assert refused.status_code == 409 and refused.json()["details"]["field"] == "metric_key"
    old.refresh_from_db()
    assert old.archived_at is not None


def test_earned_media_value_must_be_soft(world: World) -> None:
    lead = client_for(world, world.lead)
    emv = {**LEAD_VALUE, "name": "EMV", "kind": "earned_media", "metric_key": "mentions"}
    refused = send(lead, "post", "/value-assumptions", emv)
    assert refused.status_code == 400
    assert refused.json()["details"]["field"] == "hardness"
    assert "soft" in refused.json()["message"]
    soft = send(lead, "post", "/value-assumptions", {**emv, "hardness": "soft"})
    assert soft.status_code == 201


def test_an_owner_who_is_not_a_member_is_refused_with_422(world: World) -> None:
    lead = client_for(world, world.lead)
    stranger = {**LEAD_VALUE, "owner": world.outsider.email}
    response = send(lead, "post", "/value-assumptions", stranger)
    assert response.status_code == 422
    assert response.json()["details"]["field"] == "owner"
    assert "e-mail" in response.json()["message"]
    assert not ValueAssumption.objects.exists()


def test_an_executive_reads_but_cannot_write_and_a_member_cannot_read(world: World) -> None:
    found = assumption(world)
    executive = client_for(world, world.executive)
    assert send(executive, "get", "/value-assumptions").status_code == 200
    assert send(executive, "get", "/roi").status_code == 200
    assert send(executive, "post", f"/value-assumptions/{found.uuid}/archive").status_code == 403
    member = client_for(world, world.member)
    for path in ("/value-assumptions", f"/value-assumptions/{found.uuid}", "/roi", "/scenarios"):
        assert send(member, "get", path).status_code == 403, path


def test_an_outsider_gets_404(world: World) -> None:
    found = assumption(world)
    outsider = client_for(world, world.outsider, world.other_workspace)
    for path in ("/value-assumptions", f"/value-assumptions/{found.uuid}", "/roi", "/scenarios"):
        assert send(outsider, "get", path).status_code == 404, path
    assert send(outsider, "post", f"/value-assumptions/{found.uuid}/archive").status_code == 404
    found.refresh_from_db()
    assert found.archived_at is None


# --- The ROI report -------------------------------------------------------------------------


def build_roi_case(world: World) -> Channel:
    """One line of 2026 allocated 100% to LinkedIn, 10,000 spent in Q1 (4,000 + 6,000) and
    9,999 in April; 5 leads on LinkedIn in Q1 (2 + 3) and 50 in April; 100 mentions in Q1.
    A lead is worth 4,000 (hard), a mention 50 (soft)."""
    ws = world.workspace
    linkedin = Channel.objects.create(workspace=ws, platform="linkedin", handle="Acme AB")
    paid = BudgetLine.objects.create(
        workspace=ws, year=2026, category="paid_social", name="Paid social", planned=D(40000)
    )
    Allocation.objects.create(
        workspace=ws, line=paid, kind="channel", channel=linkedin, share=D(100)
    )
    for key, day, amount in (
        ("a", date(2026, 1, 15), "4000"),
        ("b", date(2026, 2, 15), "6000"),
        ("c", date(2026, 4, 2), "9999"),
    ):
        SpendEntry.objects.create(workspace=ws, line=paid, day=day, amount=D(amount), key=key)
    for day, metric, value in (
        (date(2026, 1, 10), "leads", 2),
        (date(2026, 3, 10), "leads", 3),
        (date(2026, 3, 12), "mentions", 100),
        (date(2026, 4, 5), "leads", 50),
    ):
        Observation.objects.create(
            workspace=ws, channel=linkedin, day=day, metric=metric, value=D(value)
        )
    assumption(world)
    assumption(
        world, "Earned media", metric="mentions", value="50", hardness="soft", kind="earned_media"
    )
    return linkedin


def test_the_roi_report_counts_hard_value_against_spend_and_keeps_soft_value_apart(
    world: World,
) -> None:
    linkedin = build_roi_case(world)
    lead = client_for(world, world.lead)
    response = send(lead, "get", "/roi?from=2026-01-01&to=2026-03-31")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["period"] == {"start": "2026-01-01", "end": "2026-03-31"}
    assert (body["total_cost"], body["hard_value"], body["soft_value"]) == (
        "10000.00",
        "20000.00",
        "5000.00",
    )
    assert (body["net"], body["roi"]) == ("10000.00", "1.0000")
    (lead_value,) = body["hard"]
    assert (lead_value["units"], lead_value["unit_value"], lead_value["value"]) == (
        "5",
        "4000.0000",
        "20000.00",
    )
    assert lead_value["cost_per_result"] == "2000.00"
    assert [(s["name"], s["units"], s["value"]) for s in body["soft"]] == [
        ("Earned media", "100", "5000.00")
    ]
    channels = next(d for d in body["dimensions"] if d["kind"] == "channel")
    (row,) = channels["rows"]
    assert (row["key"], row["cost"], row["value"], row["roi"]) == (
        str(linkedin.uuid),
        "10000.00",
        "20000.00",
        "1.0000",
    )
    assert [(q["label"], q["cost"], q["value"], q["roi"]) for q in body["quarters"]] == [
        ("2026 Q1", "10000.00", "20000.00", "1.0000")
    ]
    assert [(s["low"], s["high"]) for s in body["sensitivity"]] == [("0.6000", "1.4000")]


def test_the_roi_report_without_spend_has_no_roi_and_shows_zero_with_cents(world: World) -> None:
    lead = client_for(world, world.lead)
    body = send(lead, "get", "/roi?from=2025-01-01&to=2025-12-31").json()
    assert (body["total_cost"], body["hard_value"], body["roi"]) == ("0.00", "0.00", None)


def test_the_roi_report_defaults_to_this_year_in_complete_months(world: World) -> None:
    lead = client_for(world, world.lead)
    with time_machine.travel(datetime(2026, 5, 20, 12, tzinfo=ZoneInfo("Europe/Stockholm"))):
        body = send(lead, "get", "/roi").json()
    assert body["period"] == {"start": "2026-01-01", "end": "2026-04-30"}
    with time_machine.travel(datetime(2027, 1, 10, 12, tzinfo=ZoneInfo("Europe/Stockholm"))):
        body = send(lead, "get", "/roi").json()
    assert body["period"] == {"start": "2026-01-01", "end": "2026-12-31"}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("from=2026-03-01&to=2026-01-01", "to"),
        ("from=2026-01-01", "to"),
        ("to=2026-01-01", "from"),
        ("from=2020-01-01&to=2026-01-01", "to"),
        ("from=2026-01-01&to=2026-03-31&step=0", "step"),
    ],
)
def test_a_period_that_makes_no_sense_is_refused_with_422(
    world: World, query: str, field: str
) -> None:
    lead = client_for(world, world.lead)
    response = send(lead, "get", f"/roi?{query}")
    assert response.status_code == 422
    assert response.json()["details"]["field"] == field


# --- Scenarios ------------------------------------------------------------------------------


def build_budget_2027(world: World, *, lead_value: bool = True) -> dict[str, Any]:
    """Two lines of 2027: events (123,456.78, unallocated) and paid social (50,000, all of it
    for the objective "Win B2B leads"). Over the last year paid social spent 10,000 and the
    objective's KPI counted 5 leads: 2,000 a lead; a lead is worth 4,000."""
    ws = world.workspace
    events = BudgetLine.objects.create(
        workspace=ws, year=2027, category="other", name="Events", planned=D("123456.78")
    )
    paid = BudgetLine.objects.create(
        workspace=ws, year=2027, category="paid_social", name="Paid social", planned=D(50000)
    )
    objective = SocialObjective.objects.create(
        workspace=ws, statement="Win B2B leads", start=date(2026, 1, 1), end=date(2027, 12, 31)
    )
    Allocation.objects.create(
        workspace=ws, line=paid, kind="objective", objective=objective, share=D(100)
    )
    kpi = Kpi.objects.create(
        workspace=ws, objective=objective, name="Qualified leads", metric_key="leads"
    )
    SpendEntry.objects.create(
        workspace=ws, line=paid, day=date(2026, 6, 1), amount=D(10000), key="paid-june"
    )
    Observation.objects.create(
        workspace=ws, channel=None, day=date(2026, 6, 2), metric="leads", value=D(5)
    )
    if lead_value:
        assumption(world)
    return {"events": events, "paid": paid, "objective": objective, "kpi": kpi}


@pytest.fixture
def today() -> Any:
    with time_machine.travel(datetime(2026, 11, 15, 12, tzinfo=ZoneInfo("Europe/Stockholm"))):
        yield


def test_a_scenario_cuts_and_moves_and_shows_its_result(world: World, today: None) -> None:
    budget = build_budget_2027(world)
    events, paid = str(budget["events"].uuid), str(budget["paid"].uuid)
    lead = client_for(world, world.lead)
    created = send(lead, "post", "/scenarios", {"name": "Leaner 2027", "year": 2027})
    assert created.status_code == 201, created.content
    uuid = created.json()["uuid"]
    assert created.json()["result"]["total"]["after"] == "173456.78"
    cut = send(
        lead,
        "post",
        f"/scenarios/{uuid}/changes",
        {"kind": "cut", "line": events, "percent": "12.5"},
    )
    assert cut.status_code == 201, cut.content
    move = send(
        lead,
        "post",
        f"/scenarios/{uuid}/changes",
        {"kind": "move", "line": paid, "to_line": events, "amount": "20000"},
    )
    assert move.status_code == 201, move.content
    body = send(lead, "get", f"/scenarios/{uuid}").json()
    assert [(c["position"], c["kind"], c["line_name"]) for c in body["changes"]] == [
        (0, "cut", "Events"),
        (1, "move", "Paid social"),
    ]
    result = body["result"]
    # 12.5% of 123,456.78 is 15,432.0975, cut as 15,432.10; a move keeps the total.
    assert (result["total"]["before"], result["total"]["after"]) == ("173456.78", "158024.68")
    assert [(x["name"], x["before"], x["after"]) for x in result["changed_lines"]] == [
        ("Events", "123456.78", "128024.68"),
        ("Paid social", "50000.00", "30000.00"),
    ]
    assert [(x["kind"], x["name"], x["delta"], x["lost_all"]) for x in result["losers"]] == [
        ("objective", "Win B2B leads", "-20000.00", False)
    ]
    (effect,) = result["effects"]
    # 20,000 less at 2,000 a lead: 10 leads fewer, 40,000 of hard value lost.
    assert (effect["name"], effect["cost_per_result"], effect["delta_results"]) == (
        "Qualified leads",
        "2000.00",
        "-10.00",
    )
    assert (effect["delta_value"], result["delta_value"], result["problem"]) == (
        "-40000.00",
        "-40000.00",
        None,
    )
    assert result["funding"]["objective"][0]["after"] == "30000.00"


def test_a_move_of_more_than_the_line_has_left_is_refused_next_to_the_amount(
    world: World, today: None
) -> None:
    budget = build_budget_2027(world)
    lead = client_for(world, world.lead)
    uuid = send(lead, "post", "/scenarios", {"name": "Greedy", "year": 2027}).json()["uuid"]
    too_much = send(
        lead,
        "post",
        f"/scenarios/{uuid}/changes",
        {
            "kind": "move",
            "line": str(budget["paid"].uuid),
            "to_line": str(budget["events"].uuid),
            "amount": "50000.01",
        },
    )
    assert too_much.status_code == 400
    assert too_much.json()["details"]["field"] == "amount"
    assert not ScenarioChange.objects.exists()


def test_a_line_of_another_workspace_is_refused_with_422(world: World, today: None) -> None:
    build_budget_2027(world)
    theirs = BudgetLine.objects.create(
        workspace=world.other_workspace, year=2027, category="other", name="X", planned=D(1)
    )
    lead = client_for(world, world.lead)
    uuid = send(lead, "post", "/scenarios", {"name": "Sneaky", "year": 2027}).json()["uuid"]
    response = send(
        lead,
        "post",
        f"/scenarios/{uuid}/changes",
        {"kind": "cut", "line": str(theirs.uuid), "percent": "10"},
    )
    assert response.status_code == 422
    assert response.json()["details"]["field"] == "line"


def test_a_change_is_removed_and_the_later_ones_move_up(world: World, today: None) -> None:
    budget = build_budget_2027(world)
    events, paid = str(budget["events"].uuid), str(budget["paid"].uuid)
    lead = client_for(world, world.lead)
    uuid = send(lead, "post", "/scenarios", {"name": "Two cuts", "year": 2027}).json()["uuid"]
    for line, percent in ((events, "10"), (paid, "50")):
        send(
            lead,
            "post",
            f"/scenarios/{uuid}/changes",
            {"kind": "cut", "line": line, "percent": percent},
        )
    assert send(lead, "delete", f"/scenarios/{uuid}/changes/0").status_code == 204
    body = send(lead, "get", f"/scenarios/{uuid}").json()
    assert [(c["position"], c["line_name"], c["percent"]) for c in body["changes"]] == [
        (0, "Paid social", "50.00")
    ]
    assert body["result"]["total"]["after"] == "148456.78"
    assert send(lead, "delete", f"/scenarios/{uuid}/changes/5").status_code == 404


def test_two_scenarios_are_compared_side_by_side_and_deleted(world: World, today: None) -> None:
    budget = build_budget_2027(world)
    paid = str(budget["paid"].uuid)
    lead = client_for(world, world.lead)
    uuids = []
    for name, percent in (("Half", "50"), ("Tenth", "10")):
        uuid = send(lead, "post", "/scenarios", {"name": name, "year": 2027}).json()["uuid"]
        send(
            lead,
            "post",
            f"/scenarios/{uuid}/changes",
            {"kind": "cut", "line": paid, "percent": percent},
        )
        uuids.append(uuid)
    assert [s["name"] for s in send(lead, "get", "/scenarios").json()] == ["Half", "Tenth"]
    response = send(lead, "get", f"/scenarios/compare?scenario={uuids[1]}&scenario={uuids[0]}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert [(s["name"], s["total_after"]) for s in body["scenarios"]] == [
        ("Tenth", "168456.78"),
        ("Half", "148456.78"),
    ]
    assert body["objectives"] == [
        {"name": "Not allocated", "values": ["123456.78", "123456.78"]},
        {"name": "Win B2B leads", "values": ["45000.00", "25000.00"]},
    ]
    assert body["kpis"] == [{"name": "Qualified leads", "values": ["-2.50", "-12.50"]}]
    unknown = send(lead, "get", "/scenarios/compare?scenario=00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 422 and unknown.json()["details"]["field"] == "scenario"
    assert send(lead, "delete", f"/scenarios/{uuids[0]}").status_code == 204
    assert list(Scenario.objects.values_list("name", flat=True)) == ["Tenth"]
    assert send(lead, "get", f"/scenarios/{uuids[0]}").status_code == 404


def test_a_scenario_is_renamed_but_keeps_its_year_while_it_has_changes(
    world: World, today: None
) -> None:
    budget = build_budget_2027(world)
    lead = client_for(world, world.lead)
    uuid = send(lead, "post", "/scenarios", {"name": "Draft", "year": 2027}).json()["uuid"]
    send(
        lead,
        "post",
        f"/scenarios/{uuid}/changes",
        {"kind": "cut", "line": str(budget["paid"].uuid), "percent": "10"},
    )
    renamed = send(lead, "put", f"/scenarios/{uuid}", {"name": "Final", "year": 2027, "note": "x"})
    assert renamed.status_code == 200 and renamed.json()["name"] == "Final"
    moved = send(lead, "put", f"/scenarios/{uuid}", {"name": "Final", "year": 2026})
    assert moved.status_code == 400 and moved.json()["details"]["field"] == "year"


def test_an_executive_reads_scenarios_but_cannot_change_them(world: World, today: None) -> None:
    build_budget_2027(world)
    lead = client_for(world, world.lead)
    uuid = send(lead, "post", "/scenarios", {"name": "Draft", "year": 2027}).json()["uuid"]
    executive = client_for(world, world.executive)
    assert send(executive, "get", f"/scenarios/{uuid}").status_code == 200
    assert send(executive, "get", "/scenarios/compare").status_code == 200
    assert send(executive, "delete", f"/scenarios/{uuid}").status_code == 403
    assert Scenario.objects.count() == 1


def test_the_roi_report_and_the_scenarios_take_a_fixed_number_of_queries(
    world: World, today: None, django_assert_max_num_queries: Any
) -> None:
    build_roi_case(world)
    budget = build_budget_2027(world, lead_value=False)
    ws = world.workspace
    for i in range(10):
        channel = Channel.objects.create(workspace=ws, platform="instagram", handle=f"acme{i}")
        Observation.objects.create(
            workspace=ws, channel=channel, day=date(2026, 2, 1), metric="leads", value=D(i)
        )
    lead = client_for(world, world.lead)
    for i in range(10):
        uuid = send(lead, "post", "/scenarios", {"name": f"S{i}", "year": 2027}).json()["uuid"]
        send(
            lead,
            "post",
            f"/scenarios/{uuid}/changes",
            {"kind": "cut", "line": str(budget["paid"].uuid), "percent": "10"},
        )
    with django_assert_max_num_queries(14):
        body = send(lead, "get", "/roi?from=2026-01-01&to=2026-03-31").json()
    assert len(next(d for d in body["dimensions"] if d["kind"] == "channel")["rows"]) == 11
    with django_assert_max_num_queries(8):
        assert len(send(lead, "get", "/scenarios").json()) == 10

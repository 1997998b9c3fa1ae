"""Writes and totals of the review of current communication activities."""

from __future__ import annotations

from decimal import Decimal

import pytest

from converge.core.errors import ConvergeError
from converge.core.models import AuditEntry
from converge.core.policy import NotPermitted
from converge.finance.models import CommActivity
from converge.finance.review import selectors, services
from tests.conftest import World
from tests.finance.builders_review import activity, build_activities

pytestmark = pytest.mark.django_db
D = Decimal


def test_a_lead_adds_an_activity_and_it_is_audited(world: World) -> None:
    item = activity(world, "Printed catalogue", "print", "1200000", "60", evidence="Invoices")
    assert item.cost == D(1200000) and item.result_unit == "leads"
    assert AuditEntry.objects.filter(
        action="comm_activity.create", object_id=str(item.uuid)
    ).exists()


@pytest.mark.parametrize("who", ["member", "executive", "guest"])
def test_only_leads_and_owners_may_add_activities(world: World, who: str) -> None:
    with pytest.raises(NotPermitted):
        services.activity_save(
            actor=getattr(world, who), workspace=world.workspace, name="X", kind="print",
            year=2026, cost=D(1), results=D(1), result_unit="leads",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("field", "changes"),
    [
        ("name", {"name": " "}),
        ("cost", {"cost": D(-1)}),
        ("results", {"results": D(-1)}),
        ("result_unit", {"result_unit": ""}),
        ("kind", {"kind": "carrier_pigeon"}),
    ],
)
def test_an_invalid_activity_is_refused_on_the_field_at_fault(
    world: World, field: str, changes: dict[str, object]
) -> None:
    values: dict[str, object] = {
        "name": "Radio", "kind": "radio", "year": 2026, "cost": D(10), "results": D(1),
        "result_unit": "leads", **changes,
    }  # fmt: skip
    with pytest.raises(ConvergeError) as exc:
        services.activity_save(actor=world.lead, workspace=world.workspace, **values)  # type: ignore[arg-type]
    assert exc.value.field == field
    assert not CommActivity.objects.exists()


def test_reviewing_records_who_and_when_and_the_amount_moved(world: World) -> None:
    items = build_activities(world)
    reviewed = services.activity_review(
        actor=world.lead, activity=items["catalogue"], proposal="stop",
        move_to_social=D(150000), in_business_case=True,
    )  # fmt: skip
    assert reviewed.reviewed_by == world.lead and reviewed.reviewed_at is not None
    assert (reviewed.proposal, reviewed.move_to_social, reviewed.in_business_case) == (
        "stop", D(150000), True,
    )  # fmt: skip
    entry = AuditEntry.objects.get(action="comm_activity.review")
    assert entry.changes["proposal"] == ["", "stop"]


@pytest.mark.parametrize(
    ("proposal", "amount", "message"),
    [
        ("keep", "10", "moves no budget"),
        ("stop", "200001", "more than the activity costs"),
        ("reduce", "0", "how much"),
        ("maybe", "0", "keep, reduce or stop"),
    ],
)
def test_a_review_that_does_not_add_up_is_refused(
    world: World, proposal: str, amount: str, message: str
) -> None:
    items = build_activities(world)
    with pytest.raises(ConvergeError) as exc:
        services.activity_review(
            actor=world.lead, activity=items["catalogue"], proposal=proposal,
            move_to_social=D(amount),
        )  # fmt: skip
    assert message in exc.value.message
    items["catalogue"].refresh_from_db()
    assert items["catalogue"].reviewed_at is None


def test_a_social_activity_is_not_reviewed_and_a_member_may_not_review(world: World) -> None:
    items = build_activities(world)
    with pytest.raises(ConvergeError):
        services.activity_review(
            actor=world.lead, activity=items["paid"], proposal="keep", move_to_social=D(0)
        )
    with pytest.raises(NotPermitted):
        services.activity_review(
            actor=world.member, activity=items["catalogue"], proposal="stop", move_to_social=D(1)
        )


def test_totals_count_the_freed_budget_and_what_moves_to_social(world: World) -> None:
    items = build_activities(world)
    services.activity_review(
        actor=world.lead, activity=items["catalogue"], proposal="stop",
        move_to_social=D(150000), in_business_case=True,
    )  # fmt: skip
    services.activity_review(
        actor=world.lead, activity=items["newsletter"], proposal="reduce",
        move_to_social=D(15000),
    )  # fmt: skip
    services.activity_review(
        actor=world.lead, activity=items["fair"], proposal="keep", move_to_social=D(0)
    )
    totals = selectors.totals(world.workspace, 2026)
    # cost: 60,000 + 40,000 + 200,000 + 30,000 + 50,000 + 25,000 + 80,000 = 485,000
    assert totals["cost"] == D(485000)
    assert totals["social_cost"] == D(100000)
    # freed: the stopped catalogue's whole cost + the newsletter's reduction = 215,000
    assert totals["freed"] == D(215000)
    assert totals["moved"] == D(165000)
    assert selectors.totals(world.workspace, 2026, in_case_only=True)["moved"] == D(150000)


def test_ranking_groups_by_unit_and_orders_by_cost_per_result(world: World) -> None:
    build_activities(world)
    groups = selectors.ranked(list(selectors.activities(world.workspace, 2026)))
    assert [g.unit for g in groups] == ["leads", "store visits"]
    assert [r.activity.name for r in groups[0].rows] == [
        "Trade fair", "Organic social", "Newsletter", "Paid social", "Printed catalogue",
        "Posters",
    ]  # fmt: skip
    assert groups[0].social_cost_per_result == D("1666.67")  # 100,000 / 60, to the cent
    assert groups[1].social_cost_per_result is None


def test_deleting_an_activity_is_audited(world: World) -> None:
    item = activity(world, "Radio", "radio", "1", "1")
    services.activity_delete(actor=world.lead, activity=item)
    assert not CommActivity.objects.exists()
    assert AuditEntry.objects.filter(action="comm_activity.delete").exists()


def test_the_cost_cannot_drop_below_what_the_review_moves_to_social(world: World) -> None:
    items = build_activities(world)
    catalogue = services.activity_review(
        actor=world.lead, activity=items["catalogue"], proposal="stop", move_to_social=D(150000)
    )
    with pytest.raises(ConvergeError) as exc:
        services.activity_save(
            actor=world.lead, workspace=world.workspace, activity=catalogue,
            name="Printed catalogue", kind="print", year=2026, cost=D(100000), results=D(10),
            result_unit="leads",
        )  # fmt: skip
    assert exc.value.field == "cost"
    catalogue.refresh_from_db()
    assert catalogue.cost == D(200000)

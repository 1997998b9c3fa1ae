"""RACI: exactly one party decides each activity, someone executes, someone pays, and the
shares of the bill add up to 100% — checked by pure rules, saved by the services."""

from __future__ import annotations

from decimal import Decimal

import pytest

from converge.core.errors import ConvergeError
from converge.core.models import Membership
from converge.core.policy import NotPermitted
from converge.operating import raci, selectors, services
from converge.operating.gaps import describe_gap
from tests.conftest import World
from tests.factories import DepartmentFactory

D = Decimal


def cell(party: str, role: str, share: str | None = None, activity: str = "a") -> raci.Cell:
    return raci.Cell(activity, party, role, D(share) if share else None)


def kinds(gaps: list[raci.Gap]) -> list[str]:
    return [g.kind for g in gaps]


def test_a_complete_activity_has_no_gaps() -> None:
    cells = [cell("mkt", "decides"), cell("mkt", "executes"), cell("mkt", "pays", "100")]
    assert raci.check_activity("a", cells) == []


def test_two_deciders_are_a_gap_naming_both() -> None:
    cells = [
        cell("mkt", "decides"),
        cell("pr", "decides"),
        cell("pr", "executes"),
        cell("mkt", "pays", "100"),
    ]
    gaps = raci.check_activity("a", cells)
    assert kinds(gaps) == ["several_deciders"]
    assert gaps[0].parties == ("mkt", "pr")


def test_shares_of_60_and_30_do_not_add_up() -> None:
    cells = [
        cell("mkt", "decides"),
        cell("mkt", "executes"),
        cell("mkt", "pays", "60"),
        cell("sales", "pays", "30"),
    ]
    gaps = raci.check_activity("a", cells)
    assert kinds(gaps) == ["shares_not_100"]
    assert gaps[0].total == D(90)


def test_shares_of_70_and_30_add_up() -> None:
    cells = [
        cell("mkt", "decides"),
        cell("it", "executes"),
        cell("mkt", "pays", "70"),
        cell("sales", "pays", "30"),
    ]
    assert raci.check_activity("a", cells) == []


def test_an_activity_without_payer_decider_or_executor_has_three_gaps() -> None:
    gaps = raci.check_activity("a", [cell("legal", "consulted"), cell("ceo", "informed")])
    assert kinds(gaps) == ["no_decider", "no_executor", "no_payer"]


def test_a_payer_without_a_share_is_a_gap() -> None:
    cells = [cell("mkt", "decides"), cell("mkt", "executes"), cell("mkt", "pays")]
    assert kinds(raci.check_activity("a", cells)) == ["share_missing", "shares_not_100"]


def test_the_check_runs_activity_by_activity_in_order() -> None:
    cells = [cell("mkt", "decides", activity="b")]
    gaps = raci.check(["a", "b"], cells)
    assert [(g.activity, g.kind) for g in gaps] == [
        ("a", "no_decider"),
        ("a", "no_executor"),
        ("a", "no_payer"),
        ("b", "no_executor"),
        ("b", "no_payer"),
    ]


@pytest.mark.parametrize(
    ("role", "share", "problem"),
    [
        ("pays", "100", None),
        ("pays", "0.5", None),
        ("pays", "0", "share_out_of_range"),
        ("pays", "101", "share_out_of_range"),
        ("decides", "50", "share_without_paying"),
        ("informed", None, None),
    ],
)
def test_only_payers_carry_a_share_above_0_and_at_most_100(
    role: str, share: str | None, problem: str | None
) -> None:
    assert raci.share_problem(role, D(share) if share else None) == problem


def test_gaps_read_as_sentences() -> None:
    gap = raci.Gap("Tool purchases", "shares_not_100", ("IT", "Marketing"), D("90.00"))
    assert describe_gap(gap) == "Tool purchases: the shares of the bill add up to 90%, not 100%."
    assert describe_gap(raci.Gap("Crisis", "no_decider")) == "Crisis: nobody decides."


def test_the_matrix_is_saved_and_its_gaps_listed(world: World) -> None:
    ws, lead = world.workspace, world.lead
    marketing = DepartmentFactory(workspace=ws, name="Marketing", slug="marketing")
    services.raci_defaults_add(actor=lead, workspace=ws)
    activities = {r.activity.name: r.activity for r in selectors.raci_matrix(ws).rows}
    crisis = activities["Crisis response"]
    services.raci_replace(
        actor=lead,
        workspace=ws,
        cells=[
            services.CellInput(crisis, "decides", department=marketing),
            services.CellInput(crisis, "decides", department=world.department),
            services.CellInput(crisis, "executes", department=world.department),
            services.CellInput(crisis, "pays", department=marketing, pay_share=D(60)),
            services.CellInput(crisis, "pays", department=world.department, pay_share=D(30)),
        ],
    )
    matrix = selectors.raci_matrix(ws)
    row = next(r for r in matrix.rows if r.activity == crisis)
    assert kinds(row.gaps) == ["several_deciders", "shares_not_100"]
    assert row.gaps[0].parties == ("Customer Service", "Marketing")
    assert len(matrix.rows) == len(services.DEFAULT_ACTIVITIES)
    assert "Opening a new channel" in [g.activity for g in matrix.gaps]


def test_a_lone_payer_without_a_share_pays_everything(world: World) -> None:
    activity = services.raci_activity_save(
        actor=world.lead, workspace=world.workspace, name="Tool purchases"
    )
    row = services.raci_assign(
        actor=world.lead, activity=activity, role="pays", department=world.department
    )
    assert row.pay_share == D(100)


def test_a_share_for_someone_who_does_not_pay_is_refused_and_nothing_is_saved(
    world: World,
) -> None:
    activity = services.raci_activity_save(
        actor=world.lead, workspace=world.workspace, name="Crisis response"
    )
    with pytest.raises(ConvergeError):
        services.raci_replace(
            actor=world.lead,
            workspace=world.workspace,
            cells=[
                services.CellInput(activity, "executes", department=world.department),
                services.CellInput(
                    activity, "decides", department=world.department, pay_share=D(50)
                ),
            ],
        )
    assert not activity.assignments.exists()


def test_a_person_can_hold_a_role_and_gets_a_column(world: World) -> None:
    activity = services.raci_activity_save(
        actor=world.lead, workspace=world.workspace, name="Crisis response"
    )
    ceo = Membership.objects.get(user=world.executive, workspace=world.workspace)
    services.raci_assign(actor=world.lead, activity=activity, role="decides", membership=ceo)
    matrix = selectors.raci_matrix(world.workspace)
    assert matrix.parties[-1].name == "Erik Executive"
    assert matrix.rows[0].cells[-1] == {"decides": True}


def test_a_member_may_not_change_the_raci(world: World) -> None:
    with pytest.raises(NotPermitted):
        services.raci_activity_save(actor=world.member, workspace=world.workspace, name="X")

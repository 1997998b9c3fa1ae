"""Scenario arithmetic: cuts and moves in order, funding split to the cent, projections at the
observed cost per result, and ROI sensitivity — on hand-computed cases and as properties."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converge.finance.roi import roi, sensitivity
from converge.finance.scenario_math import (
    Change,
    ScenarioProblem,
    apply_changes,
    funding,
    projected_results,
)

D = Decimal
PLAN = {"ads": D("100000.00"), "agency": D("50000.00"), "staff": D("300000.00")}


def test_a_cut_takes_its_percentage_of_what_the_line_has_left() -> None:
    after = apply_changes(
        PLAN, [Change("cut", "ads", percent=D(15)), Change("cut", "ads", percent=D(10))]
    )
    assert after["ads"] == D("76500.00")  # 100,000 − 15,000, then − 8,500
    assert after["agency"] == PLAN["agency"]


def test_a_move_keeps_the_total() -> None:
    after = apply_changes(PLAN, [Change("move", "agency", "ads", amount=D(20000))])
    assert (after["agency"], after["ads"]) == (D(30000), D(120000))
    assert sum(after.values()) == sum(PLAN.values())


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (Change("cut", "nope", percent=D(10)), "unknown_line"),
        (Change("cut", "ads", percent=D(0)), "percent_out_of_range"),
        (Change("cut", "ads", percent=D("100.01")), "percent_out_of_range"),
        (Change("move", "ads", "ads", amount=D(1)), "same_line"),
        (Change("move", "ads", "agency", amount=D(0)), "amount_not_positive"),
        (Change("move", "agency", "ads", amount=D("50000.01")), "more_than_left"),
    ],
)
def test_a_change_that_cannot_apply_says_why_and_where(change: Change, code: str) -> None:
    with pytest.raises(ScenarioProblem) as caught:
        apply_changes(PLAN, [Change("cut", "staff", percent=D(1)), change])
    assert (caught.value.code, caught.value.position) == (code, 1)


def test_funding_follows_each_lines_shares_and_unallocated_money_is_kept_apart() -> None:
    shares = {"ads": {"B2B": D(75), "Care": D(25)}, "agency": {"B2B": D(100)}}
    assert funding(PLAN, shares) == {
        "B2B": D("125000.00"),
        "Care": D("25000.00"),
        None: D("300000.00"),
    }


def test_results_projected_at_the_observed_cost_per_result() -> None:
    assert projected_results(D(-5000), D(10000), D(6)) == D(-3)  # not via 1,666.67 a result
    assert projected_results(D(-5000), D(0), D(6)) is None
    assert projected_results(D(-5000), D(10000), D(0)) is None


def test_sensitivity_moves_one_part_or_all_of_them() -> None:
    moved = sensitivity({"lead": D(20000), "margin": D(10000)}, D(10000), D(20))
    assert moved["lead"] == (roi(D(26000), D(10000)), roi(D(34000), D(10000)))
    assert moved["*"] == (D("1.4"), D("2.6"))


money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(
    plan=st.lists(money, min_size=2, max_size=6),
    cuts=st.lists(
        st.tuples(st.integers(0, 5), st.decimals(min_value="0.01", max_value=100, places=2)),
        max_size=4,
    ),
)
def test_cuts_never_make_a_line_negative_and_only_ever_lower_the_total(
    plan: list[Decimal], cuts: list[tuple[int, Decimal]]
) -> None:
    amounts = dict(enumerate(plan))
    changes = [Change("cut", i % len(plan), percent=p) for i, p in cuts]
    after = apply_changes(amounts, changes)
    assert all(v >= 0 for v in after.values())
    assert sum(after.values()) <= sum(amounts.values())


@given(
    plan=st.lists(money, min_size=1, max_size=5),
    pick=st.lists(st.integers(1, 10000), min_size=1, max_size=4),
)
def test_funding_adds_up_to_the_budget_to_the_cent(plan: list[Decimal], pick: list[int]) -> None:
    from converge.finance.allocation import split_evenly

    shares = {i: dict(enumerate(split_evenly(len(pick)))) for i in range(len(plan)) if i % 2 == 0}
    got = funding(dict(enumerate(plan)), shares)
    assert sum(got.values()) == sum(plan)

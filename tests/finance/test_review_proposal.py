"""The proposal of the review, as pure arithmetic: compared per result unit with social's cost
per result (a ratio of sums), stop / reduce / keep, and the amount to move."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from converge.finance.review.proposal import Figures, social_cost_per_result, suggest

D = Decimal


def fig(key: str, cost: str, results: str, *, social: bool = False, unit: str = "leads") -> Figures:
    return Figures(key=key, social=social, cost=D(cost), results=D(results), unit=unit)


def by_key(items: list[Figures]) -> dict[str, tuple[str, Decimal, str]]:
    return {s.key: (s.proposal, s.move_to_social, s.reason) for s in suggest(items)}


def test_socials_cost_per_result_is_a_ratio_of_sums_not_an_average_of_ratios() -> None:
    # 100/10 = 10 and 300/50 = 6 average to 8; the ratio of sums is 400/60 = 6.67
    items = [fig("a", "100", "10", social=True), fig("b", "300", "50", social=True)]
    assert social_cost_per_result(items) == {"leads": D(400) / D(60)}


def test_far_worse_than_social_is_stopped_and_a_little_worse_is_reduced_by_half() -> None:
    items = [
        fig("social", "10000", "10", social=True),  # 1,000 a lead
        fig("catalogue", "50000", "10"),  # 5,000: ≥ 2× → stop, move all
        fig("newsletter", "15001", "10"),  # 1,500.10: worse, < 2× → reduce, move half
        fig("fair", "9000", "10"),  # 900: better → keep
        fig("exactly_twice", "20000", "10"),  # 2,000 = 2× → stop
    ]
    assert by_key(items) == {
        "social": ("", D(0), "social"),
        "catalogue": ("stop", D(50000), "far_worse"),
        "newsletter": ("reduce", D("7500.50"), "worse"),
        "fair": ("keep", D(0), "as_good"),
        "exactly_twice": ("stop", D(20000), "far_worse"),
    }


def test_an_activity_without_results_is_stopped_and_one_of_another_unit_is_kept() -> None:
    items = [
        fig("social", "1000", "10", social=True),
        fig("posters", "25000", "0"),
        fig("radio", "80000", "4", unit="store visits"),
    ]
    out = by_key(items)
    assert out["posters"] == ("stop", D(25000), "no_results")
    assert out["radio"] == ("keep", D(0), "no_comparison")


def test_units_are_compared_ignoring_case_and_spaces() -> None:
    items = [
        fig("s", "1000", "10", social=True, unit="Leads "),
        fig("p", "5000", "10", unit="leads"),
    ]
    assert by_key(items)["p"][0] == "stop"


money = st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False)


@given(st.lists(st.tuples(money, money, st.booleans()), min_size=1, max_size=8))
def test_the_amount_to_move_is_never_negative_nor_more_than_the_cost(
    rows: list[tuple[Decimal, Decimal, bool]],
) -> None:
    items = [
        Figures(key=str(i), social=s, cost=c, results=r, unit="leads")
        for i, (c, r, s) in enumerate(rows)
    ]
    for item, s in zip(items, suggest(items), strict=True):
        assert D(0) <= s.move_to_social <= item.cost
        if s.proposal == "stop":
            assert s.move_to_social == item.cost
        if s.proposal in ("keep", ""):
            assert s.move_to_social == 0

"""Properties of the budget's arithmetic (hypothesis): money split by shares adds up to the
amount; even shares add up to 100; category totals add up to the grand total."""

from __future__ import annotations

import itertools
import random
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from converge.finance.allocation import problems, split_amount, split_evenly
from converge.finance.budget import figures, selectors, services
from converge.finance.models import Category
from tests.conftest import World
from tests.finance.builders_budget import line

cents = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


@st.composite
def valid_shares(draw: st.DrawFn) -> list[Decimal]:
    """1–12 shares of two decimals, each more than 0, adding up to exactly 100."""
    n = draw(st.integers(min_value=1, max_value=12))
    cuts = sorted(draw(st.lists(st.integers(1, 9999), min_size=n - 1, max_size=n - 1, unique=True)))
    points = [0, *cuts, 10000]
    return [Decimal(b - a) / 100 for a, b in itertools.pairwise(points)]


@given(amounts=st.lists(cents, min_size=1, max_size=20), shares=valid_shares())
def test_every_amount_split_by_valid_shares_adds_up_to_the_amount(
    amounts: list[Decimal], shares: list[Decimal]
) -> None:
    assert problems(shares) == []
    for amount in amounts:
        parts = split_amount(amount, dict(enumerate(shares)))
        assert sum(parts.values(), Decimal(0)) == amount
        assert all(p == p.quantize(Decimal("0.01")) for p in parts.values())


@given(st.integers(min_value=1, max_value=500))
def test_n_even_shares_add_up_to_100_and_are_valid(n: int) -> None:
    shares = split_evenly(n)
    assert len(shares) == n
    assert sum(shares, Decimal(0)) == Decimal(100)
    assert problems(shares) == []


totals = st.builds(
    figures.Totals,
    planned=cents,
    committed=cents,
    actual=st.decimals(min_value=Decimal("-999999"), max_value=Decimal("99999999"), places=2),
)


@given(st.dictionaries(st.sampled_from(Category.values), st.lists(totals, max_size=8)))
def test_category_totals_add_up_to_the_grand_total(
    by_category: dict[str, list[figures.Totals]],
) -> None:
    per_category = [figures.add_up(rows) for rows in by_category.values()]
    grand = figures.add_up(per_category)
    every_row = [row for rows in by_category.values() for row in rows]
    assert grand.planned == sum((r.planned for r in every_row), Decimal(0))
    assert grand.committed == sum((r.committed for r in every_row), Decimal(0))
    assert grand.actual == sum((r.actual for r in every_row), Decimal(0))
    assert grand.remaining == grand.planned - grand.actual


def test_burn_is_a_ratio_of_sums_not_an_average_of_ratios() -> None:
    a = figures.Totals(planned=Decimal(100), actual=Decimal(100))  # 100 %
    b = figures.Totals(planned=Decimal(900), actual=Decimal(0))  # 0 %
    assert figures.add_up([a, b]).burn == Decimal("0.1")  # not (100 % + 0 %) / 2
    assert figures.Totals().burn is None


def test_growth_is_on_the_year_before() -> None:
    assert figures.growth(Decimal(1900000), Decimal(2400000)) == Decimal("26.3")
    assert figures.growth(Decimal(0), Decimal(5)) is None
    assert figures.growth(None, Decimal(5)) is None


@pytest.mark.django_db
def test_the_sql_totals_equal_the_sum_of_the_rows_shown(world: World) -> None:
    rng = random.Random(8)
    made = []
    for i in range(30):
        category = rng.choice(Category.values)
        made.append(
            line(
                world,
                f"Line {i}",
                category=category,
                platform="",
                planned=f"{rng.randint(0, 10**7)}.{rng.randint(0, 99):02d}",
                committed=f"{rng.randint(0, 10**6)}.{rng.randint(0, 99):02d}",
            )
        )
    for _ in range(60):
        services.spend_add(
            actor=world.lead,
            workspace=world.workspace,
            line=rng.choice(made),
            day=date(2026, rng.randint(1, 12), rng.randint(1, 28)),
            amount=Decimal(f"{rng.randint(-1000, 100000)}.{rng.randint(1, 99):02d}"),
        )
    budget = selectors.year_budget(world.workspace, 2026)
    for block in budget.categories:
        assert block.totals.planned == sum((x.planned for x in block.lines), Decimal(0))
        assert block.totals.committed == sum((x.committed for x in block.lines), Decimal(0))
        assert block.totals.actual == sum((x.actual for x in block.lines), Decimal(0))
    rows = [x for block in budget.categories for x in block.lines]
    assert len(rows) == 30
    assert budget.total.planned == sum((x.planned for x in rows), Decimal(0))
    assert budget.total.actual == sum((x.actual for x in rows), Decimal(0))

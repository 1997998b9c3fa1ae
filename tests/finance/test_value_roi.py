"""The ROI report on a small world computed by hand (see ``builders_value.Small``): cost is the
spend booked in the period, value is units × value per unit, soft value stays apart, and every
drill-down adds up to the figure it explains."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from converge.finance.value import selectors
from converge.measurement.selectors import Period
from tests.conftest import World
from tests.finance.builders_value import Small, build_small

pytestmark = pytest.mark.django_db
D = Decimal
Q1 = (date(2026, 1, 1), date(2026, 3, 31))


@pytest.fixture
def small(world: World) -> Small:
    return build_small(world)


def rows(dimension: selectors.Dimension) -> dict[str, tuple[Decimal, Decimal, Decimal | None]]:
    return {r.name: (r.cost, r.value, r.roi) for r in dimension.rows}


def test_roi_is_hard_value_less_cost_over_cost_with_soft_value_apart(
    world: World, small: Small
) -> None:
    report = selectors.roi_report(world.workspace, *Q1)
    assert report.total_cost == D("12000.00")
    assert report.hard_value == D(24000)  # 6 leads × 4,000
    assert report.roi == D(1)
    assert report.soft_value == D(5000)  # 100 mentions × 50, never in ROI
    (lead,) = report.hard
    assert (lead.units, lead.value, lead.cost_per_result) == (D(6), D(24000), D(2000))
    assert lead.rows_url.endswith("/metrics/leads/rows/?from=2026-01-01&to=2026-03-31")
    assert [r.assumption.name for r in report.soft] == ["Earned media"]


def test_channels_split_cost_by_allocation_and_add_up_to_the_total(
    world: World, small: Small
) -> None:
    report = selectors.roi_report(world.workspace, *Q1)
    got = rows(report.channels)
    assert got["LinkedIn Acme AB"] == (D("7500.00"), D(12000), D("0.6"))
    assert got["Facebook Acme"] == (D("2500.00"), D(8000), D("2.2"))
    rest = got["No channel (business figures) and spend not allocated to a channel"]
    assert rest == (D("2000.00"), D(4000), D(1))
    assert sum(v for _c, v, _r in got.values()) == report.hard_value
    assert report.channels.cost == report.total_cost


def test_objectives_and_initiatives_count_their_kpis_results_on_the_days_they_ran(
    world: World, small: Small
) -> None:
    report = selectors.roi_report(world.workspace, *Q1)
    assert rows(report.objectives)["Win B2B leads on social"] == (
        D("10000.00"),
        D(24000),
        D("1.4"),
    )
    # The initiative ran from 1 February: 5 of the quarter's 6 leads.
    assert rows(report.initiatives)["B2B stories"] == (D("10000.00"), D(20000), D(1))
    # Spend not allocated to an objective or initiative has a cost and no ROI of its own.
    assert rows(report.initiatives)["Not allocated"] == (D("2000.00"), D(0), None)
    (objective,) = [r for r in report.objectives.rows if r.key != selectors.NONE]
    assert [(r.units, r.cost_per_result) for r in objective.results] == [(D(6), D("10000") / 6)]


def test_sensitivity_moves_the_value_by_the_step_both_ways(world: World, small: Small) -> None:
    report = selectors.roi_report(world.workspace, *Q1, step=D(20))
    (row,) = report.sensitivity
    assert (row.low, row.high) == (D("0.6"), D("1.4"))  # 19,200 and 28,800 on 12,000


def test_quarters_split_a_longer_period(world: World, small: Small) -> None:
    report = selectors.roi_report(world.workspace, date(2026, 2, 1), date(2026, 4, 30))
    assert [(q.label, q.cost, q.value) for q in report.quarters] == [
        ("2026 Q1", D(8000), D(20000)),
        ("2026 Q2", D(9999), D(200000)),
    ]
    assert sum((q.cost for q in report.quarters), D(0)) == report.total_cost


def test_a_cost_drill_down_adds_up_to_the_figure_it_explains(world: World, small: Small) -> None:
    period = Period(*Q1)
    report = selectors.roi_report(world.workspace, *Q1)
    assert selectors.cost_rows(world.workspace, period).total == report.total_cost
    for dimension in report.dimensions:
        for row in dimension.rows:
            found = selectors.cost_rows(world.workspace, period, dimension.kind, row.key)
            assert found.total == row.cost, (dimension.kind, row.name)
    linkedin = selectors.cost_rows(world.workspace, period, "channel", str(small.linkedin.uuid))
    assert [(r.entry.amount, r.share, r.counted) for r in linkedin.rows] == [
        (D("4000.00"), D("75.00"), D("3000.00")),
        (D("6000.00"), D("75.00"), D("4500.00")),
    ]


def test_without_a_value_model_there_is_cost_and_no_return(world: World) -> None:
    report = selectors.roi_report(world.workspace, *Q1)
    assert (report.total_cost, report.hard_value, report.roi) == (D(0), D(0), None)
    assert report.sensitivity == []

"""The business case's own arithmetic, on hand-computed cases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from converge.reports.business_case import (
    contingency,
    periods_per_year,
    stretched_end,
    value_per_year,
    years_counted,
)

D = Decimal


def test_a_twenty_percent_contingency_on_3_400_000_is_680_000() -> None:
    assert contingency(D(3_400_000), D(20)) == D("680000.00")
    assert contingency(D("333.33"), D("12.5")) == D("41.67")  # 41.66625 rounds half up


def test_a_schedule_contingency_stretches_the_duration_from_the_same_start() -> None:
    # 2027-01-01 → 2027-12-31 is 364 days; × 1.2 = 436.8 → 437 days → 2028-03-13
    assert stretched_end(date(2027, 1, 1), date(2027, 12, 31), D(20)) == date(2028, 3, 13)
    assert stretched_end(date(2027, 1, 1), date(2027, 1, 11), D(0)) == date(2027, 1, 11)


def test_periods_per_year_come_from_the_unit_first_then_the_window() -> None:
    assert periods_per_year("cases/month", "year") == 12
    assert periods_per_year("calls per quarter", "") == 4
    assert periods_per_year("", "month") == 12
    assert periods_per_year("", "") == 1
    assert periods_per_year("SEK", "year") == 1


def test_the_value_of_a_kpi_reaching_its_target() -> None:
    # leads 40 → 300 a year at 2,500 each: 260 × 2,500 = 650,000
    assert value_per_year(
        baseline=D(40), target=D(300), direction="increase", unit="", window="year",
        unit_value=D(2500),
    ) == D("650000.00")  # fmt: skip
    # calls 14,200 → 11,400 a month, 68 saved per call avoided: 2,800 × 12 × 68 = 2,284,800
    assert value_per_year(
        baseline=D(14200), target=D(11400), direction="decrease", unit="calls/month",
        window="", unit_value=D(68),
    ) == D("2284800.00")  # fmt: skip
    # a target no better than the baseline, or a band, is worth nothing
    for direction, target in (("increase", D(30)), ("band", D(50))):
        assert value_per_year(
            baseline=D(40), target=target, direction=direction, unit="", window="",
            unit_value=D(1),
        ) is None  # fmt: skip


def test_value_counts_from_the_year_the_target_is_due() -> None:
    assert years_counted(2028, [2027, 2028, 2029]) == [2028, 2029]
    assert years_counted(2025, [2027, 2028, 2029]) == [2027, 2028, 2029]
    assert years_counted(None, [2027, 2028, 2029]) == [2027, 2028, 2029]
    assert years_counted(2031, [2027, 2028, 2029]) == []

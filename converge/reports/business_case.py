"""The business case's own arithmetic, pure (no Django): contingency on cost and on schedule,
and the expected extra value of a KPI reaching its target.

Rules, stated once and shown in the case:

* **Contingency on cost**: each year's cost × the percentage, to the cent; the total with
  contingency is cost + contingency.
* **Contingency on schedule**: an initiative's duration (end − start, in days) × (1 + the
  percentage), rounded up to whole days, from the same start: it will take longer.
* **Expected extra value per year** of a KPI whose metric has a hard value assumption:
  the improvement from baseline to target (target − baseline for a KPI to increase,
  baseline − target for one to decrease; none for a band) × how many such periods a year has
  (a KPI in "cases/month" or measured over a month counts twelve times) × the value of one
  unit. It is counted for each year of the case from the year of the KPI's target date on
  (from the first year when it has none): the target is not reached before it is due."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
HUNDRED = Decimal(100)

UNIT_PERIODS = (
    (("/day", "per day", "/dag", "per dag"), 365),
    (("/week", "per week", "/vecka", "per vecka"), 52),
    (("/month", "per month", "/månad", "per månad"), 12),
    (("/quarter", "per quarter", "/kvartal", "per kvartal"), 4),
    (("/year", "per year", "/år", "per år"), 1),
)
WINDOW_PERIODS = {"day": 365, "week": 52, "month": 12, "quarter": 4, "year": 1, "": 1}


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def contingency(cost: Decimal, percent: Decimal) -> Decimal:
    """The contingency added to ``cost`` (to the cent)."""
    return cents(cost * percent / HUNDRED)


def stretched_end(start: date, end: date, percent: Decimal) -> date:
    """The end date when the duration from ``start`` grows by ``percent``."""
    days = max((end - start).days, 0)
    grown = Decimal(days) * (1 + percent / HUNDRED)
    return start + timedelta(days=math.ceil(grown))


def periods_per_year(unit: str, window: str = "") -> int:
    """How many of the KPI's periods make a year: from its unit ("cases/month") first, else
    from the window it is measured over; a yearly figure otherwise."""
    text = " ".join((unit or "").split()).casefold()
    for endings, count in UNIT_PERIODS:
        if text.endswith(endings):
            return count
    return WINDOW_PERIODS.get(window or "", 1)


def improvement(baseline: Decimal, target: Decimal, direction: str) -> Decimal | None:
    """How far the target is better than the baseline, or None (band, or no improvement)."""
    if direction == "increase":
        gain = target - baseline
    elif direction == "decrease":
        gain = baseline - target
    else:
        return None
    return gain if gain > 0 else None


def value_per_year(
    *,
    baseline: Decimal,
    target: Decimal,
    direction: str,
    unit: str,
    window: str,
    unit_value: Decimal,
) -> Decimal | None:
    gain = improvement(baseline, target, direction)
    if gain is None:
        return None
    return cents(gain * periods_per_year(unit, window) * unit_value)


def years_counted(target_year: int | None, years: list[int]) -> list[int]:
    """The years of the case in which a KPI's extra value counts."""
    start = target_year if target_year is not None else (years[0] if years else 0)
    return [y for y in years if y >= start]

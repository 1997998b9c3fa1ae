"""The pure arithmetic of return (no Django): ROI = (value − cost) / cost (Blanchard 2011),
cost per result, both as ratios of sums over a period. ``None`` where a figure does not exist
(no cost, no results): a page shows "—", never a division by zero or an invented 0."""

from __future__ import annotations

from decimal import Decimal


def roi(value: Decimal, cost: Decimal) -> Decimal | None:
    """(value − cost) / cost as a fraction (0.25 is 25%); None without cost."""
    if cost <= 0:
        return None
    return (value - cost) / cost


def cost_per_result(cost: Decimal, results: Decimal) -> Decimal | None:
    if results <= 0:
        return None
    return cost / results

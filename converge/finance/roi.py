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


def scaled(value: Decimal, percent: Decimal) -> Decimal:
    """``value`` moved by ``percent`` (−20 is 20% less)."""
    return value * (Decimal(100) + percent) / Decimal(100)


def sensitivity(
    parts: dict[str, Decimal], cost: Decimal, step: Decimal
) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """ROI when one part of the hard value is ``step`` percent lower and higher, the others
    held (key → (ROI at −step, ROI at +step)), and when all move together (key ``"*"``)."""
    total = sum(parts.values(), Decimal(0))
    out: dict[str, tuple[Decimal | None, Decimal | None]] = {}
    for key, part in parts.items():
        out[key] = (
            roi(total - part + scaled(part, -step), cost),
            roi(total - part + scaled(part, step), cost),
        )
    out["*"] = (roi(scaled(total, -step), cost), roi(scaled(total, step), cost))
    return out

"""Pure arithmetic of allocations: splitting a budget line's cost over what it funds.

Shares are percentages with two decimals. Per line and dimension they add up to exactly 100;
money split by shares adds up to exactly the amount split (the remainder cent goes to the
largest shares first), so a report's rows always sum to its total."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_DOWN, Decimal
from typing import TypeVar

K = TypeVar("K")

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def split_evenly(n: int) -> list[Decimal]:
    """``n`` shares of two decimals that add up to exactly 100 (the first ones a cent more)."""
    if n <= 0:
        return []
    base = (HUNDRED / n).quantize(CENT, rounding=ROUND_DOWN)
    extra = int((HUNDRED - base * n) / CENT)
    return [base + CENT if i < extra else base for i in range(n)]


def problems(shares: Sequence[Decimal]) -> list[str]:
    """What is wrong with a set of shares (empty when they are a valid allocation). Plain
    English codes; the service turns them into messages."""
    found: list[str] = []
    if any(s <= 0 or s > HUNDRED for s in shares):
        found.append("share_out_of_range")
    if any(s != s.quantize(CENT) for s in shares):
        found.append("share_too_precise")
    if shares and sum(shares, Decimal(0)) != HUNDRED:
        found.append("shares_not_100")
    return found


def split_amount(amount: Decimal, shares: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """``amount`` split by percentage ``shares`` (which add up to 100) into whole cents that
    add up to exactly ``amount``. Largest remainder: leftover cents go to the keys whose exact
    part was cut most, ties to the larger share, then to the order given."""
    if not shares:
        return {}
    amount = amount.quantize(CENT)
    exact = {k: amount * s / HUNDRED for k, s in shares.items()}
    floored = {k: v.quantize(CENT, rounding=ROUND_DOWN) for k, v in exact.items()}
    left = int((amount - sum(floored.values(), Decimal(0))) / CENT)
    order = sorted(
        range(len(exact)),
        key=lambda i: (
            -(list(exact.values())[i] - list(floored.values())[i]),
            -list(shares.values())[i],
            i,
        ),
    )
    keys = list(shares)
    step = CENT if left >= 0 else -CENT
    for i in order[: abs(left)]:
        floored[keys[i]] += step
    return floored

"""The pure arithmetic of budget scenarios (no Django): lines cut by a percentage or money moved
between lines, the funding each objective, initiative or channel keeps, and the results a
change of funding projects at the observed cost per result.

Changes apply in order, each to the amounts the previous ones left. A cut rounds to the cent
(half up); a move takes a fixed amount and cannot take more than the line has left."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TypeVar

from converge.finance.allocation import split_amount

K = TypeVar("K", bound=Hashable)
T = TypeVar("T", bound=Hashable)
CENT = Decimal("0.01")
ZERO = Decimal(0)


class ScenarioProblem(ValueError):
    """A change that cannot apply: ``code`` says why (``unknown_line``, ``same_line``,
    ``percent_out_of_range``, ``amount_not_positive``, ``more_than_left``)."""

    def __init__(self, code: str, position: int) -> None:
        super().__init__(code)
        self.code = code
        self.position = position


@dataclass(frozen=True)
class Change:
    kind: str  # "cut" | "move"
    line: Hashable
    to_line: Hashable | None = None
    percent: Decimal | None = None
    amount: Decimal | None = None


def apply_changes(planned: Mapping[K, Decimal], changes: Sequence[Change]) -> dict[K, Decimal]:
    """The lines' amounts after ``changes``; the total only falls by what is cut (a move
    keeps it)."""
    after: dict[K, Decimal] = {k: Decimal(v) for k, v in planned.items()}
    for position, change in enumerate(changes):
        if change.line not in after:
            raise ScenarioProblem("unknown_line", position)
        line: K = change.line  # type: ignore[assignment]
        if change.kind == "cut":
            percent = change.percent if change.percent is not None else ZERO
            if not ZERO < percent <= Decimal(100):
                raise ScenarioProblem("percent_out_of_range", position)
            cut = (after[line] * percent / Decimal(100)).quantize(CENT, ROUND_HALF_UP)
            after[line] -= cut
            continue
        if change.to_line not in after:
            raise ScenarioProblem("unknown_line", position)
        if change.to_line == change.line:
            raise ScenarioProblem("same_line", position)
        amount = change.amount if change.amount is not None else ZERO
        if amount <= 0:
            raise ScenarioProblem("amount_not_positive", position)
        if amount > after[line]:
            raise ScenarioProblem("more_than_left", position)
        to: K = change.to_line  # type: ignore[assignment]
        after[line] -= amount
        after[to] += amount
    return after


def funding(
    amounts: Mapping[K, Decimal], shares: Mapping[K, Mapping[T, Decimal]]
) -> dict[T | None, Decimal]:
    """What each target gets from ``amounts`` split by each line's shares (to the cent);
    lines without shares go to ``None`` (not allocated)."""
    out: dict[T | None, Decimal] = {}
    for line, amount in amounts.items():
        mine = shares.get(line)
        if not mine:
            out[None] = out.get(None, ZERO) + amount.quantize(CENT)
            continue
        for target, part in split_amount(amount, mine).items():
            out[target] = out.get(target, ZERO) + part
    return out


def projected_results(delta_funding: Decimal, cost: Decimal, results: Decimal) -> Decimal | None:
    """Results gained (or lost, negative) when funding changes by ``delta_funding``, if each
    result keeps costing what it did: ``cost`` bought ``results``. Computed as
    delta × results ÷ cost (not through a rounded cost per result). None without both."""
    if cost <= 0 or results <= 0:
        return None
    return delta_funding * results / cost

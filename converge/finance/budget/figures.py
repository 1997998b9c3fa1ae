"""Pure budget arithmetic: adding up lines into totals, burn and growth. No database.

Planned, committed and actual are ``Decimal`` amounts; burn is actual / planned as a ratio of
sums (never an average of ratios); growth is the change of one year's planned amount over the
year before, in percent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Totals:
    planned: Decimal = ZERO
    committed: Decimal = ZERO
    actual: Decimal = ZERO

    @property
    def remaining(self) -> Decimal:
        """What is left of the plan after what was spent (negative when overspent)."""
        return self.planned - self.actual

    @property
    def burn(self) -> Decimal | None:
        return burn(self.actual, self.planned)

    @property
    def burn_percent(self) -> Decimal | None:
        """Burn in whole percent, for showing."""
        ratio = self.burn
        return None if ratio is None else (ratio * HUNDRED).quantize(Decimal("1"), ROUND_HALF_UP)

    def __add__(self, other: Totals) -> Totals:
        return Totals(
            planned=self.planned + other.planned,
            committed=self.committed + other.committed,
            actual=self.actual + other.actual,
        )


def add_up(rows: Iterable[Totals]) -> Totals:
    """The sum of ``rows``, figure by figure."""
    total = Totals()
    for row in rows:
        total = total + row
    return total


def burn(actual: Decimal, planned: Decimal) -> Decimal | None:
    """Actual over planned as a fraction (0.5 = half spent); None when nothing was planned."""
    if not planned:
        return None
    return actual / planned


def growth(before: Decimal | None, after: Decimal | None) -> Decimal | None:
    """Year-on-year change in percent, one decimal; None without a base to grow from."""
    if before is None or after is None or before == 0:
        return None
    return ((after - before) / before * HUNDRED).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

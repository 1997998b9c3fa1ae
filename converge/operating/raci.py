"""The RACI rules, pure: who decides, executes, pays (and how the bill is split), who is
consulted and informed. No Django here: the selectors turn rows into ``Cell``s.

Every activity should have exactly one party that decides, at least one that executes and at
least one that pays; when anyone pays, the shares of the bill add up to 100%."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

DECIDES, EXECUTES, PAYS, CONSULTED, INFORMED = (
    "decides",
    "executes",
    "pays",
    "consulted",
    "informed",
)
ROLES = (DECIDES, EXECUTES, PAYS, CONSULTED, INFORMED)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Cell:
    """One party's role in one activity."""

    activity: str
    party: str
    role: str
    pay_share: Decimal | None = None


@dataclass(frozen=True)
class Gap:
    """Something missing or wrong in one activity's row.

    ``kind`` is one of ``no_decider``, ``several_deciders``, ``no_executor``, ``no_payer``,
    ``shares_not_100`` and ``share_missing``; ``parties`` names those involved and ``total`` is
    the sum of the pay shares (for the share problems)."""

    activity: str
    kind: str
    parties: tuple[str, ...] = ()
    total: Decimal | None = None


def check_activity(activity: str, cells: Iterable[Cell]) -> list[Gap]:
    """The gaps of one activity, in a fixed order."""
    rows = [c for c in cells if c.activity == activity]
    deciders = tuple(sorted(c.party for c in rows if c.role == DECIDES))
    executors = [c for c in rows if c.role == EXECUTES]
    payers = [c for c in rows if c.role == PAYS]
    gaps: list[Gap] = []
    if not deciders:
        gaps.append(Gap(activity, "no_decider"))
    elif len(deciders) > 1:
        gaps.append(Gap(activity, "several_deciders", deciders))
    if not executors:
        gaps.append(Gap(activity, "no_executor"))
    if not payers:
        gaps.append(Gap(activity, "no_payer"))
    else:
        missing = tuple(sorted(c.party for c in payers if c.pay_share is None))
        if missing:
            gaps.append(Gap(activity, "share_missing", missing))
        total = sum((c.pay_share or Decimal(0) for c in payers), Decimal(0))
        if total != HUNDRED:
            gaps.append(
                Gap(activity, "shares_not_100", tuple(sorted(c.party for c in payers)), total)
            )
    return gaps


def check(activities: Sequence[str], cells: Iterable[Cell]) -> list[Gap]:
    """Every gap of the matrix, activity by activity in the order given."""
    all_cells = list(cells)
    return [gap for activity in activities for gap in check_activity(activity, all_cells)]


def share_problem(role: str, share: Decimal | None) -> str | None:
    """Why a share cannot be stored for this role, or None: only payers carry a share, and it
    lies above 0 and at most 100."""
    if share is None:
        return None
    if role != PAYS:
        return "share_without_paying"
    if not (Decimal(0) < share <= HUNDRED):
        return "share_out_of_range"
    return None

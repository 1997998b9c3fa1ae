"""The proposal of the review of current communication activities, as pure arithmetic (no
Django): which activities to stop or reduce, and how much of their budget to move to social.

A cost per result is only comparable with another of the same result unit (a lead is not a
visit), so each activity is compared with *social's* cost per result for its unit: the sum of
the social activities' costs over the sum of their results (a ratio of sums).

The rule, for an activity that is not itself social:

* it has a cost but no results → **stop**, move its whole cost;
* no social activity produces its unit → **keep** (nothing to compare with), move nothing;
* its cost per result is no worse than social's → **keep**, move nothing;
* it is at least twice social's → **stop**, move its whole cost;
* worse than social's but less than twice → **reduce**, move half its cost.

The lead reviews every suggestion and may change both the decision and the amount."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from converge.finance.roi import cost_per_result

KEEP, REDUCE, STOP = "keep", "reduce", "stop"
STOP_FACTOR = Decimal(2)  # at least this many times social's cost per result: stop
REDUCE_SHARE = Decimal("0.5")  # a reduction moves this share of the activity's cost
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figures:
    """One activity as the proposal sees it."""

    key: str
    social: bool
    cost: Decimal
    results: Decimal
    unit: str


@dataclass(frozen=True)
class Suggestion:
    key: str
    proposal: str  # keep / reduce / stop; "" for a social activity (not part of the proposal)
    move_to_social: Decimal
    cost_per_result: Decimal | None
    social_cost_per_result: Decimal | None
    reason: str  # social / no_results / no_comparison / as_good / worse / far_worse


def unit_key(unit: str) -> str:
    """Units compared as written, ignoring case and surrounding spaces ("Leads" = "leads")."""
    return " ".join(unit.split()).casefold()


def social_cost_per_result(activities: Sequence[Figures]) -> dict[str, Decimal | None]:
    """Social's cost per result for each unit the social activities produce."""
    cost: dict[str, Decimal] = {}
    results: dict[str, Decimal] = {}
    for a in activities:
        if a.social:
            unit = unit_key(a.unit)
            cost[unit] = cost.get(unit, Decimal(0)) + a.cost
            results[unit] = results.get(unit, Decimal(0)) + a.results
    return {unit: cost_per_result(cost[unit], results[unit]) for unit in cost}


def suggest(activities: Sequence[Figures]) -> list[Suggestion]:
    """A suggestion for each activity, in the order given."""
    social = social_cost_per_result(activities)
    out: list[Suggestion] = []
    for a in activities:
        own = cost_per_result(a.cost, a.results)
        benchmark = social.get(unit_key(a.unit))
        if a.social:
            out.append(Suggestion(a.key, "", Decimal(0), own, benchmark, "social"))
        elif own is None and a.cost > 0:
            out.append(Suggestion(a.key, STOP, a.cost, own, benchmark, "no_results"))
        elif benchmark is None or own is None:
            out.append(Suggestion(a.key, KEEP, Decimal(0), own, benchmark, "no_comparison"))
        elif own <= benchmark:
            out.append(Suggestion(a.key, KEEP, Decimal(0), own, benchmark, "as_good"))
        elif own >= STOP_FACTOR * benchmark:
            out.append(Suggestion(a.key, STOP, a.cost, own, benchmark, "far_worse"))
        else:
            half = (a.cost * REDUCE_SHARE).quantize(CENT, rounding=ROUND_HALF_UP)
            out.append(Suggestion(a.key, REDUCE, half, own, benchmark, "worse"))
    return out

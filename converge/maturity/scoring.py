"""Scoring a maturity assessment: pure functions, no Django.

* **Gated stages.** A stage counts as reached only when all of its criteria *and* those of every
  earlier stage are met. A workspace that meets all of Strategic but misses one Engagement
  criterion stands at Presence; ``complete_stages`` still tells which stages are complete on
  their own, so the page can say "Strategic is complete, but Engagement is not".
* **Progress** towards the next stage: the share (0–100, rounded down) of the next stage's
  criteria that are met.
* **Success factors**: for each factor, the share (0–100, rounded down) of the criteria serving
  it that are met; ``None`` for a factor no criterion serves.
* **Combining respondents** (self-assessed criteria): the combined answer is the *weakest*
  answer given (no < partly < yes), so a criterion is met only when every respondent who
  answered says yes; "partly" counts as not met; no answer at all is not met. Respondents who
  have not answered are left out. Respondents disagree when they gave different answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

STAGE_COUNT = 6
YES, PARTLY, NO = "yes", "partly", "no"
ANSWERS = (YES, PARTLY, NO)
_STRENGTH = {NO: 0, PARTLY: 1, YES: 2}


@dataclass(frozen=True)
class Item:
    id: str
    stage: int
    factors: tuple[str, ...]
    priority: int = 2


@dataclass(frozen=True)
class Combined:
    value: str | None  # the weakest answer, or None when nobody answered
    disagree: bool
    counts: Mapping[str, int]

    @property
    def met(self) -> bool:
        return self.value == YES


def combine(answers: Iterable[str]) -> Combined:
    given = [a for a in answers if a in _STRENGTH]
    counts = Counter(given)
    return Combined(
        value=min(given, key=_STRENGTH.__getitem__) if given else None,
        disagree=len(counts) > 1,
        counts={a: counts.get(a, 0) for a in ANSWERS},
    )


@dataclass(frozen=True)
class Score:
    stage: int  # the highest stage reached, gated; 0 = not even Planning
    complete_stages: tuple[int, ...]  # stages whose own criteria are all met
    next_stage: int | None  # None once Converged
    progress: int  # percent of the next stage's criteria met (100 once Converged)
    factors: Mapping[str, int | None]
    missing: tuple[str, ...]  # the next stage's unmet criteria, in priority order

    @property
    def gated(self) -> tuple[int, ...]:
        """Stages complete on their own but not reached, because an earlier one is not."""
        return tuple(s for s in self.complete_stages if s > self.stage)


def score(items: Sequence[Item], met: Mapping[str, bool], factors: Sequence[str]) -> Score:
    """Score ``items`` given which of them are ``met`` (missing ids count as not met)."""

    def is_met(item: Item) -> bool:
        return bool(met.get(item.id, False))

    complete = tuple(
        stage
        for stage in range(1, STAGE_COUNT + 1)
        if (of_stage := [i for i in items if i.stage == stage]) and all(map(is_met, of_stage))
    )
    reached = 0
    for stage in range(1, STAGE_COUNT + 1):
        if stage not in complete:
            break
        reached = stage
    next_stage = reached + 1 if reached < STAGE_COUNT else None
    missing: tuple[str, ...] = ()
    if next_stage is None:
        progress = 100
    else:
        of_next = [i for i in items if i.stage == next_stage]
        done = sum(1 for i in of_next if is_met(i))
        progress = (100 * done // len(of_next)) if of_next else 0
        order = {i.id: n for n, i in enumerate(items)}
        missing = tuple(
            i.id
            for i in sorted(
                (i for i in of_next if not is_met(i)), key=lambda i: (i.priority, order[i.id])
            )
        )
    factor_scores: dict[str, int | None] = {}
    for factor in factors:
        serving = [i for i in items if factor in i.factors]
        factor_scores[factor] = (
            100 * sum(1 for i in serving if is_met(i)) // len(serving) if serving else None
        )
    return Score(
        stage=reached,
        complete_stages=complete,
        next_stage=next_stage,
        progress=progress,
        factors=factor_scores,
        missing=missing,
    )

"""Pure rules of the strategy: KPI validity and the alignment check. No Django imports.

The alignment check takes plain facts (built by ``selectors.alignment_facts``) and returns
every gap with the rule it broke and the object it concerns; the score is the share of checks
passed. Each rule is one function so it can be tested, and explained, on its own."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

# --- KPI validity -------------------------------------------------------------------------

KPI_PROBLEMS = (
    "missing_baseline",
    "missing_target",
    "missing_dates",
    "target_date_not_after_baseline",
    "target_not_in_direction",
    "band_invalid",
)


@dataclass(frozen=True)
class KpiFigures:
    direction: str  # increase | decrease | band
    baseline_value: Decimal | None
    baseline_date: date | None
    target_value: Decimal | None
    target_date: date | None
    band_low: Decimal | None = None
    band_high: Decimal | None = None


def kpi_problems(k: KpiFigures) -> list[str]:
    """What is missing or impossible about a KPI's baseline, target and dates."""
    problems: list[str] = []
    if k.baseline_value is None:
        problems.append("missing_baseline")
    if k.direction == "band":
        if k.band_low is None or k.band_high is None or k.band_low > k.band_high:
            problems.append("band_invalid")
    elif k.target_value is None:
        problems.append("missing_target")
    if k.baseline_date is None or k.target_date is None:
        problems.append("missing_dates")
    elif k.target_date <= k.baseline_date:
        problems.append("target_date_not_after_baseline")
    if k.baseline_value is not None and k.target_value is not None:
        if k.direction == "increase" and not k.target_value > k.baseline_value:
            problems.append("target_not_in_direction")
        if k.direction == "decrease" and not k.target_value < k.baseline_value:
            problems.append("target_not_in_direction")
    return problems


# --- Alignment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalFact:
    ref: str
    label: str
    objectives: int


@dataclass(frozen=True)
class ObjectiveFact:
    ref: str
    label: str
    kpis: int
    start: date
    end: date
    cadence_days: int
    last_review: date | None


@dataclass(frozen=True)
class KpiFact:
    ref: str
    label: str
    figures: KpiFigures


@dataclass(frozen=True)
class DepartmentFact:
    ref: str
    label: str
    objectives: int


@dataclass(frozen=True)
class AudienceFact:
    ref: str
    label: str
    evidence: int
    messages: int


@dataclass(frozen=True)
class InitiativeFact:
    ref: str
    label: str
    goals: int
    objectives: int
    end: date


@dataclass(frozen=True)
class StrategyFacts:
    goals: Sequence[GoalFact] = ()
    objectives: Sequence[ObjectiveFact] = ()
    kpis: Sequence[KpiFact] = ()
    departments: Sequence[DepartmentFact] = ()
    audiences: Sequence[AudienceFact] = ()
    initiatives: Sequence[InitiativeFact] = ()


@dataclass(frozen=True)
class Gap:
    rule: str
    kind: str  # goal | objective | kpi | department | audience | initiative | roadmap
    ref: str
    label: str
    detail: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    passed: int
    total: int
    gaps: list[Gap] = field(default_factory=list)

    @property
    def score(self) -> Decimal:
        """Share of checks passed, 0–100, one decimal. An empty strategy scores 0."""
        if self.total == 0:
            return Decimal("0.0")
        return (Decimal(self.passed) * 100 / Decimal(self.total)).quantize(Decimal("0.1"))


RULES = (
    "goal_without_objective",
    "objective_without_kpi",
    "kpi_incomplete",
    "department_not_served",
    "audience_without_evidence",
    "audience_without_message",
    "roadmap_short",
    "initiative_without_goal",
    "objective_not_reviewed",
)


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def review_overdue(o: ObjectiveFact, today: date) -> bool:
    """An objective under way must have been reviewed within its cadence."""
    if o.start > today or o.end < today:
        return False
    last = o.last_review or o.start
    return today - last > timedelta(days=o.cadence_days)


def check(facts: StrategyFacts, today: date) -> Report:
    """Every check of the alignment, the gaps found, and how many passed."""
    gaps: list[Gap] = []
    total = 0

    def test(ok: bool, gap: Gap) -> None:
        nonlocal total
        total += 1
        if not ok:
            gaps.append(gap)

    for g in facts.goals:
        test(g.objectives > 0, Gap("goal_without_objective", "goal", g.ref, g.label))
    for o in facts.objectives:
        test(o.kpis > 0, Gap("objective_without_kpi", "objective", o.ref, o.label))
        test(
            not review_overdue(o, today),
            Gap("objective_not_reviewed", "objective", o.ref, o.label),
        )
    for k in facts.kpis:
        problems = kpi_problems(k.figures)
        test(not problems, Gap("kpi_incomplete", "kpi", k.ref, k.label, tuple(problems)))
    for d in facts.departments:
        test(d.objectives > 0, Gap("department_not_served", "department", d.ref, d.label))
    for a in facts.audiences:
        test(a.evidence > 0, Gap("audience_without_evidence", "audience", a.ref, a.label))
        test(a.messages > 0, Gap("audience_without_message", "audience", a.ref, a.label))
    for i in facts.initiatives:
        test(
            i.goals + i.objectives > 0,
            Gap("initiative_without_goal", "initiative", i.ref, i.label),
        )
    horizon = add_years(today, 3)
    last_end = max((i.end for i in facts.initiatives), default=None)
    test(
        last_end is not None and last_end >= horizon,
        Gap(
            "roadmap_short",
            "roadmap",
            "",
            last_end.isoformat() if last_end else "",
            (horizon.isoformat(),),
        ),
    )
    return Report(passed=total - len(gaps), total=total, gaps=gaps)

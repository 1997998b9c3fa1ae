"""The alignment rules and KPI validity, each on its own: the gap appears, then disappears."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal as D

import pytest

from converge.strategy import rules
from converge.strategy.rules import (
    AudienceFact,
    DepartmentFact,
    GoalFact,
    InitiativeFact,
    KpiFact,
    KpiFigures,
    ObjectiveFact,
    StrategyFacts,
)

TODAY = date(2026, 11, 28)
GOOD_KPI = KpiFigures("increase", D("10"), date(2026, 1, 1), D("20"), date(2027, 12, 31))
OBJECTIVE = ObjectiveFact(
    "o1",
    "Answer complaints within an hour",
    1,
    date(2026, 1, 1),
    date(2027, 12, 31),
    92,
    date(2026, 10, 1),
)
COMPLETE = StrategyFacts(
    goals=[GoalFact("g1", "Cut cost to serve", 1)],
    objectives=[OBJECTIVE],
    kpis=[KpiFact("k1", "Median response time", GOOD_KPI)],
    departments=[DepartmentFact("customer-service", "Customer Service", 1)],
    audiences=[AudienceFact("a1", "Outdoor families", 2, 1)],
    initiatives=[InitiativeFact("i1", "Social care desk", 1, 0, date(2029, 12, 31))],
)


def rules_broken(facts: StrategyFacts) -> list[str]:
    return [g.rule for g in rules.check(facts, TODAY).gaps]


def test_a_complete_strategy_has_no_gaps_and_scores_100() -> None:
    report = rules.check(COMPLETE, TODAY)
    assert report.gaps == []
    assert report.score == D("100.0")
    assert report.total == 9


def test_an_empty_strategy_scores_zero_and_asks_for_a_roadmap() -> None:
    report = rules.check(StrategyFacts(), TODAY)
    assert [g.rule for g in report.gaps] == ["roadmap_short"]
    assert (report.passed, report.total, report.score) == (0, 1, D("0.0"))


@pytest.mark.parametrize(
    ("broken", "rule"),
    [
        (replace(COMPLETE, goals=[GoalFact("g1", "Cut cost", 0)]), "goal_without_objective"),
        (replace(COMPLETE, objectives=[replace(OBJECTIVE, kpis=0)]), "objective_without_kpi"),
        (
            replace(COMPLETE, departments=[DepartmentFact("legal", "Legal", 0)]),
            "department_not_served",
        ),
        (
            replace(COMPLETE, audiences=[AudienceFact("a1", "Families", 0, 1)]),
            "audience_without_evidence",
        ),
        (
            replace(COMPLETE, audiences=[AudienceFact("a1", "Families", 1, 0)]),
            "audience_without_message",
        ),
        (
            replace(COMPLETE, initiatives=[InitiativeFact("i1", "Desk", 0, 0, date(2029, 12, 31))]),
            "initiative_without_goal",
        ),
        (
            replace(COMPLETE, initiatives=[InitiativeFact("i1", "Desk", 1, 0, date(2029, 11, 27))]),
            "roadmap_short",
        ),
        (
            replace(COMPLETE, objectives=[replace(OBJECTIVE, last_review=date(2026, 8, 1))]),
            "objective_not_reviewed",
        ),
        (
            replace(COMPLETE, kpis=[KpiFact("k1", "X", replace(GOOD_KPI, target_value=None))]),
            "kpi_incomplete",
        ),
    ],
)
def test_each_rule_finds_its_gap_and_nothing_else(broken: StrategyFacts, rule: str) -> None:
    assert rules_broken(broken) == [rule]
    report = rules.check(broken, TODAY)
    assert report.passed == report.total - 1


def test_the_roadmap_must_reach_exactly_three_years_ahead() -> None:
    on_the_day = replace(
        COMPLETE, initiatives=[InitiativeFact("i1", "Desk", 1, 0, date(2029, 11, 28))]
    )
    assert rules_broken(on_the_day) == []


def test_an_objective_not_yet_started_or_already_ended_needs_no_review() -> None:
    future = replace(OBJECTIVE, start=date(2027, 1, 1), last_review=None)
    past = replace(OBJECTIVE, end=date(2026, 6, 30), last_review=None)
    assert rules_broken(replace(COMPLETE, objectives=[future])) == []
    assert rules_broken(replace(COMPLETE, objectives=[past])) == []


def test_a_never_reviewed_objective_counts_from_its_start() -> None:
    recent = replace(OBJECTIVE, start=date(2026, 10, 1), last_review=None)
    assert rules_broken(replace(COMPLETE, objectives=[recent])) == []
    old = replace(OBJECTIVE, start=date(2026, 1, 1), last_review=None)
    assert rules_broken(replace(COMPLETE, objectives=[old])) == ["objective_not_reviewed"]


@pytest.mark.parametrize(
    ("figures", "problems"),
    [
        (GOOD_KPI, []),
        (replace(GOOD_KPI, target_value=D("5")), ["target_not_in_direction"]),
        (replace(GOOD_KPI, target_value=D("10")), ["target_not_in_direction"]),
        (replace(GOOD_KPI, direction="decrease"), ["target_not_in_direction"]),
        (replace(GOOD_KPI, direction="decrease", target_value=D("4")), []),
        (replace(GOOD_KPI, target_date=date(2026, 1, 1)), ["target_date_not_after_baseline"]),
        (replace(GOOD_KPI, baseline_value=None), ["missing_baseline"]),
        (replace(GOOD_KPI, baseline_date=None), ["missing_dates"]),
        (replace(GOOD_KPI, direction="band", target_value=None, band_low=D(1), band_high=D(3)), []),
        (
            replace(GOOD_KPI, direction="band", target_value=None, band_low=D(3), band_high=D(1)),
            ["band_invalid"],
        ),
    ],
)
def test_kpi_figures_are_checked_for_direction_dates_and_completeness(
    figures: KpiFigures, problems: list[str]
) -> None:
    assert rules.kpi_problems(figures) == problems


def test_the_score_is_the_share_of_checks_passed() -> None:
    report = rules.Report(passed=2, total=3)
    assert report.score == D("66.7")


def test_adding_three_years_to_29_february_lands_on_28_february() -> None:
    assert rules.add_years(date(2028, 2, 29), 3) == date(2031, 2, 28)

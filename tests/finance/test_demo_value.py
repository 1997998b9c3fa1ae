"""The demo's value model and scenarios: deterministic, idempotent, and telling the story of
defending the budget — social pays back this year, and the CFO's cut costs more value than it
saves."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from converge.core.demo import build_demo
from converge.finance.models import Hardness, Scenario, ValueAssumption
from converge.finance.value import selectors
from converge.finance.value.demo import CUT, MOVE

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_value_model_and_two_scenarios_once() -> None:
    workspace = build_demo()
    build_demo()
    found = ValueAssumption.objects.filter(workspace=workspace)
    assert sorted(a.hardness for a in found) == ["revenue", "revenue", "saving", "soft"]
    assert all(a.owner and a.source for a in found)
    assert sorted(Scenario.objects.filter(workspace=workspace).values_list("name", flat=True)) == [
        MOVE,
        CUT,
    ]
    today = timezone.localdate()
    report = selectors.roi_report(workspace, date(today.year, 1, 1), today)
    assert report.total_cost > 0 and report.roi is not None and report.roi > 0
    assert report.soft_value > 0 and not report.unvalued
    assert {r.assumption.hardness for r in report.soft} == {Hardness.SOFT}
    cut = selectors.scenario_result(Scenario.objects.get(workspace=workspace, name=CUT), today)
    saved = -cut.total.delta
    assert saved > 0 and not cut.problem and cut.delta_value is not None
    assert -cut.delta_value > saved  # the cut loses more hard value a year than it saves
    move = selectors.scenario_result(Scenario.objects.get(workspace=workspace, name=MOVE), today)
    assert move.total.delta == Decimal(0) and move.delta_value and move.delta_value > 0

"""The demo's current communication activities and business case: deterministic, idempotent,
and telling the story of seed 002 (the catalogue and the radio spots move to social)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from converge.core.demo import build_demo
from converge.finance.models import CommActivity
from converge.finance.review import selectors
from converge.reports.models import BusinessCase

pytestmark = pytest.mark.django_db


def test_the_demo_builds_the_review_and_the_business_case_once() -> None:
    workspace = build_demo()
    counts = (CommActivity.objects.count(), BusinessCase.objects.count())
    build_demo()
    assert (CommActivity.objects.count(), BusinessCase.objects.count()) == counts == (14, 1)
    y = timezone.localdate().year
    case = BusinessCase.objects.get(workspace=workspace)
    assert case.title == f"Social business {y + 1}–{y + 3}"
    assert (case.audience, case.language, case.cost_contingency) == ("board", "en", 20)
    ticked = CommActivity.objects.filter(workspace=workspace, in_business_case=True)
    assert sorted(a.name for a in ticked) == ["Local radio spots", "Printed catalogue"]
    assert all(a.reviewed_at and a.year == y for a in ticked)
    groups = selectors.ranked(list(selectors.activities(workspace, y)))
    assert [g.unit for g in groups] == ["leads"]
    # social: (420,000 + 300,000) / (260 + 140) = 1,800 a lead
    assert groups[0].social_cost_per_result == Decimal(1800)
    suggested = {r.activity.name: r.suggestion.proposal for r in groups[0].rows}
    assert suggested["Printed catalogue"] == "stop" and suggested["Customer newsletter"] == "reduce"
    assert selectors.totals(workspace, y, in_case_only=True)["moved"] == Decimal(1520000)

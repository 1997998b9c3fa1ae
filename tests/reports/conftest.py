"""A workspace with everything a business case draws on, with figures chosen so that every
number in it can be worked out by hand (see the docstring of ``full_case``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from converge.finance.models import BudgetLine, ValueAssumption
from converge.reports.models import BusinessCase
from converge.strategy.models import Initiative, Kpi, SocialObjective
from tests.conftest import World
from tests.finance.builders_review import build_activities
from tests.reports.builders import business_case

D = Decimal


@pytest.fixture
def full_case(world: World) -> BusinessCase:
    """2027–2029, 20% contingency on cost and schedule.

    Budget: 2027 tools 100,000 + staff 500,000 = 600,000; 2028 staff 600,000; 2029 paid
    social 300,000 (2026 and 2030 lie outside). Cost 1,500,000; contingency 300,000; total
    1,800,000 (720,000 / 720,000 / 360,000 a year).

    Value: leads 40 → 300 a year by 2027 at 2,500 (hard) = 650,000 a year × 3 = 1,950,000;
    cases 900 → 2,600 a month by mid-2028 at 40 saved (hard) = 816,000 a year × 2 =
    1,632,000; articles 7 → 20 at 15,000 earned media value (soft) = 195,000 a year, never
    counted. Expected 3,582,000 (650,000 / 1,466,000 / 1,466,000); ROI (3,582,000 −
    1,800,000) / 1,800,000 = 0.99."""
    ws = world.workspace
    objective = SocialObjective.objects.create(
        workspace=ws, statement="Generate B2B leads on LinkedIn", realism="high",
        realism_rationale="Peers did it", start=date(2027, 1, 1), end=date(2029, 12, 31),
    )  # fmt: skip
    kpis = [
        ("Qualified leads", "leads", "", "year", "40", "300", date(2027, 12, 31)),
        (
            "Cases solved on social",
            "cases_solved_social",
            "cases/month",
            "",
            "900",
            "2600",
            date(2028, 6, 30),
        ),
        ("Earned articles", "earned_articles", "", "year", "7", "20", date(2027, 12, 31)),
        ("Followers", "followers", "", "year", "74000", "120000", date(2027, 12, 31)),
    ]
    for name, metric, unit, window, base, target, due in kpis:
        Kpi.objects.create(
            workspace=ws, objective=objective, name=name, metric_key=metric, unit=unit,
            window=window, baseline_value=D(base), target_value=D(target), target_date=due,
        )  # fmt: skip
    for year, category, name, planned in [
        (2026, "tools", "Old suite", "999999"),
        (2027, "tools", "Suite", "100000"),
        (2027, "staff", "Team", "500000"),
        (2028, "staff", "Team", "600000"),
        (2029, "paid_social", "War chest", "300000"),
        (2030, "staff", "Team", "700000"),
    ]:
        BudgetLine.objects.create(
            workspace=ws, year=year, category=category, name=name, planned=D(planned),
            fte=D(2) if category == "staff" else None,
        )  # fmt: skip
    for name, hardness, metric, value, archived in [
        ("Value of a lead", "revenue", "leads", "2500", False),
        ("Old value of a lead", "revenue", "leads", "9999", True),
        ("Saving per case", "saving", "cases_solved_social", "40", False),
        ("Earned media value", "soft", "earned_articles", "15000", False),
    ]:
        ValueAssumption.objects.create(
            workspace=ws, name=name, kind="other", hardness=hardness, metric_key=metric,
            unit_value=D(value), owner=world.owner, source="CFO memo", as_of=date(2026, 9, 1),
            archived_at=datetime(2026, 10, 1, tzinfo=UTC) if archived else None,
        )  # fmt: skip
    Initiative.objects.create(
        workspace=ws, title="LinkedIn for B2B sales", start=date(2027, 1, 1),
        end=date(2027, 12, 31), estimated_cost=D(250000),
    )  # fmt: skip
    Initiative.objects.create(
        workspace=ws, title="Finished long ago", start=date(2024, 1, 1), end=date(2025, 6, 30)
    )
    items = build_activities(world)
    from converge.finance.review import services

    services.activity_review(
        actor=world.lead, activity=items["catalogue"], proposal="stop",
        move_to_social=D(200000), in_business_case=True,
    )  # fmt: skip
    services.activity_review(
        actor=world.lead, activity=items["newsletter"], proposal="reduce",
        move_to_social=D(15000), in_business_case=False,
    )  # fmt: skip
    return business_case(world, summary="We ask for a team.", ask="Approve the budget.")

"""The demo's budget: Nordvik's lines for 2024–2029 in SEK, growing year on year, allocated to
the demo strategy and channels, with monthly spend up to last month; built idempotently."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from converge.core.models import Workspace
from converge.finance.budget import selectors
from converge.finance.models import Allocation, BudgetLine, SpendEntry


@pytest.fixture(autouse=True)
def _media(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _state() -> tuple[object, ...]:
    return (
        sorted(BudgetLine.objects.values_list("year", "name", "planned", "committed")),
        sorted(Allocation.objects.values_list("line__year", "line__name", "kind", "share")),
        SpendEntry.objects.count(),
        SpendEntry.objects.order_by().values_list("amount", flat=True).count(),
        sum(SpendEntry.objects.values_list("amount", flat=True), Decimal(0)),
    )


@time_machine.travel(date(2026, 6, 15), tick=False)
def test_the_demo_builds_a_growing_budget_with_spend_idempotently(db: None) -> None:
    call_command("converge_demo", force=True)
    first = _state()
    call_command("converge_demo", force=True)
    assert _state() == first
    workspace = Workspace.objects.get(slug="nordvik")
    assert workspace.currency == "SEK"
    table = selectors.multi_year(workspace)
    assert table.years == [2024, 2025, 2026, 2027, 2028, 2029]
    planned = [c.planned for c in table.totals]
    assert planned == [
        Decimal("1878000.00"),
        Decimal("2416000.00"),
        Decimal("2876000.00"),
        Decimal("3296000.00"),
        Decimal("3530000.00"),
        Decimal("3770000.00"),
    ]
    assert all(c.growth is not None and c.growth > 0 for c in table.totals[1:])
    actual = [c.actual for c in table.totals]
    assert actual[0] and actual[1] and actual[2]
    assert actual[3] is None and actual[4] is None and actual[5] is None
    # spend up to the end of May 2026, none later
    assert not SpendEntry.objects.filter(workspace=workspace, day__gte=date(2026, 6, 1)).exists()
    assert SpendEntry.objects.filter(workspace=workspace, day__month=5, day__year=2026).exists()
    care = BudgetLine.objects.get(workspace=workspace, year=2026, name__startswith="Customer Care")
    assert care.fte == Decimal("0.50")
    assert set(
        BudgetLine.objects.filter(
            workspace=workspace, category="paid_social", year=2026
        ).values_list("platform", flat=True)
    ) == {"instagram", "facebook", "linkedin", "tiktok"}
    # the allocations reached the demo's objectives, initiatives and channels
    kinds = set(Allocation.objects.filter(workspace=workspace).values_list("kind", flat=True))
    assert kinds == {"objective", "initiative", "channel"}
    for line in BudgetLine.objects.filter(workspace=workspace):
        for kind in ("objective", "initiative", "channel"):
            shares = Allocation.objects.filter(line=line, kind=kind).values_list("share", flat=True)
            assert not shares or sum(shares) == Decimal(100)
    funded = {
        kind: set(
            Allocation.objects.filter(workspace=workspace, kind=kind).values_list(
                "line__name", flat=True
            )
        )
        for kind in ("objective", "initiative", "channel")
    }
    names = set(BudgetLine.objects.filter(workspace=workspace).values_list("name", flat=True))
    assert funded["objective"] == names - {"Training"}
    assert funded["initiative"] == {
        "Social listening tool",
        "Paid social: LinkedIn",
        "Social Media Lead",
        "Customer Care agent (half time on social)",
        "Training",
        "Creative agency",
    }
    assert "Social media management suite" in funded["channel"]

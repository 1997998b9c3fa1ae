"""Builders for the budget part of the tenancy crawl and tests: one object of every kind
addressable by URL, and a small budget to test against."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from converge.finance.budget import services
from converge.finance.models import BudgetLine
from tests.conftest import World


def line(
    world: World,
    name: str = "Paid social: Instagram",
    *,
    year: int = 2026,
    category: str = "paid_social",
    planned: str = "120000",
    committed: str = "0",
    platform: str = "",
    fte: str | None = None,
    note: str = "",
) -> BudgetLine:
    return services.line_save(
        actor=world.lead,
        workspace=world.workspace,
        year=year,
        category=category,
        name=name,
        planned=Decimal(planned),
        committed=Decimal(committed),
        platform=platform,
        fte=Decimal(fte) if fte is not None else None,
        note=note,
    )


def build_budget(world: World, marker: str) -> dict[str, str]:
    """Sample path values (name -> value) for the crawl."""
    budget_line = line(world, f"Line {marker}", note=marker)
    entry = services.spend_add(
        actor=world.lead,
        workspace=world.workspace,
        line=budget_line,
        day=date(2026, 3, 5),
        amount=Decimal("1000"),
        supplier=marker,
        reference=f"REF-{marker}",
        note=marker,
    )
    record, _plan = services.spend_import_check(
        actor=world.lead,
        workspace=world.workspace,
        data=f"date,amount,line,supplier,reference,note\n2026-03-06,50,Line {marker},{marker},,{marker}\n".encode(),
        filename=f"{marker}.csv",
    )
    return {
        "budget_line": str(budget_line.uuid),
        "spend_entry": str(entry.uuid),
        "spend_import": str(record.uuid),
    }

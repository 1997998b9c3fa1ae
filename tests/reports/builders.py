"""Builders for the reports part of the tenancy crawl and tests."""

from __future__ import annotations

from decimal import Decimal

from converge.reports import services
from converge.reports.models import BusinessCase
from tests.conftest import World


def business_case(
    world: World, title: str = "Social business 2027–2029", **kw: object
) -> BusinessCase:
    values: dict[str, object] = {
        "audience": "board",
        "language": "en",
        "first_year": 2027,
        "horizon_years": 3,
        "cost_contingency": Decimal(20),
        "schedule_contingency": Decimal(20),
        **kw,
    }
    return services.business_case_save(
        actor=world.lead,
        workspace=world.workspace,
        title=title,
        **values,  # type: ignore[arg-type]
    )


def build_reports(world: World, marker: str) -> dict[str, str]:
    """Sample path values (name -> value) for the crawl."""
    case = business_case(world, title=marker, summary=marker, ask=marker)
    return {"business_case": str(case.uuid)}

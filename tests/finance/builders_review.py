"""Builders for the review of current communication activities: one object of every kind
addressable by URL, and a small ranked set for tests."""

from __future__ import annotations

from decimal import Decimal

from converge.finance.models import CommActivity
from converge.finance.review import services
from tests.conftest import World

D = Decimal


def activity(
    world: World, name: str, kind: str, cost: str, results: str, **kw: object
) -> CommActivity:
    return services.activity_save(
        actor=world.lead,
        workspace=world.workspace,
        name=name,
        kind=kind,
        year=int(kw.pop("year", 2026)),  # type: ignore[call-overload]
        cost=D(cost),
        results=D(results),
        result_unit=str(kw.pop("result_unit", "leads")),
        **kw,  # type: ignore[arg-type]
    )


def build_activities(world: World) -> dict[str, CommActivity]:
    """Social costs (60,000 + 40,000) / (40 + 20) = 1,666.67 a lead. The catalogue (20,000 a
    lead) is far worse: stop; the newsletter (2,000 a lead) a little worse: reduce; the fair
    (1,000) better: keep; the posters have no leads: stop; the radio counts visits, which no
    social activity counts: keep."""
    return {
        "organic": activity(world, "Organic social", "social", "60000", "40"),
        "paid": activity(world, "Paid social", "social", "40000", "20"),
        "catalogue": activity(world, "Printed catalogue", "print", "200000", "10"),
        "newsletter": activity(world, "Newsletter", "newsletter", "30000", "15"),
        "fair": activity(world, "Trade fair", "events", "50000", "50"),
        "posters": activity(world, "Posters", "outdoor", "25000", "0"),
        "radio": activity(world, "Radio", "radio", "80000", "400", result_unit="store visits"),
    }


def build_review(world: World, marker: str) -> dict[str, str]:
    """Sample path values (name -> value) for the crawl."""
    item = activity(world, marker, "print", "1000", "1", evidence=marker)
    return {"comm_activity": str(item.uuid)}

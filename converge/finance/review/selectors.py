"""Reads of the review of current communication activities. Totals are sums in SQL; the
ranking (cost per result within one result unit) is computed per row."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from django.db.models import Case, DecimalField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from converge.core.models import Workspace
from converge.finance.models import ActivityKind, CommActivity, Proposal
from converge.finance.review import proposal as rules

MONEY = DecimalField(max_digits=16, decimal_places=2)  # type: ignore[var-annotated]
ZERO = Value(Decimal(0), output_field=MONEY)


def activities(workspace: Workspace, year: int | None = None) -> QuerySet[CommActivity]:
    qs = CommActivity.objects.filter(workspace=workspace).select_related(
        "department", "reviewed_by"
    )
    if year is not None:
        qs = qs.filter(year=year)
    return qs


def get_activity(workspace: Workspace, uuid: UUID | str) -> CommActivity:
    return get_object_or_404(activities(workspace), uuid=uuid)


def years(workspace: Workspace) -> list[int]:
    return list(
        CommActivity.objects.filter(workspace=workspace)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def cents(value: Decimal | None) -> Decimal | None:
    """Rounded to the cent for showing (money() cuts digits off; it does not round)."""
    return None if value is None else value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    activity: CommActivity
    suggestion: rules.Suggestion

    @property
    def cost_per_result(self) -> Decimal | None:
        return cents(self.suggestion.cost_per_result)

    @property
    def social_cost_per_result(self) -> Decimal | None:
        return cents(self.suggestion.social_cost_per_result)

    @property
    def is_social(self) -> bool:
        return self.activity.kind == ActivityKind.SOCIAL


@dataclass
class UnitGroup:
    """The activities of one result unit, best cost per result first."""

    unit: str
    social_cost_per_result: Decimal | None
    rows: list[Row] = field(default_factory=list)


def _figures(a: CommActivity) -> rules.Figures:
    return rules.Figures(
        key=str(a.uuid),
        social=a.kind == ActivityKind.SOCIAL,
        cost=a.cost,
        results=a.results,
        unit=a.result_unit,
    )


def ranked(items: list[CommActivity]) -> list[UnitGroup]:
    """Activities grouped by result unit (the unit with the largest cost first), each ranked by
    cost per result (lowest first; none without results last), with the proposal's suggestion."""
    suggestions = {s.key: s for s in rules.suggest([_figures(a) for a in items])}
    groups: dict[str, UnitGroup] = {}
    for a in items:
        s = suggestions[str(a.uuid)]
        key = rules.unit_key(a.result_unit)
        group = groups.setdefault(key, UnitGroup(a.result_unit, cents(s.social_cost_per_result)))
        group.rows.append(Row(a, s))
    for group in groups.values():
        group.rows.sort(
            key=lambda r: (r.cost_per_result is None, r.cost_per_result or 0, r.activity.name)
        )
    return sorted(
        groups.values(), key=lambda g: (-sum(r.activity.cost for r in g.rows), g.unit.casefold())
    )


def totals(
    workspace: Workspace, year: int | None = None, *, in_case_only: bool = False
) -> dict[str, Any]:
    """Cost of the activities; budget freed by the reviewed decisions (a stopped activity's
    whole cost, a reduced one's amount to move) and the amount moved to social."""
    qs = CommActivity.objects.filter(workspace=workspace)
    if year is not None:
        qs = qs.filter(year=year)
    if in_case_only:
        qs = qs.filter(in_business_case=True)
    reviewed = Q(reviewed_at__isnull=False)
    sums = qs.aggregate(
        total_cost=Coalesce(Sum("cost"), ZERO),
        social_cost=Coalesce(Sum("cost", filter=Q(kind=ActivityKind.SOCIAL)), ZERO),
        freed=Coalesce(
            Sum(
                Case(
                    When(reviewed & Q(proposal=Proposal.STOP), then=F("cost")),
                    When(reviewed & Q(proposal=Proposal.REDUCE), then=F("move_to_social")),
                    default=ZERO,
                    output_field=MONEY,
                )
            ),
            ZERO,
        ),
        moved=Coalesce(Sum("move_to_social", filter=reviewed), ZERO),
    )
    sums["cost"] = sums.pop("total_cost")
    return {k: Decimal(v).quantize(Decimal("0.01")) for k, v in sums.items()}


def in_business_case(workspace: Workspace) -> list[CommActivity]:
    """The reviewed activities the lead took into the business case."""
    return list(
        activities(workspace)
        .filter(in_business_case=True, reviewed_at__isnull=False)
        .order_by("-move_to_social", "name")
    )

"""Reads of the budget. Totals are summed in SQL (per line, per category, per year); the pure
``figures`` module only adds category totals into a grand total and derives burn and growth."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from converge.core.models import Workspace
from converge.finance.allocation import split_amount
from converge.finance.budget.figures import Totals, add_up, growth
from converge.finance.models import (
    Allocation,
    AllocationKind,
    BudgetLine,
    Category,
    SpendEntry,
    SpendImport,
)
from converge.measurement.models import Channel
from converge.strategy.models import Initiative, SocialObjective

ZERO = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
MONEY: DecimalField[Decimal, Decimal] = DecimalField(max_digits=16, decimal_places=2)


def _actual_subquery() -> Any:
    spend = (
        SpendEntry.objects.filter(line=OuterRef("pk"))
        .order_by()
        .values("line")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(spend, output_field=MONEY), ZERO, output_field=MONEY)


def lines(workspace: Workspace) -> QuerySet[BudgetLine]:
    """Lines with their ``actual`` (the sum of their spend) annotated."""
    return (
        BudgetLine.objects.filter(workspace=workspace)
        .select_related("department")
        .annotate(actual=_actual_subquery())
    )


def lines_with_allocations(workspace: Workspace) -> QuerySet[BudgetLine]:
    """``lines`` with their allocations and targets fetched in one more query."""
    return lines(workspace).prefetch_related(
        Prefetch(
            "allocations",
            queryset=Allocation.objects.select_related("objective", "initiative", "channel"),
        )
    )


def get_line(workspace: Workspace, uuid: UUID | str) -> BudgetLine:
    line = lines(workspace).filter(uuid=uuid).first()
    if line is None:
        raise Http404("No such budget line.")
    line.totals = Totals(line.planned, line.committed, line.actual)  # type: ignore[attr-defined]
    return line


def get_spend(workspace: Workspace, uuid: UUID | str) -> SpendEntry:
    entry = SpendEntry.objects.filter(workspace=workspace, uuid=uuid).select_related("line").first()
    if entry is None:
        raise Http404("No such spend entry.")
    return entry


def get_import(workspace: Workspace, uuid: UUID | str) -> SpendImport:
    record = SpendImport.objects.filter(workspace=workspace, uuid=uuid).first()
    if record is None:
        raise Http404("No such import.")
    return record


def years(workspace: Workspace) -> list[int]:
    return sorted(
        set(
            BudgetLine.objects.filter(workspace=workspace)
            .order_by()
            .values_list("year", flat=True)
            .distinct()
        )
    )


def year_choices(workspace: Workspace, today: date) -> list[int]:
    """Years with a budget, plus this year and next (for planning ahead)."""
    return sorted(set(years(workspace)) | {today.year, today.year + 1})


@dataclass
class CategoryBlock:
    category: str
    label: str
    lines: list[BudgetLine]
    totals: Totals


@dataclass
class YearBudget:
    year: int
    categories: list[CategoryBlock]
    total: Totals


def category_totals(workspace: Workspace, year: int) -> dict[str, Totals]:
    """Planned, committed and actual per category of one year, each summed in SQL."""
    planned = {
        row["category"]: row
        for row in BudgetLine.objects.filter(workspace=workspace, year=year)
        .order_by()
        .values("category")
        .annotate(planned=Sum("planned"), committed=Sum("committed"))
    }
    actual = dict(
        SpendEntry.objects.filter(workspace=workspace, line__year=year)
        .order_by()
        .values("line__category")
        .annotate(total=Sum("amount"))
        .values_list("line__category", "total")
    )
    return {
        cat: Totals(
            planned=planned.get(cat, {}).get("planned") or Decimal(0),
            committed=planned.get(cat, {}).get("committed") or Decimal(0),
            actual=actual.get(cat) or Decimal(0),
        )
        for cat in set(planned) | set(actual)
    }


def year_budget(workspace: Workspace, year: int) -> YearBudget:
    """One year's lines grouped by category, with totals per category and the grand total."""
    rows = list(lines(workspace).filter(year=year).order_by("category", "name"))
    for line in rows:
        line.totals = Totals(line.planned, line.committed, line.actual)  # type: ignore[attr-defined]
    totals = category_totals(workspace, year)
    blocks = []
    for value, label in Category.choices:
        in_cat = [line for line in rows if line.category == value]
        if in_cat:
            blocks.append(CategoryBlock(value, str(label), in_cat, totals.get(value, Totals())))
    return YearBudget(year=year, categories=blocks, total=add_up(b.totals for b in blocks))


@dataclass
class YearCell:
    planned: Decimal | None
    actual: Decimal | None
    growth: Decimal | None


@dataclass
class MultiYear:
    years: list[int]
    rows: list[tuple[str, list[YearCell]]] = field(default_factory=list)
    totals: list[YearCell] = field(default_factory=list)


def _cells(
    years_: list[int], planned: dict[int, Decimal], actual: dict[int, Decimal]
) -> list[YearCell]:
    out: list[YearCell] = []
    before: Decimal | None = None
    for year in years_:
        now = planned.get(year)
        out.append(YearCell(now, actual.get(year), growth(before, now)))
        before = now
    return out


def multi_year(workspace: Workspace) -> MultiYear:
    """Categories × years: planned, actual and the planned budget's growth on the year before."""
    planned: dict[str, dict[int, Decimal]] = {}
    for row in (
        BudgetLine.objects.filter(workspace=workspace)
        .order_by()
        .values("category", "year")
        .annotate(total=Sum("planned"))
    ):
        planned.setdefault(row["category"], {})[row["year"]] = row["total"]
    actual: dict[str, dict[int, Decimal]] = {}
    for row in (
        SpendEntry.objects.filter(workspace=workspace)
        .order_by()
        .values("line__category", "line__year")
        .annotate(total=Sum("amount"))
    ):
        actual.setdefault(row["line__category"], {})[row["line__year"]] = row["total"]
    all_years = sorted(
        {y for d in planned.values() for y in d} | {y for d in actual.values() for y in d}
    )
    result = MultiYear(years=all_years)
    year_planned: dict[int, Decimal] = {}
    year_actual: dict[int, Decimal] = {}
    for value, label in Category.choices:
        if value not in planned and value not in actual:
            continue
        p, a = planned.get(value, {}), actual.get(value, {})
        result.rows.append((str(label), _cells(all_years, p, a)))
        for y, v in p.items():
            year_planned[y] = year_planned.get(y, Decimal(0)) + v
        for y, v in a.items():
            year_actual[y] = year_actual.get(y, Decimal(0)) + v
    result.totals = _cells(all_years, year_planned, year_actual)
    return result


def spend(
    workspace: Workspace,
    *,
    year: int | None = None,
    line: BudgetLine | None = None,
    supplier: str = "",
) -> QuerySet[SpendEntry]:
    rows = SpendEntry.objects.filter(workspace=workspace).select_related("line", "source")
    if year:
        rows = rows.filter(line__year=year)
    if line is not None:
        rows = rows.filter(line=line)
    if supplier:
        rows = rows.filter(supplier__iexact=supplier)
    return rows.order_by("-day", "-created_at", "-pk")


def spend_total(rows: QuerySet[SpendEntry]) -> Decimal:
    return rows.order_by().aggregate(total=Sum("amount"))["total"] or Decimal(0)


def suppliers(workspace: Workspace) -> list[str]:
    return list(
        SpendEntry.objects.filter(workspace=workspace)
        .exclude(supplier="")
        .order_by("supplier")
        .values_list("supplier", flat=True)
        .distinct()
    )


def imports(workspace: Workspace) -> QuerySet[SpendImport]:
    return SpendImport.objects.filter(workspace=workspace).select_related("created_by")


# --- Allocations ----------------------------------------------------------------------------


def targets(workspace: Workspace, kind: str) -> list[Any]:
    """What a line can fund of ``kind``: the workspace's live objectives, initiatives or
    channels."""
    if kind == AllocationKind.OBJECTIVE:
        return list(
            SocialObjective.objects.filter(workspace=workspace, archived_at__isnull=True).order_by(
                "statement"
            )
        )
    if kind == AllocationKind.INITIATIVE:
        return list(
            Initiative.objects.filter(workspace=workspace, archived_at__isnull=True).order_by(
                "title"
            )
        )
    return list(Channel.objects.filter(workspace=workspace).order_by("platform", "handle"))


def target_of(allocation: Allocation) -> Any:
    return allocation.objective or allocation.initiative or allocation.channel


def target_name(target: Any) -> str:
    if isinstance(target, SocialObjective):
        return target.statement
    if isinstance(target, Initiative):
        return target.title
    return str(target)


@dataclass
class Funded:
    target: Any
    name: str
    share: Decimal
    planned: Decimal
    actual: Decimal


def allocations(line: BudgetLine) -> dict[str, list[Funded]]:
    """Per kind, what the line funds: each target's share and its part of the planned and of
    the actual amount (split to the cent, adding up to the line's amounts)."""
    if "allocations" in getattr(line, "_prefetched_objects_cache", {}):
        rows = list(line.allocations.all())
    else:
        rows = list(
            Allocation.objects.filter(line=line).select_related(
                "objective", "initiative", "channel"
            )
        )
    actual = getattr(line, "actual", None)
    if actual is None:
        actual = line.spend.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    out: dict[str, list[Funded]] = {k: [] for k in AllocationKind.values}
    for kind in AllocationKind.values:
        of_kind = [a for a in rows if a.kind == kind]
        shares = {a.pk: a.share for a in of_kind}
        planned_parts = split_amount(line.planned, shares)
        actual_parts = split_amount(Decimal(actual), shares)
        out[kind] = [
            Funded(
                target=target_of(a),
                name=target_name(target_of(a)),
                share=a.share,
                planned=planned_parts[a.pk],
                actual=actual_parts[a.pk],
            )
            for a in of_kind
        ]
    return out


def export_rows(budget: YearBudget) -> Iterable[list[Any]]:
    for block in budget.categories:
        for line in block.lines:
            actual = getattr(line, "actual", Decimal(0))
            yield [
                line.year,
                block.label,
                line.name,
                line.get_platform_display() if line.platform else "",
                line.department.name if line.department else "",
                line.fte,
                line.planned,
                line.committed,
                actual,
                line.planned - actual,
            ]

"""API: budget lines, what they fund, spend, and spend imports. Paths under
``/workspaces/{slug}/finance/``.

Reading needs ``view_budget`` (leads, owners, executives, departments granted it); writing needs
``manage_budget`` (leads, owners). Amounts are decimal strings in the workspace's currency; a
line's ``actual`` is the sum of its spend and is never written. Departments are referenced by
slug; objectives, initiatives and channels by UUID.

Spend import, all or nothing and idempotent, in one call or two:

* ``POST /spend-imports`` with the CSV as the body (``Content-Type: text/csv``, name it with
  ``?filename=``) or as the ``file`` field of a multipart form. The file is checked whole and
  kept; the answer (201) lists every problem with its row and column, and how many rows would
  be added and how many are already there. Nothing is written.
* ``POST /spend-imports/{spend_import}/commit`` writes the rows in one transaction — or
  nothing, answering 422 with the problems, when the file (checked again) has any.
* ``POST /spend-imports?commit=1`` does both in one call: 201 with ``committed_at`` set when
  the file was clean; 422 with the problems (and the import's ``uuid`` in the details) when
  not, with nothing written. Sending the same file again adds 0 rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from converge.api.core import _context
from converge.core.errors import ConvergeError
from converge.core.models import Capability, Department, Workspace
from converge.finance.budget import selectors, services
from converge.finance.models import AllocationKind, BudgetLine, SpendEntry, SpendImport
from converge.finance.money import cents

router = Router(tags=["finance"])

READ = Capability.VIEW_BUDGET
MANAGE = services.MANAGE
BASE = "/workspaces/{slug}/finance"


# --- Lines ----------------------------------------------------------------------------------


class AllocationOut(Schema):
    kind: str
    target: UUID
    name: str
    share: Decimal
    planned: Decimal
    actual: Decimal


class LineOut(Schema):
    uuid: UUID
    year: int
    category: str
    name: str
    platform: str
    department: str | None
    planned: Decimal
    committed: Decimal
    actual: Decimal
    remaining: Decimal
    fte: Decimal | None
    note: str
    allocations: list[AllocationOut]


class LineIn(Schema):
    year: int = Field(ge=2000, le=2100)
    category: str = Field(description="tools, paid_social, staff, training, consultants, …")
    name: str = Field(min_length=1, max_length=200)
    planned: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    committed: Decimal = Field(default=Decimal(0), ge=0, max_digits=14, decimal_places=2)
    platform: str = Field(default="", description="For paid social: instagram, facebook, …")
    department: str | None = Field(default=None, description="Slug of the paying department.")
    fte: Decimal | None = Field(default=None, description="For staff: e.g. 0.5.")
    note: str = ""


class LinePatch(Schema):
    year: int | None = Field(default=None, ge=2000, le=2100)
    category: str | None = None
    name: str | None = Field(default=None, min_length=1, max_length=200)
    planned: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    committed: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    platform: str | None = None
    department: str | None = None
    fte: Decimal | None = None
    note: str | None = None


class TargetIn(Schema):
    uuid: UUID
    share: Decimal | None = Field(default=None, description="Percent; omit all to split evenly.")


class AllocationsIn(Schema):
    kind: AllocationKind
    targets: list[TargetIn] = Field(description="An empty list leaves the kind unallocated.")


def _department(workspace: Workspace, slug: str | None) -> Department | None:
    if not slug:
        return None
    found = Department.objects.filter(workspace=workspace, slug=slug).first()
    if found is None:
        raise ConvergeError(
            _("No department of this workspace has the slug given."), field="department", status=422
        )
    return found


def _line_out(line: BudgetLine) -> LineOut:
    funded = selectors.allocations(line)
    actual = Decimal(getattr(line, "actual", 0))
    return LineOut(
        uuid=line.uuid,
        year=line.year,
        category=line.category,
        name=line.name,
        platform=line.platform,
        department=line.department.slug if line.department else None,
        planned=cents(line.planned),
        committed=cents(line.committed),
        actual=cents(actual),
        remaining=cents(line.planned - actual),
        fte=line.fte,
        note=line.note,
        allocations=[
            AllocationOut(
                kind=kind,
                target=f.target.uuid,
                name=f.name,
                share=f.share,
                planned=cents(f.planned),
                actual=cents(f.actual),
            )
            for kind, rows in funded.items()
            for f in rows
        ],
    )


@router.get(f"{BASE}/budget-lines", response=list[LineOut], summary="Budget lines")
def line_list(request: HttpRequest, slug: str, year: int | None = None) -> list[LineOut]:
    workspace, _m = _context(request, slug, READ)
    rows = selectors.lines_with_allocations(workspace).order_by("year", "category", "name")
    if year is not None:
        rows = rows.filter(year=year)
    return [_line_out(line) for line in rows]


@router.post(f"{BASE}/budget-lines", response={201: LineOut}, summary="Add a budget line")
def line_post(request: HttpRequest, slug: str, payload: LineIn) -> tuple[int, LineOut]:
    workspace, me = _context(request, slug, MANAGE)
    data = payload.dict()
    data["department"] = _department(workspace, payload.department)
    line = services.line_save(actor=me.user, workspace=workspace, **data)
    return 201, _line_out(selectors.get_line(workspace, line.uuid))


@router.get(f"{BASE}/budget-lines/{{budget_line}}", response=LineOut, summary="One budget line")
def line_get(request: HttpRequest, slug: str, budget_line: UUID) -> LineOut:
    workspace, _m = _context(request, slug, READ)
    return _line_out(selectors.get_line(workspace, budget_line))


@router.patch(
    f"{BASE}/budget-lines/{{budget_line}}", response=LineOut, summary="Change a budget line"
)
def line_patch(request: HttpRequest, slug: str, budget_line: UUID, payload: LinePatch) -> LineOut:
    workspace, me = _context(request, slug, MANAGE)
    line = selectors.get_line(workspace, budget_line)
    given = payload.dict(exclude_unset=True)
    data: dict[str, Any] = {
        "year": line.year,
        "category": line.category,
        "name": line.name,
        "planned": line.planned,
        "committed": line.committed,
        "platform": line.platform,
        "department": line.department,
        "fte": line.fte,
        "note": line.note,
    }
    for key, value in given.items():
        data[key] = _department(workspace, value) if key == "department" else value
    if data["platform"] is None:
        data["platform"] = ""
    if data["note"] is None:
        data["note"] = ""
    services.line_save(actor=me.user, workspace=workspace, line=line, **data)
    return _line_out(selectors.get_line(workspace, budget_line))


@router.delete(
    f"{BASE}/budget-lines/{{budget_line}}",
    response={204: None},
    summary="Delete a budget line (refused with 409 while it has spend)",
)
def line_delete(request: HttpRequest, slug: str, budget_line: UUID) -> tuple[int, None]:
    workspace, me = _context(request, slug, MANAGE)
    services.line_delete(actor=me.user, line=selectors.get_line(workspace, budget_line))
    return 204, None


@router.put(
    f"{BASE}/budget-lines/{{budget_line}}/allocations",
    response=LineOut,
    summary="Replace what a line funds of one kind (shares add up to 100)",
)
def line_allocations(
    request: HttpRequest, slug: str, budget_line: UUID, payload: AllocationsIn
) -> LineOut:
    workspace, me = _context(request, slug, MANAGE)
    line = selectors.get_line(workspace, budget_line)
    kind = str(payload.kind)
    model = services.TARGET_MODEL[kind]
    uuids = [t.uuid for t in payload.targets]
    found = {
        o.uuid: o
        for o in model.objects.filter(workspace=workspace, uuid__in=uuids)  # type: ignore[attr-defined]
    }
    missing = [str(u) for u in uuids if u not in found]
    if missing:
        raise ConvergeError(
            _("No object of this workspace has the id given."),
            field="targets",
            details={"missing": missing},
            status=422,
        )
    if len(set(uuids)) != len(uuids):
        raise ConvergeError(_("Each target once."), field="targets", status=422)
    services.allocations_set(
        actor=me.user,
        line=line,
        kind=kind,
        shares={found[t.uuid]: t.share for t in payload.targets},
    )
    return _line_out(selectors.get_line(workspace, budget_line))


# --- Spend ----------------------------------------------------------------------------------


class SpendOut(Schema):
    uuid: UUID
    line: UUID
    line_name: str
    year: int
    day: dt.date
    amount: Decimal
    supplier: str
    reference: str
    note: str
    key: str
    source: UUID | None


class SpendIn(Schema):
    line: UUID
    day: dt.date
    amount: Decimal = Field(max_digits=14, decimal_places=2)
    supplier: str = Field(default="", max_length=200)
    reference: str = Field(default="", max_length=100)
    note: str = Field(default="", max_length=300)


class SpendFilter(Schema):
    year: int | None = None
    line: UUID | None = None
    supplier: str = ""
    limit: int = Field(default=500, ge=1, le=5000)
    offset: int = Field(default=0, ge=0)


def _spend_out(e: SpendEntry) -> SpendOut:
    return SpendOut(
        uuid=e.uuid,
        line=e.line.uuid,
        line_name=e.line.name,
        year=e.line.year,
        day=e.day,
        amount=cents(e.amount),
        supplier=e.supplier,
        reference=e.reference,
        note=e.note,
        key=e.key,
        source=e.source.uuid if e.source else None,
    )


@router.get(f"{BASE}/spend", response=list[SpendOut], summary="Spend, newest first")
def spend_list(
    request: HttpRequest,
    slug: str,
    filters: Query[SpendFilter],
) -> list[SpendOut]:
    workspace, _m = _context(request, slug, READ)
    line = selectors.get_line(workspace, filters.line) if filters.line else None
    rows = selectors.spend(workspace, year=filters.year, line=line, supplier=filters.supplier)
    return [_spend_out(e) for e in rows[filters.offset : filters.offset + filters.limit]]


@router.post(f"{BASE}/spend", response={201: SpendOut}, summary="Book spend on a line")
def spend_post(request: HttpRequest, slug: str, payload: SpendIn) -> tuple[int, SpendOut]:
    workspace, me = _context(request, slug, MANAGE)
    line = BudgetLine.objects.filter(workspace=workspace, uuid=payload.line).first()
    if line is None:
        raise ConvergeError(
            _("No budget line of this workspace has the id given."), field="line", status=422
        )
    entry = services.spend_add(
        actor=me.user,
        workspace=workspace,
        line=line,
        day=payload.day,
        amount=payload.amount,
        supplier=payload.supplier,
        reference=payload.reference,
        note=payload.note,
    )
    return 201, _spend_out(selectors.get_spend(workspace, entry.uuid))


# --- Spend imports --------------------------------------------------------------------------


class ProblemOut(Schema):
    row: int
    column: str
    code: str
    message: str


class ImportOut(Schema):
    uuid: UUID
    filename: str
    sha256: str
    created_at: dt.datetime
    committed_at: dt.datetime | None
    rows_added: int = Field(description="Added (after the commit) or to add (before it).")
    rows_unchanged: int = Field(description="Already there by natural key.")
    problems: list[ProblemOut]


def _import_out(record: SpendImport) -> ImportOut:
    return ImportOut(
        uuid=record.uuid,
        filename=record.filename,
        sha256=record.sha256,
        created_at=record.created_at,
        committed_at=record.committed_at,
        rows_added=record.rows_added,
        rows_unchanged=record.rows_unchanged,
        problems=[
            ProblemOut(
                row=p.get("row", 0),
                column=p.get("column", ""),
                code=p.get("code", ""),
                message=services.describe(p),
            )
            for p in record.problems
        ],
    )


@router.post(
    f"{BASE}/spend-imports",
    response={201: ImportOut},
    summary="Upload a spend CSV: checked and kept; with ?commit=1 also written if clean",
)
def spend_import_post(
    request: HttpRequest, slug: str, commit: bool = False, filename: str = "spend.csv"
) -> tuple[int, ImportOut]:
    workspace, me = _context(request, slug, MANAGE)
    upload = request.FILES.get("file")
    if upload is not None:
        data = upload.read(services.MAX_BYTES + 1)
        filename = upload.name or filename
    else:
        data = request.body
    record, _plan = services.spend_import_check(
        actor=me.user, workspace=workspace, data=data, filename=filename
    )
    if commit:
        try:
            record = services.spend_import_commit(actor=me.user, record=record)
        except ConvergeError as exc:
            exc.details["import"] = str(record.uuid)
            raise
    return 201, _import_out(record)


@router.get(
    f"{BASE}/spend-imports/{{spend_import}}", response=ImportOut, summary="One spend import"
)
def spend_import_get(request: HttpRequest, slug: str, spend_import: UUID) -> ImportOut:
    workspace, _m = _context(request, slug, READ)
    return _import_out(selectors.get_import(workspace, spend_import))


@router.post(
    f"{BASE}/spend-imports/{{spend_import}}/commit",
    response=ImportOut,
    summary="Write a checked spend import (all or nothing)",
)
def spend_import_commit(request: HttpRequest, slug: str, spend_import: UUID) -> ImportOut:
    workspace, me = _context(request, slug, MANAGE)
    record = services.spend_import_commit(
        actor=me.user, record=selectors.get_import(workspace, spend_import)
    )
    return _import_out(record)

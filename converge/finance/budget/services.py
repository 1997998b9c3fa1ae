"""Every write of the budget: lines, their allocations to objectives, initiatives and channels,
spend entered by hand, and spend imported from CSV (checked first, then committed whole or not
at all). Only leads and owners (``manage_budget``) write; each write is one transaction with an
audit entry.

Natural keys of spend: ``ref:<reference>`` when the row has a reference (an invoice number is
the same invoice wherever it comes from, so a hand-entered invoice is recognised by a later
import), otherwise the digest of (line uuid, date, amount, supplier, note, occurrence within the
file) for imported rows and ``manual:<random uuid>`` for rows entered by hand."""

from __future__ import annotations

import difflib
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import Department, User, Workspace
from converge.core.policy import Action, NotPermitted, can
from converge.finance import allocation
from converge.finance.budget import imports
from converge.finance.models import (
    Allocation,
    AllocationKind,
    BudgetLine,
    Category,
    SpendEntry,
    SpendImport,
)
from converge.measurement.models import Channel
from converge.strategy.models import Initiative, Platform, SocialObjective

MANAGE = Action.MANAGE_BUDGET
MAX_BYTES = 5 * 1024 * 1024
LINE_FIELDS = ("year", "category", "name", "platform", "department", "planned", "committed")
LINE_FIELDS_ALL = (*LINE_FIELDS, "fte", "note")
TARGET_MODEL: dict[str, type[Model]] = {
    AllocationKind.OBJECTIVE: SocialObjective,
    AllocationKind.INITIATIVE: Initiative,
    AllocationKind.CHANNEL: Channel,
}


def may_manage(actor: User, workspace: Workspace) -> bool:
    return can(actor, MANAGE, workspace)


def _require_manage(actor: User, workspace: Workspace) -> None:
    if not may_manage(actor, workspace):
        raise NotPermitted(MANAGE)


def _record(actor: User | None, obj: Any, action: str, changes: Mapping[str, Any]) -> None:
    audit.record(workspace=obj.workspace, actor=actor, action=action, obj=obj, changes=changes)


# --- Budget lines ---------------------------------------------------------------------------


def _check_year(year: int, field: str = "year") -> int:
    if not 2000 <= int(year) <= 2100:
        raise ConvergeError(_("Enter a year between 2000 and 2100."), field=field)
    return int(year)


def _money(value: Decimal | int | str, field: str, *, allow_negative: bool = False) -> Decimal:
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except ArithmeticError as exc:
        raise ConvergeError(_("Enter an amount."), field=field) from exc
    if not allow_negative and amount < 0:
        raise ConvergeError(_("The amount cannot be negative."), field=field)
    if abs(amount) >= Decimal("1e12"):
        raise ConvergeError(_("The amount is too large."), field=field)
    return amount


@transaction.atomic
def line_save(
    *,
    actor: User,
    workspace: Workspace,
    line: BudgetLine | None = None,
    year: int,
    category: str,
    name: str,
    planned: Decimal,
    committed: Decimal = Decimal(0),
    platform: str = "",
    department: Department | None = None,
    fte: Decimal | None = None,
    note: str = "",
) -> BudgetLine:
    """Create or change one line of one year's budget. A platform is for paid social only and
    full-time equivalents for staff only; the name is unique within the year."""
    _require_manage(actor, workspace)
    if line is not None and line.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a line of this workspace."), status=404)
    name = " ".join(str(name or "").split())
    if not name:
        raise ConvergeError(_("Enter a name."), field="name")
    if category not in Category.values:
        raise ConvergeError(_("Choose a category."), field="category")
    platform = platform or ""
    if platform and platform not in Platform.values:
        raise ConvergeError(_("Choose a platform."), field="platform")
    if platform and category != Category.PAID_SOCIAL:
        raise ConvergeError(_("Only paid social lines have a platform."), field="platform")
    if fte is not None and category != Category.STAFF:
        raise ConvergeError(_("Only staff lines have full-time equivalents."), field="fte")
    if fte is not None and not Decimal(0) < Decimal(fte) <= Decimal(999):
        raise ConvergeError(_("Full-time equivalents are more than 0, e.g. 0.5 or 1."), field="fte")
    if department is not None and department.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a department of this workspace."), field="department")
    year = _check_year(year)
    values: dict[str, Any] = {
        "year": year,
        "category": category,
        "name": name,
        "platform": platform,
        "department": department,
        "planned": _money(planned, "planned"),
        "committed": _money(committed or 0, "committed"),
        "fte": Decimal(fte).quantize(Decimal("0.01")) if fte is not None else None,
        "note": (note or "").strip(),
    }
    if (
        line is not None
        and line.year != year
        and SpendEntry.objects.filter(line=line).exclude(day__year=year).exists()
    ):
        raise ConvergeError(
            _("This line has spend dated in %(year)s; it stays in that year.")
            % {"year": line.year},
            field="year",
        )
    same_name = BudgetLine.objects.filter(workspace=workspace, year=year, name__iexact=name)
    if line is not None:
        same_name = same_name.exclude(pk=line.pk)
    if same_name.exists():
        raise ConvergeError(
            _("The %(year)s budget already has a line with this name.") % {"year": values["year"]},
            field="name",
            status=409,
        )
    return audit.save_audited(
        actor=actor,
        obj=line or BudgetLine(workspace=workspace),
        values=values,
        kind="budget_line",
        skip_unchanged=True,
    )


@transaction.atomic
def line_delete(*, actor: User, line: BudgetLine) -> None:
    """Delete a line and its allocations; refused while spend is booked on it."""
    _require_manage(actor, line.workspace)
    spent = SpendEntry.objects.filter(line=line).count()
    if spent:
        raise ConvergeError(
            _(
                "This line has %(count)s spend entries, so it cannot be deleted. Delete or "
                "re-book the spend first, or set the planned amount to 0."
            )
            % {"count": spent},
            details={"spend_entries": spent},
            status=409,
        )
    _record(actor, line, "budget_line.delete", audit.snapshot(line, LINE_FIELDS))
    line.delete()


@transaction.atomic
def lines_copy_year(
    *, actor: User, workspace: Workspace, from_year: int, to_year: int
) -> list[BudgetLine]:
    """Copy a year's lines (planned amounts, platform, department, FTE, note and allocations;
    nothing committed, no spend) into another year. Lines whose name the target year already
    has are left alone, so copying twice adds nothing."""
    _require_manage(actor, workspace)
    from_year, to_year = _check_year(from_year, "from_year"), _check_year(to_year, "to_year")
    if from_year == to_year:
        raise ConvergeError(_("Choose two different years."), field="to_year")
    have = {
        n.casefold()
        for n in BudgetLine.objects.filter(workspace=workspace, year=to_year).values_list(
            "name", flat=True
        )
    }
    made: list[BudgetLine] = []
    sources = BudgetLine.objects.filter(workspace=workspace, year=from_year).prefetch_related(
        "allocations"
    )
    for source in sources:
        if source.name.casefold() in have:
            continue
        copy = BudgetLine.objects.create(
            workspace=workspace,
            year=to_year,
            category=source.category,
            name=source.name,
            platform=source.platform,
            department_id=source.department_id,
            planned=source.planned,
            committed=Decimal(0),
            fte=source.fte,
            note=source.note,
        )
        Allocation.objects.bulk_create(
            [
                Allocation(
                    workspace=workspace,
                    line=copy,
                    kind=a.kind,
                    objective_id=a.objective_id,
                    initiative_id=a.initiative_id,
                    channel_id=a.channel_id,
                    share=a.share,
                )
                for a in source.allocations.all()
            ]
        )
        made.append(copy)
    if made:
        audit.record(
            workspace=workspace,
            actor=actor,
            action="budget_line.copy_year",
            object_type="budget_line",
            object_repr=f"{from_year} → {to_year}",
            changes={"lines": [[], sorted(line.name for line in made)]},
        )
    return made


# --- Allocations ----------------------------------------------------------------------------

ALLOCATION_MESSAGES = {
    "share_out_of_range": gettext_lazy("Each share is more than 0 and at most 100."),
    "share_too_precise": gettext_lazy("Shares have at most two decimals."),
    "shares_not_100": gettext_lazy("The shares add up to %(sum)s; they must add up to 100."),
}


def _target_name(target: Any) -> str:
    if isinstance(target, SocialObjective):
        return target.statement
    if isinstance(target, Initiative):
        return target.title
    return str(target)


@transaction.atomic
def allocations_set(
    *,
    actor: User,
    line: BudgetLine,
    kind: str,
    shares: Mapping[Any, Decimal | None],
) -> list[Allocation]:
    """Replace what ``line`` funds of one ``kind`` (objectives, initiatives or channels) with
    ``shares`` (target → percentage). When no share is given at all, the targets share evenly;
    otherwise every target needs a share, and the shares add up to exactly 100. An empty
    mapping leaves the line unallocated on that dimension."""
    _require_manage(actor, line.workspace)
    if kind not in TARGET_MODEL:
        raise ConvergeError(_("Choose objectives, initiatives or channels."), field="kind")
    model = TARGET_MODEL[kind]
    targets = list(shares)
    if any(
        not isinstance(t, model) or getattr(t, "workspace_id", None) != line.workspace_id
        for t in targets
    ):
        raise ConvergeError(_("Choose items of this workspace."), field="shares")
    given = [shares[t] for t in targets]
    if targets and all(s is None for s in given):
        values = allocation.split_evenly(len(targets))
    elif any(s is None for s in given):
        raise ConvergeError(
            _("Give every chosen item a share, or none of them to share evenly."), field="shares"
        )
    else:
        values = [Decimal(s) for s in given if s is not None]
    found = allocation.problems(values)
    if found:
        total = sum(values, Decimal(0))
        raise ConvergeError(
            " ".join(
                str(ALLOCATION_MESSAGES[p]) % {"sum": f"{total.normalize():f}"} for p in found
            ),
            field="shares",
            details={"problems": found, "sum": f"{total:f}"},
            status=422,
        )
    before = {
        _target_name(a.objective or a.initiative or a.channel): f"{a.share:f}"
        for a in Allocation.objects.filter(line=line, kind=kind).select_related(
            "objective", "initiative", "channel"
        )
    }
    Allocation.objects.filter(line=line, kind=kind).delete()
    made = Allocation.objects.bulk_create(
        [
            Allocation(
                workspace=line.workspace, line=line, kind=kind, share=share, **{kind: target}
            )
            for target, share in zip(targets, values, strict=True)
        ]
    )
    after = {_target_name(t): f"{s:f}" for t, s in zip(targets, values, strict=True)}
    if before != after:
        _record(actor, line, f"budget_line.allocate_{kind}", {kind: [before, after]})
    return made


# --- Spend by hand --------------------------------------------------------------------------


def _check_spend_day(line: BudgetLine, day: date) -> None:
    if day.year != line.year:
        raise ConvergeError(
            _("The date is in %(day_year)s but the line is in the %(year)s budget.")
            % {"day_year": day.year, "year": line.year},
            field="day",
        )


@transaction.atomic
def spend_add(
    *,
    actor: User,
    workspace: Workspace,
    line: BudgetLine,
    day: date,
    amount: Decimal,
    supplier: str = "",
    reference: str = "",
    note: str = "",
) -> SpendEntry:
    """Book one amount on a line. A negative amount is a credit note; zero is nothing."""
    _require_manage(actor, workspace)
    if line.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a line of this workspace."), field="line")
    _check_spend_day(line, day)
    money = _money(amount, "amount", allow_negative=True)
    if money == 0:
        raise ConvergeError(_("Enter an amount other than 0."), field="amount")
    reference = (reference or "").strip()
    key = imports.reference_key(reference) if reference else f"manual:{uuid.uuid4().hex}"
    if SpendEntry.objects.filter(workspace=workspace, key=key).exists():
        raise ConvergeError(
            _("Spend with the reference %(reference)s is already booked.")
            % {"reference": reference},
            field="reference",
            status=409,
        )
    entry = SpendEntry.objects.create(
        workspace=workspace,
        line=line,
        day=day,
        amount=money,
        supplier=(supplier or "").strip(),
        reference=reference,
        note=(note or "").strip(),
        key=key,
        entered_by=actor,
    )
    _record(
        actor,
        entry,
        "spend.create",
        {"line": [None, line.name], "amount": [None, f"{money:f}"], "day": [None, str(day)]},
    )
    return entry


@transaction.atomic
def spend_delete(*, actor: User, entry: SpendEntry) -> None:
    _require_manage(actor, entry.workspace)
    _record(
        actor,
        entry,
        "spend.delete",
        {"line": [entry.line.name, None], "amount": [f"{entry.amount:f}", None]},
    )
    entry.delete()


# --- Spend imports --------------------------------------------------------------------------

PROBLEM_MESSAGES = {
    "empty_file": gettext_lazy("The file is empty: it needs a header row and spend rows."),
    "missing_columns": gettext_lazy(
        "The header lacks the column(s) %(columns)s. Expected: date, amount, line, supplier, "
        "reference, note."
    ),
    "unknown_columns": gettext_lazy(
        "Unknown column(s) %(columns)s. Expected: date, amount, line, supplier, reference, note."
    ),
    "repeated_columns": gettext_lazy("The column(s) %(columns)s appear more than once."),
    "too_many_rows": gettext_lazy("The file has more than %(max)s rows; split it."),
    "wrong_cell_count": gettext_lazy(
        "The row has %(found)s cells where the header has %(expected)s. Is a value with a comma "
        "not in quotes?"
    ),
    "date_empty": gettext_lazy("The date is missing."),
    "date_not_a_date": gettext_lazy("“%(value)s” is not a date as 2026-03-05 (year-month-day)."),
    "date_no_such_day": gettext_lazy("“%(value)s” is not a day of the calendar."),
    "amount_empty": gettext_lazy("The amount is missing."),
    "amount_not_a_number": gettext_lazy(
        "“%(value)s” is not an amount. Write digits with . or , before the decimals, e.g. "
        "1234.50 or 1 234,50, without currency."
    ),
    "amount_ambiguous": gettext_lazy(
        "“%(value)s” is ambiguous: is the separator for thousands or decimals? Write 1234 or "
        "1234,00."
    ),
    "amount_too_many_decimals": gettext_lazy("“%(value)s” has more than two decimals."),
    "amount_zero": gettext_lazy("The amount is 0."),
    "line_empty": gettext_lazy("The budget line is missing."),
    "too_long": gettext_lazy("This is longer than %(max)s characters."),
    "reference_repeated": gettext_lazy("The same reference is already on row %(first)s."),
    "line_unknown": gettext_lazy("The %(year)s budget has no line “%(value)s”."),
    "line_unknown_suggest": gettext_lazy(
        "The %(year)s budget has no line “%(value)s”. Did you mean “%(suggestion)s”?"
    ),
    "reference_taken": gettext_lazy(
        "The reference %(reference)s is already booked with other figures (%(day)s, "
        "%(amount)s on “%(line)s”)."
    ),
}


def describe(problem: Mapping[str, Any]) -> str:
    """A stored problem in the reader's language."""
    text = PROBLEM_MESSAGES.get(problem.get("code", ""))
    if text is None:
        return str(problem.get("message", ""))
    try:
        return str(text) % dict(problem.get("params") or {})
    except (KeyError, TypeError, ValueError):
        return str(text)


def _problem(p: imports.Problem) -> dict[str, Any]:
    data = {"row": p.row, "column": p.column, "code": p.code, "params": dict(p.params)}
    data["message"] = describe(data)
    return data


@dataclass(frozen=True)
class PlannedRow:
    row: int
    day: date
    amount: Decimal
    line: BudgetLine
    supplier: str
    reference: str
    note: str
    key: str
    new: bool


@dataclass
class SpendPlan:
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    @property
    def added(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.new]

    @property
    def unchanged(self) -> list[PlannedRow]:
        return [r for r in self.rows if not r.new]


def plan(workspace: Workspace, data: bytes) -> SpendPlan:
    """Parse and check the whole file against the workspace's lines and spend: what would be
    added, what is already there (by natural key), and every problem."""
    parsed = imports.parse(data)
    result = SpendPlan(problems=[_problem(p) for p in parsed.problems])
    years = {r.day.year for r in parsed.rows}
    lines: dict[tuple[int, str], BudgetLine] = {}
    names: dict[int, list[str]] = {}
    for known in BudgetLine.objects.filter(workspace=workspace, year__in=years):
        lines[(known.year, known.name.casefold())] = known
        names.setdefault(known.year, []).append(known.name)
    found: list[tuple[imports.Row, BudgetLine]] = []
    for row in parsed.rows:
        line = lines.get((row.day.year, row.line.casefold()))
        if line is None:
            close = difflib.get_close_matches(
                row.line, names.get(row.day.year, []), n=1, cutoff=0.5
            )
            if not close:
                lowered = {n.casefold(): n for n in names.get(row.day.year, [])}
                hits = [lowered[n] for n in lowered if row.line.casefold() in n]
                close = hits[:1]
            params = {"value": row.line, "year": row.day.year}
            code = "line_unknown"
            if close:
                code, params["suggestion"] = "line_unknown_suggest", close[0]
            result.problems.append(_problem(imports.Problem(row.row, "line", code, params)))
            continue
        found.append((row, line))
    row_keys = imports.keys([(row, str(line.uuid)) for row, line in found])
    existing = {
        e.key: e
        for e in SpendEntry.objects.filter(workspace=workspace, key__in=row_keys).select_related(
            "line"
        )
    }
    for (row, line), key in zip(found, row_keys, strict=True):
        old = existing.get(key)
        if (
            old is not None
            and row.reference
            and (old.line_id != line.pk or old.day != row.day or old.amount != row.amount)
        ):
            result.problems.append(
                _problem(
                    imports.Problem(
                        row.row,
                        "reference",
                        "reference_taken",
                        {
                            "reference": row.reference,
                            "day": old.day.isoformat(),
                            "amount": f"{old.amount:f}",
                            "line": old.line.name,
                        },
                    )
                )
            )
            continue
        result.rows.append(
            PlannedRow(
                row=row.row,
                day=row.day,
                amount=row.amount,
                line=line,
                supplier=row.supplier,
                reference=row.reference,
                note=row.note,
                key=key,
                new=old is None,
            )
        )
    result.problems.sort(key=lambda p: (p["row"], p["column"]))
    return result


def _path(record: SpendImport) -> str:
    return f"spend-imports/{record.workspace_id}/{record.uuid}.csv"


def stored_file(record: SpendImport) -> bytes:
    """The file as uploaded; a ``ConvergeError`` when storage no longer has it."""
    try:
        with default_storage.open(_path(record), "rb") as handle:
            return bytes(handle.read())
    except OSError as exc:
        raise ConvergeError(
            _("The uploaded file is no longer stored. Upload it again."), status=410
        ) from exc


@transaction.atomic
def spend_import_check(
    *, actor: User, workspace: Workspace, data: bytes, filename: str
) -> tuple[SpendImport, SpendPlan]:
    """Step 1: keep the file and what it would do; write no spend."""
    _require_manage(actor, workspace)
    if len(data) > MAX_BYTES:
        raise ConvergeError(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)},
            field="file",
            status=413,
        )
    result = plan(workspace, data)
    record = SpendImport.objects.create(
        workspace=workspace,
        filename=(filename or "spend.csv")[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        created_by=actor,
        rows_added=len(result.added),
        rows_unchanged=len(result.unchanged),
        problems=result.problems,
    )
    default_storage.save(_path(record), ContentFile(data))
    _record(
        actor,
        record,
        "spend_import.check",
        {"rows": [None, len(result.rows)], "problems": [None, len(result.problems)]},
    )
    return record, result


def spend_import_commit(*, actor: User, record: SpendImport) -> SpendImport:
    """Step 2: write the new rows in one transaction — or nothing, when the file (checked
    again now, against today's lines and spend) has any problem; the problems are then kept
    on the import for the page to show."""
    _require_manage(actor, record.workspace)
    with transaction.atomic():
        record = SpendImport.objects.select_for_update().get(pk=record.pk)
        if record.committed_at is not None:
            raise ConvergeError(_("This file is already imported."), status=409)
        result = plan(record.workspace, stored_file(record))
        if not result.problems:
            _write(actor, record, result)
            return record
    record.problems = result.problems
    record.rows_added, record.rows_unchanged = len(result.added), len(result.unchanged)
    record.save(update_fields=["problems", "rows_added", "rows_unchanged"])
    raise ConvergeError(
        _("The file has %(count)s problems, so nothing was imported.")
        % {"count": len(result.problems)},
        details={"problems": result.problems},
        status=422,
    )


def _write(actor: User, record: SpendImport, result: SpendPlan) -> None:
    try:
        with transaction.atomic():
            SpendEntry.objects.bulk_create(
                [
                    SpendEntry(
                        workspace=record.workspace,
                        line=r.line,
                        day=r.day,
                        amount=r.amount,
                        supplier=r.supplier,
                        reference=r.reference,
                        note=r.note,
                        key=r.key,
                        source=record,
                        entered_by=actor,
                    )
                    for r in result.added
                ]
            )
    except IntegrityError as exc:
        raise ConvergeError(
            _("Some of these rows were booked meanwhile. Check the file again."), status=409
        ) from exc
    record.committed_at = timezone.now()
    record.rows_added, record.rows_unchanged = len(result.added), len(result.unchanged)
    record.problems = []
    record.save(update_fields=["committed_at", "rows_added", "rows_unchanged", "problems"])
    _record(
        actor,
        record,
        "spend_import.commit",
        {"added": [None, record.rows_added], "unchanged": [None, record.rows_unchanged]},
    )

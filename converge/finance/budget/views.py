"""Budget pages: the year's budget (the Budget & ROI home), the multi-year view, a line with
what it funds, spend, and spend imports. Seeing money needs ``view_budget`` (leads, owners,
executives, and departments a lead granted it to); writing needs ``manage_budget``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from converge.core import exports
from converge.core.errors import ConvergeError
from converge.core.forms import show_error
from converge.core.models import Capability
from converge.core.pages import url_for
from converge.core.policy import NotPermitted
from converge.core.views import WorkspaceRequest, workspace_view
from converge.finance.budget import selectors, services
from converge.finance.budget.forms import (
    AllocationForm,
    CopyYearForm,
    LineForm,
    SpendFilterForm,
    SpendForm,
    SpendImportForm,
)
from converge.finance.models import AllocationKind, BudgetLine

VIEW = Capability.VIEW_BUDGET
MANAGE = services.MANAGE
PAGE_SIZE = 50


def _year(request: WorkspaceRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year", default))
    except (TypeError, ValueError):
        return default
    return year if 2000 <= year <= 2100 else default


def _can_manage(request: WorkspaceRequest) -> bool:
    return MANAGE in request.allowed


# --- The year's budget ----------------------------------------------------------------------


@workspace_view(VIEW)
def overview(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    today = timezone.localdate()
    year = _year(request, today.year)
    budget = selectors.year_budget(ws, year)
    return render(
        request,
        "finance/budget/overview.html",
        {
            "nav": "budget",
            "year": year,
            "years": sorted(set(selectors.year_choices(ws, today)) | {year}),
            "budget": budget,
            "can_manage": _can_manage(request),
            "copy_form": CopyYearForm(initial={"from_year": year, "to_year": year + 1}),
        },
    )


@workspace_view(VIEW)
def export(request: WorkspaceRequest, fmt: str) -> HttpResponse:
    fmt = exports.format_or_404(fmt)
    year = _year(request, timezone.localdate().year)
    budget = selectors.year_budget(request.workspace, year)
    table = exports.Table(
        columns=[
            _("Year"),
            _("Category"),
            _("Line"),
            _("Platform"),
            _("Paid by"),
            _("FTE"),
            _("Planned"),
            _("Committed"),
            _("Actual"),
            _("Remaining"),
        ],
        rows=list(selectors.export_rows(budget)),
        title=_("Budget %(year)s") % {"year": year},
    )
    return exports.response(table, fmt, f"budget-{request.workspace.slug}-{year}")


@workspace_view(VIEW)
def years(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "finance/budget/years.html",
        {"nav": "budget_years", "table": selectors.multi_year(request.workspace)},
    )


@workspace_view(MANAGE)
@require_POST
def copy_year(request: WorkspaceRequest) -> HttpResponse:
    form = CopyYearForm(request.POST)
    back = url_for(request, "budget")
    if not form.is_valid():
        messages.error(request, _("Enter two years."))
        return redirect(back)
    try:
        made = services.lines_copy_year(
            actor=request.user, workspace=request.workspace, **form.cleaned_data
        )
    except ConvergeError as exc:
        messages.error(request, exc.message)
        return redirect(back)
    messages.success(
        request,
        _("%(count)s lines copied into %(year)s.")
        % {"count": len(made), "year": form.cleaned_data["to_year"]},
    )
    return redirect(f"{back}?year={form.cleaned_data['to_year']}")


# --- Lines ----------------------------------------------------------------------------------


@workspace_view(MANAGE)
def line_edit(request: WorkspaceRequest, budget_line: str | None = None) -> HttpResponse:
    ws = request.workspace
    line = selectors.get_line(ws, budget_line) if budget_line else None
    if line is not None:
        initial = LineForm.initial_for(line)
    else:
        initial = {"year": _year(request, timezone.localdate().year), "committed": 0}
        if request.GET.get("category"):
            initial["category"] = request.GET["category"]
    form = LineForm(
        request.POST if request.method == "POST" else None, workspace=ws, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.line_save(
                actor=request.user, workspace=ws, line=line, **form.service_data()
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Budget line saved."))
            return redirect(url_for(request, "budget_line", saved.uuid))
    cancel = (
        url_for(request, "budget_line", line.uuid)
        if line
        else f"{url_for(request, 'budget')}?year={initial['year']}"
    )
    return render(
        request,
        "finance/budget/form.html",
        {
            "nav": "budget",
            "form": form,
            "title": _("Edit budget line") if line else _("New budget line"),
            "cancel": cancel,
        },
    )


def _allocation_forms(
    line: BudgetLine, funded: dict[str, list[selectors.Funded]], data: Any = None, only: str = ""
) -> dict[str, AllocationForm]:
    forms: dict[str, AllocationForm] = {}
    for kind in AllocationKind.values:
        targets = selectors.targets(line.workspace, kind)
        current = {f.target.pk: f.share for f in funded[kind]}
        names = {t.pk: selectors.target_name(t) for t in targets}
        forms[kind] = AllocationForm(
            data if kind == only else None,
            kind=kind,
            targets=targets,
            current=current,
            names=names,
        )
    return forms


def _line_page(
    request: WorkspaceRequest, line: BudgetLine, forms: dict[str, AllocationForm] | None = None
) -> HttpResponse:
    funded = selectors.allocations(line)
    can_manage = _can_manage(request)
    if forms is None and can_manage:
        forms = _allocation_forms(line, funded)
    spend_rows = selectors.spend(request.workspace, line=line)
    labels = dict(AllocationKind.choices)
    sections = [
        {
            "kind": kind,
            "label": {
                AllocationKind.OBJECTIVE: _("Objectives"),
                AllocationKind.INITIATIVE: _("Initiatives"),
                AllocationKind.CHANNEL: _("Channels"),
            }[AllocationKind(kind)],
            "title": labels[kind],
            "funded": funded[kind],
            "form": (forms or {}).get(kind),
        }
        for kind in AllocationKind.values
    ]
    actual = Decimal(getattr(line, "actual", 0))
    return render(
        request,
        "finance/budget/line_detail.html",
        {
            "nav": "budget",
            "line": line,
            "actual": actual,
            "remaining": line.planned - actual,
            "burn": actual / line.planned if line.planned else None,
            "sections": sections,
            "spend_count": spend_rows.count(),
            "recent_spend": list(spend_rows[:10]),
            "can_manage": can_manage,
        },
    )


@workspace_view(VIEW)
def line_detail(request: WorkspaceRequest, budget_line: str) -> HttpResponse:
    return _line_page(request, selectors.get_line(request.workspace, budget_line))


@workspace_view(MANAGE)
@require_POST
def line_allocations(request: WorkspaceRequest, budget_line: str) -> HttpResponse:
    """Replace one kind of the line's allocations; on a problem, show the page again with the
    form as posted and the message beside it."""
    line = selectors.get_line(request.workspace, budget_line)
    kind = request.POST.get("kind") or next(
        (k for k in AllocationKind.values if request.POST.get(f"{k}-kind")), ""
    )
    if kind not in AllocationKind.values:
        messages.error(request, _("Choose objectives, initiatives or channels."))
        return redirect(url_for(request, "budget_line", line.uuid))
    funded = selectors.allocations(line)
    forms = _allocation_forms(line, funded, request.POST, only=kind)
    form = forms[kind]
    if form.is_valid():
        try:
            services.allocations_set(actor=request.user, line=line, kind=kind, shares=form.shares())
        except ConvergeError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("What this line funds is saved."))
            return redirect(url_for(request, "budget_line", line.uuid) + f"#funds-{kind}")
    return _line_page(request, line, forms)


@workspace_view(MANAGE)
@require_POST
def line_delete(request: WorkspaceRequest, budget_line: str) -> HttpResponse:
    line = selectors.get_line(request.workspace, budget_line)
    try:
        services.line_delete(actor=request.user, line=line)
    except ConvergeError as exc:
        messages.error(request, exc.message)
        return redirect(url_for(request, "budget_line", line.uuid))
    messages.success(request, _("Budget line deleted."))
    return redirect(f"{url_for(request, 'budget')}?year={line.year}")


# --- Spend ----------------------------------------------------------------------------------


@workspace_view(VIEW)
def spend_list(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    form = SpendFilterForm(
        request.GET or None,
        workspace=ws,
        years=selectors.years(ws),
        suppliers=selectors.suppliers(ws),
    )
    filters: dict[str, Any] = {}
    if form.is_bound and form.is_valid():
        filters = {
            "year": form.cleaned_data.get("year"),
            "line": form.cleaned_data.get("line"),
            "supplier": form.cleaned_data.get("supplier") or "",
        }
    rows = selectors.spend(ws, **filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "finance/budget/spend_list.html",
        {
            "nav": "budget_spend",
            "form": form,
            "page": page,
            "total": selectors.spend_total(rows),
            "count": page.paginator.count,
            "query": query.urlencode(),
            "can_manage": _can_manage(request),
        },
    )


@workspace_view(MANAGE)
def spend_new(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    initial: dict[str, Any] = {"day": timezone.localdate()}
    if request.GET.get("line"):
        line = BudgetLine.objects.filter(workspace=ws, uuid=request.GET["line"]).first()
        if line is not None:
            initial["line"] = line
    form = SpendForm(
        request.POST if request.method == "POST" else None, workspace=ws, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.spend_add(actor=request.user, workspace=ws, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Spend booked."))
            return redirect(url_for(request, "budget_line", entry.line.uuid))
    return render(
        request,
        "finance/budget/form.html",
        {
            "nav": "budget_spend",
            "form": form,
            "title": _("Book spend"),
            "cancel": url_for(request, "budget_spend"),
        },
    )


@workspace_view(MANAGE)
@require_POST
def spend_delete(request: WorkspaceRequest, spend_entry: str) -> HttpResponse:
    entry = selectors.get_spend(request.workspace, spend_entry)
    services.spend_delete(actor=request.user, entry=entry)
    messages.success(request, _("Spend entry deleted."))
    back = request.POST.get("next", "")
    if not back.startswith(f"/w/{request.workspace.slug}/"):
        back = url_for(request, "budget_spend")
    return redirect(back)


# --- Spend imports --------------------------------------------------------------------------


@workspace_view(VIEW)
def import_page(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    can_manage = _can_manage(request)
    form = SpendImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_manage:
            raise NotPermitted(MANAGE)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record, _plan = services.spend_import_check(
                    actor=request.user,
                    workspace=ws,
                    data=upload.read(services.MAX_BYTES + 1),
                    filename=upload.name or "spend.csv",
                )
            except ConvergeError as exc:
                show_error(form, exc)
            else:
                return redirect(url_for(request, "budget_import_detail", record.uuid))
    return render(
        request,
        "finance/budget/import.html",
        {
            "nav": "budget_import",
            "form": form,
            "imports": selectors.imports(ws)[:20],
            "can_manage": can_manage,
        },
    )


@workspace_view(VIEW)
def import_detail(request: WorkspaceRequest, spend_import: str) -> HttpResponse:
    ws = request.workspace
    record = selectors.get_import(ws, spend_import)
    committed = record.committed_at is not None
    plan, gone = None, ""
    if not committed:
        try:
            plan = services.plan(ws, services.stored_file(record))
        except ConvergeError as exc:
            gone = exc.message
    problems = plan.problems if plan is not None else record.problems
    return render(
        request,
        "finance/budget/import_detail.html",
        {
            "nav": "budget_import",
            "record": record,
            "plan": plan,
            "problems": [{**p, "text": services.describe(p)} for p in problems],
            "added": plan.added[:500] if plan else [],
            "unchanged": plan.unchanged[:500] if plan else [],
            "written": record.entries.count() if committed else 0,
            "gone": gone,
            "can_manage": _can_manage(request),
        },
    )


@workspace_view(MANAGE)
@require_POST
def import_commit(request: WorkspaceRequest, spend_import: str) -> HttpResponse:
    record = selectors.get_import(request.workspace, spend_import)
    try:
        done = services.spend_import_commit(actor=request.user, record=record)
    except ConvergeError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(added)s spend entries added; %(unchanged)s were already there.")
            % {"added": done.rows_added, "unchanged": done.rows_unchanged},
        )
    return redirect(url_for(request, "budget_import_detail", record.uuid))

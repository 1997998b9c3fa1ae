"""Value pages: the value model (owned, sourced, dated assumptions, hard apart from soft), the
ROI report of a period with its drill-downs and sensitivity, and budget scenarios (cuts and
moves) with their effect on funding and KPIs, saved and compared side by side. Seeing needs
``view_budget``; writing needs ``manage_budget``."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from converge.core import exports
from converge.core.errors import ConvergeError
from converge.core.forms import show_error
from converge.core.models import Capability
from converge.core.pages import form_page, inline_post, posted, url_for
from converge.core.views import WorkspaceRequest, workspace_view
from converge.finance.models import Hardness, ScenarioChange
from converge.finance.value import charts, selectors, services
from converge.finance.value.forms import AssumptionForm, ChangeForm, CompareForm, ScenarioForm
from converge.measurement.periods import period_form_shown, periods_from

VIEW = Capability.VIEW_BUDGET
MANAGE = services.MANAGE
FORM = "finance/budget/form.html"


def _can_manage(request: WorkspaceRequest) -> bool:
    return MANAGE in request.allowed


# --- The value model ------------------------------------------------------------------------


@workspace_view(VIEW)
def value_model(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    today = timezone.localdate()
    active = list(selectors.assumptions(ws))
    index = selectors.metric_index(ws)
    return render(
        request,
        "finance/value/model.html",
        {
            "nav": "value",
            "hard": [a for a in active if a.hardness != Hardness.SOFT],
            "soft": [a for a in active if a.hardness == Hardness.SOFT],
            "archived": list(selectors.assumptions(ws, archived=True)),
            "stale": {a.pk for a in active if selectors.is_stale(a, today)},
            "metric_names": {k: m.name for k, m in index.items()},
            "can_manage": _can_manage(request),
        },
    )


@workspace_view(MANAGE)
def assumption_edit(request: WorkspaceRequest, value_assumption: str | None = None) -> HttpResponse:
    ws = request.workspace
    found = selectors.get_assumption(ws, value_assumption) if value_assumption else None
    initial = AssumptionForm.initial_for(found) if found else AssumptionForm.new_initial()
    form = AssumptionForm(posted(request), workspace=ws, initial=initial)
    return form_page(
        request,
        form,
        lambda _data: services.assumption_save(
            actor=request.user, workspace=ws, assumption=found, **form.service_data()
        ),
        template=FORM,
        title=_("Edit value assumption") if found else _("New value assumption"),
        done=lambda _a: url_for(request, "budget_value_model"),
        cancel=url_for(request, "budget_value_model"),
        saved=_("Value assumption saved."),
        extra={"nav": "value"},
    )


@workspace_view(MANAGE)
@require_POST
def assumption_archive(request: WorkspaceRequest, value_assumption: str) -> HttpResponse:
    found = selectors.get_assumption(request.workspace, value_assumption)
    restore = request.POST.get("restore") == "1"
    return inline_post(
        request,
        forms.Form(request.POST),  # nothing to read: the button is the action
        lambda _data: services.assumption_archive(
            actor=request.user, assumption=found, restore=restore
        ),
        saved=_("Assumption brought back.") if restore else _("Assumption archived."),
        back=url_for(request, "budget_value_model"),
    )


# --- ROI ------------------------------------------------------------------------------------


def _step(request: WorkspaceRequest) -> Decimal:
    try:
        step = Decimal(request.GET.get("step", "20"))
    except InvalidOperation:
        return Decimal(20)
    return step if Decimal(0) < step <= Decimal(100) else Decimal(20)


@workspace_view(VIEW)
def roi(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    periods = periods_from(request, selectors.default_period(timezone.localdate()))
    report = selectors.roi_report(
        ws, periods.current.start, periods.current.end, step=_step(request)
    )
    before = selectors.roi_report(ws, periods.previous.start, periods.previous.end)
    return render(
        request,
        "finance/value/roi.html",
        {
            "nav": "roi",
            "report": report,
            "before": before,
            "period_form": period_form_shown(periods),
            "query": periods.own_query,
            "chart": charts.quarters_spec(report) if report.quarters else None,
            "can_manage": _can_manage(request),
        },
    )


@workspace_view(VIEW)
def roi_cost_rows(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    periods = periods_from(request, selectors.default_period(timezone.localdate()))
    kind, target = request.GET.get("kind", ""), request.GET.get("target", "")
    found = selectors.cost_rows(ws, periods.current, kind, target)
    return render(
        request,
        "finance/value/cost_rows.html",
        {
            "nav": "roi",
            "found": found,
            "period": periods.current,
            "back": f"{url_for(request, 'budget_roi')}?{periods.own_query}",
        },
    )


@workspace_view(VIEW)
def roi_export(request: WorkspaceRequest, fmt: str) -> HttpResponse:
    fmt = exports.format_or_404(fmt)
    ws = request.workspace
    periods = periods_from(request, selectors.default_period(timezone.localdate()))
    report = selectors.roi_report(ws, periods.current.start, periods.current.end)
    rows: list[list[Any]] = []
    for d in report.dimensions:
        for r in d.rows:
            rows.append([str(d.label), r.name, r.cost, r.value, r.roi])
    rows.append([_("Total"), "", report.total_cost, report.hard_value, report.roi])
    table = exports.Table(
        columns=[_("Dimension"), _("Name"), _("Cost"), _("Hard value"), _("ROI")],
        rows=rows,
        title=_("ROI"),
    )
    p = report.period
    return exports.response(table, fmt, f"roi-{ws.slug}-{p.start}-{p.end}")


# --- Scenarios ------------------------------------------------------------------------------


@workspace_view(VIEW)
def scenario_list(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    found = list(selectors.scenarios(ws))
    today = timezone.localdate()
    return render(
        request,
        "finance/value/scenarios.html",
        {
            "nav": "scenarios",
            "results": [selectors.scenario_result(s, today) for s in found],
            "compare_form": CompareForm(choices=[(str(s.uuid), s.name) for s in found]),
            "can_manage": _can_manage(request),
        },
    )


@workspace_view(MANAGE)
def scenario_edit(request: WorkspaceRequest, budget_scenario: str | None = None) -> HttpResponse:
    ws = request.workspace
    found = selectors.get_scenario(ws, budget_scenario) if budget_scenario else None
    initial = ScenarioForm.initial_for(found) if found else {"year": timezone.localdate().year + 1}
    form = ScenarioForm(posted(request), initial=initial)
    return form_page(
        request,
        form,
        lambda data: services.scenario_save(
            actor=request.user, workspace=ws, scenario=found, **data
        ),
        template=FORM,
        title=_("Edit scenario") if found else _("New scenario"),
        done=lambda s: url_for(request, "budget_scenario", s.uuid),
        cancel=(
            url_for(request, "budget_scenario", found.uuid)
            if found
            else url_for(request, "budget_scenarios")
        ),
        saved=_("Scenario saved."),
        extra={"nav": "scenarios"},
    )


@workspace_view(VIEW)
def scenario_detail(request: WorkspaceRequest, budget_scenario: str) -> HttpResponse:
    scenario = selectors.get_scenario(request.workspace, budget_scenario)
    return _scenario_page(request, scenario, ChangeForm(scenario=scenario))


def _scenario_page(request: WorkspaceRequest, scenario: Any, form: ChangeForm) -> HttpResponse:
    result = selectors.scenario_result(scenario, timezone.localdate())
    return render(
        request,
        "finance/value/scenario.html",
        {
            "nav": "scenarios",
            "result": result,
            "scenario": scenario,
            "changes": list(scenario.changes.all()),
            "form": form,
            "can_manage": _can_manage(request),
        },
    )


@workspace_view(MANAGE)
@require_POST
def scenario_change(request: WorkspaceRequest, budget_scenario: str) -> HttpResponse:
    scenario = selectors.get_scenario(request.workspace, budget_scenario)
    form = ChangeForm(request.POST, scenario=scenario)
    if form.is_valid():
        try:
            services.scenario_change_add(actor=request.user, scenario=scenario, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            return redirect(url_for(request, "budget_scenario", scenario.uuid))
    scenario = selectors.get_scenario(request.workspace, budget_scenario)
    return _scenario_page(request, scenario, form)


@workspace_view(MANAGE)
@require_POST
def scenario_change_remove(
    request: WorkspaceRequest, budget_scenario: str, position: int
) -> HttpResponse:
    scenario = selectors.get_scenario(request.workspace, budget_scenario)
    change = ScenarioChange.objects.filter(scenario=scenario, position=position).first()
    if change is None:
        raise Http404
    return inline_post(
        request,
        forms.Form(request.POST),
        lambda _data: services.scenario_change_remove(actor=request.user, change=change),
        saved=_("Change removed."),
        back=url_for(request, "budget_scenario", scenario.uuid),
    )


@workspace_view(MANAGE)
@require_POST
def scenario_delete(request: WorkspaceRequest, budget_scenario: str) -> HttpResponse:
    scenario = selectors.get_scenario(request.workspace, budget_scenario)
    return inline_post(
        request,
        forms.Form(request.POST),
        lambda _data: services.scenario_delete(actor=request.user, scenario=scenario),
        saved=_("Scenario deleted."),
        back=url_for(request, "budget_scenarios"),
    )


@workspace_view(VIEW)
def scenario_compare(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    every = list(selectors.scenarios(ws))
    form = CompareForm(request.GET or None, choices=[(str(s.uuid), s.name) for s in every])
    wanted = set(form.cleaned_data["scenario"]) if form.is_valid() else set()
    chosen = [s for s in every if str(s.uuid) in wanted] or every[:3]
    return render(
        request,
        "finance/value/compare.html",
        {
            "nav": "scenarios",
            "form": form,
            "comparison": selectors.compare(ws, chosen, timezone.localdate()),
        },
    )

"""Pages of the review of current communication activities, under /w/<slug>/budget/review/.
Seeing money needs ``view_budget``; adding, changing and reviewing needs ``manage_budget``."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from converge.core import exports
from converge.core.errors import ConvergeError
from converge.core.forms import show_error
from converge.core.models import Capability
from converge.core.policy import Action
from converge.core.views import WorkspaceRequest, workspace_view
from converge.finance.review import selectors, services
from converge.finance.review.forms import ActivityForm, ReviewForm
from converge.finance.review.proposal import REDUCE_SHARE, STOP_FACTOR

VIEW = Capability.VIEW_BUDGET
MANAGE = Action.MANAGE_BUDGET


def _year(request: WorkspaceRequest, years: list[int] | None = None) -> int | None:
    years = selectors.years(request.workspace) if years is None else years
    asked = request.GET.get("year", "")
    if asked.isdigit() and int(asked) in years:
        return int(asked)
    return years[0] if years else None


def _list_url(request: WorkspaceRequest, year: int | None = None) -> str:
    url = reverse("finance_review", args=[request.workspace.slug])
    return f"{url}?year={year}" if year else url


@workspace_view(VIEW)
def review(request: WorkspaceRequest) -> HttpResponse:
    ws = request.workspace
    years = selectors.years(ws)
    year = _year(request, years)
    items = list(selectors.activities(ws, year)) if year else []
    return render(
        request,
        "finance/review/review.html",
        {
            "year": year,
            "years": years,
            "groups": selectors.ranked(items),
            "totals": selectors.totals(ws, year),
            "case_totals": selectors.totals(ws, year, in_case_only=True),
            "can_manage": MANAGE in request.allowed,
            "stop_factor": STOP_FACTOR,
            "reduce_percent": int(REDUCE_SHARE * 100),
        },
    )


@workspace_view(MANAGE)
def activity_edit(request: WorkspaceRequest, comm_activity: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get_activity(ws, comm_activity) if comm_activity else None
    if instance:
        initial = {
            "name": instance.name,
            "kind": instance.kind,
            "year": instance.year,
            "cost": instance.cost,
            "results": instance.results,
            "result_unit": instance.result_unit,
            "evidence": instance.evidence,
            "department": instance.department,
        }
    else:
        initial = {"year": _year(request) or timezone.localdate().year, "result_unit": _("leads")}
    form = ActivityForm(
        request.POST if request.method == "POST" else None, workspace=ws, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            obj = services.activity_save(
                actor=request.user, workspace=ws, activity=instance, **form.cleaned_data
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(_list_url(request, obj.year))
    return render(
        request,
        "finance/review/form.html",
        {
            "form": form,
            "title": _("Edit activity") if instance else _("New activity"),
            "cancel": _list_url(request, instance.year if instance else None),
            "activity": instance,
        },
    )


@workspace_view(MANAGE)
def activity_delete(request: WorkspaceRequest, comm_activity: str) -> HttpResponse:
    activity = selectors.get_activity(request.workspace, comm_activity)
    if request.method == "POST":
        year = activity.year
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("Activity deleted."))
        return redirect(_list_url(request, year))
    return render(request, "finance/review/delete.html", {"activity": activity})


@workspace_view(MANAGE)
def activity_review(request: WorkspaceRequest, comm_activity: str) -> HttpResponse:
    ws = request.workspace
    activity = selectors.get_activity(ws, comm_activity)
    same_year = list(selectors.activities(ws, activity.year))
    row = next(
        r for g in selectors.ranked(same_year) for r in g.rows if r.activity.pk == activity.pk
    )
    if activity.reviewed_at:
        initial = {
            "proposal": activity.proposal,
            "move_to_social": activity.move_to_social,
            "in_business_case": activity.in_business_case,
        }
    else:
        initial = {
            "proposal": row.suggestion.proposal or "keep",
            "move_to_social": row.suggestion.move_to_social,
            "in_business_case": False,
        }
    form = ReviewForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_review(actor=request.user, activity=activity, **form.cleaned_data)
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Review saved."))
            return redirect(_list_url(request, activity.year))
    return render(
        request,
        "finance/review/review_form.html",
        {
            "form": form,
            "activity": activity,
            "row": row,
            "cancel": _list_url(request, activity.year),
        },
    )


@workspace_view(VIEW)
@require_GET
def review_export(request: WorkspaceRequest, fmt: str) -> HttpResponse:
    fmt = exports.format_or_404(fmt)
    ws = request.workspace
    year = _year(request)
    items = list(selectors.activities(ws, year)) if year else []
    rows: list[list[exports.Cell]] = []
    for group in selectors.ranked(items):
        for r in group.rows:
            a = r.activity
            rows.append(
                [
                    a.year,
                    a.name,
                    a.get_kind_display(),
                    a.department.name if a.department else "",
                    a.cost,
                    a.results,
                    a.result_unit,
                    r.cost_per_result,
                    selectors.cents(r.suggestion.social_cost_per_result),
                    r.suggestion.proposal,
                    r.suggestion.move_to_social,
                    a.proposal if a.reviewed_at else "",
                    a.move_to_social if a.reviewed_at else None,
                    a.in_business_case,
                    str(a.reviewed_by) if a.reviewed_by else "",
                    a.reviewed_at,
                    a.evidence,
                ]
            )
    table = exports.Table(
        columns=[
            _("Year"),
            _("Activity"),
            _("Kind"),
            _("Department"),
            _("Cost (%(currency)s)") % {"currency": ws.currency},
            _("Results"),
            _("Result unit"),
            _("Cost per result"),
            _("Social's cost per result"),
            _("Suggested"),
            _("Suggested amount to move"),
            _("Decision"),
            _("Amount to move"),
            _("In the business case"),
            _("Reviewed by"),
            _("Reviewed at"),
            _("Where the figures come from"),
        ],
        rows=rows,
        title=_("Activities"),
    )
    return exports.response(table, fmt, f"{ws.slug}-activities-{year or 'none'}")

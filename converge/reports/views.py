"""Reports pages, under /w/<slug>/reports/: the workspace's business cases, each as a page, a
PDF and a PowerPoint deck. Seeing a case needs ``view_budget`` (it is about money); creating,
changing and deleting one needs ``manage_budget``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from converge.core.errors import ConvergeError
from converge.core.forms import show_error
from converge.core.models import Capability
from converge.core.policy import Action
from converge.core.views import WorkspaceRequest, workspace_view
from converge.reports import renderers, selectors, services
from converge.reports.forms import BusinessCaseForm
from converge.reports.models import BusinessCase

VIEW = Capability.VIEW_BUDGET
MANAGE = Action.MANAGE_BUDGET
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def _case_url(request: WorkspaceRequest, case: BusinessCase) -> str:
    return reverse("reports_case", args=[request.workspace.slug, case.uuid])


@workspace_view(VIEW)
def home(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "reports/home.html",
        {
            "cases": selectors.business_cases(request.workspace),
            "can_manage": MANAGE in request.allowed,
        },
    )


@workspace_view(MANAGE)
def case_edit(request: WorkspaceRequest, business_case: str | None = None) -> HttpResponse:
    ws = request.workspace
    instance = selectors.get_business_case(ws, business_case) if business_case else None
    if instance:
        initial: dict[str, Any] = {
            f: getattr(instance, f)
            for f in (
                "title",
                "audience",
                "language",
                "first_year",
                "horizon_years",
                "cost_contingency",
                "schedule_contingency",
                "summary",
                "ask",
            )
        }
    else:
        year = timezone.localdate().year + 1
        initial = {
            "title": _("Social business %(first)s–%(last)s") % {"first": year, "last": year + 2},
            "first_year": year,
            "language": translation.get_language() or "en",
            "audience": "board",
        }
    form = BusinessCaseForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.business_case_save(
                actor=request.user, workspace=ws, case=instance, **form.cleaned_data
            )
        except ConvergeError as exc:
            show_error(form, exc)
        else:
            messages.success(request, _("Business case saved."))
            return redirect(_case_url(request, case))
    return render(
        request,
        "reports/form.html",
        {
            "form": form,
            "title": _("Edit business case") if instance else _("New business case"),
            "cancel": _case_url(request, instance)
            if instance
            else reverse("reports_home", args=[ws.slug]),
        },
    )


@workspace_view(MANAGE)
def case_delete(request: WorkspaceRequest, business_case: str) -> HttpResponse:
    case = selectors.get_business_case(request.workspace, business_case)
    if request.method == "POST":
        services.business_case_delete(actor=request.user, case=case)
        messages.success(request, _("Business case deleted."))
        return redirect("reports_home", slug=request.workspace.slug)
    return render(request, "reports/delete.html", {"case": case})


@workspace_view(VIEW)
@require_GET
def case_detail(request: WorkspaceRequest, business_case: str) -> HttpResponse:
    case = selectors.get_business_case(request.workspace, business_case)
    doc = selectors.case_document(case)
    with translation.override(case.language):
        body = renderers.render_body(doc)
    return render(
        request,
        "reports/case.html",
        {
            "case": case,
            "doc": doc,
            "body": mark_safe(body),  # rendered from our own templates, auto-escaped
            "can_manage": MANAGE in request.allowed,
        },
    )


def _filename(case: BusinessCase, ext: str) -> str:
    title = slugify(case.title.replace("–", "-").replace("—", "-")) or "business-case"
    return f"{slugify(case.workspace.slug)}-{title}.{ext}"


@workspace_view(VIEW)
@require_GET
def case_pdf(request: WorkspaceRequest, business_case: str) -> HttpResponse:
    case = selectors.get_business_case(request.workspace, business_case)
    doc = selectors.case_document(case)
    with translation.override(case.language):
        data = renderers.render_pdf(doc)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(case, "pdf")}"'
    return response


@workspace_view(VIEW)
@require_GET
def case_pptx(request: WorkspaceRequest, business_case: str) -> HttpResponse:
    case = selectors.get_business_case(request.workspace, business_case)
    doc = selectors.case_document(case)
    with translation.override(case.language):
        data = renderers.render_pptx(doc)
    response = HttpResponse(data, content_type=PPTX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(case, "pptx")}"'
    return response

"""API: business cases. Paths under ``/workspaces/{slug}/reports/business-cases``: the list,
create, change and delete; one case as JSON (the builder's document: sections with
paragraphs, tables and charts as data series), and as files (``.pdf``, ``.pptx``). Reading
needs ``view_budget``; writing needs ``manage_budget``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from ninja import Router, Schema
from pydantic import Field

from converge.api.core import _context
from converge.core.models import Capability
from converge.core.policy import Action
from converge.reports import renderers, selectors, services
from converge.reports.document import as_json
from converge.reports.models import BusinessCase
from converge.reports.views import PPTX, _filename

router = Router(tags=["reports"])
READ = Capability.VIEW_BUDGET
MANAGE = Action.MANAGE_BUDGET
BASE = "/workspaces/{slug}/reports/business-cases"


class CaseOut(Schema):
    uuid: UUID
    title: str
    audience: str
    language: str
    first_year: int
    horizon_years: int
    cost_contingency: Decimal
    schedule_contingency: Decimal
    summary: str
    ask: str
    created_at: dt.datetime
    updated_at: dt.datetime


class CaseIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    audience: str = Field(default="board", description="boss, c_suite or board")
    language: str = Field(default="en", description="en or sv")
    first_year: int
    horizon_years: int = Field(default=3, ge=1, le=10)
    cost_contingency: Decimal = Field(default=Decimal(20), ge=0, le=500)
    schedule_contingency: Decimal = Field(default=Decimal(20), ge=0, le=500)
    summary: str = ""
    ask: str = ""


def _out(c: BusinessCase) -> CaseOut:
    return CaseOut.model_validate(c, from_attributes=True)


@router.get(BASE, response=list[CaseOut], summary="Business cases")
def case_list(request: HttpRequest, slug: str) -> list[CaseOut]:
    workspace, _m = _context(request, slug, READ)
    return [_out(c) for c in selectors.business_cases(workspace)]


@router.post(BASE, response={201: CaseOut}, summary="Start a business case")
def case_post(request: HttpRequest, slug: str, payload: CaseIn) -> tuple[int, Any]:
    workspace, me = _context(request, slug, MANAGE)
    case = services.business_case_save(actor=me.user, workspace=workspace, **payload.dict())
    return 201, _out(selectors.get_business_case(workspace, case.uuid))


@router.get(f"{BASE}/{{business_case}}.pdf", summary="The business case as a PDF")
def case_pdf(request: HttpRequest, slug: str, business_case: UUID) -> HttpResponse:
    workspace, _m = _context(request, slug, READ)
    case = selectors.get_business_case(workspace, business_case)
    doc = selectors.case_document(case)
    with translation.override(case.language):
        data = renderers.render_pdf(doc)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_filename(case, "pdf")}"'
    return response


@router.get(f"{BASE}/{{business_case}}.pptx", summary="The business case as a PowerPoint deck")
def case_pptx(request: HttpRequest, slug: str, business_case: UUID) -> HttpResponse:
    workspace, _m = _context(request, slug, READ)
    case = selectors.get_business_case(workspace, business_case)
    doc = selectors.case_document(case)
    with translation.override(case.language):
        data = renderers.render_pptx(doc)
    response = HttpResponse(data, content_type=PPTX)
    response["Content-Disposition"] = f'attachment; filename="{_filename(case, "pptx")}"'
    return response


@router.get(f"{BASE}/{{business_case}}", summary="One business case, built: its document")
def case_get(request: HttpRequest, slug: str, business_case: UUID) -> dict[str, Any]:
    workspace, _m = _context(request, slug, READ)
    case = selectors.get_business_case(workspace, business_case)
    return {"case": _out(case).dict(), "document": as_json(selectors.case_document(case))}


@router.put(f"{BASE}/{{business_case}}", response=CaseOut, summary="Change a business case")
def case_put(request: HttpRequest, slug: str, business_case: UUID, payload: CaseIn) -> CaseOut:
    workspace, me = _context(request, slug, MANAGE)
    case = selectors.get_business_case(workspace, business_case)
    services.business_case_save(actor=me.user, workspace=workspace, case=case, **payload.dict())
    return _out(selectors.get_business_case(workspace, business_case))


@router.delete(f"{BASE}/{{business_case}}", response={204: None}, summary="Delete one")
def case_delete(request: HttpRequest, slug: str, business_case: UUID) -> tuple[int, None]:
    workspace, me = _context(request, slug, MANAGE)
    services.business_case_delete(
        actor=me.user, case=selectors.get_business_case(workspace, business_case)
    )
    return 204, None

"""API: the review of current communication activities. Paths under
``/workspaces/{slug}/finance/``: the activities (CRUD) and the proposal with its totals.
Reading needs ``view_budget``; writing needs ``manage_budget``. Money is a decimal string in
the workspace's currency."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from pydantic import Field

from converge.api.core import _context
from converge.core.errors import ConvergeError
from converge.core.models import Capability, Department, Workspace
from converge.core.policy import Action
from converge.finance.models import CommActivity
from converge.finance.review import selectors, services

router = Router(tags=["finance"])
READ = Capability.VIEW_BUDGET
MANAGE = Action.MANAGE_BUDGET
BASE = "/workspaces/{slug}/finance"


class ActivityOut(Schema):
    uuid: UUID
    name: str
    kind: str
    year: int
    cost: Decimal
    results: Decimal
    result_unit: str
    cost_per_result: Decimal | None
    evidence: str
    department: str | None
    proposal: str
    move_to_social: Decimal
    in_business_case: bool
    reviewed_by: str | None
    reviewed_at: dt.datetime | None


class ActivityIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(description="social, newsletter, print, events, radio, tv, outdoor, …")
    year: int
    cost: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    results: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    result_unit: str = Field(min_length=1, max_length=100, description="e.g. leads")
    evidence: str = Field(default="", max_length=300)
    department: str | None = Field(default=None, description="Department slug.")


class ReviewIn(Schema):
    proposal: str = Field(description="keep, reduce or stop")
    move_to_social: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    in_business_case: bool = False


class SuggestionOut(Schema):
    activity: UUID
    name: str
    result_unit: str
    cost_per_result: Decimal | None
    social_cost_per_result: Decimal | None
    suggested: str
    suggested_move_to_social: Decimal
    reason: str
    decision: str
    move_to_social: Decimal
    in_business_case: bool


class ProposalOut(Schema):
    year: int | None
    currency: str
    rule: str
    suggestions: list[SuggestionOut]
    cost: Decimal
    social_cost: Decimal
    budget_freed: Decimal
    moved_to_social: Decimal
    moved_to_social_in_business_case: Decimal


def _out(a: CommActivity) -> ActivityOut:
    from converge.finance.roi import cost_per_result

    return ActivityOut(
        uuid=a.uuid,
        name=a.name,
        kind=a.kind,
        year=a.year,
        cost=a.cost,
        results=a.results,
        result_unit=a.result_unit,
        cost_per_result=selectors.cents(cost_per_result(a.cost, a.results)),
        evidence=a.evidence,
        department=a.department.slug if a.department else None,
        proposal=a.proposal,
        move_to_social=a.move_to_social,
        in_business_case=a.in_business_case,
        reviewed_by=str(a.reviewed_by) if a.reviewed_by else None,
        reviewed_at=a.reviewed_at,
    )


def _department(workspace: Workspace, slug: str | None) -> Department | None:
    if not slug:
        return None
    found = Department.objects.filter(workspace=workspace, slug=slug).first()
    if found is None:
        raise ConvergeError(
            _("No department of this workspace has this slug."), field="department", status=422
        )
    return found


@router.get(f"{BASE}/activities", response=list[ActivityOut], summary="Communication activities")
def activity_list(request: HttpRequest, slug: str, year: int | None = None) -> list[ActivityOut]:
    workspace, _m = _context(request, slug, READ)
    return [_out(a) for a in selectors.activities(workspace, year)]


@router.post(f"{BASE}/activities", response={201: ActivityOut}, summary="Add an activity")
def activity_post(request: HttpRequest, slug: str, payload: ActivityIn) -> tuple[int, Any]:
    workspace, me = _context(request, slug, MANAGE)
    data = payload.dict()
    data["department"] = _department(workspace, payload.department)
    activity = services.activity_save(actor=me.user, workspace=workspace, **data)
    return 201, _out(selectors.get_activity(workspace, activity.uuid))


@router.get(
    f"{BASE}/activities/proposal", response=ProposalOut, summary="The proposal and its totals"
)
def proposal_get(request: HttpRequest, slug: str, year: int | None = None) -> ProposalOut:
    workspace, _m = _context(request, slug, READ)
    years = selectors.years(workspace)
    year = year if year is not None else (years[0] if years else None)
    items = list(selectors.activities(workspace, year)) if year is not None else []
    suggestions = [
        SuggestionOut(
            activity=r.activity.uuid,
            name=r.activity.name,
            result_unit=r.activity.result_unit,
            cost_per_result=r.cost_per_result,
            social_cost_per_result=selectors.cents(r.suggestion.social_cost_per_result),
            suggested=r.suggestion.proposal,
            suggested_move_to_social=r.suggestion.move_to_social,
            reason=r.suggestion.reason,
            decision=r.activity.proposal if r.activity.reviewed_at else "",
            move_to_social=r.activity.move_to_social,
            in_business_case=r.activity.in_business_case,
        )
        for g in selectors.ranked(items)
        for r in g.rows
    ]
    totals = selectors.totals(workspace, year)
    in_case = selectors.totals(workspace, year, in_case_only=True)
    return ProposalOut(
        year=year,
        currency=workspace.currency,
        rule=(
            "Per result unit, compared with social's cost per result (sum of costs / sum of "
            "results of the social activities): no results → stop; no social comparison or no "
            "worse → keep; at least 2× → stop, move the whole cost; worse → reduce, move half."
        ),
        suggestions=suggestions,
        cost=totals["cost"],
        social_cost=totals["social_cost"],
        budget_freed=totals["freed"],
        moved_to_social=totals["moved"],
        moved_to_social_in_business_case=in_case["moved"],
    )


@router.get(f"{BASE}/activities/{{comm_activity}}", response=ActivityOut, summary="One activity")
def activity_get(request: HttpRequest, slug: str, comm_activity: UUID) -> ActivityOut:
    workspace, _m = _context(request, slug, READ)
    return _out(selectors.get_activity(workspace, comm_activity))


@router.put(f"{BASE}/activities/{{comm_activity}}", response=ActivityOut, summary="Change one")
def activity_put(
    request: HttpRequest, slug: str, comm_activity: UUID, payload: ActivityIn
) -> ActivityOut:
    workspace, me = _context(request, slug, MANAGE)
    activity = selectors.get_activity(workspace, comm_activity)
    data = payload.dict()
    data["department"] = _department(workspace, payload.department)
    services.activity_save(actor=me.user, workspace=workspace, activity=activity, **data)
    return _out(selectors.get_activity(workspace, comm_activity))


@router.post(
    f"{BASE}/activities/{{comm_activity}}/review",
    response=ActivityOut,
    summary="Review one activity: keep, reduce or stop, and what moves to social",
)
def activity_review(
    request: HttpRequest, slug: str, comm_activity: UUID, payload: ReviewIn
) -> ActivityOut:
    workspace, me = _context(request, slug, MANAGE)
    activity = selectors.get_activity(workspace, comm_activity)
    services.activity_review(actor=me.user, activity=activity, **payload.dict())
    return _out(selectors.get_activity(workspace, comm_activity))


@router.delete(f"{BASE}/activities/{{comm_activity}}", response={204: None}, summary="Delete one")
def activity_delete(request: HttpRequest, slug: str, comm_activity: UUID) -> tuple[int, None]:
    workspace, me = _context(request, slug, MANAGE)
    services.activity_delete(
        actor=me.user, activity=selectors.get_activity(workspace, comm_activity)
    )
    return 204, None

"""Writes of the business case. Leads and owners (``manage_budget``) create, change and delete
cases; each write is one transaction with an audit entry."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import User, Workspace
from converge.core.policy import Action, NotPermitted, can
from converge.reports.models import BusinessCase, CaseAudience, CaseLanguage

MANAGE = Action.MANAGE_BUDGET


def _require_manage(actor: User, workspace: Workspace) -> None:
    if not can(actor, MANAGE, workspace):
        raise NotPermitted(MANAGE)


@transaction.atomic
def business_case_save(
    *,
    actor: User,
    workspace: Workspace,
    case: BusinessCase | None = None,
    title: str,
    audience: str = CaseAudience.BOARD,
    language: str = CaseLanguage.EN,
    first_year: int,
    horizon_years: int = 3,
    cost_contingency: Decimal = Decimal(20),
    schedule_contingency: Decimal = Decimal(20),
    summary: str = "",
    ask: str = "",
) -> BusinessCase:
    _require_manage(actor, workspace)
    title = (title or "").strip()
    if not title:
        raise ConvergeError(_("Enter a title."), field="title")
    if audience not in CaseAudience.values:
        raise ConvergeError(_("Choose who the case is for."), field="audience")
    if language not in CaseLanguage.values:
        raise ConvergeError(_("Choose English or Swedish."), field="language")
    if not 1900 <= int(first_year) <= 2200:
        raise ConvergeError(_("Enter a year such as 2027."), field="first_year")
    if not 1 <= int(horizon_years) <= 10:
        raise ConvergeError(_("A case covers one to ten years."), field="horizon_years")
    for name, value in (
        ("cost_contingency", cost_contingency),
        ("schedule_contingency", schedule_contingency),
    ):
        if value is None or not 0 <= value <= 500:
            raise ConvergeError(_("A contingency is from 0 to 500 percent."), field=name)
    if case is not None and case.workspace_id != workspace.pk:
        raise ConvergeError(_("Not found."), status=404)
    obj = case or BusinessCase(workspace=workspace, created_by=actor)
    return audit.save_audited(
        actor=actor,
        obj=obj,
        values={
            "title": title,
            "audience": audience,
            "language": language,
            "first_year": int(first_year),
            "horizon_years": int(horizon_years),
            "cost_contingency": cost_contingency,
            "schedule_contingency": schedule_contingency,
            "summary": (summary or "").strip(),
            "ask": (ask or "").strip(),
        },
        kind="business_case",
        skip_unchanged=True,
    )


@transaction.atomic
def business_case_delete(*, actor: User, case: BusinessCase) -> None:
    _require_manage(actor, case.workspace)
    audit.record(
        workspace=case.workspace,
        actor=actor,
        action="business_case.delete",
        obj=case,
        changes={"title": [case.title, None]},
    )
    case.delete()

"""Every write of the review of current communication activities: the activities themselves
and the lead's review of the proposal. Leads and owners (``manage_budget``) only; each write is
one transaction with an audit entry."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import Department, User, Workspace
from converge.core.policy import Action, NotPermitted, can
from converge.finance.models import ActivityKind, CommActivity, Proposal
from converge.finance.money import money

MANAGE = Action.MANAGE_BUDGET


def _require_manage(actor: User, workspace: Workspace) -> None:
    if not can(actor, MANAGE, workspace):
        raise NotPermitted(MANAGE)


@transaction.atomic
def activity_save(
    *,
    actor: User,
    workspace: Workspace,
    activity: CommActivity | None = None,
    name: str,
    kind: str,
    year: int,
    cost: Decimal,
    results: Decimal,
    result_unit: str,
    evidence: str = "",
    department: Department | None = None,
) -> CommActivity:
    """Add or change an activity that exists today, with its yearly cost and results."""
    _require_manage(actor, workspace)
    name = (name or "").strip()
    if not name:
        raise ConvergeError(_("Enter the activity's name."), field="name")
    if kind not in ActivityKind.values:
        raise ConvergeError(_("Choose a kind of activity."), field="kind")
    if not 1900 <= int(year) <= 2200:
        raise ConvergeError(_("Enter a year such as 2026."), field="year")
    if cost is None or cost < 0:
        raise ConvergeError(_("The cost cannot be negative."), field="cost")
    if results is None or results < 0:
        raise ConvergeError(_("The results cannot be negative."), field="results")
    result_unit = " ".join((result_unit or "").split())
    if not result_unit:
        raise ConvergeError(_("Say what a result is, e.g. leads."), field="result_unit")
    if department is not None and department.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a department of this workspace."), field="department")
    if activity is not None and activity.workspace_id != workspace.pk:
        raise ConvergeError(_("This activity belongs to another workspace."), status=404)
    if (
        activity is not None
        and activity.reviewed_at
        and kind != ActivityKind.SOCIAL
        and activity.move_to_social > cost
    ):
        raise ConvergeError(
            _(
                "The review moves %(amount)s of this activity's budget to social: review it "
                "again before lowering the cost below that."
            )
            % {"amount": money(activity.move_to_social, workspace.currency)},
            field="cost",
        )
    if activity is not None and kind == ActivityKind.SOCIAL and activity.proposal:
        # A social activity is what the budget moves to: it is never part of the proposal.
        activity.proposal, activity.move_to_social = Proposal.UNDECIDED, Decimal(0)
        activity.in_business_case, activity.reviewed_at, activity.reviewed_by = False, None, None
    return audit.save_audited(
        actor=actor,
        obj=activity or CommActivity(workspace=workspace),
        values={
            "name": name,
            "kind": kind,
            "year": int(year),
            "cost": cost,
            "results": results,
            "result_unit": result_unit,
            "evidence": (evidence or "").strip(),
            "department": department,
        },
        kind="comm_activity",
        skip_unchanged=True,
    )


@transaction.atomic
def activity_delete(*, actor: User, activity: CommActivity) -> None:
    _require_manage(actor, activity.workspace)
    audit.record(
        workspace=activity.workspace,
        actor=actor,
        action="comm_activity.delete",
        obj=activity,
        changes={"name": [activity.name, None], "cost": [str(activity.cost), None]},
    )
    activity.delete()


@transaction.atomic
def activity_review(
    *,
    actor: User,
    activity: CommActivity,
    proposal: str,
    move_to_social: Decimal,
    in_business_case: bool = False,
) -> CommActivity:
    """The lead's decision on one activity: keep, reduce or stop it, how much of its budget
    moves to social, and whether it goes into the business case. Records who and when."""
    _require_manage(actor, activity.workspace)
    if activity.kind == ActivityKind.SOCIAL:
        raise ConvergeError(
            _("Social activities are where the budget moves to; they are not reviewed here."),
            field="proposal",
        )
    if proposal not in (Proposal.KEEP, Proposal.REDUCE, Proposal.STOP):
        raise ConvergeError(_("Choose keep, reduce or stop."), field="proposal")
    move = Decimal(move_to_social or 0)
    if move < 0:
        raise ConvergeError(_("The amount to move cannot be negative."), field="move_to_social")
    if proposal == Proposal.KEEP and move != 0:
        raise ConvergeError(
            _("An activity that is kept moves no budget: enter 0 or reduce it."),
            field="move_to_social",
        )
    if move > activity.cost:
        raise ConvergeError(
            _("You cannot move more than the activity costs (%(cost)s).") % {"cost": activity.cost},
            field="move_to_social",
        )
    if proposal == Proposal.REDUCE and move == 0:
        raise ConvergeError(
            _("Enter how much of the budget the reduction moves to social."),
            field="move_to_social",
        )
    before = audit.snapshot(activity, ("proposal", "move_to_social", "in_business_case"))
    activity = CommActivity.objects.select_for_update().get(pk=activity.pk)
    activity.proposal = proposal
    activity.move_to_social = move
    activity.in_business_case = bool(in_business_case)
    activity.reviewed_by = actor
    activity.reviewed_at = timezone.now()
    activity.save()
    audit.record(
        workspace=activity.workspace,
        actor=actor,
        action="comm_activity.review",
        obj=activity,
        changes=audit.diff(
            before, audit.snapshot(activity, ("proposal", "move_to_social", "in_business_case"))
        ),
    )
    return activity

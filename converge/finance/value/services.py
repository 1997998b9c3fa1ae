"""Every write of the value model and of budget scenarios. Only leads and owners
(``manage_budget``) write; each write is one transaction with an audit entry.

Rules of the value model: an assumption values a metric of the workspace's catalogue that adds
up over time; earned media value is always soft; and a metric has at most one active hard
assumption, so no unit is ever counted twice as return."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import User, Workspace
from converge.core.policy import Action, NotPermitted, can
from converge.finance.models import (
    BudgetLine,
    ChangeKind,
    Hardness,
    Scenario,
    ScenarioChange,
    ValueAssumption,
    ValueKind,
)
from converge.finance.scenario_math import Change, ScenarioProblem, apply_changes
from converge.finance.value.selectors import PROBLEMS, as_changes
from converge.measurement.selectors import metric_index

MANAGE = Action.MANAGE_BUDGET
ASSUMPTION_FIELDS = (
    "name",
    "kind",
    "hardness",
    "metric_key",
    "unit_value",
    "owner",
    "source",
    "as_of",
    "note",
)


def _require_manage(actor: User, workspace: Workspace) -> None:
    if not can(actor, MANAGE, workspace):
        raise NotPermitted(MANAGE)


def _text(value: str | None) -> str:
    return " ".join(str(value or "").split())


# --- The value model ------------------------------------------------------------------------


@transaction.atomic
def assumption_save(
    *,
    actor: User,
    workspace: Workspace,
    assumption: ValueAssumption | None = None,
    name: str,
    kind: str,
    hardness: str,
    metric_key: str,
    unit_value: Decimal,
    owner: User | None,
    source: str,
    as_of: date,
    note: str = "",
) -> ValueAssumption:
    """Create or change one assumption of the value model."""
    _require_manage(actor, workspace)
    if assumption is not None and assumption.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose an assumption of this workspace."), status=404)
    name = _text(name)
    if not name:
        raise ConvergeError(_("Enter a name."), field="name")
    if kind not in ValueKind.values:
        raise ConvergeError(_("Choose a kind."), field="kind")
    if hardness not in Hardness.values:
        raise ConvergeError(_("Choose hard or soft value."), field="hardness")
    if kind == ValueKind.EARNED_MEDIA and hardness != Hardness.SOFT:
        raise ConvergeError(
            _(
                "Earned media value is soft value: it is shown apart and never counted as "
                "return (Barcelona Principles)."
            ),
            field="hardness",
        )
    metric = metric_index(workspace).get(metric_key)
    if metric is None:
        raise ConvergeError(_("Choose a metric of the catalogue."), field="metric_key")
    if metric.aggregation != "sum":
        raise ConvergeError(
            _(
                "%(metric)s is a rate or a level, not a count that adds up over time, so a "
                "value per unit means nothing. Choose a metric that adds up, such as leads or "
                "conversions."
            )
            % {"metric": metric.name},
            field="metric_key",
        )
    try:
        unit_value = Decimal(unit_value).quantize(Decimal("0.0001"))
    except ArithmeticError as exc:
        raise ConvergeError(_("Enter a value per unit."), field="unit_value") from exc
    if not Decimal(0) < unit_value < Decimal("1e10"):
        raise ConvergeError(_("The value per unit is more than 0."), field="unit_value")
    if owner is not None and not workspace.memberships.filter(user=owner).exists():
        raise ConvergeError(_("Choose a member of this workspace."), field="owner")
    source = _text(source)
    if not source:
        raise ConvergeError(_("Say where the figure comes from: the CFO will ask."), field="source")
    if as_of > timezone.localdate():
        raise ConvergeError(_("The date cannot be in the future."), field="as_of")
    if hardness != Hardness.SOFT:
        twin = ValueAssumption.objects.filter(
            workspace=workspace, metric_key=metric_key, archived_at__isnull=True
        ).exclude(hardness=Hardness.SOFT)
        if assumption is not None:
            twin = twin.exclude(pk=assumption.pk)
        clash = twin.first()
        if clash is not None:
            raise ConvergeError(
                _(
                    "%(metric)s already has a hard value (%(name)s); two would count the same "
                    "units twice. Change that one, or archive it first."
                )
                % {"metric": metric.name, "name": clash.name},
                field="metric_key",
                status=409,
            )
    same = ValueAssumption.objects.filter(workspace=workspace, name__iexact=name)
    if assumption is not None:
        same = same.exclude(pk=assumption.pk)
    if same.exists():
        raise ConvergeError(
            _("The value model already has an assumption with this name."),
            field="name",
            status=409,
        )
    values: dict[str, Any] = {
        "name": name,
        "kind": kind,
        "hardness": hardness,
        "metric_key": metric_key,
        "unit_value": unit_value,
        "owner": owner,
        "source": source,
        "as_of": as_of,
        "note": (note or "").strip(),
    }
    return audit.save_audited(
        actor=actor,
        obj=assumption or ValueAssumption(workspace=workspace),
        values=values,
        kind="value_assumption",
        skip_unchanged=True,
    )


@transaction.atomic
def assumption_archive(
    *, actor: User, assumption: ValueAssumption, restore: bool = False
) -> ValueAssumption:
    """Archive an assumption (it stops counting; its history stays) or bring it back."""
    workspace = assumption.workspace
    _require_manage(actor, workspace)
    if restore and assumption.archived_at is not None:
        archived_at, assumption.archived_at = assumption.archived_at, None
        # Bringing back a second hard value for a metric is refused like creating one.
        try:
            assumption_save(
                actor=actor,
                workspace=workspace,
                assumption=assumption,
                **{f: getattr(assumption, f) for f in ASSUMPTION_FIELDS},
            )
        except ConvergeError:
            assumption.archived_at = archived_at  # the caller's object stays as it was
            raise
        assumption.save(update_fields=["archived_at", "updated_at"])
        action = "value_assumption.restore"
    elif not restore and assumption.archived_at is None:
        assumption.archived_at = timezone.now()
        assumption.save(update_fields=["archived_at", "updated_at"])
        action = "value_assumption.archive"
    else:
        return assumption
    audit.record(workspace=workspace, actor=actor, action=action, obj=assumption)
    return assumption


# --- Scenarios ------------------------------------------------------------------------------


@transaction.atomic
def scenario_save(
    *,
    actor: User,
    workspace: Workspace,
    scenario: Scenario | None = None,
    name: str,
    year: int,
    note: str = "",
) -> Scenario:
    """Create or rename a scenario. Its year is fixed once it has changes (they name that
    year's lines)."""
    _require_manage(actor, workspace)
    name = _text(name)
    if not name:
        raise ConvergeError(_("Enter a name."), field="name")
    if not 2000 <= int(year) <= 2100:
        raise ConvergeError(_("Enter a year between 2000 and 2100."), field="year")
    if scenario is not None and scenario.year != int(year) and scenario.changes.exists():
        raise ConvergeError(
            _("The scenario's changes use lines of %(year)s; remove them to change the year.")
            % {"year": scenario.year},
            field="year",
        )
    if not BudgetLine.objects.filter(workspace=workspace, year=year).exists():
        raise ConvergeError(
            _("There is no budget for %(year)s to play with yet.") % {"year": year},
            field="year",
        )
    same = Scenario.objects.filter(workspace=workspace, name__iexact=name)
    if scenario is not None:
        same = same.exclude(pk=scenario.pk)
    if same.exists():
        raise ConvergeError(_("A scenario already has this name."), field="name", status=409)
    values = {"name": name, "year": int(year), "note": (note or "").strip()}
    if scenario is None:
        scenario = Scenario(workspace=workspace, created_by=actor)
    return audit.save_audited(
        actor=actor, obj=scenario, values=values, kind="scenario", skip_unchanged=True
    )


@transaction.atomic
def scenario_change_add(
    *,
    actor: User,
    scenario: Scenario,
    kind: str,
    line: BudgetLine,
    to_line: BudgetLine | None = None,
    percent: Decimal | None = None,
    amount: Decimal | None = None,
) -> ScenarioChange:
    """Add a cut or a move to a scenario, checked against the changes before it."""
    workspace = scenario.workspace
    _require_manage(actor, workspace)
    if kind not in ChangeKind.values:
        raise ConvergeError(_("Choose a change."), field="kind")
    for field, chosen in (("line", line), ("to_line", to_line)):
        if chosen is not None and (
            chosen.workspace_id != workspace.pk or chosen.year != scenario.year
        ):
            raise ConvergeError(
                _("Choose a line of the %(year)s budget.") % {"year": scenario.year}, field=field
            )
    if kind == ChangeKind.CUT:
        if percent is None:
            raise ConvergeError(_("Enter the percentage to cut."), field="percent")
        to_line, amount = None, None
    else:
        if to_line is None:
            raise ConvergeError(_("Choose the line the money goes to."), field="to_line")
        if amount is None:
            raise ConvergeError(_("Enter the amount to move."), field="amount")
        percent = None
        amount = Decimal(amount).quantize(Decimal("0.01"))
    new = Change(kind, line.pk, to_line.pk if to_line else None, percent, amount)
    planned = dict(
        BudgetLine.objects.filter(workspace=workspace, year=scenario.year).values_list(
            "pk", "planned"
        )
    )
    existing = as_changes(scenario)
    try:
        apply_changes(planned, [*existing, new])
    except ScenarioProblem as exc:
        field = {
            "percent_out_of_range": "percent",
            "amount_not_positive": "amount",
            "more_than_left": "amount",
            "same_line": "to_line",
        }.get(exc.code, "line")
        if exc.position < len(existing):
            field = ""
        raise ConvergeError(str(PROBLEMS[exc.code]), field=field or None) from exc
    change = ScenarioChange.objects.create(
        workspace=workspace,
        scenario=scenario,
        kind=kind,
        line=line,
        to_line=to_line,
        percent=percent,
        amount=amount,
        position=len(existing),
    )
    scenario.save(update_fields=["updated_at"])
    _audit_change(actor, scenario, "scenario.change_add", change)
    return change


def _audit_change(actor: User, scenario: Scenario, action: str, change: ScenarioChange) -> None:
    described: Mapping[str, Any] = {
        "kind": change.kind,
        "line": change.line.name,
        "to_line": change.to_line.name if change.to_line else None,
        "percent": str(change.percent) if change.percent is not None else None,
        "amount": str(change.amount) if change.amount is not None else None,
    }
    audit.record(
        workspace=scenario.workspace,
        actor=actor,
        action=action,
        obj=scenario,
        changes={"change": [None, dict(described)]}
        if action.endswith("add")
        else {"change": [dict(described), None]},
    )


@transaction.atomic
def scenario_change_remove(*, actor: User, change: ScenarioChange) -> None:
    """Remove one change. The ones after it must still apply without it (a move that only
    fits after an earlier move, say): otherwise nothing is removed."""
    scenario = change.scenario
    _require_manage(actor, scenario.workspace)
    rest = [c for c in scenario.changes.all() if c.pk != change.pk]
    planned = dict(
        BudgetLine.objects.filter(workspace=scenario.workspace, year=scenario.year).values_list(
            "pk", "planned"
        )
    )
    try:
        apply_changes(
            planned, [Change(c.kind, c.line_id, c.to_line_id, c.percent, c.amount) for c in rest]
        )
    except ScenarioProblem as exc:
        raise ConvergeError(
            _("Without this change a later one no longer applies: %(why)s")
            % {"why": PROBLEMS[exc.code]},
            status=409,
        ) from exc
    _audit_change(actor, scenario, "scenario.change_remove", change)
    change.delete()
    for position, c in enumerate(rest):
        if c.position != position:
            ScenarioChange.objects.filter(pk=c.pk).update(position=position)
    scenario.save(update_fields=["updated_at"])


@transaction.atomic
def scenario_delete(*, actor: User, scenario: Scenario) -> None:
    _require_manage(actor, scenario.workspace)
    audit.record(
        workspace=scenario.workspace,
        actor=actor,
        action="scenario.delete",
        obj=scenario,
        changes={"name": [scenario.name, None], "changes": [scenario.changes.count(), 0]},
    )
    scenario.delete()

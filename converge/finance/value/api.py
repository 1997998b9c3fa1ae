"""API: the value model, the ROI report and budget scenarios. Paths under
``/workspaces/{slug}/finance/``.

Reading needs ``view_budget`` (leads, owners, executives, departments granted it); writing needs
``manage_budget`` (leads, owners). Money is a decimal string with two decimals in the
workspace's currency; a ratio (ROI) is a decimal string of the fraction with four decimals
(``"0.2500"`` is 25%), or null where it does not exist (no cost). Owners are referenced by
e-mail address; budget lines, assumptions and scenarios by UUID.

* ``/value-assumptions``: what one unit of a metric is worth, owned, sourced and dated. Hard
  value (revenue, savings) counts as return; soft value (earned media value) is shown apart
  and never counted. A metric has at most one active hard value (409 otherwise).
* ``/roi?from=&to=&step=``: the ROI report of a period (by default this year so far): spend
  booked, hard and soft value per assumption, per objective, initiative and channel, per
  quarter, and the sensitivity of ROI to each hard value moved by ``step`` percent.
* ``/scenarios``: cuts and moves on one year's planned budget, each checked against the ones
  before it; a scenario's result shows the total before and after, the lines changed, what
  each objective, initiative and channel keeps, who loses funding, and the KPIs' projected
  results and hard value. ``/scenarios/compare?scenario=…&scenario=…`` sets them side by side.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from converge.api.core import _context
from converge.core.errors import ConvergeError
from converge.core.models import Capability, Membership, User, Workspace
from converge.core.policy import Action
from converge.finance.models import BudgetLine, Scenario, ScenarioChange, ValueAssumption
from converge.finance.money import cents
from converge.finance.value import selectors, services
from converge.measurement.forms import MAX_PERIOD_DAYS
from converge.measurement.selectors import Period

router = Router(tags=["finance"])

READ = Capability.VIEW_BUDGET
MANAGE = Action.MANAGE_BUDGET
BASE = "/workspaces/{slug}/finance"
RATIO = Decimal("0.0001")


def _ratio(value: Decimal | None) -> Decimal | None:
    """A ratio (0.25 is 25%) to four decimals, rounded half up."""
    return None if value is None else Decimal(value).quantize(RATIO, ROUND_HALF_UP)


def _money(value: Decimal | None) -> Decimal | None:
    return None if value is None else cents(value)


def _count(value: Decimal | None) -> str | None:
    """A count of results without trailing zeros ("5", "2.5"), the same on every database."""
    if value is None:
        return None
    shown = Decimal(value).quantize(RATIO, ROUND_HALF_UP).normalize()
    return f"{shown:f}"


class PeriodOut(Schema):
    start: dt.date
    end: dt.date


# --- The value model ------------------------------------------------------------------------


class AssumptionOut(Schema):
    uuid: UUID
    name: str
    kind: str
    hardness: str
    metric_key: str
    unit_value: Decimal = Field(description="Value of one unit, four decimals.")
    owner: str | None = Field(description="The owner's e-mail address.")
    source: str
    as_of: dt.date
    stale: bool = Field(description="Dated more than a year ago: time to ask the owner again.")
    note: str
    archived_at: dt.datetime | None


class AssumptionIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(
        description="lead, conversion, revenue, case_saving, retention, earned_media or other."
    )
    hardness: str = Field(
        description="revenue or saving (hard value, counted as return) or soft (never counted)."
    )
    metric_key: str = Field(
        min_length=1, max_length=64, description="A metric of the catalogue that adds up."
    )
    unit_value: Decimal = Field(gt=0, max_digits=14, decimal_places=4)
    owner: str | None = Field(default=None, description="E-mail address of a member.")
    source: str = Field(min_length=1, max_length=300, description="Where the figure comes from.")
    as_of: dt.date = Field(description="The date of the figure; not in the future.")
    note: str = ""


def _owner(workspace: Workspace, email: str | None) -> User | None:
    if not email:
        return None
    found = (
        Membership.objects.filter(workspace=workspace, user__email__iexact=email.strip())
        .select_related("user")
        .first()
    )
    if found is None:
        raise ConvergeError(
            _("No member of this workspace has the e-mail address given."),
            field="owner",
            status=422,
        )
    return found.user


def _assumption_out(a: ValueAssumption) -> AssumptionOut:
    return AssumptionOut(
        uuid=a.uuid,
        name=a.name,
        kind=a.kind,
        hardness=a.hardness,
        metric_key=a.metric_key,
        unit_value=Decimal(a.unit_value).quantize(RATIO),
        owner=a.owner.email if a.owner else None,
        source=a.source,
        as_of=a.as_of,
        stale=selectors.is_stale(a, timezone.localdate()),
        note=a.note,
        archived_at=a.archived_at,
    )


def _assumption(workspace: Workspace, uuid: UUID) -> ValueAssumption:
    return selectors.get_assumption(workspace, uuid)


@router.get(
    f"{BASE}/value-assumptions",
    response=list[AssumptionOut],
    summary="The value model: active assumptions (archived ones with ?archived=true)",
)
def assumption_list(request: HttpRequest, slug: str, archived: bool = False) -> list[AssumptionOut]:
    workspace, _m = _context(request, slug, READ)
    return [_assumption_out(a) for a in selectors.assumptions(workspace, archived=archived)]


@router.post(
    f"{BASE}/value-assumptions",
    response={201: AssumptionOut},
    summary="Add an assumption (409 on a second hard value for a metric)",
)
def assumption_post(
    request: HttpRequest, slug: str, payload: AssumptionIn
) -> tuple[int, AssumptionOut]:
    workspace, me = _context(request, slug, MANAGE)
    data = payload.dict()
    data["owner"] = _owner(workspace, payload.owner)
    found = services.assumption_save(actor=me.user, workspace=workspace, **data)
    return 201, _assumption_out(_assumption(workspace, found.uuid))


@router.get(
    f"{BASE}/value-assumptions/{{value_assumption}}",
    response=AssumptionOut,
    summary="One assumption",
)
def assumption_get(request: HttpRequest, slug: str, value_assumption: UUID) -> AssumptionOut:
    workspace, _m = _context(request, slug, READ)
    return _assumption_out(_assumption(workspace, value_assumption))


@router.put(
    f"{BASE}/value-assumptions/{{value_assumption}}",
    response=AssumptionOut,
    summary="Change an assumption (every field)",
)
def assumption_put(
    request: HttpRequest, slug: str, value_assumption: UUID, payload: AssumptionIn
) -> AssumptionOut:
    workspace, me = _context(request, slug, MANAGE)
    found = _assumption(workspace, value_assumption)
    data = payload.dict()
    data["owner"] = _owner(workspace, payload.owner)
    services.assumption_save(actor=me.user, workspace=workspace, assumption=found, **data)
    return _assumption_out(_assumption(workspace, value_assumption))


@router.post(
    f"{BASE}/value-assumptions/{{value_assumption}}/archive",
    response=AssumptionOut,
    summary="Archive an assumption: it stops counting, its history stays",
)
def assumption_archive(request: HttpRequest, slug: str, value_assumption: UUID) -> AssumptionOut:
    workspace, me = _context(request, slug, MANAGE)
    found = _assumption(workspace, value_assumption)
    services.assumption_archive(actor=me.user, assumption=found)
    return _assumption_out(_assumption(workspace, value_assumption))


@router.post(
    f"{BASE}/value-assumptions/{{value_assumption}}/restore",
    response=AssumptionOut,
    summary="Bring an archived assumption back (409 if its metric has a hard value again)",
)
def assumption_restore(request: HttpRequest, slug: str, value_assumption: UUID) -> AssumptionOut:
    workspace, me = _context(request, slug, MANAGE)
    found = _assumption(workspace, value_assumption)
    services.assumption_archive(actor=me.user, assumption=found, restore=True)
    return _assumption_out(_assumption(workspace, value_assumption))


# --- The ROI report -------------------------------------------------------------------------


class RoiQuery(Schema):
    start: dt.date | None = Field(default=None, alias="from", description="First day.")
    end: dt.date | None = Field(default=None, alias="to", description="Last day.")
    step: Decimal = Field(
        default=Decimal(20), description="Sensitivity: each hard value moved by ± this percent."
    )


class ValueRowOut(Schema):
    assumption: UUID
    name: str
    kind: str
    hardness: str
    metric_key: str
    metric: str = Field(description="The metric's name.")
    units: str | None = Field(description="Units observed in the period; null if not a count.")
    unit_value: Decimal
    value: Decimal
    cost_per_result: Decimal | None = Field(description="The period's cost ÷ units.")


class MetricResultOut(Schema):
    metric: str
    units: str
    cost_per_result: Decimal | None


class DimRowOut(Schema):
    kind: str
    key: str = Field(description="The objective's, initiative's or channel's UUID, or \"none\".")
    name: str
    cost: Decimal
    value: Decimal
    roi: Decimal | None
    valued: bool = Field(description="False: nothing it counts has a hard value (no ROI).")
    note: str
    results: list[MetricResultOut]


class DimensionOut(Schema):
    kind: str
    label: str
    adds_up: bool = Field(description="Whether the rows' values add up to the hard value.")
    cost: Decimal
    rows: list[DimRowOut]


class LineCostOut(Schema):
    line: UUID
    name: str
    year: int
    category: str
    cost: Decimal


class QuarterOut(Schema):
    label: str
    period: PeriodOut
    cost: Decimal
    value: Decimal
    roi: Decimal | None


class SensitivityOut(Schema):
    name: str
    low: Decimal | None = Field(description="ROI with the value step percent lower.")
    high: Decimal | None = Field(description="ROI with the value step percent higher.")


class RoiOut(Schema):
    period: PeriodOut
    currency: str
    total_cost: Decimal = Field(description="Spend booked in the period.")
    hard_value: Decimal
    soft_value: Decimal = Field(description="Shown apart; never counted in ROI.")
    net: Decimal = Field(description="Hard value − cost.")
    roi: Decimal | None = Field(description="(hard value − cost) ÷ cost, as a fraction.")
    hard: list[ValueRowOut]
    soft: list[ValueRowOut]
    unvalued: list[ValueRowOut] = Field(description="Assumptions whose metric is not a count.")
    lines: list[LineCostOut]
    dimensions: list[DimensionOut]
    quarters: list[QuarterOut]
    step: Decimal
    sensitivity: list[SensitivityOut]


def _roi_period(start: dt.date | None, end: dt.date | None) -> Period:
    """The period asked for, by default this year in complete months (as the page)."""
    if start is None and end is None:
        return selectors.default_period(timezone.localdate())
    if start is None or end is None:
        raise ConvergeError(
            _("Give both ends of the period, or neither."),
            field="from" if start is None else "to",
            status=422,
        )
    if start > end:
        raise ConvergeError(_("The end comes before the start."), field="to", status=422)
    if (end - start).days + 1 > MAX_PERIOD_DAYS:
        raise ConvergeError(_("A period can be at most three years long."), field="to", status=422)
    return Period(start, end)


def _value_row_out(r: selectors.ValueRow) -> ValueRowOut:
    a = r.assumption
    return ValueRowOut(
        assumption=a.uuid,
        name=a.name,
        kind=a.kind,
        hardness=a.hardness,
        metric_key=a.metric_key,
        metric=str(r.metric_name),
        units=_count(r.units),
        unit_value=Decimal(a.unit_value).quantize(RATIO),
        value=cents(r.value),
        cost_per_result=_money(r.cost_per_result),
    )


def _dimension_out(d: selectors.Dimension) -> DimensionOut:
    return DimensionOut(
        kind=d.kind,
        label=str(d.label),
        adds_up=d.adds_up,
        cost=cents(d.cost),
        rows=[
            DimRowOut(
                kind=d.kind,
                key=r.key,
                name=str(r.name),
                cost=cents(r.cost),
                value=cents(r.value),
                roi=_ratio(r.roi),
                valued=r.valued,
                note=str(r.note),
                results=[
                    MetricResultOut(
                        metric=str(x.metric),
                        units=_count(x.units) or "0",
                        cost_per_result=_money(x.cost_per_result),
                    )
                    for x in r.results
                ],
            )
            for r in d.rows
        ],
    )


@router.get(
    f"{BASE}/roi",
    response=RoiOut,
    summary="The ROI report of a period (?from=&to=, by default this year so far)",
)
def roi_get(request: HttpRequest, slug: str, query: Query[RoiQuery]) -> RoiOut:
    workspace, _m = _context(request, slug, READ)
    period = _roi_period(query.start, query.end)
    if not Decimal(0) < query.step <= Decimal(100):
        raise ConvergeError(
            _("The step is a percentage more than 0 and at most 100."), field="step", status=422
        )
    report = selectors.roi_report(workspace, period.start, period.end, step=query.step)
    return RoiOut(
        period=PeriodOut(start=report.period.start, end=report.period.end),
        currency=report.currency,
        total_cost=cents(report.total_cost),
        hard_value=cents(report.hard_value),
        soft_value=cents(report.soft_value),
        net=cents(report.net),
        roi=_ratio(report.roi),
        hard=[_value_row_out(r) for r in report.hard],
        soft=[_value_row_out(r) for r in report.soft],
        unvalued=[_value_row_out(r) for r in report.unvalued],
        lines=[
            LineCostOut(
                line=x.uuid, name=x.name, year=x.year, category=x.category, cost=cents(x.cost)
            )
            for x in report.lines
        ],
        dimensions=[_dimension_out(d) for d in report.dimensions],
        quarters=[
            QuarterOut(
                label=q.label,
                period=PeriodOut(start=q.period.start, end=q.period.end),
                cost=cents(q.cost),
                value=cents(q.value),
                roi=_ratio(q.roi),
            )
            for q in report.quarters
        ],
        step=report.step,
        sensitivity=[
            SensitivityOut(name=str(s.name), low=_ratio(s.low), high=_ratio(s.high))
            for s in report.sensitivity
        ],
    )


# --- Scenarios ------------------------------------------------------------------------------


class ChangeOut(Schema):
    position: int
    kind: str
    line: UUID
    line_name: str
    to_line: UUID | None
    to_line_name: str | None
    percent: Decimal | None
    amount: Decimal | None


class ScenarioOut(Schema):
    uuid: UUID
    name: str
    year: int
    note: str
    created_by: str | None = Field(description="E-mail address of whoever made it.")
    created_at: dt.datetime
    updated_at: dt.datetime
    changes: list[ChangeOut]


class MovedOut(Schema):
    key: str = Field(description="The line's or target's UUID, \"none\" for not allocated.")
    name: str
    before: Decimal
    after: Decimal
    delta: Decimal
    lost_all: bool


class LoserOut(MovedOut):
    kind: str = Field(description="objective or initiative")


class EffectOut(Schema):
    kpi: UUID
    name: str
    objective: str
    metric: str
    observed: str = Field(description="Results over the observation period (on its channels).")
    cost: Decimal = Field(description="The objective's spend over the observation period.")
    cost_per_result: Decimal | None
    delta_funding: Decimal
    delta_results: Decimal | None = Field(description="Projected change of results, 2 decimals.")
    delta_value: Decimal | None = Field(description="Its hard value, where the metric has one.")


class ScenarioResultOut(Schema):
    total: MovedOut
    changed_lines: list[MovedOut]
    funding: dict[str, list[MovedOut]] = Field(
        description="Per kind (objective, initiative, channel), each target before and after."
    )
    losers: list[LoserOut] = Field(description="Losing funding; those losing all of it first.")
    effects: list[EffectOut]
    observed_over: PeriodOut
    delta_value: Decimal | None = Field(
        description="Hard value the projected results add (or lose); null when none has one."
    )
    problem: str | None = Field(description="A change that no longer applies, if any.")


class ScenarioDetailOut(ScenarioOut):
    result: ScenarioResultOut


class ScenarioIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    year: int = Field(description="The year of the budget played with.")
    note: str = ""


class ChangeIn(Schema):
    kind: str = Field(description="cut (a line by a percentage) or move (money to another line)")
    line: UUID = Field(description="The budget line cut, or the money comes from.")
    to_line: UUID | None = Field(default=None, description="For a move: where the money goes.")
    percent: Decimal | None = Field(default=None, max_digits=5, decimal_places=2)
    amount: Decimal | None = Field(default=None, max_digits=14, decimal_places=2)


class CompareRowOut(Schema):
    name: str
    values: list[Decimal | None] = Field(description="One per scenario, in their order.")


class CompareScenarioOut(Schema):
    uuid: UUID
    name: str
    year: int
    total_before: Decimal
    total_after: Decimal
    delta_value: Decimal | None
    problem: str | None


class CompareOut(Schema):
    scenarios: list[CompareScenarioOut]
    objectives: list[CompareRowOut] = Field(description="Funding after each scenario.")
    initiatives: list[CompareRowOut] = Field(description="Funding after each scenario.")
    kpis: list[CompareRowOut] = Field(
        description="Projected change of results (2 decimals); null where left alone."
    )


def _moved(m: selectors.Moved) -> MovedOut:
    return MovedOut(
        key=m.key,
        name=str(m.name),
        before=cents(m.before),
        after=cents(m.after),
        delta=cents(m.delta),
        lost_all=m.lost_all,
    )


def _results(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _scenario_fields(s: Scenario) -> dict[str, Any]:
    return {
        "uuid": s.uuid,
        "name": s.name,
        "year": s.year,
        "note": s.note,
        "created_by": s.created_by.email if s.created_by else None,
        "created_at": s.created_at,
        "updated_at": s.updated_at,
        "changes": [
            ChangeOut(
                position=c.position,
                kind=c.kind,
                line=c.line.uuid,
                line_name=c.line.name,
                to_line=c.to_line.uuid if c.to_line else None,
                to_line_name=c.to_line.name if c.to_line else None,
                percent=None if c.percent is None else c.percent.quantize(Decimal("0.01")),
                amount=_money(c.amount),
            )
            for c in s.changes.all()
        ],
    }


def _scenario_out(s: Scenario) -> ScenarioOut:
    return ScenarioOut(**_scenario_fields(s))


def _detail_out(s: Scenario) -> ScenarioDetailOut:
    r = selectors.scenario_result(s, timezone.localdate())
    result = ScenarioResultOut(
        total=_moved(r.total),
        changed_lines=[_moved(m) for m in r.changed_lines],
        funding={kind: [_moved(m) for m in rows] for kind, rows in r.funding.items()},
        losers=[LoserOut(kind=kind, **_moved(m).dict()) for kind, m in r.losers],
        effects=[
            EffectOut(
                kpi=e.kpi.uuid,
                name=e.kpi.name,
                objective=e.objective,
                metric=str(e.metric),
                observed=_count(e.observed) or "0",
                cost=cents(e.cost),
                cost_per_result=_money(e.cost_per_result),
                delta_funding=cents(e.delta_funding),
                delta_results=_results(e.delta_results),
                delta_value=_money(e.delta_value),
            )
            for e in r.effects
        ],
        observed_over=PeriodOut(start=r.observed_over.start, end=r.observed_over.end),
        delta_value=_money(r.delta_value),
        problem=r.problem or None,
    )
    return ScenarioDetailOut(**_scenario_fields(s), result=result)


def _line(workspace: Workspace, uuid: UUID, field: str) -> BudgetLine:
    found = BudgetLine.objects.filter(workspace=workspace, uuid=uuid).first()
    if found is None:
        raise ConvergeError(
            _("No budget line of this workspace has the id given."), field=field, status=422
        )
    return found


@router.get(f"{BASE}/scenarios", response=list[ScenarioOut], summary="Budget scenarios")
def scenario_list(request: HttpRequest, slug: str) -> list[ScenarioOut]:
    workspace, _m = _context(request, slug, READ)
    return [_scenario_out(s) for s in selectors.scenarios(workspace)]


@router.post(f"{BASE}/scenarios", response={201: ScenarioDetailOut}, summary="Add a scenario")
def scenario_post(
    request: HttpRequest, slug: str, payload: ScenarioIn
) -> tuple[int, ScenarioDetailOut]:
    workspace, me = _context(request, slug, MANAGE)
    found = services.scenario_save(actor=me.user, workspace=workspace, **payload.dict())
    return 201, _detail_out(selectors.get_scenario(workspace, found.uuid))


@router.get(
    f"{BASE}/scenarios/compare",
    response=CompareOut,
    summary="Scenarios side by side (?scenario=…&scenario=…; by default the first three)",
)
def scenario_compare(
    request: HttpRequest, slug: str, scenario: Query[list[UUID] | None] = None
) -> CompareOut:
    workspace, _m = _context(request, slug, READ)
    every = list(selectors.scenarios(workspace))
    wanted = list(dict.fromkeys(scenario or []))
    if wanted:
        by_uuid = {s.uuid: s for s in every}
        missing = [str(u) for u in wanted if u not in by_uuid]
        if missing:
            raise ConvergeError(
                _("No scenario of this workspace has the id given."),
                field="scenario",
                details={"missing": missing},
                status=422,
            )
        chosen = [by_uuid[u] for u in wanted]
    else:
        chosen = every[:3]
    found = selectors.compare(workspace, chosen, timezone.localdate())

    def rows(table: list[tuple[str, list[Decimal | None]]], money: bool) -> list[CompareRowOut]:
        shown = _money if money else _results
        return [CompareRowOut(name=str(n), values=[shown(v) for v in vs]) for n, vs in table]

    return CompareOut(
        scenarios=[
            CompareScenarioOut(
                uuid=r.scenario.uuid,
                name=r.scenario.name,
                year=r.scenario.year,
                total_before=cents(r.total.before),
                total_after=cents(r.total.after),
                delta_value=_money(r.delta_value),
                problem=r.problem or None,
            )
            for r in found.results
        ],
        objectives=rows(found.objectives, money=True),
        initiatives=rows(found.initiatives, money=True),
        kpis=rows(found.kpis, money=False),
    )


@router.get(
    f"{BASE}/scenarios/{{budget_scenario}}",
    response=ScenarioDetailOut,
    summary="One scenario with its changes and its result",
)
def scenario_get(request: HttpRequest, slug: str, budget_scenario: UUID) -> ScenarioDetailOut:
    workspace, _m = _context(request, slug, READ)
    return _detail_out(selectors.get_scenario(workspace, budget_scenario))


@router.put(
    f"{BASE}/scenarios/{{budget_scenario}}",
    response=ScenarioDetailOut,
    summary="Rename a scenario or change its note (its year only while it has no changes)",
)
def scenario_put(
    request: HttpRequest, slug: str, budget_scenario: UUID, payload: ScenarioIn
) -> ScenarioDetailOut:
    workspace, me = _context(request, slug, MANAGE)
    found = selectors.get_scenario(workspace, budget_scenario)
    services.scenario_save(actor=me.user, workspace=workspace, scenario=found, **payload.dict())
    return _detail_out(selectors.get_scenario(workspace, budget_scenario))


@router.delete(
    f"{BASE}/scenarios/{{budget_scenario}}", response={204: None}, summary="Delete a scenario"
)
def scenario_delete(request: HttpRequest, slug: str, budget_scenario: UUID) -> tuple[int, None]:
    workspace, me = _context(request, slug, MANAGE)
    services.scenario_delete(
        actor=me.user, scenario=selectors.get_scenario(workspace, budget_scenario)
    )
    return 204, None


@router.post(
    f"{BASE}/scenarios/{{budget_scenario}}/changes",
    response={201: ScenarioDetailOut},
    summary="Add a cut or a move, checked against the changes before it",
)
def scenario_change_post(
    request: HttpRequest, slug: str, budget_scenario: UUID, payload: ChangeIn
) -> tuple[int, ScenarioDetailOut]:
    workspace, me = _context(request, slug, MANAGE)
    found = selectors.get_scenario(workspace, budget_scenario)
    services.scenario_change_add(
        actor=me.user,
        scenario=found,
        kind=payload.kind,
        line=_line(workspace, payload.line, "line"),
        to_line=_line(workspace, payload.to_line, "to_line") if payload.to_line else None,
        percent=payload.percent,
        amount=payload.amount,
    )
    return 201, _detail_out(selectors.get_scenario(workspace, budget_scenario))


@router.delete(
    f"{BASE}/scenarios/{{budget_scenario}}/changes/{{position}}",
    response={204: None},
    summary="Remove a change (409 if a later one would no longer apply); later ones move up",
)
def scenario_change_delete(
    request: HttpRequest, slug: str, budget_scenario: UUID, position: int
) -> tuple[int, None]:
    workspace, me = _context(request, slug, MANAGE)
    found = selectors.get_scenario(workspace, budget_scenario)
    change = ScenarioChange.objects.filter(scenario=found, position=position).first()
    if change is None:
        raise Http404
    services.scenario_change_remove(actor=me.user, change=change)
    return 204, None

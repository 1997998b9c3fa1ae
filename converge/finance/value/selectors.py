"""Reads of the value model and the ROI report.

The ROI report of a period (calendar days ``start``…``end``):

* **cost** is the spend booked in the period (actual money, never the plan), split over the
  objectives, initiatives and channels each line funds by its allocation shares (to the cent,
  so the parts add up to the line's spend); spend on a line without allocations of a kind is
  shown as "not allocated" on that dimension;
* **hard value** is, for each active hard assumption (revenue or a cost saving), the units of
  its metric observed in the period × the value of one unit. Only metrics that add up over
  time (aggregation "sum") can be valued per unit;
* **soft value** (earned media value and the like) is computed the same way, shown apart,
  and never counted in ROI (Barcelona Principles);
* **ROI** = (hard value − cost) / cost, a ratio of the period's sums.

An objective's value is the value of the metrics of its KPIs (over the KPIs' channels when they
name some); an initiative's is that of the objectives it serves, on the days it ran. Two
objectives can count the same units, so the rows of those two dimensions do not add up to the
total; the channel rows do (plus the figures without a channel)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode
from uuid import UUID

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from converge.core.models import Workspace
from converge.finance.allocation import split_amount
from converge.finance.models import (
    Allocation,
    AllocationKind,
    BudgetLine,
    Hardness,
    Scenario,
    SpendEntry,
    ValueAssumption,
)
from converge.finance.roi import cost_per_result, roi, sensitivity
from converge.finance.scenario_math import (
    Change,
    ScenarioProblem,
    apply_changes,
    funding,
    projected_results,
)
from converge.governance.selectors import quarter_end
from converge.measurement.catalogue import MetricDef
from converge.measurement.models import Channel, Observation
from converge.measurement.selectors import Period, metric_index
from converge.strategy.models import Initiative, Kpi, SocialObjective

ZERO = Decimal(0)
NONE = "none"  # the key of "no channel" and of "not allocated"


# --- The value model ------------------------------------------------------------------------


def assumptions(workspace: Workspace, *, archived: bool = False) -> QuerySet[ValueAssumption]:
    return (
        ValueAssumption.objects.filter(workspace=workspace, archived_at__isnull=not archived)
        .select_related("owner")
        .order_by("hardness", "name")
    )


def get_assumption(workspace: Workspace, uuid: UUID | str) -> ValueAssumption:
    found = ValueAssumption.objects.filter(workspace=workspace, uuid=uuid).first()
    if found is None:
        raise Http404
    return found


def is_stale(assumption: ValueAssumption, today: date) -> bool:
    """Older than a year: time to ask its owner again."""
    return (today - assumption.as_of).days > 365


# --- The ROI report -------------------------------------------------------------------------


@dataclass
class ValueRow:
    """One assumption over the period: units of its metric × value per unit."""

    assumption: ValueAssumption
    metric: MetricDef | None
    units: Decimal | None  # None: the metric does not add up (or is unknown)
    value: Decimal
    cost_per_result: Decimal | None
    rows_url: str

    @property
    def hard(self) -> bool:
        return self.assumption.hardness != Hardness.SOFT

    @property
    def metric_name(self) -> str:
        return self.metric.name if self.metric else self.assumption.metric_key


@dataclass
class Result:
    """Results of one metric within a row of a dimension, and what each cost."""

    metric: str
    units: Decimal
    cost_per_result: Decimal | None


@dataclass
class DimRow:
    key: str  # the target's uuid, or NONE
    name: str
    cost: Decimal
    value: Decimal
    results: list[Result] = field(default_factory=list)
    cost_url: str = ""
    value_url: str = ""
    valued: bool = True  # False: nothing it counts has a hard value, so it has no ROI
    note: str = ""

    @property
    def roi(self) -> Decimal | None:
        return roi(self.value, self.cost) if self.valued else None


@dataclass
class Dimension:
    kind: str
    label: str
    rows: list[DimRow]
    adds_up: bool  # whether the rows' values add up to the report's total

    @property
    def cost(self) -> Decimal:
        return sum((r.cost for r in self.rows), ZERO)


@dataclass
class QuarterRow:
    label: str
    period: Period
    cost: Decimal
    value: Decimal

    @property
    def roi(self) -> Decimal | None:
        return roi(self.value, self.cost)


@dataclass
class SensitivityRow:
    name: str
    low: Decimal | None
    high: Decimal | None


@dataclass
class LineCost:
    line_id: int
    uuid: UUID
    name: str
    year: int
    category: str
    cost: Decimal


@dataclass
class RoiReport:
    period: Period
    currency: str
    total_cost: Decimal
    hard_value: Decimal
    soft_value: Decimal
    hard: list[ValueRow]
    soft: list[ValueRow]
    unvalued: list[ValueRow]  # assumptions whose metric cannot be valued per unit
    lines: list[LineCost]
    objectives: Dimension
    initiatives: Dimension
    channels: Dimension
    quarters: list[QuarterRow]
    step: Decimal
    sensitivity: list[SensitivityRow]
    cost_url: str

    @property
    def roi(self) -> Decimal | None:
        return roi(self.hard_value, self.total_cost)

    @property
    def net(self) -> Decimal:
        return self.hard_value - self.total_cost

    @property
    def dimensions(self) -> list[Dimension]:
        return [self.objectives, self.initiatives, self.channels]


def _query(workspace: Workspace, name: str, params: dict[str, str]) -> str:
    url = reverse(name, args=[workspace.slug])
    return f"{url}?{urlencode(params)}" if params else url


def period_params(period: Period) -> dict[str, str]:
    return {"from": period.start.isoformat(), "to": period.end.isoformat()}


def metric_rows_url(
    workspace: Workspace, metric: str, period: Period, channel: str | None = None
) -> str:
    """The explorer's list of the observations a value adds up (``channel`` a uuid or
    ``"none"`` for the figures without one)."""
    params = period_params(period)
    if channel:
        params["channel"] = channel
    url = reverse("measurement_metric_rows", args=[workspace.slug, metric])
    return f"{url}?{urlencode(params)}"


def cost_rows_url(workspace: Workspace, period: Period, kind: str = "", target: str = "") -> str:
    params = period_params(period)
    if kind:
        params |= {"kind": kind, "target": target}
    return _query(workspace, "budget_roi_cost_rows", params)


def default_period(today: date) -> Period:
    """The ROI report's period when none is asked for: this year in complete months, up to the
    end of last month (spend is booked at month end, so a month under way would count its
    value without its cost); in January, last year."""
    end = today.replace(day=1) - timedelta(days=1)
    return Period(date(end.year, 1, 1), end)


def last_quarter(today: date) -> tuple[str, Period]:
    """The last complete calendar quarter before ``today``: its label ("2026 Q3") and days."""
    q = (today.month - 1) // 3  # the quarter before today's, 0 meaning Q4 of last year
    year = today.year if q else today.year - 1
    q = q or 4
    return f"{year} Q{q}", Period(date(year, 3 * q - 2, 1), quarter_end(year, q))


def _line_costs(workspace: Workspace, period: Period) -> list[LineCost]:
    rows = (
        SpendEntry.objects.filter(workspace=workspace, day__gte=period.start, day__lte=period.end)
        .values("line_id", "line__uuid", "line__name", "line__year", "line__category")
        .annotate(total=Sum("amount"))
        .order_by("line__year", "line__category", "line__name")
    )
    return [
        LineCost(
            r["line_id"],
            r["line__uuid"],
            r["line__name"],
            r["line__year"],
            r["line__category"],
            Decimal(r["total"]).quantize(Decimal("0.01")),
        )
        for r in rows
    ]


def _quarters(period: Period) -> list[tuple[str, Period]]:
    out: list[tuple[str, Period]] = []
    day = period.start
    while day <= period.end:
        q = (day.month - 1) // 3 + 1
        last = quarter_end(day.year, q)
        out.append((f"{day.year} Q{q}", Period(day, min(last, period.end))))
        day = last + timedelta(days=1)
    return out


TARGET_MODELS: dict[str, Any] = {
    AllocationKind.OBJECTIVE: SocialObjective,
    AllocationKind.INITIATIVE: Initiative,
    AllocationKind.CHANNEL: Channel,
}


def line_shares(allocations: Iterable[Allocation], kind: str) -> dict[int, dict[int, Decimal]]:
    """Per line id, the share (percent) of each target id it funds of ``kind``."""
    shares: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for a in allocations:
        if a.kind == kind:
            target = a.objective_id or a.initiative_id or a.channel_id
            assert target is not None
            shares[a.line_id][target] = a.share
    return shares


def allocated_costs(
    lines: Iterable[LineCost], allocations: Iterable[Allocation], kind: str
) -> tuple[dict[int, Decimal], dict[int, dict[int, Decimal]]]:
    """Per target id, the cost allocated to it; and per line, each target's part. Lines
    without allocations of ``kind`` go to the target id 0 (not allocated)."""
    shares = line_shares(allocations, kind)
    per_target: dict[int, Decimal] = defaultdict(lambda: ZERO)
    per_line: dict[int, dict[int, Decimal]] = {}
    for line in lines:
        parts = split_amount(line.cost, shares[line.line_id]) if shares.get(line.line_id) else {}
        if not parts:
            parts = {0: line.cost}
        per_line[line.line_id] = parts
        for target, amount in parts.items():
            per_target[target] += amount
    return per_target, per_line


@dataclass(frozen=True)
class _Scope:
    """What an objective counts: its KPIs' metrics, each over a set of channels (None: all)."""

    metrics: dict[str, frozenset[int] | None]


def _objective_scopes(workspace: Workspace, metrics: set[str]) -> dict[int, _Scope]:
    scopes: dict[int, dict[str, frozenset[int] | None]] = defaultdict(dict)
    kpis = (
        Kpi.objects.filter(workspace=workspace, archived_at__isnull=True, metric_key__in=metrics)
        .prefetch_related("channels")
        .order_by("pk")
    )
    for kpi in kpis:
        chosen = frozenset(c.pk for c in kpi.channels.all()) or None
        have = scopes[kpi.objective_id]
        if kpi.metric_key in have:
            before = have[kpi.metric_key]
            have[kpi.metric_key] = None if before is None or chosen is None else before | chosen
        else:
            have[kpi.metric_key] = chosen
    return {k: _Scope(v) for k, v in scopes.items()}


class _Units:
    """Units of the valued metrics per channel over the period and over a few windows of it
    (quarters, the days an initiative ran): one aggregate query with one conditional sum per
    window, so the database adds up and a few hundred rows come back, however many days."""

    def __init__(
        self, workspace: Workspace, keys: set[str], period: Period, windows: list[Period]
    ) -> None:
        self.period = period
        self.names: dict[Period, str] = {period: "w0"}
        for w in windows:
            self.names.setdefault(w, f"w{len(self.names)}")
        self.sums: dict[str, dict[str, dict[int | None, Decimal]]] = {
            name: defaultdict(dict) for name in self.names.values()
        }
        self.channels: set[int] = set()
        if not keys:
            return
        rows = (
            Observation.objects.filter(workspace=workspace, metric__in=sorted(keys))
            .filter(period.q())
            .values("metric", "channel_id")
            .annotate(**{name: Sum("value", filter=w.q()) for w, name in self.names.items()})
            .order_by()
        )
        for row in rows:
            if row["channel_id"] is not None and row["w0"] is not None:
                self.channels.add(row["channel_id"])
            for name in self.names.values():
                if row[name] is not None:
                    self.sums[name][row["metric"]][row["channel_id"]] = Decimal(row[name])

    def count(
        self,
        metric: str,
        channels: frozenset[int] | None = None,
        within: Period | None = None,
        channel: int | None | str = "*",
    ) -> Decimal:
        """Units of ``metric`` within a window: every channel (and none), the ``channels``
        chosen, or one ``channel`` (None: the figures without a channel)."""
        found = self.sums[self.names[within or self.period]].get(metric, {})
        if channel != "*":
            return found.get(cast(int | None, channel), ZERO)
        if channels is None:
            return sum(found.values(), ZERO)
        return sum((found.get(c, ZERO) for c in channels), ZERO)


def roi_report(
    workspace: Workspace, start: date, end: date, *, step: Decimal = Decimal(20)
) -> RoiReport:
    """The ROI report of ``start``…``end``; a handful of queries whatever the number of lines,
    objectives or channels."""
    period = Period(start, end)
    index = metric_index(workspace)
    active = list(assumptions(workspace))
    valued = [
        a for a in active if a.metric_key in index and index[a.metric_key].aggregation == "sum"
    ]
    unit_values: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for a in valued:
        if a.hardness != Hardness.SOFT:
            unit_values[a.metric_key] += a.unit_value
    hard_keys = set(unit_values)
    lines = _line_costs(workspace, period)
    allocations = list(
        Allocation.objects.filter(line_id__in=[line.line_id for line in lines]).order_by("pk")
    )
    scopes = _objective_scopes(workspace, hard_keys)
    ini_costs, _per_line = allocated_costs(lines, allocations, AllocationKind.INITIATIVE)
    initiatives = list(
        Initiative.objects.filter(workspace=workspace)
        .filter(
            Q(pk__in=set(ini_costs))
            | Q(
                archived_at__isnull=True,
                start__lte=period.end,
                end__gte=period.start,
                objectives__in=list(scopes),
            )
        )
        .distinct()
    )
    ran = {i.pk: Period(max(i.start, period.start), min(i.end, period.end)) for i in initiatives}
    quarter_list = _quarters(period)
    units = _Units(
        workspace,
        {a.metric_key for a in valued},
        period,
        [q for _label, q in quarter_list] + [r for r in ran.values() if r.start <= r.end],
    )
    count = units.count

    total_cost = sum((line.cost for line in lines), ZERO)
    hard: list[ValueRow] = []
    soft: list[ValueRow] = []
    unvalued: list[ValueRow] = []
    for a in active:
        metric = index.get(a.metric_key)
        if a not in valued:
            unvalued.append(ValueRow(a, metric, None, ZERO, None, ""))
            continue
        n = count(a.metric_key)
        row = ValueRow(
            a,
            metric,
            n,
            n * a.unit_value,
            cost_per_result(total_cost, n),
            metric_rows_url(workspace, a.metric_key, period),
        )
        (soft if a.hardness == Hardness.SOFT else hard).append(row)

    def value_of(
        metrics: dict[str, frozenset[int] | None], within: Period = period
    ) -> tuple[Decimal, dict[str, Decimal]]:
        found = {m: count(m, channels, within) for m, channels in metrics.items()}
        return sum((found[m] * unit_values[m] for m in found), ZERO), found

    # Objectives
    per_target, _per_line = allocated_costs(lines, allocations, AllocationKind.OBJECTIVE)
    wanted = set(per_target) | set(scopes)
    objectives = SocialObjective.objects.filter(workspace=workspace, pk__in=wanted).order_by(
        "statement"
    )
    obj_rows: list[DimRow] = []
    for o in objectives:
        scope = scopes.get(o.pk, _Scope({}))
        value, found = value_of(scope.metrics)
        cost = per_target.get(o.pk, ZERO)
        obj_rows.append(
            DimRow(
                str(o.uuid),
                o.statement,
                cost,
                value,
                [
                    Result(index[m].name, n, cost_per_result(cost, n))
                    for m, n in sorted(found.items())
                ],
                cost_rows_url(workspace, period, AllocationKind.OBJECTIVE, str(o.uuid)),
                valued=bool(scope.metrics),
            )
        )
    if per_target.get(0):
        obj_rows.append(_unallocated(workspace, period, AllocationKind.OBJECTIVE, per_target[0]))

    # Initiatives: the value of the objectives they serve, on the days they ran.
    per_target = ini_costs
    served: dict[int, list[int]] = defaultdict(list)
    for through in Initiative.objectives.through.objects.filter(
        initiative_id__in=[i.pk for i in initiatives]
    ).values("initiative_id", "socialobjective_id"):
        served[through["initiative_id"]].append(through["socialobjective_id"])
    ini_rows: list[DimRow] = []
    for i in sorted(initiatives, key=lambda i: (i.start, i.title)):
        metrics: dict[str, frozenset[int] | None] = {}
        for objective in served[i.pk]:
            for m, channels in scopes.get(objective, _Scope({})).metrics.items():
                before = metrics.get(m, frozenset())
                metrics[m] = None if before is None or channels is None else before | channels
        window = ran[i.pk]
        value, found = (ZERO, {}) if window.start > window.end else value_of(metrics, window)
        cost = per_target.get(i.pk, ZERO)
        ini_rows.append(
            DimRow(
                str(i.uuid),
                i.title,
                cost,
                value,
                [
                    Result(index[m].name, n, cost_per_result(cost, n))
                    for m, n in sorted(found.items())
                ],
                cost_rows_url(workspace, period, AllocationKind.INITIATIVE, str(i.uuid)),
                valued=bool(metrics),
                note=_("Not running in this period.") if window.start > window.end else "",
            )
        )
    if per_target.get(0):
        ini_rows.append(_unallocated(workspace, period, AllocationKind.INITIATIVE, per_target[0]))

    # Channels: every unit belongs to one channel or to none, so these rows add up.
    per_target, _per_line = allocated_costs(lines, allocations, AllocationKind.CHANNEL)
    with_units = units.channels
    ch_rows: list[DimRow] = []
    for c in Channel.objects.filter(
        workspace=workspace, pk__in=set(per_target) | with_units
    ).order_by("platform", "handle"):
        found = {m: count(m, channel=c.pk) for m in hard_keys}
        cost = per_target.get(c.pk, ZERO)
        ch_rows.append(
            DimRow(
                str(c.uuid),
                f"{c.get_platform_display()} {c.handle}",
                cost,
                sum((found[m] * unit_values[m] for m in found), ZERO),
                [
                    Result(index[m].name, n, cost_per_result(cost, n))
                    for m, n in sorted(found.items())
                    if n
                ],
                cost_rows_url(workspace, period, AllocationKind.CHANNEL, str(c.uuid)),
                _channel_value_url(workspace, hard_keys, period, str(c.uuid)),
                valued=any(found.values()),
            )
        )
    no_channel = {m: count(m, channel=None) for m in hard_keys}
    if per_target.get(0) or any(no_channel.values()):
        rest = _unallocated(workspace, period, AllocationKind.CHANNEL, per_target.get(0, ZERO))
        rest.name = _("No channel (business figures) and spend not allocated to a channel")
        rest.value = sum((no_channel[m] * unit_values[m] for m in no_channel), ZERO)
        rest.results = [Result(index[m].name, n, None) for m, n in sorted(no_channel.items()) if n]
        rest.value_url = _channel_value_url(workspace, hard_keys, period, NONE)
        rest.valued = any(no_channel.values())
        ch_rows.append(rest)

    # Quarters
    spend_days = list(
        SpendEntry.objects.filter(workspace=workspace, day__gte=period.start, day__lte=period.end)
        .values("day")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    quarters = []
    for label, q in quarter_list:
        cost = sum((r["total"] for r in spend_days if q.start <= r["day"] <= q.end), ZERO)
        value = sum(
            (count(m, within=q) * unit_values[m] for m in hard_keys),
            ZERO,
        )
        quarters.append(QuarterRow(label, q, Decimal(cost), value))

    hard_value = sum((r.value for r in hard), ZERO)
    parts = {str(r.assumption.uuid): r.value for r in hard}
    moved = sensitivity(parts, total_cost, step)
    sens = [SensitivityRow(r.assumption.name, *moved[str(r.assumption.uuid)]) for r in hard]
    if len(hard) > 1:
        sens.append(SensitivityRow(_("Every hard assumption together"), *moved["*"]))
    return RoiReport(
        period=period,
        currency=workspace.currency,
        total_cost=total_cost,
        hard_value=hard_value,
        soft_value=sum((r.value for r in soft), ZERO),
        hard=hard,
        soft=soft,
        unvalued=unvalued,
        lines=lines,
        objectives=Dimension(AllocationKind.OBJECTIVE, _("Objectives"), obj_rows, False),
        initiatives=Dimension(AllocationKind.INITIATIVE, _("Initiatives"), ini_rows, False),
        channels=Dimension(AllocationKind.CHANNEL, _("Channels"), ch_rows, True),
        quarters=quarters,
        step=step,
        sensitivity=sens,
        cost_url=cost_rows_url(workspace, period),
    )


def _unallocated(workspace: Workspace, period: Period, kind: str, cost: Decimal) -> DimRow:
    return DimRow(
        NONE,
        _("Not allocated"),
        cost,
        ZERO,
        [],
        cost_rows_url(workspace, period, kind, NONE),
        valued=False,
    )


def _channel_value_url(workspace: Workspace, keys: set[str], period: Period, channel: str) -> str:
    """The rows behind a channel's value: the explorer lists one metric at a time, so the link
    goes to the first valued metric with figures (the others are a click away there)."""
    if not keys:
        return ""
    return metric_rows_url(workspace, sorted(keys)[0], period, channel)


# --- The cost rows behind a figure ----------------------------------------------------------


@dataclass
class CostRow:
    entry: SpendEntry
    share: Decimal | None  # percent of the entry counted (None: all of it)
    counted: Decimal


@dataclass
class CostRows:
    title: str
    rows: list[CostRow]
    total: Decimal


def cost_rows(workspace: Workspace, period: Period, kind: str = "", target: str = "") -> CostRows:
    """The spend entries behind a cost of the ROI report, each with the share of it counted.
    Per line the counted parts are split to the cent exactly as the report splits them, so
    the rows add up to the figure they explain."""
    entries = list(
        SpendEntry.objects.filter(workspace=workspace, day__gte=period.start, day__lte=period.end)
        .select_related("line")
        .order_by("day", "pk")
    )
    if not kind:
        return CostRows(
            _("All spend"),
            [CostRow(e, None, e.amount) for e in entries],
            sum((e.amount for e in entries), ZERO),
        )
    if kind not in AllocationKind.values:
        raise Http404
    lines = _line_costs(workspace, period)
    allocations = list(
        Allocation.objects.filter(line_id__in=[line.line_id for line in lines]).select_related(
            "objective", "initiative", "channel"
        )
    )
    target_id = 0
    title = _("Not allocated")
    if target != NONE:
        found = next(
            (
                a
                for a in allocations
                if a.kind == kind and str(getattr(getattr(a, kind), "uuid", "")) == target
            ),
            None,
        )
        if found is None:
            obj = (
                TARGET_MODELS[kind].objects.filter(workspace=workspace, uuid=_uuid(target)).first()
            )
            if obj is None:
                raise Http404
            return CostRows(str(obj), [], ZERO)
        obj = getattr(found, kind)
        target_id = obj.pk
        title = str(obj)
    _per_target, per_line = allocated_costs(lines, allocations, kind)
    shares = line_shares(allocations, kind)
    rows: list[CostRow] = []
    by_line: dict[int, list[SpendEntry]] = defaultdict(list)
    for e in entries:
        by_line[e.line_id].append(e)
    for line_id, parts in per_line.items():
        if target_id not in parts:
            continue
        mine = parts[target_id]
        share = shares.get(line_id, {}).get(target_id)
        rows.extend(
            CostRow(e, share, part)
            for e, part in zip(by_line[line_id], _spread(mine, by_line[line_id]), strict=True)
        )
    rows.sort(key=lambda r: (r.entry.day, r.entry.pk))
    return CostRows(title, rows, sum((r.counted for r in rows), ZERO))


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _spread(part: Decimal, entries: list[SpendEntry]) -> list[Decimal]:
    """A line's ``part`` spread over its entries in proportion to their amounts, to the cent;
    the last entry takes the rounding, so the parts add up to ``part`` exactly."""
    total = sum((e.amount for e in entries), ZERO)
    if not entries:
        return []
    if not total:
        return [ZERO] * (len(entries) - 1) + [part]
    out = [(part * e.amount / total).quantize(Decimal("0.01")) for e in entries[:-1]]
    return [*out, part - sum(out, ZERO)]


# --- Scenarios ------------------------------------------------------------------------------


def scenarios(workspace: Workspace) -> QuerySet[Scenario]:
    return (
        Scenario.objects.filter(workspace=workspace)
        .select_related("created_by")
        .prefetch_related("changes__line", "changes__to_line")
        .order_by("-year", "name")
    )


def get_scenario(workspace: Workspace, uuid: UUID | str) -> Scenario:
    found = scenarios(workspace).filter(uuid=uuid).first()
    if found is None:
        raise Http404
    return found


def as_changes(scenario: Scenario) -> list[Change]:
    return [
        Change(c.kind, c.line_id, c.to_line_id, c.percent, c.amount) for c in scenario.changes.all()
    ]


@dataclass
class Moved:
    """A line, an objective, an initiative or a channel before and after a scenario."""

    name: str
    before: Decimal
    after: Decimal
    key: str = ""

    @property
    def delta(self) -> Decimal:
        return self.after - self.before

    @property
    def lost_all(self) -> bool:
        return self.before > 0 and self.after <= 0


@dataclass
class KpiEffect:
    kpi: Kpi
    objective: str
    metric: str
    observed: Decimal  # results over the observation period
    cost: Decimal  # the objective's spend over it
    delta_funding: Decimal
    delta_results: Decimal | None
    delta_value: Decimal | None  # hard value of the change a year, where the metric has one

    @property
    def cost_per_result(self) -> Decimal | None:
        return cost_per_result(self.cost, self.observed)


@dataclass
class ScenarioResult:
    scenario: Scenario
    lines: list[Moved]
    total: Moved
    funding: dict[str, list[Moved]]
    effects: list[KpiEffect]
    observed_over: Period
    problem: str = ""  # a change that no longer applies (a line changed since)

    @property
    def changed_lines(self) -> list[Moved]:
        return [m for m in self.lines if m.delta]

    @property
    def losers(self) -> list[tuple[str, Moved]]:
        """The objectives and initiatives that lose funding, the ones losing all of it first."""
        found = [
            (kind, m)
            for kind in (AllocationKind.OBJECTIVE, AllocationKind.INITIATIVE)
            for m in self.funding[kind]
            if m.delta < 0 and m.key != NONE
        ]
        return sorted(found, key=lambda x: (not x[1].lost_all, x[1].delta))

    @property
    def delta_value(self) -> Decimal | None:
        """The hard value the projected results add or lose a year; None when no affected KPI
        has a metric with a hard value (nothing to add up, which is not 0)."""
        values = [e.delta_value for e in self.effects if e.delta_value is not None]
        return sum(values, ZERO) if values else None


PROBLEMS = {
    "unknown_line": gettext_lazy("A line this change uses is no longer in the year's budget."),
    "same_line": gettext_lazy("Money is moved to the line it comes from."),
    "percent_out_of_range": gettext_lazy("A cut is more than 0% and at most 100%."),
    "amount_not_positive": gettext_lazy("An amount to move is more than 0."),
    "more_than_left": gettext_lazy(
        "The amount to move is more than the line has left after the changes before it."
    ),
}


def _targets(kind: str, ids: Iterable[int]) -> dict[int, Any]:
    return {o.pk: o for o in TARGET_MODELS[kind].objects.filter(pk__in=list(ids))}


def _target_label(target: Any) -> str:
    if isinstance(target, Channel):
        return f"{target.get_platform_display()} {target.handle}"
    return str(target)


def scenario_result(
    scenario: Scenario, today: date, *, changes: Sequence[Change] | None = None
) -> ScenarioResult:
    """A scenario's effect on its year's planned budget: every line before and after, what each
    objective, initiative and channel keeps, and the KPIs' projected results at the cost per
    result observed over the last 365 days (the objective's spend ÷ its KPI's results)."""
    workspace = scenario.workspace
    year_lines = list(
        BudgetLine.objects.filter(workspace=workspace, year=scenario.year).order_by(
            "category", "name"
        )
    )
    planned = {line.pk: line.planned for line in year_lines}
    problem = ""
    try:
        after = apply_changes(planned, as_changes(scenario) if changes is None else changes)
    except ScenarioProblem as exc:
        after, problem = dict(planned), str(PROBLEMS[exc.code])
    lines = [Moved(line.name, line.planned, after[line.pk], str(line.uuid)) for line in year_lines]
    allocations = list(Allocation.objects.filter(line_id__in=list(planned)).order_by("pk"))
    funding_rows: dict[str, list[Moved]] = {}
    deltas: dict[str, dict[int | None, Decimal]] = {}
    for kind in AllocationKind.values:
        shares = line_shares(allocations, kind)
        before_f = funding(planned, shares)
        after_f = funding(after, shares)
        targets = _targets(kind, [k for k in before_f if k is not None])
        rows = [
            Moved(
                _target_label(targets[k]), before_f[k], after_f.get(k, ZERO), str(targets[k].uuid)
            )
            for k in before_f
            if k is not None
        ]
        rows.sort(key=lambda m: (m.delta, m.name))
        if None in before_f:
            rows.append(Moved(_("Not allocated"), before_f[None], after_f.get(None, ZERO), NONE))
        funding_rows[kind] = rows
        deltas[kind] = {k: after_f.get(k, ZERO) - v for k, v in before_f.items()}
    observed = Period(today - timedelta(days=364), today)
    effects = _kpi_effects(workspace, observed, deltas[AllocationKind.OBJECTIVE])
    return ScenarioResult(
        scenario=scenario,
        lines=lines,
        total=Moved(_("Total"), sum(planned.values(), ZERO), sum(after.values(), ZERO)),
        funding=funding_rows,
        effects=effects,
        observed_over=observed,
        problem=problem,
    )


def _kpi_effects(
    workspace: Workspace, observed: Period, delta: dict[int | None, Decimal]
) -> list[KpiEffect]:
    """For each KPI of an objective whose funding changes, with a metric that adds up: its
    results over ``observed`` (on its channels), the objective's spend over it, and what the
    change of funding projects."""
    changed = [k for k, v in delta.items() if k is not None and v]
    if not changed:
        return []
    index = metric_index(workspace)
    kpis = list(
        Kpi.objects.filter(workspace=workspace, archived_at__isnull=True, objective_id__in=changed)
        .select_related("objective")
        .prefetch_related("channels")
        .order_by("objective__statement", "name")
    )
    kpis = [k for k in kpis if k.metric_key in index and index[k.metric_key].aggregation == "sum"]
    if not kpis:
        return []
    per_channel: dict[tuple[str, int | None], Decimal] = {}
    for row in (
        Observation.objects.filter(
            workspace=workspace, metric__in=sorted({k.metric_key for k in kpis})
        )
        .filter(observed.q())
        .values("metric", "channel_id")
        .annotate(total=Sum("value"))
        .order_by()
    ):
        per_channel[(row["metric"], row["channel_id"])] = Decimal(row["total"])
    lines = _line_costs(workspace, observed)
    allocations = Allocation.objects.filter(line_id__in=[line.line_id for line in lines])
    cost, _per_line = allocated_costs(lines, allocations, AllocationKind.OBJECTIVE)
    unit_values: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for a in assumptions(workspace).exclude(hardness=Hardness.SOFT):
        unit_values[a.metric_key] += a.unit_value
    out: list[KpiEffect] = []
    for k in kpis:
        chosen = {c.pk for c in k.channels.all()}
        units = sum(
            (
                v
                for (m, c), v in per_channel.items()
                if m == k.metric_key and (not chosen or c in chosen)
            ),
            ZERO,
        )
        spent = cost.get(k.objective_id, ZERO)
        moved = delta[k.objective_id]
        results = projected_results(moved, spent, units)
        value = (
            results * unit_values[k.metric_key]
            if results is not None and k.metric_key in unit_values
            else None
        )
        out.append(
            KpiEffect(
                k,
                k.objective.statement,
                index[k.metric_key].name,
                units,
                spent,
                moved,
                results,
                value,
            )
        )
    return out


@dataclass
class Comparison:
    results: list[ScenarioResult]
    objectives: list[tuple[str, list[Decimal | None]]]
    initiatives: list[tuple[str, list[Decimal | None]]]
    kpis: list[tuple[str, list[Decimal | None]]]


def compare(workspace: Workspace, chosen: Sequence[Scenario], today: date) -> Comparison:
    """Scenarios side by side: each one's funding of every objective and initiative after it,
    and each KPI's projected change of results (blank where a scenario leaves it alone)."""
    results = [scenario_result(s, today) for s in chosen]

    def table(rows_of: Any) -> list[tuple[str, list[Decimal | None]]]:
        names: dict[str, str] = {}
        cells: dict[str, dict[int, Decimal | None]] = defaultdict(dict)
        for i, result in enumerate(results):
            for key, name, value in rows_of(result):
                names.setdefault(key, name)
                cells[key][i] = value
        return [
            (names[key], [cells[key].get(i) for i in range(len(results))])
            for key in sorted(names, key=lambda k: names[k])
        ]

    return Comparison(
        results=results,
        objectives=table(
            lambda r: [(m.key, m.name, m.after) for m in r.funding[AllocationKind.OBJECTIVE]]
        ),
        initiatives=table(
            lambda r: [(m.key, m.name, m.after) for m in r.funding[AllocationKind.INITIATIVE]]
        ),
        kpis=table(lambda r: [(str(e.kpi.uuid), e.kpi.name, e.delta_results) for e in r.effects]),
    )

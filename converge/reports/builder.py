"""The business case builder: one document, assembled from the workspace's own data, for the
boss, the C-suite or the board (seed 002). Build it inside ``translation.override`` of the
case's language: every word in it is translated as it is built.

Sections: summary and the ask · who is using social · objectives aligned with the business
plan · how it will be done (the eight parts of DOMAIN.md §1) · resources · budget with
contingency · timeline with contingency · expected return with its assumptions · the
reallocation of current activities. A part without data says so plainly."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from converge.finance.models import (
    ActivityKind,
    BudgetLine,
    Category,
    Hardness,
    Proposal,
    ValueAssumption,
)
from converge.finance.money import cents, money
from converge.finance.review import selectors as review_selectors
from converge.finance.roi import cost_per_result, roi
from converge.governance import selectors as governance_selectors
from converge.governance.text import describe_cadence
from converge.measurement.progress_text import metric_name
from converge.measurement.selectors import metric_index
from converge.operating import selectors as operating_selectors
from converge.reports import business_case as maths
from converge.reports.document import (
    DATE,
    MONEY,
    NUMBER,
    PERCENT,
    Chart,
    Column,
    Document,
    Section,
    Series,
    Table,
)
from converge.reports.models import BusinessCase
from converge.strategy import selectors as strategy_selectors
from converge.strategy.models import AmecStage, Kpi

ZERO = Decimal(0)


def _d(day: date | None) -> str:
    return date_format(day, "SHORT_DATE_FORMAT") if day else "—"


def _num(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}"


@dataclass
class Context:
    case: BusinessCase
    currency: str
    years: list[int]

    def m(self, amount: Decimal | None) -> str:
        return money(amount, self.currency)


def build(case: BusinessCase) -> Document:
    ws = case.workspace
    ctx = Context(case=case, currency=ws.currency, years=case.years)
    budget = _budget(ctx)
    value = _return(ctx, budget.figures)
    realloc = _reallocation(ctx)
    sections = [
        _summary(ctx, budget.figures, value.figures, realloc.figures),
        _who(ctx),
        _objectives(ctx),
        _how(ctx),
        _resources(ctx),
        budget.section,
        _timeline(ctx),
        value.section,
        realloc.section,
    ]
    figures = {**budget.figures, **value.figures, **realloc.figures}
    return Document(
        title=case.title,
        subtitle=_("For %(audience)s · %(first)s–%(last)s · %(name)s")
        % {
            "audience": str(case.get_audience_display()).lower(),
            "first": case.first_year,
            "last": case.last_year,
            "name": ws.name,
        },
        language=case.language,
        currency=ctx.currency,
        day=timezone.localdate(),
        sections=sections,
        figures=figures,
    )


@dataclass
class Built:
    section: Section
    figures: dict[str, Decimal | None]


# --- Summary --------------------------------------------------------------------------------


def _summary(
    ctx: Context,
    budget: dict[str, Decimal | None],
    value: dict[str, Decimal | None],
    realloc: dict[str, Decimal | None],
) -> Section:
    case = ctx.case
    paragraphs = [p for p in (case.summary.strip(), case.ask.strip()) if p]
    if not paragraphs:
        paragraphs = [
            _(
                "No summary or ask has been written yet: edit the business case to say what "
                "you ask for."
            )
        ]
    rate = value.get("roi")
    cost = budget["cost_with_contingency"]
    bullets = [
        _("Cost over %(n)s years, with %(pct)s%% contingency: %(cost)s.")
        % {"n": len(ctx.years), "pct": _num(case.cost_contingency), "cost": ctx.m(cost)}
        if cost
        else _("Cost: no budget lines for these years yet."),
        _("Expected hard value over the same years: %(value)s.")
        % {"value": ctx.m(value["expected_value"])}
        if value["expected_value"]
        else _("Expected hard value: no KPI with a target has a hard value assumption yet."),
        _("Return on investment: %(roi)s.") % {"roi": _percent(rate)}
        if rate is not None
        else _("Return on investment: not computable yet (it needs a cost and a value)."),
        _("Budget moved from current activities to social: %(moved)s a year.")
        % {"moved": ctx.m(realloc["moved_to_social"])},
    ]
    return Section(
        key="summary",
        heading=_("Summary and the ask"),
        paragraphs=paragraphs,
        bullets=bullets,
        notes=_(
            "Open with the ask, then the four figures: what it costs with a margin for "
            "realism, what it is expected to return in hard money, the return on investment, "
            "and how much of it comes from budget we already spend. Social media is a long-term "
            "commitment, not a campaign."
        ),
    )


# --- Who is using social --------------------------------------------------------------------


def _who(ctx: Context) -> Section:
    ws = ctx.case.workspace
    audiences = list(strategy_selectors.audiences(ws))
    rows = []
    without = []
    for a in audiences:
        presence = list(a.presence.all())
        if not presence:
            without.append(a.name)
        for p in presence:
            figure = (
                f"{_num(p.figure)} %"
                if p.unit == "percent"
                else _("%(n)s users") % {"n": _num(p.figure)}
            )
            rows.append(
                [
                    a.name,
                    a.get_kind_display(),
                    p.get_platform_display(),
                    figure,
                    p.source,
                    p.figure_date,
                ]
            )
    competitors = list(strategy_selectors.competitors(ws))
    gains = [
        [c.name, o.observed_on, o.get_kind_display(), o.description]
        for c in competitors
        for o in c.observations.all()
    ]
    studies = [
        [s.title, s.figures or s.summary, s.source] for s in strategy_selectors.case_studies(ws)
    ]
    section = Section(key="who", heading=_("Who is using social"))
    if rows:
        section.paragraphs.append(
            _(
                "The people we need to reach are already on social media. Where each audience "
                "is, with the source and date of every figure:"
            )
        )
        section.tables.append(
            Table(
                columns=[
                    Column(_("Audience")),
                    Column(_("Type")),
                    Column(_("Platform")),
                    Column(_("Figure")),
                    Column(_("Source")),
                    Column(_("Dated"), DATE),
                ],
                rows=rows,
                caption=_("Audiences and the platforms they use"),
            )
        )
    if without:
        section.paragraphs.append(
            _("No platform evidence yet for: %(names)s.") % {"names": ", ".join(without)}
        )
    if not audiences:
        section.paragraphs.append(_("No audiences have been identified yet."))
    if gains:
        section.tables.append(
            Table(
                columns=[
                    Column(_("Competitor")),
                    Column(_("Observed"), DATE),
                    Column(_("What they gained")),
                    Column(_("Description")),
                ],
                rows=gains,
                caption=_("What competitors gained on social"),
            )
        )
    else:
        section.paragraphs.append(_("No competitors' gains on social have been recorded yet."))
    if studies:
        section.tables.append(
            Table(
                columns=[Column(_("Case study")), Column(_("Results")), Column(_("Source"))],
                rows=studies,
                caption=_("Case studies"),
            )
        )
    else:
        section.paragraphs.append(_("No case studies have been recorded yet."))
    section.empty = not (rows or gains or studies)
    section.notes = _(
        "Figures speak: %(aud)s audiences with %(ev)s platform figures, %(gains)s observations "
        "of competitors' gains and %(cases)s case studies. Every figure has its source and date."
    ) % {"aud": len(audiences), "ev": len(rows), "gains": len(gains), "cases": len(studies)}
    return section


# --- Objectives -----------------------------------------------------------------------------


def _objectives(ctx: Context) -> Section:
    ws = ctx.case.workspace
    objectives = list(strategy_selectors.objectives(ws))
    section = Section(key="objectives", heading=_("Objectives aligned with the business plan"))
    if not objectives:
        section.empty = True
        section.paragraphs.append(
            _("No social objectives yet: pick the business goals social can realistically serve.")
        )
        section.notes = section.paragraphs[0]
        return section
    section.paragraphs.append(
        _(
            "Picked from the business plan: the business goals social can realistically serve, "
            "each with how achievable it is, how it is measured and by when."
        )
    )
    section.tables.append(
        Table(
            columns=[
                Column(_("Objective")),
                Column(_("Business goals")),
                Column(_("Achievable")),
                Column(_("Why")),
                Column(_("From"), DATE),
                Column(_("To"), DATE),
            ],
            rows=[
                [
                    o.statement,
                    ", ".join(g.title for g in o.goals.all()),
                    o.get_realism_display(),
                    o.realism_rationale,
                    o.start,
                    o.end,
                ]
                for o in objectives
            ],
            caption=_("Social objectives and the business goals they serve"),
        )
    )
    kpi_rows = [
        [
            o.statement,
            k.name,
            _with_unit(k.baseline_value, k.unit),
            _with_unit(k.target_value, k.unit) if k.target_value is not None else _("no target"),
            k.target_date,
        ]
        for o in objectives
        for k in o.kpis.all()
    ]
    if kpi_rows:
        section.tables.append(
            Table(
                columns=[
                    Column(_("Objective")),
                    Column(_("KPI")),
                    Column(_("Baseline")),
                    Column(_("Target")),
                    Column(_("By"), DATE),
                ],
                rows=kpi_rows,
                caption=_("How each objective is measured"),
            )
        )
    realistic = sum(1 for o in objectives if o.realism == "high")
    section.notes = _(
        "%(n)s objectives, %(r)s of them rated realistic, measured by %(k)s KPIs with a baseline, "
        "a target and a date. Social is not a silver bullet: we picked what is achievable."
    ) % {"n": len(objectives), "r": realistic, "k": len(kpi_rows)}
    return section


def _percent(rate: Decimal | None) -> str:
    return "—" if rate is None else f"{(rate * 100).quantize(Decimal('1'))} %"


def _cents(value: Decimal | None) -> Decimal | None:
    return None if value is None else maths.cents(value)


def _with_unit(value: Decimal | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{_num(value)} {unit}".strip()


# --- How it will be done ------------------------------------------------------------------


def _how(ctx: Context) -> Section:
    ws = ctx.case.workspace
    goals = list(strategy_selectors.goals(ws))
    objectives = list(strategy_selectors.objectives(ws))
    kpis = list(strategy_selectors.kpis(ws))
    audiences = list(strategy_selectors.audiences(ws))
    tactics = list(strategy_selectors.tactics(ws).order_by("objective__statement", "channel"))
    messages = list(strategy_selectors.messages(ws))
    team = list(operating_selectors.team(ws))
    staff_lines = BudgetLine.objects.filter(
        workspace=ws, category=Category.STAFF, year__in=ctx.years
    ).count()
    documents = list(operating_selectors.documents(ws).order_by("kind", "title"))
    trainings = list(operating_selectors.trainings(ws).order_by("kind", "title"))
    committees = list(governance_selectors.committees(ws))
    model = operating_selectors.operating_model(ws)

    def part(key: str, heading: str, empty_text: str, filled: bool) -> Section:
        sec = Section(key=key, heading=heading, empty=not filled)
        if not filled:
            sec.paragraphs.append(empty_text)
        return sec

    p1 = part(
        "goals",
        _("Goals and objectives"),
        _("Nothing recorded yet: no business goals or social objectives."),
        bool(goals or objectives),
    )
    if goals or objectives:
        p1.paragraphs.append(
            _("%(g)s business goals, served by %(o)s social objectives (see above).")
            % {"g": len(goals), "o": len(objectives)}
        )
    p2 = part(
        "audiences",
        _("Audiences"),
        _("Nothing recorded yet: no audiences identified."),
        bool(audiences),
    )
    if audiences:
        p2.bullets = [
            f"{a.name} ({a.get_kind_display()}, {a.get_priority_display().lower()})"
            for a in audiences
        ]
    p3 = part("tactics", _("Tactics"), _("Nothing recorded yet: no tactics."), bool(tactics))
    if tactics:
        p3.tables.append(
            Table(
                columns=[
                    Column(_("Channel")),
                    Column(_("Activity")),
                    Column(_("How often")),
                    Column(_("People"), NUMBER),
                    Column(_("Hours a week"), NUMBER),
                ],
                rows=[
                    [t.get_channel_display(), t.activity, t.frequency, t.people, t.hours_per_week]
                    for t in tactics
                ],
            )
        )
    p4 = part(
        "metrics",
        _("Metrics and measurement"),
        _("Nothing recorded yet: no KPIs."),
        bool(kpis),
    )
    if kpis:
        stages = defaultdict(list)
        for k in kpis:
            stages[k.amec_stage].append(k.name)
        p4.paragraphs.append(
            _(
                "%(n)s KPIs, each with a baseline and a target, along the AMEC framework from "
                "outputs to organisational impact:"
            )
            % {"n": len(kpis)}
        )
        p4.bullets = [
            f"{label}: {', '.join(stages[value])}"
            for value, label in AmecStage.choices
            if stages.get(value)
        ]
    p5 = part(
        "messages",
        _("What we say to whom"),
        _("Nothing recorded yet: no messages."),
        bool(messages),
    )
    if messages:
        p5.tables.append(
            Table(
                columns=[Column(_("Message")), Column(_("To")), Column(_("What we say"))],
                rows=[
                    [m.title, ", ".join(a.name for a in m.audiences.all()), m.text]
                    for m in messages
                ],
            )
        )
    p6 = part(
        "resources",
        _("Resources"),
        _("Nothing recorded yet: no team members and no staff budget lines."),
        bool(team or staff_lines),
    )
    if team or staff_lines:
        p6.paragraphs.append(
            _("A team of %(n)s people and %(lines)s staff budget lines (see Resources).")
            % {"n": len(team), "lines": staff_lines}
        )
    p7 = part(
        "guidelines",
        _("Guidelines and training"),
        _("Nothing recorded yet: no policies, playbooks or trainings."),
        bool(documents or trainings),
    )
    p7.bullets = [f"{d.title} ({d.get_kind_display()})" for d in documents] + [
        ngettext(
            "%(title)s (%(kind)s), %(n)s session held",
            "%(title)s (%(kind)s), %(n)s sessions held",
            getattr(t, "session_count", 0),
        )
        % {"title": t.title, "kind": t.get_kind_display(), "n": getattr(t, "session_count", 0)}
        for t in trainings
    ]
    p8 = part(
        "management",
        _("Ongoing management"),
        _("Nothing recorded yet: no committees and no operating model."),
        bool(committees or model),
    )
    if model:
        p8.paragraphs.append(_("Operating model: %(kind)s.") % {"kind": model.get_kind_display()})
    p8.bullets = [
        _("%(name)s: %(cadence)s, %(n)s members")
        % {
            "name": c.name,
            "cadence": describe_cadence(c.rrule).lower(),
            "n": getattr(c, "seat_count", 0),
        }
        for c in committees
    ]
    parts = [p1, p2, p3, p4, p5, p6, p7, p8]
    filled = sum(1 for p in parts if not p.empty)
    section = Section(
        key="how",
        heading=_("How it will be done"),
        paragraphs=[
            _("The plan has eight parts; %(n)s of them are filled in from our own data.")
            % {"n": filled}
        ],
        parts=parts,
        empty=filled == 0,
    )
    section.notes = _(
        "What is involved and how it will be managed, in eight parts. Parts still empty are "
        "named as such: %(empty)s."
    ) % {"empty": ", ".join(p.heading for p in parts if p.empty) or _("none")}
    return section


# --- Resources ------------------------------------------------------------------------------


def _resources(ctx: Context) -> Section:
    ws = ctx.case.workspace
    team = list(operating_selectors.team(ws))
    model = operating_selectors.operating_model(ws)
    staff = list(
        BudgetLine.objects.filter(workspace=ws, category=Category.STAFF, year__in=ctx.years)
        .select_related("department")
        .order_by("year", "name")
    )
    section = Section(key="resources", heading=_("Resources"))
    if model:
        section.paragraphs.append(
            _("Operating model: %(kind)s.") % {"kind": model.get_kind_display()}
        )
    if team:
        section.tables.append(
            Table(
                columns=[
                    Column(_("Person")),
                    Column(_("Role in the team")),
                    Column(_("Time"), PERCENT),
                ],
                rows=[[str(t.membership.user), t.role, Decimal(t.time_share)] for t in team],
                caption=_("The dedicated team"),
            )
        )
    else:
        section.paragraphs.append(_("No dedicated team has been recorded yet."))
    if staff:
        section.tables.append(
            Table(
                columns=[
                    Column(_("Year")),
                    Column(_("Staff line")),
                    Column(_("Full-time equivalents"), NUMBER),
                    Column(_("Planned"), MONEY),
                ],
                rows=[[str(line.year), line.name, line.fte, line.planned] for line in staff],
                caption=_("Staff in the budget (people or portions of salaries)"),
            )
        )
    else:
        section.paragraphs.append(
            _("No staff budget lines for %(first)s–%(last)s yet.")
            % {"first": ctx.case.first_year, "last": ctx.case.last_year}
        )
    section.empty = not (team or staff)
    fte = sum((line.fte or ZERO for line in staff), ZERO)
    section.notes = _(
        "The people who will do the work: a team of %(n)s, and %(fte)s full-time equivalents "
        "of staff in the budget over the years of the case."
    ) % {"n": len(team), "fte": _num(fte)}
    return section


# --- Budget ---------------------------------------------------------------------------------


def _budget(ctx: Context) -> Built:
    ws = ctx.case.workspace
    pct = ctx.case.cost_contingency
    sums = (
        BudgetLine.objects.filter(workspace=ws, year__in=ctx.years)
        .values("year", "category")
        .annotate(planned=Sum("planned"))
        .order_by()
    )
    cell: dict[tuple[int, str], Decimal] = {
        (row["year"], row["category"]): cents(row["planned"] or 0) for row in sums
    }
    categories = [c for c in Category if any((y, c.value) in cell for y in ctx.years)]
    per_year = {y: sum((cell.get((y, c.value), ZERO) for c in categories), ZERO) for y in ctx.years}
    extra = {y: maths.contingency(per_year[y], pct) for y in ctx.years}
    cost = sum(per_year.values(), ZERO)
    cont = sum(extra.values(), ZERO)
    figures: dict[str, Decimal | None] = {
        "cost": cost,
        "contingency": cont,
        "cost_with_contingency": cost + cont,
        **{f"cost_with_contingency_{y}": per_year[y] + extra[y] for y in ctx.years},
    }
    section = Section(key="budget", heading=_("Budget"))
    if not categories:
        section.empty = True
        section.paragraphs.append(
            _(
                "No budget lines for %(first)s–%(last)s yet: add them under Budget & ROI, and "
                "this part fills in."
            )
            % {"first": ctx.case.first_year, "last": ctx.case.last_year}
        )
        section.notes = section.paragraphs[0]
        return Built(section, figures)
    section.paragraphs.append(
        _(
            "The planned budget per year and category, with a contingency of %(pct)s%% of the "
            "cost: it will cost more than first planned."
        )
        % {"pct": _num(pct)}
    )
    year_cols = [Column(str(y), MONEY) for y in ctx.years]
    section.tables.append(
        Table(
            columns=[Column(_("Category")), *year_cols, Column(_("Total"), MONEY)],
            rows=[
                [
                    c.label,
                    *[cell.get((y, c.value), ZERO) for y in ctx.years],
                    sum((cell.get((y, c.value), ZERO) for y in ctx.years), ZERO),
                ]
                for c in categories
            ],
            footer=[
                [_("Cost"), *[per_year[y] for y in ctx.years], cost],
                [
                    _("Contingency (%(pct)s%%)") % {"pct": _num(pct)},
                    *[extra[y] for y in ctx.years],
                    cont,
                ],
                [
                    _("Total with contingency"),
                    *[per_year[y] + extra[y] for y in ctx.years],
                    cost + cont,
                ],
            ],
            caption=_("Budget per year by category (%(currency)s)") % {"currency": ctx.currency},
        )
    )
    section.charts.append(
        Chart(
            key="budget",
            title=_("Budget per year by category"),
            kind="stacked_column",
            categories=[str(y) for y in ctx.years],
            series=[
                Series(str(c.label), [cents(cell.get((y, c.value), ZERO)) for y in ctx.years])
                for c in categories
            ]
            + [Series(_("Contingency"), [extra[y] for y in ctx.years])],
            unit=ctx.currency,
        )
    )
    first, last = per_year[ctx.years[0]], per_year[ctx.years[-1]]
    section.notes = _(
        "The budget grows from %(first)s in %(y1)s to %(last)s in %(y2)s. With %(pct)s%% "
        "contingency the total over the period is %(total)s."
    ) % {
        "first": ctx.m(first),
        "y1": ctx.years[0],
        "last": ctx.m(last),
        "y2": ctx.years[-1],
        "pct": _num(pct),
        "total": ctx.m(cost + cont),
    }
    return Built(section, figures)


# --- Timeline -------------------------------------------------------------------------------


def _timeline(ctx: Context) -> Section:
    ws = ctx.case.workspace
    pct = ctx.case.schedule_contingency
    start, end = date(ctx.case.first_year, 1, 1), date(ctx.case.last_year, 12, 31)
    initiatives = [
        i
        for i in strategy_selectors.initiatives(ws)
        if i.end >= start and i.start <= end and i.status != "cancelled"
    ]
    section = Section(key="timeline", heading=_("Timeline"))
    if not initiatives:
        section.empty = True
        section.paragraphs.append(
            _("No roadmap initiatives fall in %(first)s–%(last)s yet.")
            % {"first": ctx.case.first_year, "last": ctx.case.last_year}
        )
        section.notes = section.paragraphs[0]
        return section
    section.paragraphs.append(
        _(
            "The roadmap's initiatives, each given %(pct)s%% more time than planned: the first "
            "time, things take longer."
        )
        % {"pct": _num(pct)}
    )
    rows = []
    for i in initiatives:
        stretched = maths.stretched_end(i.start, i.end, pct)
        rows.append(
            [i.title, i.get_priority_display(), i.start, i.end, stretched, i.estimated_cost]
        )
    section.tables.append(
        Table(
            columns=[
                Column(_("Initiative")),
                Column(_("Priority")),
                Column(_("Start"), DATE),
                Column(_("Planned end"), DATE),
                Column(_("End with contingency"), DATE),
                Column(_("Estimated cost"), MONEY),
            ],
            rows=rows,
            caption=_("Roadmap initiatives with schedule contingency"),
        )
    )
    latest = max(maths.stretched_end(i.start, i.end, pct) for i in initiatives)
    section.notes = _(
        "%(n)s initiatives. With %(pct)s%% schedule contingency the last one ends on %(day)s."
    ) % {"n": len(rows), "pct": _num(pct), "day": _d(latest)}
    return section


# --- Expected return ------------------------------------------------------------------------


def _return(ctx: Context, budget: dict[str, Decimal | None]) -> Built:
    ws = ctx.case.workspace
    assumptions = list(
        ValueAssumption.objects.filter(workspace=ws, archived_at__isnull=True)
        .select_related("owner")
        .order_by("hardness", "name")
    )
    by_metric: dict[str, list[ValueAssumption]] = defaultdict(list)
    for a in assumptions:
        by_metric[a.metric_key].append(a)
    kpis = list(
        Kpi.objects.filter(
            workspace=ws,
            archived_at__isnull=True,
            target_value__isnull=False,
            baseline_value__isnull=False,
            metric_key__in=list(by_metric),
        ).order_by("name")
    )
    hard_rows, soft_rows = [], []
    per_year = dict.fromkeys(ctx.years, ZERO)
    used: list[ValueAssumption] = []
    soft_total = ZERO
    for k in kpis:
        assert k.baseline_value is not None and k.target_value is not None
        counted = maths.years_counted(k.target_date.year if k.target_date else None, ctx.years)
        for a in by_metric[k.metric_key]:
            value = maths.value_per_year(
                baseline=k.baseline_value,
                target=k.target_value,
                direction=k.direction,
                unit=k.unit,
                window=k.window,
                unit_value=a.unit_value,
            )
            if value is None:
                continue
            gain = maths.improvement(k.baseline_value, k.target_value, k.direction) or ZERO
            gain *= maths.periods_per_year(k.unit, k.window)
            row = [k.name, a.name, gain, a.unit_value, value, len(counted), value * len(counted)]
            if a.hardness == Hardness.SOFT:
                soft_rows.append(row)
                soft_total += value * len(counted)
                continue
            hard_rows.append(row)
            used.append(a)
            for y in counted:
                per_year[y] += value
    expected = sum(per_year.values(), ZERO)
    cost = budget["cost_with_contingency"] or ZERO
    rate = roi(expected, cost)
    figures: dict[str, Decimal | None] = {
        "expected_value": expected,
        "roi": rate,
        "soft_value": soft_total,
        **{f"expected_value_{y}": per_year[y] for y in ctx.years},
    }
    section = Section(key="return", heading=_("Expected return"))
    section.paragraphs.append(
        _(
            "How it is computed: for each KPI with a target whose metric has a hard value "
            "assumption (revenue or a cost saving), the expected extra value per year is the "
            "improvement from baseline to target, in a year, × the value of one unit. It counts "
            "from the year the target is due. Return on investment = (expected value − cost "
            "with contingency) / cost with contingency. Soft value such as earned media value "
            "is never counted (Barcelona Principles)."
        )
    )
    value_cols = [
        Column(_("KPI")),
        Column(_("Assumption")),
        Column(_("Extra units a year"), NUMBER),
        Column(_("Value per unit"), MONEY),
        Column(_("Value a year"), MONEY),
        Column(_("Years counted"), NUMBER),
        Column(_("Value over the case"), MONEY),
    ]
    if hard_rows:
        index = metric_index(ws)
        section.tables.append(
            Table(
                columns=value_cols,
                rows=hard_rows,
                footer=[[_("Expected hard value"), "", "", "", "", "", expected]],
                caption=_("Expected extra value (hard value only)"),
            )
        )
        section.tables.append(
            Table(
                columns=[
                    Column(_("Assumption")),
                    Column(_("Hard or soft")),
                    Column(_("Metric")),
                    Column(_("Value per unit"), MONEY),
                    Column(_("Owner")),
                    Column(_("Source")),
                    Column(_("Dated"), DATE),
                ],
                rows=[
                    [
                        a.name,
                        a.get_hardness_display(),
                        metric_name(index, a.metric_key),
                        a.unit_value,
                        str(a.owner) if a.owner else "—",
                        a.source,
                        a.as_of,
                    ]
                    for a in dict.fromkeys(used)
                ],
                caption=_("The assumptions used"),
            )
        )
        section.tables.append(
            Table(
                columns=[Column(_("Figure")), Column(_("Amount"), MONEY)],
                rows=[
                    [_("Expected hard value"), expected],
                    [_("Cost with contingency"), cost],
                ],
                footer=[
                    [
                        _("Return on investment"),
                        _percent(rate),
                    ]
                ],
                caption=_("Return on investment over %(first)s–%(last)s")
                % {"first": ctx.case.first_year, "last": ctx.case.last_year},
            )
        )
        section.charts.append(
            Chart(
                key="return",
                title=_("Expected value and cost per year"),
                kind="clustered_column",
                categories=[str(y) for y in ctx.years],
                series=[
                    Series(_("Expected hard value"), [per_year[y] for y in ctx.years]),
                    Series(
                        _("Cost with contingency"),
                        [budget.get(f"cost_with_contingency_{y}") or ZERO for y in ctx.years],
                    ),
                ],
                unit=ctx.currency,
            )
        )
        if not cost:
            section.paragraphs.append(
                _("There is no budget for these years yet, so the return cannot be computed.")
            )
    else:
        section.empty = True
        section.paragraphs.append(
            _(
                "No KPI with a target has a hard value assumption yet, so no return is "
                "expected in money. Add value assumptions (value per lead, cost saved per "
                "case…) under Budget & ROI."
            )
        )
    if soft_rows:
        section.paragraphs.append(
            _(
                "Soft value, not counted in the return (Barcelona Principles): %(value)s over "
                "the case, from %(names)s."
            )
            % {
                "value": ctx.m(soft_total),
                "names": ", ".join(sorted({str(r[1]) for r in soft_rows})),
            }
        )
    section.notes = _(
        "Expected hard value %(value)s against a cost with contingency of %(cost)s: a return of "
        "%(roi)s. Every assumption has an owner, a source and a date. Soft value is shown apart "
        "and never counted. The rule: the improvement from baseline to target in a year × the "
        "value of one unit, counted from the year the target is due."
    ) % {
        "value": ctx.m(expected),
        "cost": ctx.m(cost),
        "roi": _percent(rate),
    }
    return Built(section, figures)


# --- Reallocation ---------------------------------------------------------------------------


def _reallocation(ctx: Context) -> Built:
    ws = ctx.case.workspace
    items = [a for a in review_selectors.in_business_case(ws) if a.kind != ActivityKind.SOCIAL]
    moved = sum((a.move_to_social for a in items), ZERO)
    freed = sum(
        (
            a.cost if a.proposal == Proposal.STOP else a.move_to_social
            for a in items
            if a.proposal in (Proposal.STOP, Proposal.REDUCE)
        ),
        ZERO,
    )
    section = Section(key="reallocation", heading=_("Reallocating current activities"))
    figures: dict[str, Decimal | None] = {"moved_to_social": moved, "budget_freed": freed}
    if not items:
        section.empty = True
        section.paragraphs.append(
            _(
                "No reviewed activity has been taken into the business case yet: review the "
                "current communication activities under Budget & ROI."
            )
        )
        section.notes = section.paragraphs[0]
        return Built(section, figures)
    section.paragraphs.append(
        _(
            "We reviewed the communication activities we pay for today, ranked by cost per "
            "result. We propose to replace those that do not produce results with social, and "
            "to move their budget:"
        )
    )
    section.tables.append(
        Table(
            columns=[
                Column(_("Activity")),
                Column(_("Year")),
                Column(_("Cost a year"), MONEY),
                Column(_("Results")),
                Column(_("Cost per result"), MONEY),
                Column(_("Decision")),
                Column(_("Moved to social"), MONEY),
            ],
            rows=[
                [
                    a.name,
                    str(a.year),
                    a.cost,
                    f"{_num(a.results)} {a.result_unit}",
                    _cents(cost_per_result(a.cost, a.results)),
                    a.get_proposal_display(),
                    a.move_to_social,
                ]
                for a in items
            ],
            footer=[[_("Total"), "", sum((a.cost for a in items), ZERO), "", "", "", moved]],
            caption=_("Activities to stop or reduce"),
        )
    )
    section.notes = _(
        "Budget is the sticking point, so part of it comes from what we already spend: "
        "%(moved)s a year moves from %(n)s activities whose results cost more than social's."
    ) % {"moved": ctx.m(moved), "n": len(items)}
    return Built(section, figures)

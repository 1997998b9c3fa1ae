"""Money in the operating rhythm: every committee meeting's agenda pack gets a section "Budget
and return" — the year's burn (spent against planned, beside the share of the year gone) and
the last complete quarter's return (hard value against cost, ROI; soft value named, never
counted).
Registered with ``converge.governance.selectors.register_section`` when the app is ready.

Entry keys are stable, so a chair's reordering and hiding survive rebuilds:
``budget:<year>`` and ``roi:<year>-Q<n>``. A workspace without a budget for the year gets no
section at all."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from converge.finance.budget.figures import add_up
from converge.finance.budget.selectors import category_totals
from converge.finance.money import money
from converge.governance.selectors import Entry, PackContext

SECTION = "budget"
LABEL = gettext_lazy("Budget and return")


def _percent(ratio: Decimal | None) -> str:
    if ratio is None:
        return "—"
    return f"{(ratio * 100).quantize(Decimal(1), ROUND_HALF_UP)} %"


def budget_and_return(ctx: PackContext) -> list[Entry]:
    from converge.finance.value.selectors import last_quarter, roi_report

    workspace = ctx.meeting.workspace
    currency = workspace.currency
    day = ctx.as_of
    year_totals = add_up(category_totals(workspace, day.year).values())
    if not year_totals.planned and not year_totals.actual:
        return []
    elapsed = Decimal((day - date(day.year, 1, 1)).days + 1) / Decimal(
        (date(day.year + 1, 1, 1) - date(day.year, 1, 1)).days
    )
    entries = [
        Entry(
            key=f"budget:{day.year}",
            section=SECTION,
            title=_("Budget %(year)d: %(actual)s spent of %(planned)s planned (%(burn)s)")
            % {
                "year": day.year,
                "actual": money(year_totals.actual, currency),
                "planned": money(year_totals.planned, currency),
                "burn": _percent(year_totals.burn),
            },
            detail=_("%(elapsed)s of the year has gone by %(day)s.")
            % {"elapsed": _percent(elapsed), "day": day.isoformat()},
        )
    ]
    # The last complete quarter: a quarter under way would count value whose cost is not
    # booked yet (spend is booked at month end).
    _label, last = last_quarter(day)
    year, quarter = last.start.year, (last.start.month - 1) // 3 + 1
    report = roi_report(workspace, last.start, last.end)
    if report.total_cost:
        entries.append(
            Entry(
                key=f"roi:{year}-Q{quarter}",
                section=SECTION,
                title=_(
                    "Return in Q%(quarter)d %(year)d: %(value)s hard value on %(cost)s cost, "
                    "ROI %(roi)s"
                )
                % {
                    "quarter": quarter,
                    "year": year,
                    "value": money(report.hard_value, currency),
                    "cost": money(report.total_cost, currency),
                    "roi": _percent(report.roi),
                },
                detail=_(
                    "Soft value %(soft)s (earned media value and the like) is shown apart and "
                    "never counted as return."
                )
                % {"soft": money(report.soft_value, currency)},
            )
        )
    return entries

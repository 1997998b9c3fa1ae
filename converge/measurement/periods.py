"""The period a page shows and the one it compares it with, from the query string — shared
by the explorer, the dashboards and a KPI's page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils import timezone

from converge.measurement.forms import PeriodForm
from converge.measurement.selectors import Period


@dataclass(frozen=True)
class Periods:
    form: PeriodForm
    current: Period
    previous: Period
    chosen_vs: bool  # the comparison period was given, not the one just before

    def query(self, *, current: bool = True, vs: bool = False, channel: str = "") -> str:
        """The query string of a drill-down: the current or the previous period, with the
        other one to compare with (``vs``), for one channel or every one."""
        period = self.current if current else self.previous
        params = {"from": period.start.isoformat(), "to": period.end.isoformat()}
        if vs:
            params |= {
                "vs_from": self.previous.start.isoformat(),
                "vs_to": self.previous.end.isoformat(),
            }
        if channel:
            params["channel"] = channel
        return urlencode(params)

    @property
    def own_query(self) -> str:
        """The explorer's own query string (for its downloads)."""
        params = {"from": self.current.start.isoformat(), "to": self.current.end.isoformat()}
        if self.chosen_vs:
            params |= {
                "vs_from": self.previous.start.isoformat(),
                "vs_to": self.previous.end.isoformat(),
            }
        return urlencode(params)


def last_year(today: date) -> Period:
    """The dashboards' default period: the last 365 days, today included."""
    return Period(today - timedelta(days=364), today)


def periods_from(request: HttpRequest, default: Period | None = None) -> Periods:
    """The period from ``from``/``to`` (by default ``default``, else the last 30 days) and the
    one to compare it with (``vs_from``/``vs_to``, by default the same length just before).
    Bad dates show next to their field; the defaults stand in meanwhile."""
    form = PeriodForm(request.GET)
    today = timezone.localdate()
    data = form.cleaned_data if form.is_valid() else {}
    start, end = data.get("from"), data.get("to")
    if default is not None and start is None and end is None:
        start, end = default.start, default.end
    if end is None:
        end = start + timedelta(days=29) if start and start > today else today
    start = start or end - timedelta(days=29)
    current = Period(start, end)
    vs_from, vs_to = data.get("vs_from"), data.get("vs_to")
    if vs_from and vs_to:
        return Periods(form, current, Period(vs_from, vs_to), True)
    return Periods(form, current, current.previous(), False)


def period_form_shown(periods: Periods) -> PeriodForm:
    """The form as sent when it has errors; otherwise showing the periods in use."""
    if periods.form.errors:
        return periods.form
    initial = {"from": periods.current.start, "to": periods.current.end}
    if periods.chosen_vs:
        initial |= {"vs_from": periods.previous.start, "vs_to": periods.previous.end}
    return PeriodForm(initial=initial)

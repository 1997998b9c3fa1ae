"""Plain words for each alignment gap, and where to fix it."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from converge.strategy.rules import Gap
from converge.strategy.services import KPI_PROBLEM_TEXT


def describe_gap(gap: Gap) -> str:
    label = gap.label
    if gap.rule == "goal_without_objective":
        return _("Business goal “%(label)s” has no social objective.") % {"label": label}
    if gap.rule == "objective_without_kpi":
        return _("Objective “%(label)s” has no KPI.") % {"label": label}
    if gap.rule == "kpi_incomplete":
        problems = " ".join(str(KPI_PROBLEM_TEXT[p]) for p in gap.detail)
        return _("KPI “%(label)s”: %(problems)s") % {"label": label, "problems": problems}
    if gap.rule == "department_not_served":
        return _("No objective serves the department %(label)s.") % {"label": label}
    if gap.rule == "audience_without_evidence":
        return _("Audience “%(label)s” has no evidence of which platforms it uses.") % {
            "label": label
        }
    if gap.rule == "audience_without_message":
        return _("No message reaches the audience “%(label)s”.") % {"label": label}
    if gap.rule == "initiative_without_goal":
        return _("Initiative “%(label)s” is linked to no goal or objective.") % {"label": label}
    if gap.rule == "objective_not_reviewed":
        return _("Objective “%(label)s” has not been reviewed within its cadence.") % {
            "label": label
        }
    if gap.rule == "roadmap_short":
        horizon = gap.detail[0] if gap.detail else ""
        if not label:
            return _(
                "The roadmap is empty; it should reach at least three years ahead (%(horizon)s)."
            ) % {"horizon": horizon}
        return _(
            "The roadmap ends on %(end)s; it should reach at least three years ahead (%(horizon)s)."
        ) % {
            "end": label,
            "horizon": horizon,
        }
    return gap.rule


def fix_url(slug: str, gap: Gap) -> str:
    """The page where the gap is fixed."""
    if gap.rule == "goal_without_objective":
        return reverse("strategy_objective_new", args=[slug]) + f"?goal={gap.ref}"
    if gap.rule == "objective_without_kpi":
        return reverse("strategy_kpi_new", args=[slug]) + f"?objective={gap.ref}"
    if gap.rule == "objective_not_reviewed":
        return reverse("strategy_objective", args=[slug, gap.ref]) + "#review"
    if gap.rule == "kpi_incomplete":
        return reverse("strategy_kpi_edit", args=[slug, gap.ref])
    if gap.rule == "department_not_served":
        return reverse("strategy_objective_new", args=[slug])
    if gap.rule == "audience_without_evidence":
        return reverse("strategy_presence_add", args=[slug, gap.ref])
    if gap.rule == "audience_without_message":
        return reverse("strategy_message_new", args=[slug])
    if gap.rule == "initiative_without_goal":
        return reverse("strategy_initiative_edit", args=[slug, gap.ref])
    return reverse("strategy_initiative_new", args=[slug])

"""Strategy on a page: one printable document (HTML and PDF) built as plain data first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import vl_convert
from django.utils import timezone

from converge.core.models import Workspace
from converge.strategy import charts, selectors
from converge.strategy.models import Audience, BusinessGoal, Initiative, SocialObjective, Vision


@dataclass(frozen=True)
class GoalBlock:
    goal: BusinessGoal
    objectives: list[SocialObjective]


@dataclass(frozen=True)
class OnePage:
    workspace: Workspace
    day: date
    vision: Vision | None
    goals: list[GoalBlock]
    audiences: list[Audience]
    initiatives: list[Initiative]
    roadmap_svg: str
    score: Any
    gap_count: int


def build(workspace: Workspace) -> OnePage:
    today = timezone.localdate()
    objectives = list(selectors.objectives(workspace))
    goals = [
        GoalBlock(goal=g, objectives=[o for o in objectives if g in o.goals.all()])
        for g in selectors.goals(workspace)
    ]
    initiatives = list(selectors.initiatives(workspace))
    svg = ""
    if initiatives:
        spec = charts.roadmap_spec(initiatives, today)
        spec["width"] = 330
        spec["height"] = {"step": 11}
        # Room for the labels: the PDF renderer's font runs wider than the one Vega measures with.
        spec["padding"] = {"left": 45, "top": 5, "right": 30, "bottom": 5}
        spec["config"] = {
            "axis": {"labelFontSize": 7, "labelLimit": 150},
            "legend": {"orient": "bottom", "labelFontSize": 7, "titleFontSize": 7},
            "text": {"fontSize": 7},
        }
        svg = vl_convert.vegalite_to_svg(spec)
    report = selectors.alignment_report(workspace, today)
    return OnePage(
        workspace=workspace,
        day=today,
        vision=selectors.vision(workspace),
        goals=goals,
        audiences=list(selectors.audiences(workspace)),
        initiatives=initiatives,
        roadmap_svg=svg,
        score=report.score,
        gap_count=len(report.gaps),
    )

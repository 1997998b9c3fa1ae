"""The demo's KPIs read the generated figures as the generator meant, and their statuses tell
the story: most on track, some at risk, engagement rate by reach off track."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import time_machine
from django.core.management import call_command

from converge.measurement import selectors
from converge.measurement.models import Annotation
from converge.strategy.models import Kpi


def test_the_demo_kpis_statuses_tell_the_story(db: None, tmp_path: Path) -> None:
    with time_machine.travel(date(2026, 11, 28)):
        call_command("converge_demo", force=True)
        kpis = list(Kpi.objects.filter(workspace__slug="nordvik"))
        workspace = kpis[0].workspace
        found = selectors.kpi_progress(workspace, kpis, date(2026, 11, 28))
    by_metric = {k.metric_key: found[k.pk] for k in kpis}
    status = {key: f.progress.status for key, f in by_metric.items()}
    assert status["engagement_rate_reach"] == "off_track"
    assert [k for k, s in status.items() if s == "off_track"] == ["engagement_rate_reach"]
    assert {"median_first_response_time", "net_sentiment", "engagement_rate_impressions"} <= {
        k for k, s in status.items() if s == "at_risk"
    }
    assert status["response_rate"] == status["followers"] == "on_track"
    assert status["share_of_voice"] == "no_target"
    linkedin = Kpi.objects.get(workspace=workspace, metric_key="engagement_rate_impressions")
    assert [c.handle for c in linkedin.channels.all()] == ["Nordvik Outdoor AB"]
    assert (by_metric["followers"].window, by_metric["net_follower_growth"].window) == (
        "week",
        "month",
    )
    # KPIs outside the catalogue keep their manual values (none in the demo): no data.
    assert status["cost_per_case"] == "no_data"
    kinds = set(Annotation.objects.filter(workspace=workspace).values_list("kind", flat=True))
    assert {"campaign", "crisis"} <= kinds

"""The dashboard tables through the API: the KPI dashboard (by business goal, a department's
share, a period against the one before) and a channel's dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal as D

import time_machine

from converge.measurement import selectors
from tests.api.test_metric_explorer_api import api
from tests.conftest import World
from tests.measurement.test_kpi_progress import AS_OF, channels, kpi, objective, put

URL = "/api/v1/workspaces/acme/measurement"


def test_the_kpi_dashboard_lists_each_kpi_under_its_goal_with_the_value_before(
    world: World,
) -> None:
    insta, _linked = channels(world)
    for i in range(150):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), str(1 + i // 30))
    clicks = kpi(world, objective(world), "Clicks", "link_clicks")
    with time_machine.travel(date(2026, 3, 31)):
        body = api(world).get(f"{URL}/dashboard?start=2026-03-02&end=2026-03-31").json()
        theirs = api(world).get(f"{URL}/dashboard?department={world.department.slug}").json()
        missing = api(world).get(f"{URL}/dashboard?department=nobody")
        bad = api(world).get(f"{URL}/dashboard?start=2026-03-31&end=2026-03-01")
    now = selectors.kpi_progress(world.workspace, [clicks], AS_OF)[clicks.pk].progress
    then = selectors.kpi_progress(world.workspace, [clicks], date(2026, 3, 1))[clicks.pk].progress
    assert body["previous_period"] == {"start": "2026-01-31", "end": "2026-03-01"}
    [group] = body["groups"]
    assert group["title"] == "Grow online revenue"
    [row] = group["kpis"]
    assert row["kpi"] == str(clicks.uuid) and row["status"] == now.status
    assert now.current is not None and then.current is not None
    assert D(row["value"]) == now.current and D(row["value_before"]) == then.current
    assert D(row["change"]) == now.current - then.current
    assert row["rows_url"].startswith("/w/acme/measurement/metrics/link_clicks/rows/?from=")
    assert theirs["department"] == world.department.slug and theirs["groups"]
    assert missing.status_code == 404
    assert bad.status_code == 422 and bad.json()["details"]["field"] == "end"


def test_a_channels_dashboard_through_the_api(world: World) -> None:
    insta, _linked = channels(world)
    for i in range(60):
        put(world, "link_clicks", insta, AS_OF - timedelta(days=i), "2" if i < 30 else "1")
    with time_machine.travel(date(2026, 3, 31)):
        body = (
            api(world)
            .get(f"{URL}/channels/{insta.uuid}/dashboard?start=2026-03-02&end=2026-03-31")
            .json()
        )
    assert body["label"] == str(insta)
    assert [(m["key"], m["value"], m["value_before"], m["change"]) for m in body["metrics"]] == [
        ("link_clicks", "60", "30", "30")
    ]


def test_an_outsider_gets_404_for_the_dashboards(world: World) -> None:
    from django.test import Client

    from converge.core import services as core_services

    insta, _linked = channels(world)
    secret = core_services.api_token_create(
        actor=world.outsider, workspace=world.other_workspace, name="t"
    ).secret
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get(f"{URL}/dashboard").status_code == 404
    assert client.get(f"{URL}/channels/{insta.uuid}/dashboard").status_code == 404

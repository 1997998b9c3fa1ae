"""The API of the metric explorer: a metric's value over a period, why it changed (the parts
adding up exactly), and the rows behind the figure with their totals and the formula."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.test import Client

from converge.core import services as core_services
from converge.measurement import services
from converge.measurement.models import Channel, Observation
from tests.conftest import World

URL = "/api/v1/workspaces/acme/measurement/metrics"
PERIOD = "start=2026-03-01&end=2026-03-31"


def api(world: World) -> Client:
    secret = core_services.api_token_create(
        actor=world.member, workspace=world.workspace, name="t"
    ).secret
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def figures(world: World) -> tuple[Channel, Channel]:
    """February (28 days) and March (31 days) on two channels; a ratio's parts by hand:
    Instagram reach 1,000 a day, engagements 40 a day in February and 20 in March;
    LinkedIn reach 100 a day, engagements 5 a day throughout."""
    ig = Channel.objects.create(workspace=world.workspace, platform="instagram", handle="@acme")
    li = Channel.objects.create(workspace=world.workspace, platform="linkedin", handle="Acme")
    rows = []
    day = date(2026, 2, 1)
    while day <= date(2026, 3, 31):
        march = day.month == 3
        for channel, metric, value in (
            (ig, "reach", 1000),
            (ig, "engagements", 20 if march else 40),
            (li, "reach", 100),
            (li, "engagements", 5),
        ):
            rows.append(
                Observation(
                    workspace=world.workspace, channel=channel, metric=metric, day=day, value=value
                )
            )
        day += timedelta(days=1)
    Observation.objects.bulk_create(rows)
    services.daily_totals_refresh(workspace=world.workspace)
    return ig, li


def test_a_metrics_value_is_the_ratio_of_the_sums_over_the_period(world: World) -> None:
    figures(world)
    # The previous 31 days: 31 January (no figures) and all of February.
    body = api(world).get(f"{URL}/engagement_rate_reach/value?{PERIOD}").json()
    assert body["period"] == {"start": "2026-03-01", "end": "2026-03-31"}
    assert body["previous_period"] == {"start": "2026-01-29", "end": "2026-02-28"}
    # March: (620 + 155) ÷ (31,000 + 3,100) × 100 = 2.272727…; February: (1,120 + 140) ÷
    # (28,000 + 2,800) × 100 = 4.090909…
    assert body["value"] == "2.272727"
    assert body["previous_value"] == "4.090909"
    assert body["change"] == "-1.818182"
    assert body["formula"] == (
        "Σ engagements ÷ Σ reach × 100 over 2026-03-01…2026-03-31; "
        "channels: Instagram @acme, LinkedIn Acme."
    )
    assert [(c["label"], c["before"], c["after"]) for c in body["channels"]] == [
        ("Instagram @acme", "4", "2"),
        ("LinkedIn Acme", "5", "5"),
    ]


def test_the_why_splits_the_change_into_parts_that_add_up_exactly(world: World) -> None:
    figures(world)
    body = api(world).get(f"{URL}/engagement_rate_reach/why?{PERIOD}").json()
    assert body["method"] == "rate_and_mix"
    parts = [Decimal(c["rate_effect"]) + Decimal(c["mix_effect"]) for c in body["channels"]]
    assert sum(parts) == Decimal(body["change"]) == Decimal("-1.818182")
    # The weights stay (10/11 and 1/11): no mix; Instagram's rate fell 2 points: −2 × 10/11.
    ig = body["channels"][0]
    assert (ig["label"], ig["rate_effect"], ig["mix_effect"]) == (
        "Instagram @acme",
        "-1.818182",
        "0.000000",
    )
    assert ig["share"] == "100"
    assert body["explanation"] == (
        "Engagement rate by reach fell by 1.82 points, from 4.09% to 2.27%. 100% of the fall "
        "came from Instagram @acme, where the rate itself went from 4.00% to 2.00%."
    )
    swedish = api(world).get(f"{URL}/engagement_rate_reach/why?{PERIOD}", HTTP_ACCEPT_LANGUAGE="sv")
    assert swedish.json()["explanation"].startswith("Engagemangsgrad per räckvidd föll med 1,82")


def test_the_rows_behind_a_figure_add_up_to_it(world: World) -> None:
    ig, _li = figures(world)
    body = api(world).get(f"{URL}/engagement_rate_reach/rows?{PERIOD}&channel={ig.uuid}").json()
    assert body["count"] == len(body["rows"]) == 62
    assert body["totals"] == {
        "engagements": {"total": "620", "rows": 31},
        "reach": {"total": "31000", "rows": 31},
    }
    assert body["figure"] == "2"
    summed: dict[str, Decimal] = {}
    for row in body["rows"]:
        summed[row["metric"]] = summed.get(row["metric"], Decimal(0)) + Decimal(row["value"])
        assert row["file_name"] is None and row["channel"] == str(ig.uuid)
    assert summed == {"engagements": Decimal(620), "reach": Decimal(31000)}


def test_bad_periods_unknown_metrics_and_other_workspaces_channels_are_refused(
    world: World,
) -> None:
    client = api(world)
    bad = client.get(f"{URL}/reach/value?start=2026-03-31&end=2026-03-01")
    assert bad.status_code == 422
    assert bad.json() == {
        "message": "The end comes before the start.",
        "details": {"field": "end"},
    }
    half = client.get(f"{URL}/reach/why?{PERIOD}&vs_start=2025-03-01")
    assert half.status_code == 422 and half.json()["details"] == {"field": "vs_end"}
    assert client.get(f"{URL}/happiness/value").status_code == 404
    other = Channel.objects.create(workspace=world.other_workspace, platform="x", handle="@r")
    assert client.get(f"{URL}/reach/rows?channel={other.uuid}").status_code == 422

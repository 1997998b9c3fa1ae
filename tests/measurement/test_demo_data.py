"""The demo's three years of figures: deterministic, complete, idempotent, consistent with the
demo's KPIs, with the story (one KPI clearly off track, and why) visible in the data."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Min, Sum

from converge.measurement import demo
from converge.measurement.catalogue import BY_KEY
from converge.measurement.demo_data import generate, shoppable_switch
from converge.measurement.models import Channel, Import, Observation, Post
from converge.strategy.models import Kpi
from tests.conftest import SHARED, World

END = date(2026, 11, 28)


@pytest.fixture
def channels(world: World) -> dict[str, Channel]:
    return {
        spec[0]: demo._ensure_channel(world.workspace, world.lead, {}, spec)
        for spec in demo.CHANNELS
    }


def test_the_same_end_date_gives_the_same_figures() -> None:
    first, second = generate(END), generate(END)
    assert first.series == second.series
    assert generate(END - timedelta(days=1)).series != first.series


def test_no_ratio_metric_is_stored_as_a_daily_number() -> None:
    data = generate(END)
    stored = {metric for _platform, metric in data.series}
    assert stored <= set(BY_KEY)
    assert not [m for m in stored if BY_KEY[m].aggregation == "ratio"]
    # …but every ratio a demo KPI uses can be computed from stored sums.
    for ratio in ("engagement_rate_reach", "response_rate", "net_sentiment", "share_of_voice"):
        assert {BY_KEY[ratio].numerator, BY_KEY[ratio].denominator} <= stored


def test_three_years_are_covered_for_every_channel(
    world: World, channels: dict[str, Channel]
) -> None:
    added = demo.write_figures(world.workspace, channels, END)
    assert added == Observation.objects.count() > 90_000
    start = date(2023, 11, 29)
    for channel in channels.values():
        span = Observation.objects.filter(channel=channel).aggregate(
            first=Min("day"), last=Max("day"), days=Count("day", distinct=True)
        )
        assert span == {"first": start, "last": END, "days": (END - start).days + 1}, channel
        metrics = set(Observation.objects.filter(channel=channel).values_list("metric", flat=True))
        assert {"impressions", "reach", "engagements", "likes", "followers"} <= metrics
        assert not Observation.objects.filter(channel=channel, metric="followers", value__lt=0)


def test_writing_the_figures_again_changes_nothing_and_a_new_day_adds_one_day(
    world: World, channels: dict[str, Channel]
) -> None:
    demo.write_figures(world.workspace, channels, END)
    before = Observation.objects.aggregate(n=Count("id"), total=Sum("value"))
    assert demo.write_figures(world.workspace, channels, END) == 0
    assert Observation.objects.aggregate(n=Count("id"), total=Sum("value")) == before
    next_day = END + timedelta(days=1)
    added = demo.write_figures(world.workspace, channels, next_day)
    assert added == Observation.objects.filter(day=next_day).count() > 0
    assert Observation.objects.count() == before["n"] + added


def test_instagram_engagement_per_person_reached_fell_after_the_switch(
    world: World, channels: dict[str, Channel]
) -> None:
    demo.write_figures(world.workspace, channels, END)
    switch = shoppable_switch(END)

    def rate(metric: str, first: date, last: date) -> float:
        rows = Observation.objects.filter(
            channel=channels["instagram"], day__gte=first, day__lte=last
        )
        eng = rows.filter(metric=metric).aggregate(s=Sum("value"))["s"]
        reach = rows.filter(metric="reach").aggregate(s=Sum("value"))["s"]
        return float(eng / reach)

    before, after = (
        (switch - timedelta(days=90), switch - timedelta(days=1)),
        (
            switch,
            switch + timedelta(days=89),
        ),
    )
    assert rate("engagements", *after) < 0.75 * rate("engagements", *before)
    assert rate("likes", *after) < 0.55 * rate("likes", *before)
    assert rate("link_clicks", *after) > 1.5 * rate("link_clicks", *before)


def _base_year(kpi: Kpi) -> dict[str, object]:
    assert kpi.baseline_date is not None
    return {"day__year": kpi.baseline_date.year, "workspace": kpi.workspace}


def _total(metric: str, **where: object) -> Decimal:
    return Observation.objects.filter(metric=metric, **where).aggregate(s=Sum("value"))["s"]


def test_the_demo_figures_agree_with_the_demo_kpis_baselines(db: None) -> None:
    call_command("converge_demo", force=True)
    kpis = {k.metric_key: k for k in Kpi.objects.filter(workspace__slug="nordvik")}

    def close(metric: str, value: Decimal, tolerance: float = 0.005) -> None:
        baseline = float(kpis[metric].baseline_value or 0)
        assert abs(float(value) - baseline) <= tolerance * baseline, (metric, value, baseline)

    year = _base_year(kpis["attributed_revenue"])
    generated = {"source_import__isnull": True}
    for metric in ("attributed_revenue", "conversions", "link_clicks", "leads"):
        close(metric, _total(metric, **year, **generated))
    close(
        "engagement_rate_reach",
        100 * _total("engagements", **year, **generated) / _total("reach", **year, **generated),
    )
    linkedin = {**year, "channel__platform": "linkedin", "channel__handle": "Nordvik Outdoor AB"}
    close(
        "engagement_rate_impressions",
        100 * _total("engagements", **linkedin) / _total("impressions", **linkedin),
    )
    close(
        "response_rate",
        100 * _total("responses", **year) / _total("inbound_messages", **year),
    )
    close(
        "net_sentiment",
        100 * _total("sentiment_balance", **year) / _total("sentiment_total", **year),
    )
    close("net_follower_growth", _total("net_follower_growth", **year, **generated) / 12)
    close("video_views", _total("video_views", **year, channel__platform="youtube"))
    assert kpis["followers"].baseline_date is not None
    close(
        "followers",
        _total("followers", day=kpis["followers"].baseline_date, **generated),
        tolerance=0,
    )
    days = Observation.objects.filter(metric="median_first_response_time", **year)
    close("median_first_response_time", _total("median_first_response_time", **year) / days.count())


@pytest.mark.skipif(not (SHARED / "data").is_dir(), reason="../shared/data is not here")
def test_the_demo_imports_real_sample_files_once(db: None) -> None:
    call_command("converge_demo", force=True)
    imports = Import.objects.filter(workspace__slug="nordvik", status="committed")
    names = set(imports.values_list("file_name", flat=True))
    assert {
        "tweet_activity_metrics_LisaDeBruine_20211201_20220101_en.csv",
        "Feb-01-2025_Mar-15-2025_613168031534769.csv",
        "pro-efficient-data-entry_content_1742193384396.xlsx",
    } <= names
    x_posts = Post.objects.filter(channel__handle="@nordvik", source_import__isnull=False)
    assert x_posts.count() == 119 + 173
    posts_before = Post.objects.count()
    call_command("converge_demo", force=True)
    assert Import.objects.filter(workspace__slug="nordvik").count() == len(names)
    assert Post.objects.count() == posts_before


def test_the_demo_runs_without_the_sample_files(
    world: World, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="converge.measurement.demo"):
        count = demo.import_samples(world.workspace, world.lead, {}, tmp_path / "absent")
    assert count == 0 and not Import.objects.exists()
    assert "sample imports are skipped" in caplog.text

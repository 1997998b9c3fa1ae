"""Dashboard benchmark: the KPI dashboard (every KPI grouped by business goal, with status and
sparkline) and a KPI's page (progress, chart with history and projections, annotations) on a
workspace with ``--years`` years × ``--channels`` channels × 30 stored metrics of daily figures
(3 × 50 × 30 ≈ 1.6 M observations) and ``--posts`` posts, on top of the demo workspace (its
goals, objectives, departments, KPIs and its own figures).

For each page: the server time through Django's test client (session, sign-in, policy, the
selectors, the maths and the template), median and p95, against, in the same run,

* **bare SQL**: the same aggregate queries the page sends to the database for its figures,
  replayed through a raw cursor (captured with ``connection.execute_wrapper`` during a warm-up
  request), i.e. the floor for computing these figures in SQL, and
* **raw aggregate**: the same figures' GROUP BY over the observations themselves, one query per
  KPI, as someone would write it by hand without Converge's daily totals.

SQLite by default; PostgreSQL when ``DATABASE_URL`` is set (that database is dropped and
created again).

    python bench/dashboards.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/converge_bench python bench/dashboards.py
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.imports import fresh_database, remove_scratch  # noqa: E402
from bench.run import measure, measure_in_turns, summary  # noqa: E402

# Thirty stored metrics: every component the catalogue's ratios are made of, and more.
METRICS = [
    "impressions",
    "reach",
    "engagements",
    "followers",
    "net_follower_growth",
    "new_followers",
    "link_clicks",
    "video_views",
    "comments",
    "shares",
    "likes",
    "posts",
    "mentions",
    "competitor_mentions",
    "all_mentions",
    "positive_mentions",
    "negative_mentions",
    "sentiment_balance",
    "sentiment_total",
    "inbound_messages",
    "responses",
    "median_first_response_time",
    "leads",
    "conversions",
    "attributed_revenue",
    "cost_savings",
    "spend",
    "results",
    "profile_visits",
    "saves",
]
PLATFORMS = ("x", "facebook", "instagram", "linkedin", "youtube", "tiktok")


def observation_rows(
    workspace_id: int, channel_ids: list[int], start: date, days: int
) -> Iterator[tuple[Any, ...]]:
    rng = random.Random(7)
    for channel_id in channel_ids:
        scale = rng.uniform(0.2, 3.0)
        for metric_no, metric in enumerate(METRICS):
            base = (metric_no + 1) * 37 * scale
            followers = 5000 * scale
            for d in range(days):
                day = start + timedelta(days=d)
                if metric == "followers":
                    followers += rng.uniform(-3, 9)
                    value = float(round(followers))
                else:
                    value = round(base * (1 + 0.3 * rng.random()) * (1 + d / days / 2), 2)
                yield (workspace_id, channel_id, metric, day, Decimal(str(value)))


def post_rows(
    workspace_id: int, channel_ids: list[int], start: date, days: int, per_channel: int
) -> Iterator[tuple[Any, ...]]:
    from datetime import UTC, datetime

    rng = random.Random(11)
    first = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
    span = days * 86400
    for channel_id in channel_ids:
        for n in range(per_channel):
            published = first + timedelta(seconds=int(span * n / per_channel))
            metrics = {
                "impressions": rng.randint(100, 50000),
                "engagements": rng.randint(0, 3000),
                "likes": rng.randint(0, 2000),
                "link_clicks": rng.randint(0, 500),
            }
            yield (
                workspace_id,
                channel_id,
                f"b{channel_id}-{n}",
                published,
                f"Bench post {n} on channel {channel_id} #nordvik",
                "post",
                "",
                "",
                metrics,
                "",
            )


def load(table: str, columns: tuple[str, ...], rows: Iterator[tuple[Any, ...]]) -> int:
    """Bulk-load rows: COPY on PostgreSQL, multi-row INSERTs on SQLite (as the demo does)."""
    import json

    from django.db import connection, transaction

    quoted = connection.ops.quote_name(table)
    names = ", ".join(columns)
    count = 0
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(json.dumps(v) if isinstance(v, dict) else v for v in row))
                    count += 1
            return count
        batch: list[tuple[Any, ...]] = []
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quoted} ({names}) VALUES ({marks})"
        for row in rows:
            batch.append(
                tuple(
                    json.dumps(v)
                    if isinstance(v, dict)
                    else str(v)
                    if isinstance(v, Decimal | date)
                    else v
                    for v in row
                )
            )
            if len(batch) == 20000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--channels", type=int, default=50)
    parser.add_argument("--posts", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--explain", action="store_true", help="time each captured query")
    parser.add_argument("--profile", action="store_true", help="profile one request of each")
    parser.add_argument(
        "--only", choices=("overview", "kpi", "roi"), help="measure only this page (while tuning)"
    )
    args = parser.parse_args()

    atexit.register(remove_scratch)
    os.environ.update(fresh_database())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "converge.settings")
    # As in production: DEBUG off (no query log, cached templates), over plain HTTP here.
    os.environ.update(
        DEBUG="0",
        SECRET_KEY="bench-" + "x" * 50,
        ALLOWED_HOSTS="testserver",
        SECURE_COOKIES="0",
        CONVERGE_TASKS="immediate",
        LOG_LEVEL="WARNING",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from converge.core.demo import build_demo
    from converge.core.models import User
    from converge.finance.models import SpendEntry, ValueAssumption
    from converge.measurement import services as measurement_services
    from converge.measurement.models import Observation, Post
    from converge.measurement.progress import stored_keys, window_start
    from converge.measurement.selectors import history_start, kpi_window, metric_index
    from converge.strategy.models import Kpi

    started = time.perf_counter()
    call_command("collectstatic", interactive=False, verbosity=0)  # the hashed names
    call_command("migrate", verbosity=0)
    workspace = build_demo()
    lead = User.objects.get(email="lead@nordvik.example")
    channels = []
    for n in range(args.channels):
        platform = PLATFORMS[n % len(PLATFORMS)]
        channels.append(
            measurement_services.channel_save(
                actor=lead, workspace=workspace, platform=platform, handle=f"bench{n:02d}"
            )
        )
    ids = [c.pk for c in channels]
    end = timezone.localdate()
    days = 365 * args.years + 1
    start = end - timedelta(days=days - 1)
    observations = load(
        Observation._meta.db_table,
        ("workspace_id", "channel_id", "metric", "day", "value"),
        observation_rows(workspace.pk, ids, start, days),
    )
    posts = load(
        Post._meta.db_table,
        measurement_services.POST_COLUMNS[:10],  # all but the import and line
        post_rows(workspace.pk, ids, start, days, args.posts // max(1, args.channels)),
    )
    measurement_services.daily_totals_refresh(workspace=workspace)
    with connection.cursor() as cursor:
        # What autovacuum does soon after a bulk load: statistics, and on PostgreSQL the
        # visibility map that lets index-only scans skip the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    total_obs = Observation.objects.filter(workspace=workspace).count()
    kpis = list(Kpi.objects.filter(workspace=workspace, archived_at__isnull=True))
    setup_s = time.perf_counter() - started

    client = Client()
    client.force_login(lead, backend="django.contrib.auth.backends.ModelBackend")
    overview_url = f"/w/{workspace.slug}/measurement/dashboard/"
    kpi = next(k for k in kpis if k.metric_key == "link_clicks")
    kpi_url = f"/w/{workspace.slug}/strategy/kpis/{kpi.uuid}/"

    def page(url: str) -> Callable[[], object]:
        def get() -> object:
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            return response

        return get

    def captured(url: str) -> list[tuple[str, Any]]:
        """The page's queries that read figures (observations or daily totals)."""
        seen: list[tuple[str, Any]] = []

        def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if "measurement_observation" in sql or "measurement_dailytotal" in sql:
                seen.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            page(url)()
        return seen

    def replay(queries: list[tuple[str, Any]]) -> Callable[[], object]:
        def run() -> object:
            with connection.cursor() as cursor:
                for sql, params in queries:
                    cursor.execute(sql, params)
                    cursor.fetchall()
            return None

        return run

    def raw_aggregate(chosen: list[Kpi], compare: bool = False) -> Callable[[], object]:
        """The same figures straight from the observations, as one would write it by hand: per
        KPI, its metric's stored parts by day over the history the page shows (a year before
        the baseline, or two years when the window is a year) — summed over every channel, or
        over its chosen channels — one GROUP BY per KPI; with ``compare`` (a KPI's page), also
        its parts per channel in its window and in the window before (the "why")."""
        table = Observation._meta.db_table
        index = metric_index(workspace)
        plans = []
        for k in chosen:
            metric = index.get(k.metric_key)
            if metric is None:
                continue
            keys = sorted(stored_keys(metric, index))
            scope = sorted(k.channels.values_list("pk", flat=True))
            since = history_start(k, end, 1)
            window = kpi_window(k, metric)
            first = window_start(window, since)
            now_from = window_start(window, end)
            before_from = now_from - (end - now_from) - timedelta(days=1)
            plans.append((keys, scope, first, now_from, before_from))

        def run() -> object:
            with connection.cursor() as cursor:
                for keys, scope, first, now_from, before_from in plans:
                    marks = ", ".join(["%s"] * len(keys))
                    channel_sql = ""
                    params: list[Any] = [workspace.pk, *keys, first, end]
                    if scope:
                        channel_sql = f" AND channel_id IN ({', '.join(['%s'] * len(scope))})"
                        params += scope
                    cursor.execute(
                        f"SELECT metric, day, SUM(value), COUNT(*) FROM {table} "
                        f"WHERE workspace_id = %s AND metric IN ({marks}) "
                        f"AND day BETWEEN %s AND %s{channel_sql} "
                        "GROUP BY metric, day ORDER BY metric, day",
                        params,
                    )
                    cursor.fetchall()
                    if compare:
                        cursor.execute(
                            "SELECT channel_id, metric, "
                            "SUM(CASE WHEN day >= %s THEN value END), "
                            "SUM(CASE WHEN day < %s THEN value END) "
                            f"FROM {table} WHERE workspace_id = %s AND metric IN ({marks}) "
                            f"AND day BETWEEN %s AND %s{channel_sql} GROUP BY channel_id, metric",
                            [
                                now_from,
                                now_from,
                                workspace.pk,
                                *keys,
                                before_from,
                                end,
                                *params[len(keys) + 3 :],
                            ],
                        )
                        cursor.fetchall()
            return None

        return run

    roi_from = date(end.year, 1, 1)
    roi_url = f"/w/{workspace.slug}/budget/roi/?from={roi_from}&to={end}"

    def raw_roi() -> object:
        """The ROI page's figures by hand: for the period and the one before it, the valued
        metrics' units per channel and day, and the spend per line."""
        keys = sorted(
            ValueAssumption.objects.filter(workspace=workspace, archived_at__isnull=True)
            .values_list("metric_key", flat=True)
            .distinct()
        )
        days = (end - roi_from).days + 1
        before_to = roi_from - timedelta(days=1)
        before_from = before_to - timedelta(days=days - 1)
        marks = ", ".join(["%s"] * len(keys))
        with connection.cursor() as cursor:
            for first, last in ((roi_from, end), (before_from, before_to)):
                cursor.execute(
                    f"SELECT metric, channel_id, day, SUM(value) FROM {Observation._meta.db_table} "
                    f"WHERE workspace_id = %s AND metric IN ({marks}) AND day BETWEEN %s AND %s "
                    "GROUP BY metric, channel_id, day",
                    [workspace.pk, *keys, first, last],
                )
                cursor.fetchall()
                cursor.execute(
                    f"SELECT line_id, SUM(amount) FROM {SpendEntry._meta.db_table} "
                    "WHERE workspace_id = %s AND day BETWEEN %s AND %s GROUP BY line_id",
                    [workspace.pk, first, last],
                )
                cursor.fetchall()
        return None

    def captured_roi(url: str) -> list[tuple[str, Any]]:
        seen: list[tuple[str, Any]] = []

        def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            if "measurement_observation" in sql or "finance_spendentry" in sql:
                seen.append((sql, params))
            return execute(sql, params, many, context)

        with connection.execute_wrapper(wrapper):
            page(url)()
        return seen

    repeat = args.repeat
    results = []
    for short, name, url, chosen, compare in (
        ("overview", "KPI dashboard (overview)", overview_url, kpis, False),
        ("kpi", "KPI page", kpi_url, [kpi], True),
        ("roi", "ROI report (this year)", roi_url, [], False),
    ):
        if args.only and short != args.only:
            continue
        if args.explain:
            for sql, params in captured(url):
                took = summary(measure(replay([(sql, params)]), 3))[0]
                print(f"{took:8.1f} ms  {sql[:400]}")
        if args.profile:
            import cProfile
            import pstats

            page(url)()  # warm up first: the first request loads templates and fills caches
            profiler = cProfile.Profile()
            get = page(url)
            profiler.runcall(lambda: [get() for _ in range(10)])  # noqa: B023
            stats = pstats.Stats(profiler)
            stats.sort_stats("cumulative").print_stats(60)
            stats.sort_stats("tottime").print_stats(30)
        own = captured_roi(url) if url == roi_url else captured(url)
        baseline = raw_roi if url == roi_url else raw_aggregate(chosen, compare)
        # The page alone first (its server time as a user would see it), then the page, its
        # own SQL and the raw aggregate taking turns, so that their ratios compare the same
        # minutes of the machine (taking turns, the raw aggregate's reads also push the
        # page's rows out of the caches, so its p95 there is a worse case).
        alone = summary(measure(page(url), repeat))
        server, bare, raw = (
            summary(times) for times in measure_in_turns([page(url), replay(own), baseline], repeat)
        )
        results.append((name, alone, server, bare, raw))

    engine = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    print(
        f"# Dashboards on {engine}: {total_obs:,} observations ({observations:,} generated), "
        f"{posts:,} generated posts, {len(kpis)} KPIs; setup {setup_s:.0f} s, "
        f"{repeat} requests each"
    )
    print(
        "| database | page | median ms | p95 ms | taking turns: median ms | p95 ms "
        "| raw aggregate median ms | vs raw aggregate | page's own SQL median ms | vs own SQL |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, alone, server, bare, raw in results:
        print(
            f"| {engine} | {name} | {alone[0]:.1f} | {alone[1]:.1f} | {server[0]:.1f} "
            f"| {server[1]:.1f} | {raw[0]:.1f} | {server[0] / raw[0]:.2f}× | {bare[0]:.1f} "
            f"| {server[0] / bare[0]:.2f}× |"
        )


if __name__ == "__main__":
    main()

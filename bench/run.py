"""Benchmarks. Each scenario prints its figure and its ratio to a baseline measured in the
same run. Run by hand with `make bench`; CI runs `make bench-smoke` (few repetitions).

Scenarios (foundation):
- policy: `can(user, action, workspace)` against the bare SQL of the same membership + grant
  lookup.
- overview: the server time of a workspace's overview page (the policy, the capabilities panel
  and the departments table) against the bare SQL aggregate behind its table.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(fn: Callable[[], object], repeat: int) -> list[float]:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def measure_in_turns(fns: list[Callable[[], object]], repeat: int) -> list[list[float]]:
    """Time each of ``fns`` ``repeat`` times, taking turns (one call of each per round), so a
    ratio of two of them is not skewed by the machine getting slower or faster between a run
    of the one and a run of the other (on a shared two-core machine it does, by 20% and more
    within minutes)."""
    for fn in fns:
        fn()  # warm up
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for fn, taken in zip(fns, times, strict=True):
            started = time.perf_counter()
            fn()
            taken.append((time.perf_counter() - started) * 1000)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--smoke", action="store_true", help="few repetitions, for CI")
    args = parser.parse_args()
    repeat = 20 if args.smoke else 500

    if not os.environ.get("DATABASE_URL"):
        scratch = tempfile.mkdtemp(prefix="converge-bench-")
        atexit.register(shutil.rmtree, scratch, ignore_errors=True)
        os.environ["SQLITE_PATH"] = str(Path(scratch) / "bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "converge.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from converge.core.demo import build_demo
    from converge.core.models import User
    from converge.core.policy import can

    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    call_command("migrate", verbosity=0)
    workspace = build_demo()
    legal = User.objects.get(email="legal@nordvik.example")

    def bare_policy() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT m.role FROM core_membership m WHERE m.workspace_id = %s AND m.user_id = %s",
                [workspace.pk, legal.pk],
            )
            cursor.fetchone()
            cursor.execute(
                "SELECT g.capability FROM core_grant g JOIN core_department_members dm "
                "ON dm.department_id = g.department_id JOIN core_membership m "
                "ON m.id = dm.membership_id WHERE g.workspace_id = %s AND m.user_id = %s",
                [workspace.pk, legal.pk],
            )
            return cursor.fetchall()

    policy = summary(measure(lambda: can(legal, "view_dashboards", workspace), repeat))
    policy_sql = summary(measure(bare_policy, repeat))

    client = Client()
    client.force_login(legal, backend="django.contrib.auth.backends.ModelBackend")

    def overview() -> object:
        response = client.get("/w/nordvik/")
        assert response.status_code == 200
        return response

    def bare_overview() -> object:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT d.name, COUNT(DISTINCT dm.membership_id) FROM core_department d "
                "LEFT JOIN core_department_members dm ON dm.department_id = d.id "
                "WHERE d.workspace_id = %s GROUP BY d.id, d.name ORDER BY d.name",
                [workspace.pk],
            )
            return cursor.fetchall()

    page = summary(measure(overview, max(10, repeat // 5)))
    page_sql = summary(measure(bare_overview, repeat))

    engine = connection.vendor
    print(f"# Converge benchmarks ({engine}, {'smoke' if args.smoke else 'full'} run)")
    print("| scenario | median ms | p95 ms | baseline median ms | ratio (median) |")
    print("|---|---|---|---|---|")
    print(
        f"| policy `can()` | {policy[0]:.3f} | {policy[1]:.3f} | {policy_sql[0]:.3f} "
        f"| {policy[0] / policy_sql[0]:.1f}× |"
    )
    print(
        f"| overview page | {page[0]:.2f} | {page[1]:.2f} | {page_sql[0]:.3f} "
        f"| {page[0] / page_sql[0]:.1f}× |"
    )


if __name__ == "__main__":
    main()

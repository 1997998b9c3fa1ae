"""Background work of measurement: checking and committing big imports."""

from __future__ import annotations

from django_tasks import task

from converge.measurement import services


@task()
def check_import(record_id: int, channel_id: int | None) -> None:
    services.run_check(record_id, channel_id)


@task()
def commit_import(record_id: int, actor_id: int) -> None:
    services.run_commit(record_id, actor_id)

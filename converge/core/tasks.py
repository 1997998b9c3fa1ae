"""The embedded task backend: tasks run in a thread of the web process, after the transaction
that enqueued them commits. Nothing else has to run beside ``make run``. Production uses the
database backend and its worker (``CONVERGE_TASKS=db``); tests run tasks immediately."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from django.db import close_old_connections, connections, transaction
from django_tasks.backends.immediate import ImmediateBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.utils import get_random_id

logger = logging.getLogger(__name__)
T = TypeVar("T")

_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="converge-task")


class ThreadBackend(ImmediateBackend):
    """One worker thread, so two big imports do not compete for the same rows."""

    def _run(self, task_result: TaskResult[Any]) -> None:
        close_old_connections()
        try:
            self._execute_task(task_result)
        except Exception:  # pragma: no cover - _execute_task records the error itself
            logger.exception("task failed")
        finally:
            connections.close_all()

    def enqueue(self, task: Task[Any, T], args: Any, kwargs: Any) -> TaskResult[T]:
        self.validate_task(task)
        task_result: TaskResult[T] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        transaction.on_commit(lambda: _pool.submit(self._run, task_result))
        return task_result

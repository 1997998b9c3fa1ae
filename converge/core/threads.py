"""Two-stage pipelines for big imports: one helper thread works one item ahead of the caller.

Both are worth it only where the work on each side lets go of the GIL for most of its time
(pyarrow's parsing and compute kernels, SQLite's and libpq's own work): then the two stages
run on two cores. At most two items exist at once (the one the caller holds and the one being
made), so memory stays that of two batches."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
U = TypeVar("U")


def prepared_ahead(
    items: Iterator[tuple[T, int]], prepare: Callable[[T], U], name: str = "converge-prepare"
) -> Iterator[tuple[U, int]]:
    """``prepare`` each item (with its count) in a helper thread, one item ahead of the
    caller, who uses the one before meanwhile. The items are drawn in the caller's thread."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix=name) as helper:
        pending: tuple[Future[U], int] | None = None
        for item, count in items:
            following = helper.submit(prepare, item), count
            if pending is not None:
                yield pending[0].result(), pending[1]
            pending = following
        if pending is not None:
            yield pending[0].result(), pending[1]


def read_ahead(items: Iterator[T], name: str = "converge-read") -> Iterator[T]:
    """``items`` drawn in a helper thread, one ahead of the caller: while the caller works on
    one, the next is being read. What the reading raises, the caller gets at that item."""
    done: object = object()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix=name) as helper:
        pending: Future[T | object] = helper.submit(next, items, done)
        while True:
            item = pending.result()
            if item is done:
                return
            pending = helper.submit(next, items, done)
            yield item  # type: ignore[misc]

"""The import's two-stage pipelines: items come in order, each once, made in a helper thread;
what the reading raises reaches the caller at that item, after the items before it."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from converge.core.threads import prepared_ahead, read_ahead


def numbers(stop: int, fail_at: int | None = None) -> Iterator[tuple[int, str]]:
    for n in range(stop):
        if n == fail_at:
            raise ValueError(f"no {n}")
        yield n, threading.current_thread().name


def test_read_ahead_gives_every_item_in_order_read_by_a_helper_thread() -> None:
    got = list(read_ahead(numbers(50), "converge-test"))
    assert [n for n, _thread in got] == list(range(50))
    assert {thread for _n, thread in got} == {"converge-test_0"}


def test_what_the_reading_raises_reaches_the_caller_after_the_items_before_it() -> None:
    seen = []
    with pytest.raises(ValueError, match="no 3"):
        for n, _thread in read_ahead(numbers(10, fail_at=3)):
            seen.append(n)
    assert seen == [0, 1, 2]


def test_a_caller_that_stops_early_leaves_no_helper_running() -> None:
    for n, _thread in read_ahead(numbers(1000), "converge-early"):
        if n == 2:
            break
    assert not [t for t in threading.enumerate() if t.name.startswith("converge-early")]


def test_prepared_ahead_keeps_the_order_and_the_counts() -> None:
    items = ((n, n * 10) for n in range(20))
    got = list(prepared_ahead(items, lambda n: (n * n, threading.current_thread().name)))
    assert [(square, count) for (square, _thread), count in got] == [
        (n * n, n * 10) for n in range(20)
    ]
    assert all(thread.startswith("converge-prepare") for (_square, thread), _count in got)

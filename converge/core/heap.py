"""Keep Python's cyclic garbage collector off what lives as long as the process.

Every few dozen requests the collector makes a full pass over every object the process holds:
Django, the URL patterns, compiled templates, translations, the metric catalogue. On the
dashboard bench such a pass took 80 ms, and it landed on one request in twenty: the p95 of
the overview was 130–140 ms where its median was 100 (bench/RESULTS.md, "Dashboards").
``settle()`` collects once and then moves everything alive into the collector's permanent
generation (``gc.freeze``), which its passes skip; what is made afterwards is collected as
before, and objects freed by their reference count are freed as always. Only a reference
cycle among the frozen objects would stay, which is why it is done once, when the process is
warm, and not again."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

_settled = threading.Event()


def settle() -> None:
    """Collect, then freeze what is alive: once per process (later calls do nothing)."""
    if _settled.is_set():
        return
    _settled.set()
    gc.collect()
    gc.freeze()


class SettleAfterFirstRequest:
    """Settle the heap after the process's first response, when the URL patterns, templates
    and translations it needs have been loaded."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        settle()
        return response

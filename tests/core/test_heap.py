"""After a process's first response its warm heap leaves the cyclic collector's way, once; what
is made afterwards is collected as before. Run in a fresh process: the test process itself
has long since answered its first request."""

from __future__ import annotations

from django.conf import settings

from tests.fresh import run_fresh

SCRIPT = """
import gc, json, os
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "converge.settings")
django.setup()
from django.http import HttpResponse
from django.test import RequestFactory
from converge.core.heap import SettleAfterFirstRequest, settle

before = gc.get_freeze_count()
settled = SettleAfterFirstRequest(lambda request: HttpResponse("ok"))
first = settled(RequestFactory().get("/"))
after_first = gc.get_freeze_count()
settled(RequestFactory().get("/"))
settle()
after_more = gc.get_freeze_count()

class Cycle:
    pass

a, b = Cycle(), Cycle()
a.other, b.other = b, a
del a, b
print(json.dumps({
    "status": first.status_code, "before": before, "after_first": after_first,
    "after_more": after_more, "collected": gc.collect(),
}))
"""


def test_the_warm_heap_is_frozen_once_after_the_first_response_and_new_cycles_still_go() -> None:
    found = run_fresh(SCRIPT, timeout=60)
    assert found["status"] == 200
    assert found["before"] == 0
    assert found["after_first"] > 10_000  # Django and everything it loaded
    assert found["after_more"] == found["after_first"]  # once per process
    assert found["collected"] >= 2  # a cycle made afterwards is still collected


def test_settling_is_the_outermost_middleware() -> None:
    assert settings.MIDDLEWARE[0] == "converge.core.heap.SettleAfterFirstRequest"

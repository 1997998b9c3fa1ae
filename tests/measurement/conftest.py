"""Measurement tests read messages in English, whatever language an earlier test's request
left active in this thread (the language switcher tests leave Swedish behind)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield

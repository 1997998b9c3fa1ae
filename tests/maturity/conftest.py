from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Texts are compared in English, whatever an earlier request activated."""
    with translation.override("en"):
        yield

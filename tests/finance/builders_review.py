"""Builders for the review part of the tenancy crawl and tests: one object of every kind addressable by URL."""

from __future__ import annotations

from tests.conftest import World


def build_review(world: World, marker: str) -> dict[str, str]:
    """Sample path values (name -> value) for the crawl."""
    return {}

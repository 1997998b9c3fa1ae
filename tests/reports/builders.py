"""Builders for the reports part of the tenancy crawl."""

from __future__ import annotations

from tests.conftest import World


def build_reports(world: World, marker: str) -> dict[str, str]:
    """Sample path values (name -> value) for the crawl."""
    return {}

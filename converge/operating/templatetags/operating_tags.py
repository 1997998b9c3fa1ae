"""Small presentation helpers for the RACI grid. No business logic here."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


@register.filter
def index(items: Any, i: int) -> Any:
    """``items|index:n``: the n-th item."""
    return items[i]


@register.simple_tag
def share(cell: dict[str, Any]) -> str:
    """The pay share of a cell, without trailing zeros, or nothing."""
    value = cell.get("pays")
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return ""


@register.simple_tag
def raci_posted(posted: Any, activity: Any, party: str, role: str) -> bool:
    """Was this box ticked in the form just posted (shown again after an error)?"""
    return bool(posted.get(f"raci-{activity}-{party}-{role}") == "on")


@register.simple_tag
def raci_share(posted: Any, activity: Any, party: str) -> str:
    return str(posted.get(f"share-{activity}-{party}", ""))

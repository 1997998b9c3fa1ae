"""Small presentation filters. No business logic here."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def audit_value(value: Any) -> str:
    """An audit value for people: lists joined, nothing as ∅."""
    if value is None or value == "":
        return "∅"
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value) if value else "∅"
    return str(value)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``mapping|get_item:key`` for dictionaries in templates."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key

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


@register.filter
def money(amount: Any, workspace: Any) -> str:
    """``{{ line.planned|money:workspace }}``: whole units with grouping and the currency."""
    from converge.finance.money import money as show

    return show(amount, getattr(workspace, "currency", ""))


@register.filter
def money_cents(amount: Any, workspace: Any) -> str:
    """Like ``money``, with two decimals (cost per result, value per unit)."""
    from converge.finance.money import money as show

    return show(amount, getattr(workspace, "currency", ""), cents=True)


@register.filter
def ratio_percent(ratio: Any) -> str:
    """A ratio (0.25) as a percentage with one decimal in the active language ("25.0 %");
    "—" where there is none (ROI without cost)."""
    from converge.finance.money import percent

    return percent(ratio)

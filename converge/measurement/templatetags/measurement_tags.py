"""Figures as the explorer writes them: in the metric's unit, with the language's separators."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.urls import reverse
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from converge.measurement.catalogue import MetricDef
from converge.measurement.explorer import Explorer, words
from converge.measurement.why import format_share, format_value, places_for

register = template.Library()


@register.filter
def figure(value: Decimal | None, metric: MetricDef) -> str:
    """3.25% / 12,345 / 12 345 (Swedish); "—" for no figure."""
    return format_value(metric, value, words())


@register.filter
def signed(value: Decimal | None, metric: MetricDef) -> str:
    """A change with its sign: +0.80 / −1,200."""
    if value is None:
        return "—"
    places = places_for(metric, value)
    text = words().number(abs(value), places)
    rounded = value.quantize(Decimal(1).scaleb(-places))
    if rounded > 0:
        return "+" + text
    return "\u2212" + text if rounded < 0 else text


@register.filter
def share(value: Decimal | None) -> str:
    """A share in percent, with a real minus sign where it went against the change."""
    if value is None:
        return "—"
    text = format_share(value, words())
    return "\u2212" + text[1:] if text.startswith("-") else text


@register.simple_tag(takes_context=True)
def comparison_rows(context: dict[str, Any], x: Explorer) -> SafeString:
    """The comparison table's body: a row per channel, each figure linked to its rows.

    Written in Python rather than as template nodes: a KPI over fifty channels has some 600
    linked cells, and the template language took two thirds of the page's time to lay them
    out (bench/RESULTS.md, "Dashboards")."""
    metric = x.metric
    base = reverse("measurement_metric_rows", args=[context["workspace"].slug, metric.key])
    hrefs = {
        name: escape(f"{base}?{context.get(name, '')}&channel=")
        for name in ("q_before", "q_after", "q_change")
    }
    additive = x.why.additive

    def link(kind: str, param: str, text: str) -> str:
        return f'<a href="{hrefs[kind]}{escape(param)}">{escape(text)}</a>'

    out: list[str] = []
    for row in x.channels:
        param = str(row.ref.param)
        cells = [
            f'<tr>\n<th scope="row">{escape(row.ref.label)}</th>',
            f'<td class="num">{link("q_before", param, figure(row.before, metric))}</td>',
            f'<td class="num">{link("q_after", param, figure(row.after, metric))}</td>',
        ]
        change = row.change
        if not additive:
            if change is None:
                cells += ['<td class="num">—</td>'] * 3
            else:
                weights = " → ".join(
                    "—" if w is None else str(localize(w))
                    for w in (change.weight_before, change.weight_after)
                )
                cells += [
                    f'<td class="num">{link("q_change", param, weights)}</td>',
                    f'<td class="num">{link("q_change", param, signed(change.rate_effect, metric))}'
                    "</td>",
                    f'<td class="num">{link("q_change", param, signed(change.mix_effect, metric))}'
                    "</td>",
                ]
        if change is None:
            cells += ['<td class="num">—</td>'] * 2
        else:
            cells += [
                f'<td class="num">{link("q_change", param, signed(change.effect, metric))}</td>',
                f'<td class="num">{link("q_change", param, share(change.share))}</td>',
            ]
        out.append("\n".join(cells) + "\n</tr>")
    return mark_safe("".join(out))

"""Markdown shown as HTML, sanitised: what people write (minutes) never runs as code."""

from __future__ import annotations

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text or "", extensions=["tables", "sane_lists"])
    clean = nh3.clean(
        html, tags=TAGS, attributes={"a": {"href", "title"}}, link_rel="nofollow noopener"
    )
    return mark_safe(clean)  # sanitised by nh3 just above


def describe_cadence(rule: str) -> str:
    """The cadence in words, for the common choices ("Every Monday", "The first Tuesday of
    every month"); a custom rule is shown as it is."""
    text = _cadence_words(rule)
    return text[:1].upper() + text[1:]


def _cadence_words(rule: str) -> str:
    from django.utils.translation import gettext as _

    from converge.governance import recurrence
    from converge.governance.forms import ORDINAL_CHOICES, WEEKDAY_CHOICES

    pattern, weekday, ordinal = recurrence.parse_choice(rule)
    day = str(dict(WEEKDAY_CHOICES)[weekday])
    nth = str(dict(ORDINAL_CHOICES)[ordinal])
    if pattern == "weekly":
        return _("Every %(weekday)s") % {"weekday": day}
    if pattern == "biweekly":
        return _("Every other %(weekday)s") % {"weekday": day}
    if pattern == "monthly":
        return _("The %(ordinal)s %(weekday)s of every month") % {"ordinal": nth, "weekday": day}
    if pattern == "quarterly":
        return _("The %(ordinal)s %(weekday)s of every third month") % {
            "ordinal": nth,
            "weekday": day,
        }
    return f"RRULE:{rule}"

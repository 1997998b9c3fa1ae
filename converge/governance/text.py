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

"""A report as plain data: sections with headings, paragraphs, tables and charts (as data
series). Built once, then rendered as a web page, a PDF and a PowerPoint deck; served as JSON
by the API. No Django here."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

TEXT, MONEY, NUMBER, PERCENT, DATE = "text", "money", "number", "percent", "date"


@dataclass
class Column:
    label: str
    kind: str = TEXT  # text / money / number / percent / date


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Any]]
    caption: str = ""
    footer: list[list[Any]] = field(default_factory=list)  # total rows, shown in bold


@dataclass
class Series:
    name: str
    values: list[Decimal]


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # stacked_column / clustered_column
    categories: list[str]
    series: list[Series]
    unit: str = ""


@dataclass
class Section:
    key: str
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    parts: list[Section] = field(default_factory=list)
    empty: bool = False
    notes: str = ""  # what the presenter says (the deck's speaker notes)


@dataclass
class Document:
    title: str
    subtitle: str
    language: str
    currency: str
    day: date
    sections: list[Section]
    figures: dict[str, Decimal | None] = field(default_factory=dict)

    def section(self, key: str) -> Section:
        return next(s for s in self.sections if s.key == key)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def as_json(doc: Document) -> dict[str, Any]:
    """The document as JSON-ready data: money and figures as decimal strings, dates ISO."""
    return dict(_plain(asdict(doc)))

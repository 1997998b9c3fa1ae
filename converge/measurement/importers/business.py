"""Business-system CSV exports — CRM leads, CRM deals, support tickets — read through a column
mapping the workspace saved once, because every company's HubSpot, Salesforce or Zendesk
export has its own headers. No Django models here: the mapping comes in as a ``MappingSpec``.

What each kind of file becomes, per calendar day (in the workspace's time zone), for no channel:

* leads   — ``leads``: the number of rows dated that day (optionally only rows whose status
  column holds the given value, e.g. “Qualified”);
* deals   — ``conversions``: the number of won deals closed that day, and
  ``attributed_revenue``: the sum of their amounts. Without a status column every row is a
  won deal (an export filtered to won deals);
* tickets — ``inbound_messages``: the number of tickets created that day; ``responses``: how
  many of them have a first response; ``median_first_response_time``: the median minutes from
  creation to first response of those.

Dates follow the mapping's order (year, day or month first) with an optional time of day; a
time without an offset is taken as the workspace's local time. Amounts may carry a currency
mark and use a point or a comma as decimal mark (“$12,500.00”, “12 500,50 kr”)."""

from __future__ import annotations

import hashlib
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from converge.measurement.importers import generic, tabular
from converge.measurement.importers.base import (
    FormatError,
    ParsedObservation,
    ParseResult,
    RowProblem,
)

KINDS = ("leads", "deals", "tickets")
DELIMITERS = (",", ";", "\t")
PREVIEW_ROWS = 5


@dataclass(frozen=True)
class MappingSpec:
    """A saved column mapping, as the importer needs it. Column names are as in the header."""

    name: str
    kind: str  # leads | deals | tickets
    header: tuple[str, ...]  # the file's header, normalised with ``tabular.norm``
    date_column: str
    date_order: str = "ymd"  # ymd | dmy | mdy
    amount_column: str = ""  # deals
    status_column: str = ""  # leads and deals: only rows with ``status_value`` count
    status_value: str = ""
    response_column: str = ""  # tickets: when the first response was sent
    time_zone: str = "UTC"


def normalised(header: Iterable[str]) -> tuple[str, ...]:
    return tuple(tabular.norm(c) for c in header)


def signature(header: Iterable[str]) -> str:
    """What identifies a layout: the header compared case- and space-insensitively."""
    return hashlib.sha256("\x1f".join(normalised(header)).encode()).hexdigest()


def delimiter_of(line: str) -> str:
    return max(DELIMITERS, key=line.count)


def _first_line(text: str) -> str:
    return next((line for line in text.splitlines() if line.strip()), "")


def header_of(text: str) -> tuple[str, ...]:
    """The normalised header of a (possibly cut-off) CSV text."""
    line = _first_line(text)
    return normalised(tabular.first_record(line, delimiter_of(line)))


def head_text(head: bytes) -> str:
    """The first line of a file's first chunk, decoded as the whole file would be (a
    Windows-1252 header stays readable, a cut-off character later on does no harm)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return tabular.decode_head(head)
    line = next((chunk for chunk in head.split(b"\n") if chunk.strip()), b"")
    return tabular.decode(line, fallback="cp1252")


@dataclass
class Preview:
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)


def preview(data: bytes, limit: int = PREVIEW_ROWS) -> Preview:
    """The header and the first rows, for the page that maps the columns. Raises
    ``FormatError`` when the file is not a table of text with at least two columns."""
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FormatError(_("This is not a CSV file."))
    try:
        text = tabular.decode(data, fallback="cp1252")
    except UnicodeDecodeError as exc:
        raise FormatError(_("This is not a CSV file.")) from exc
    problems: list[RowProblem] = []
    found: Preview | None = None
    for _line, row in tabular.records(text, problems, delimiter_of(_first_line(text))):
        if not any(c.strip() for c in row):
            continue
        if found is None:
            found = Preview([c.strip().lstrip("\ufeff") for c in row])
            continue
        found.rows.append([c.strip() for c in row])
        if len(found.rows) >= limit:
            break
    if found is None or len(found.header) < 2:
        raise FormatError(_("This is not a CSV file with a header row."))
    return found


# --- cells ----------------------------------------------------------------------------------

_YMD = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_OTHER = re.compile(
    r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})"
    r"(?:[ T,]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?)?"
)
_CURRENCY = re.compile(
    r"(?i)^(?:[$€£]|sek|usd|eur|gbp|kr\.?)\s*|\s*(?:[$€£]|sek|usd|eur|gbp|kr\.?|:-)$"
)


def expected_date(order: str) -> str:
    return {
        "ymd": "2026-03-31, 2026-03-31 14:05",
        "dmy": "31/03/2026, 31.03.2026 14:05",
        "mdy": "03/31/2026, 3/31/2026 2:05 PM",
    }[order]


def read_when(raw: str, order: str, zone: ZoneInfo) -> tuple[date, datetime | None]:
    """The calendar day in ``zone`` and, if the cell has a time of day, the moment.
    Raises ``ValueError`` when the cell is not a date in ``order``."""
    text = " ".join(raw.split())
    if order == "ymd":
        match = _YMD.match(text)
        if not match:
            raise ValueError(raw)
        head = f"{match.group(1)}-{int(match.group(2)):02d}-{int(match.group(3)):02d}"
        rest = text[match.end() :]
        if not rest:
            return date.fromisoformat(head), None
        moment = datetime.fromisoformat(head + (rest if rest[0] in "T " else " " + rest))
    else:
        match = _OTHER.fullmatch(text)
        if not match:
            raise ValueError(raw)
        first, second, year = int(match.group(1)), int(match.group(2)), int(match.group(3))
        day, month = (first, second) if order == "dmy" else (second, first)
        if match.group(4) is None:
            return date(year, month, day), None
        hour, minute = int(match.group(4)), int(match.group(5))
        meridiem = (match.group(7) or "").lower()
        if meridiem:
            if not 1 <= hour <= 12:
                raise ValueError(raw)
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        moment = datetime(year, month, day, hour, minute, int(match.group(6) or 0))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    local = moment.astimezone(zone)
    return local.date(), local


def amount(raw: str) -> Decimal | None:
    """A money cell: ``None`` when empty; raises ``InvalidOperation`` when not an amount."""
    text = _CURRENCY.sub("", raw.strip()).strip()
    if not text:
        return None
    try:
        return tabular.number(text)
    except (InvalidOperation, ValueError):
        return generic.parse_decimal(text)


# --- the importer ---------------------------------------------------------------------------


@dataclass
class _Day:
    line: int
    count: int = 0
    answered: int = 0
    total: Decimal = Decimal(0)
    minutes: list[Decimal] = field(default_factory=list)


class BusinessImporter:
    """Reads the files whose header is exactly the mapping's header."""

    platform = "other"

    def __init__(self, spec: MappingSpec) -> None:
        if spec.kind not in KINDS:
            raise ValueError(spec.kind)
        self.spec = spec
        self.key = f"mapped_{spec.kind}"
        self.description = _("%(name)s (a saved column mapping)") % {"name": spec.name}
        self.zone = ZoneInfo(spec.time_zone)

    def sniff(self, head: bytes, filename: str) -> bool:
        return header_of(head_text(head)) == self.spec.header

    def _columns(self) -> list[str]:
        spec = self.spec
        names = [spec.date_column, spec.status_column]
        names += [spec.amount_column if spec.kind == "deals" else ""]
        names += [spec.response_column if spec.kind == "tickets" else ""]
        return [tabular.norm(n) for n in names if n]

    def parse(self, data: bytes, filename: str) -> ParseResult:
        spec = self.spec
        result = ParseResult(format=self.key, platform=self.platform)
        text = tabular.decode(data, fallback="cp1252")
        table = tabular.read_table(
            text,
            required=self._columns(),
            what=spec.name,
            problems=result.problems,
            delimiter=delimiter_of(_first_line(text)),
        )
        days: dict[date, _Day] = {}
        wanted = tabular.norm(spec.status_value)
        status = tabular.norm(spec.status_column) if spec.kind != "tickets" else ""
        for line, row in table.rows:
            if status and tabular.norm(table.cell(row, status)) != wanted:
                continue
            self._row(table, row, line, days, result.problems)
        for day in sorted(days):
            result.observations.extend(self._observations(day, days[day]))
        return result

    def _row(
        self,
        table: tabular.Table,
        row: list[str],
        line: int,
        days: dict[date, _Day],
        problems: list[RowProblem],
    ) -> None:
        spec = self.spec
        raw = table.cell(row, tabular.norm(spec.date_column))
        try:
            day, moment = read_when(raw, spec.date_order, self.zone)
        except ValueError:
            problems.append(self._not_a_date(line, spec.date_column, raw))
            return
        if spec.kind == "deals":
            raw_amount = table.cell(row, tabular.norm(spec.amount_column))
            try:
                value = amount(raw_amount)
            except (InvalidOperation, ValueError):
                message = _("“%(value)s” is not an amount.") % {"value": raw_amount}
                problems.append(RowProblem(line, spec.amount_column, message))
                return
            entry = days.setdefault(day, _Day(line))
            entry.count += 1
            entry.total += value or 0
            return
        if spec.kind == "tickets":
            minutes = self._response_minutes(table, row, line, raw, moment, problems)
            if minutes is False:
                return
            entry = days.setdefault(day, _Day(line))
            entry.count += 1
            if isinstance(minutes, Decimal):
                entry.answered += 1
                entry.minutes.append(minutes)
            return
        days.setdefault(day, _Day(line)).count += 1

    def _response_minutes(
        self,
        table: tabular.Table,
        row: list[str],
        line: int,
        created_raw: str,
        created: datetime | None,
        problems: list[RowProblem],
    ) -> Decimal | None | bool:
        """Minutes to the first response; ``None`` when not answered; ``False`` on a problem."""
        spec = self.spec
        raw = table.cell(row, tabular.norm(spec.response_column))
        if not raw:
            return None
        try:
            _day, answered = read_when(raw, spec.date_order, self.zone)
        except ValueError:
            problems.append(self._not_a_date(line, spec.response_column, raw))
            return False
        if created is None or answered is None:
            column, value = (
                (spec.date_column, created_raw) if created is None else (spec.response_column, raw)
            )
            message = _("“%(value)s” has no time of day; the response time needs one.") % {
                "value": value
            }
            problems.append(RowProblem(line, column, message))
            return False
        if answered < created:
            message = _("The first response (%(value)s) comes before the ticket was created.") % {
                "value": raw
            }
            problems.append(RowProblem(line, spec.response_column, message))
            return False
        return Decimal((answered - created) // timedelta(seconds=1)) / 60

    def _not_a_date(self, line: int, column: str, raw: str) -> RowProblem:
        message = _("“%(value)s” is not a date (expected %(expected)s).") % {
            "value": raw,
            "expected": expected_date(self.spec.date_order),
        }
        return RowProblem(line, column, message)

    def _observations(self, day: date, entry: _Day) -> list[ParsedObservation]:
        kind = self.spec.kind
        values: dict[str, Decimal] = {}
        if kind == "leads":
            values["leads"] = Decimal(entry.count)
        elif kind == "deals":
            values["conversions"] = Decimal(entry.count)
            values["attributed_revenue"] = entry.total
        else:
            values["inbound_messages"] = Decimal(entry.count)
            values["responses"] = Decimal(entry.answered)
            if entry.minutes:
                median = statistics.median(entry.minutes)
                values["median_first_response_time"] = median.quantize(Decimal("0.01"))
        return [
            ParsedObservation(day=day, metric=metric, value=value, line=entry.line)
            for metric, value in values.items()
        ]

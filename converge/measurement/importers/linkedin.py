"""LinkedIn Page content export (Page → Analytics → Content → Export), ``.xls`` (BIFF8, as
LinkedIn sends it) or ``.xlsx`` (after a re-save). Pure functions, no database.

The workbook has two sheets, found by their header rather than their name:

* **All posts** (older exports: ``Update title``, ``Update link``, ``Update type``,
  ``Video views``, ``Shares``) → one post per row. The external id is the activity number in
  ``urn:li:activity:<n>`` of the post link; the publish time comes from that id (its top 41
  bits are a Unix time in milliseconds) when it agrees with ``Created date``, otherwise
  midnight UTC of that day.
* **Metrics** (one row a day) → daily observations.

LinkedIn puts a description row above each header; a spreadsheet re-save often removes it, so
the header is looked for on row 1 or row 2. Line numbers are 1-based rows of the sheet named in
the message's column (``All posts: Impressions``).

Mapping decisions:

* Posts: ``Impressions`` → ``impressions``; ``Views``/``Video views`` → ``video_views``;
  ``Clicks`` → ``link_clicks`` (LinkedIn counts clicks on the post's content, name and logo);
  ``Likes`` (reactions) → ``likes``; ``Comments``; ``Reposts``/``Shares`` → ``shares``.
  ``Follows`` (gross), ``Offsite Views``, CTR and engagement rate have no catalogue key (rates
  are computed from their parts) and are ignored. ``Post type`` is Organic/Sponsored, not a
  kind; the kind comes from ``Content Type`` when filled, else ``post``.
* Metrics: the ``(total)`` columns — ``Impressions`` → ``impressions``, ``Clicks`` →
  ``link_clicks``, ``Reactions`` → ``likes``, ``Comments``, ``Reposts``/``Shares`` →
  ``shares``; ``Unique impressions (organic)`` → ``reach`` (LinkedIn gives no sponsored or
  total unique count, so this is organic reach). Organic/sponsored splits and the engagement
  rates are ignored.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from converge.measurement.importers.base import (
    FormatError,
    Importer,
    ParsedPost,
    ParseResult,
    RowProblem,
)
from converge.measurement.importers.tabular import (
    Described,
    Posts,
    add_day,
    day_problem,
    integral,
    looks_like_header,
    norm,
    not_a_number,
    number,
    pasted_problem,
)

Cell = str | Decimal | datetime | None

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
POST_ALIASES = {
    "update title": "post title",
    "update link": "post link",
    "update type": "post type",
    "video views": "views",
    "shares": "reposts",
}
POST_METRICS = {
    "impressions": "impressions",
    "views": "video_views",
    "clicks": "link_clicks",
    "likes": "likes",
    "comments": "comments",
    "reposts": "shares",
}
DAILY_METRICS = {
    "impressions (total)": "impressions",
    "unique impressions (organic)": "reach",
    "clicks (total)": "link_clicks",
    "reactions (total)": "likes",
    "comments (total)": "comments",
    "reposts (total)": "shares",
    "shares (total)": "shares",
}
KINDS = {
    "video": "video",
    "image": "image",
    "photo": "image",
    "article": "link",
    "link": "link",
    "document": "carousel",
    "carousel": "carousel",
    "multi-image": "carousel",
    "text": "post",
    "poll": "other",
    "event": "other",
}
MARKERS = (
    "post title",
    "update title",
    "impressions (total)",
    "impressions (organic)",
    "unique impressions",
)
NAME = re.compile(r"_content_\d{10,}\.xlsx?$", re.IGNORECASE)
ACTIVITY = re.compile(r"urn:li:(?:activity|share|ugcPost):(\d+)")
US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


# --- reading workbooks --------------------------------------------------------------------


def _decimal(number: float | int) -> Decimal:
    return integral(Decimal(str(number)))


def _xls_sheets(data: bytes) -> list[tuple[str, list[list[Cell]]]]:
    # The workbook readers load only for workbooks: every import asks this importer whether a
    # file is its own, and openpyxl brings pandas with it (a quarter of a second per process).
    import xlrd  # type: ignore[import-untyped]

    book = xlrd.open_workbook(file_contents=data)
    sheets = []
    for sheet in book.sheets():
        rows: list[list[Cell]] = []
        for r in range(sheet.nrows):
            row: list[Cell] = []
            for cell in sheet.row(r):
                if cell.ctype == xlrd.XL_CELL_NUMBER:
                    row.append(_decimal(cell.value))
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype == xlrd.XL_CELL_TEXT:
                    row.append(str(cell.value))
                else:  # empty, blank, boolean, error
                    row.append(None)
            rows.append(row)
        sheets.append((sheet.name, rows))
    return sheets


def _xlsx_sheets(data: bytes) -> list[tuple[str, list[list[Cell]]]]:
    import openpyxl  # type: ignore[import-untyped]

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = []
    try:
        for sheet in book.worksheets:
            rows: list[list[Cell]] = []
            for values in sheet.iter_rows(values_only=True):
                row: list[Cell] = []
                for v in values:
                    if isinstance(v, bool) or v is None:
                        row.append(None)
                    elif isinstance(v, int | float):
                        row.append(_decimal(v))
                    elif isinstance(v, datetime):
                        row.append(v)
                    elif isinstance(v, date):
                        row.append(datetime(v.year, v.month, v.day))
                    else:
                        row.append(str(v))
                rows.append(row)
            sheets.append((str(sheet.title), rows))
    finally:
        book.close()
    return sheets


def read_workbook(data: bytes) -> list[tuple[str, list[list[Cell]]]]:
    """Every sheet as rows of text, ``Decimal``, ``datetime`` or ``None``."""
    try:
        if data.startswith(OLE2):
            return _xls_sheets(data)
        if data.startswith(ZIP):
            return _xlsx_sheets(data)
    except Exception as exc:  # xlrd and openpyxl raise many kinds on a damaged file
        raise FormatError(
            _("The Excel file cannot be read; it may be cut off or damaged (%(error)s).")
            % {"error": exc}
        ) from exc
    raise FormatError(_("This is not an Excel file (.xls or .xlsx)."))


# --- sniffing -------------------------------------------------------------------------------


def _zip_texts(head: bytes) -> list[str]:
    """The (possibly partial) text of the ``xl/`` parts whose local headers are in ``head``."""
    texts = []
    offset = 0
    while head.startswith(ZIP, offset) and offset + 30 <= len(head):
        method, _, _, _, size, _, name_len, extra_len = struct.unpack(
            "<HHHIIIHH", head[offset + 8 : offset + 30]
        )
        start = offset + 30 + name_len + extra_len
        name = head[offset + 30 : offset + 30 + name_len].decode("utf-8", errors="ignore")
        chunk = head[start : start + size] if size else head[start:]
        if name.startswith("xl/"):
            raw = chunk
            if method == 8:
                raw = zlib.decompressobj(-15).decompress(chunk)
            texts.append(raw.decode("utf-8", errors="ignore"))
        if not size:  # sizes in a data descriptor: cannot walk further
            break
        offset = start + size
    return texts


def _has_markers(text: str) -> bool:
    low = text.lower()
    return any(m in low for m in MARKERS)


def sniff_excel(head: bytes, filename: str) -> bool:
    if head.startswith(OLE2):
        text = head.decode("latin-1") + head.decode("utf-16-le", errors="ignore")
        return _has_markers(text) or bool(NAME.search(filename))
    if head.startswith(ZIP) and b"xl/" in head:
        return any(_has_markers(t) for t in _zip_texts(head)) or bool(NAME.search(filename))
    return False


# --- parsing ---------------------------------------------------------------------------------


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return str(cell)
    if isinstance(cell, datetime):
        return cell.isoformat()
    return cell.strip()


def _header(rows: list[list[Cell]]) -> tuple[int, list[str]] | None:
    """(0-based row index, normalised names) of the header on row 1 or row 2."""
    for index in range(min(2, len(rows))):
        names = [norm(_text(c)) for c in rows[index]]
        if "date" in names or "post title" in names or "update title" in names:
            return index, [POST_ALIASES.get(n, n) for n in names]
    return None


def _day(cell: Cell) -> date:
    if isinstance(cell, datetime):
        return cell.date()
    text = _text(cell)
    match = US_DATE.fullmatch(text)
    if match:
        return date(int(match.group(3)), int(match.group(1)), int(match.group(2)))
    return date.fromisoformat(text[:10])


@dataclass
class Sheet:
    """One sheet's header (row 1 or 2) and the rows below it, with their sheet row numbers."""

    name: str
    raw_header: list[str]
    header: list[str]  # normalised, aliases applied
    body: list[tuple[int, list[Cell]]]

    def column(self, index: int) -> str:
        """How a problem names a column: ``All posts: Impressions``."""
        return f"{self.name}: {self.raw_header[index]}"

    def rows(self, problems: list[RowProblem]) -> Iterator[tuple[int, list[Cell]]]:
        """The non-empty rows, padded to the header's width; the header of another export
        pasted below them ends the sheet with a problem."""
        for line, row in self.body:
            texts = [_text(c) for c in row]
            if not any(texts):
                continue
            if looks_like_header(texts):
                problems.append(pasted_problem(line, texts))
                return
            yield line, row + [None] * (len(self.header) - len(row))

    def day(self, row: list[Cell], line: int, at: int, problems: list[RowProblem]) -> date | None:
        try:
            return _day(row[at])
        except ValueError:
            problems.append(day_problem(line, self.column(at), _text(row[at]), "MM/DD/YYYY"))
            return None

    def metrics(
        self, row: list[Cell], line: int, names: dict[str, str], problems: list[RowProblem]
    ) -> dict[str, Decimal]:
        found: dict[str, Decimal] = {}
        for index, name in enumerate(self.header):
            key = names.get(name)
            if key is None or key in found:
                continue
            cell = row[index]
            if isinstance(cell, Decimal):
                found[key] = cell
                continue
            text = _text(cell)
            try:
                value = number(text.replace(",", ""))
            except (InvalidOperation, ValueError):
                problems.append(not_a_number(line, self.column(index), text))
                continue
            if value is not None:
                found[key] = value
        return found


def _published(activity: str, day: date) -> datetime:
    stamp = datetime.fromtimestamp((int(activity) >> 22) / 1000, tz=UTC).replace(microsecond=0)
    if abs(stamp.date() - day) <= timedelta(days=1):
        return stamp
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


class LinkedInPageContent:
    key = "linkedin_page_content"
    platform = "linkedin"
    description = Described(
        gettext_noop(
            "LinkedIn Page content export (<page>_content_<number>.xls or .xlsx): sheet "
            "All posts with Post title, Post link, Created date, Impressions, Clicks, Likes, "
            "…, and sheet Metrics with Date, Impressions (total), Clicks (total), …"
        )
    )

    def sniff(self, head: bytes, filename: str) -> bool:
        return sniff_excel(head, filename)

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        found = False
        for name, rows in read_workbook(data):
            located = _header(rows)
            if located is None:
                continue
            index, header = located
            body = [(index + 2 + n, row) for n, row in enumerate(rows[index + 1 :])]
            sheet = Sheet(name, [_text(c) for c in rows[index]], header, body)
            if "post title" in header:
                found = True
                self._posts(result, sheet)
            elif "date" in header and any(n in DAILY_METRICS for n in header):
                found = True
                self._daily(result, sheet)
        if not found:
            raise FormatError(
                _(
                    "This is not a LinkedIn Page content export: no sheet has the columns "
                    "Post title (or Update title) or Date and Impressions (total) on row 1 or "
                    "2."
                )
            )
        return result

    @staticmethod
    def _posts(result: ParseResult, sheet: Sheet) -> None:
        header = sheet.header
        if "post link" not in header or "created date" not in header:
            raise FormatError(
                _("The sheet %(sheet)s has no Post link (or Update link) or Created date column.")
                % {"sheet": sheet.name}
            )
        link_at, date_at = header.index("post link"), header.index("created date")
        title_at = header.index("post title")
        kind_at = header.index("content type") if "content type" in header else None
        posts = Posts(result, sheet.column(link_at), sheet.column(date_at))
        for line, row in sheet.rows(result.problems):
            link = _text(row[link_at])
            match = ACTIVITY.search(link)
            if match is None:
                result.problems.append(
                    RowProblem(
                        line,
                        sheet.column(link_at),
                        _("“%(link)s” is not a LinkedIn post link (urn:li:activity:…).")
                        % {"link": link},
                    )
                )
                continue
            day = sheet.day(row, line, date_at, result.problems)
            if day is None:
                continue
            kind_text = norm(_text(row[kind_at])) if kind_at is not None else ""
            posts.add(
                ParsedPost(
                    external_id=match.group(1),
                    published_at=_published(match.group(1), day),
                    text=_text(row[title_at]),
                    kind=KINDS.get(kind_text, "other" if kind_text else "post"),
                    link=link,
                    metrics=sheet.metrics(row, line, POST_METRICS, result.problems),
                    line=line,
                )
            )

    @staticmethod
    def _daily(result: ParseResult, sheet: Sheet) -> None:
        date_at = sheet.header.index("date")
        seen: set[date] = set()
        for line, row in sheet.rows(result.problems):
            day = sheet.day(row, line, date_at, result.problems)
            if day is not None:
                metrics = sheet.metrics(row, line, DAILY_METRICS, result.problems)
                add_day(result, seen, day, metrics, line, sheet.column(date_at))


IMPORTERS: list[Importer] = [LinkedInPageContent()]

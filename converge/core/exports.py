"""Tables to CSV and XLSX, safe to open in a spreadsheet.

A text cell that starts like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) is written with a leading single quote, so that Excel, LibreOffice or Google Sheets
show it as text instead of running it (CSV/formula injection). Numbers (int, Decimal, float)
are written as numbers and never escaped: a negative number stays a number. Dates and times
are written as dates and times (naive, in the current time zone, in XLSX; ISO 8601 in CSV).

Every export of the app goes through here."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from django.utils import timezone

Cell = str | int | float | Decimal | date | datetime | bool | None

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    """A header and rows of cells; ``title`` names the sheet in XLSX."""

    columns: Sequence[str]
    rows: Iterable[Sequence[Cell]]
    title: str = "Data"


def escape_text(value: str) -> str:
    """Text that a spreadsheet would read as a formula, made plain text."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _local(value: datetime) -> datetime:
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return value.replace(tzinfo=None)


def _csv_cell(value: Cell) -> str | int | float:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, int | float):
        return value
    if isinstance(value, datetime):
        return _local(value).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return escape_text(value)


def to_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the å, ä and ö), comma-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([escape_text(c) for c in table.columns])
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _xlsx_cell(value: Cell) -> Cell:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # type: ignore[import-untyped]

    if isinstance(value, datetime):
        return _local(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", escape_text(value))
    return value


def to_xlsx(table: Table) -> bytes:
    from openpyxl import Workbook  # type: ignore[import-untyped]

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=table.title[:31] or "Data")
    sheet.append([_xlsx_cell(c) for c in table.columns])
    for row in table.rows:
        sheet.append([_xlsx_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def format_or_404(fmt: str) -> str:
    """The download format asked for in a URL, or 404 for one we do not write."""
    if fmt not in FORMATS:
        raise Http404("No such format.")
    return fmt


def response(table: Table, fmt: str, filename: str) -> HttpResponse:
    """A download of ``table`` as ``fmt`` (csv or xlsx) named ``filename`` + the extension."""
    body = to_xlsx(table) if fmt == "xlsx" else to_csv(table)
    fmt = fmt if fmt in FORMATS else "csv"
    result = HttpResponse(body, content_type=FORMATS[fmt])
    result["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return result

"""The small tabular helpers every importer shares: decoding, header handling, numbers, ids,
dates and the row problems they report. Pure functions, no database.

Messages are translated with Django's gettext when they are made, so a file parsed while
Swedish is active gets Swedish problems."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from converge.measurement.importers.base import (
    FormatError,
    ParsedObservation,
    ParsedPost,
    ParseResult,
    RowProblem,
)

# --- text ------------------------------------------------------------------------------------


def decode(data: bytes, fallback: str | None = None) -> str:
    """UTF-16 with a BOM, else UTF-8 (BOM optional), else ``fallback``: by default the
    Windows code page of an Excel re-save, told apart by ``legacy_encoding``."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(fallback or legacy_encoding(data), errors="replace")


_HIGH_RUN = re.compile(rb"[\xc0-\xff]{2,}")
_HIGH = re.compile(rb"[\x80-\xff]")


def legacy_encoding(data: bytes) -> str:
    """cp1251 or cp1252 for a file Excel re-saved in its locale's code page. Cyrillic words
    are runs of bytes from 0xC0 up (``Привет``); Swedish or other Western text has a single
    such byte between ASCII letters (``Göteborg``). Runs taking most of the high bytes mean
    Cyrillic."""
    sample = data[: 1 << 20]
    high = len(_HIGH.findall(sample))
    in_runs = sum(len(m) for m in _HIGH_RUN.findall(sample))
    return "cp1251" if high and in_runs * 2 >= high else "cp1252"


def decode_head(head: bytes) -> str:
    """Like ``decode`` but for a possibly cut-off first chunk of a file (sniffing)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut off at the end of the chunk
            return head[: exc.start].decode("utf-8-sig")
        return head.decode(legacy_encoding(head), errors="replace")


def norm(name: str) -> str:
    """A header name compared case- and space-insensitively."""
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


def file_stem(filename: str) -> str:
    """``a/b/Totals.csv`` → ``totals.csv``: the file's own name, lower case."""
    return filename.replace("\\", "/").rsplit("/", 1)[-1].lower()


def guess_delimiter(line: str) -> str:
    """``;`` for an Excel re-save in a comma-decimal locale, else ``,``."""
    return ";" if line.count(";") > line.count(",") else ","


def first_record(text: str, delimiter: str = ",") -> list[str]:
    lines = text.splitlines()
    if not lines:
        return []
    try:
        return next(csv.reader([lines[0]], delimiter=delimiter), [])
    except csv.Error:
        return []


def records(
    text: str, problems: list[RowProblem], delimiter: str = ",", first_line: int = 1
) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the physical line each starts on. A broken quote ends the file with
    a problem instead of an exception, and so does a last record that ends inside a quoted
    cell (a file cut off in the middle of a quoted field)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = first_line
    pending: tuple[int, list[str]] | None = None
    try:
        for row in reader:
            if pending is not None:
                yield pending
            pending = (start, row)
            start = first_line + reader.line_num
    except csv.Error as exc:
        problems.append(
            RowProblem(
                start,
                None,
                _(
                    "The file cannot be read from this line on (%(error)s); it may be cut off "
                    "or damaged."
                )
                % {"error": exc},
            )
        )
        return
    if pending is None:
        return
    if text.count('"') % 2:
        message = _("The file ends inside a quoted cell on this line: it seems cut off.")
        problems.append(RowProblem(pending[0], None, message))
        return
    yield pending


def sniff_header(head: bytes, delimiter: str = "") -> list[str]:
    """The first line's names; the delimiter is guessed (``;`` after an Excel re-save)."""
    text = decode_head(head)
    first = text.split("\n", 1)[0]
    return [norm(c) for c in first_record(text, delimiter or guess_delimiter(first))]


def has_columns(
    head: bytes, required: Iterable[str], *, first: str = "", excluded: Iterable[str] = ()
) -> bool:
    """Does the file's first line name every ``required`` column, none of the ``excluded``
    ones (and start with ``first``)?"""
    header = sniff_header(head)
    if first and (not header or header[0] != first):
        return False
    return (
        bool(header)
        and all(n in header for n in required)
        and not any(n in header for n in excluded)
    )


# --- numbers and ids ------------------------------------------------------------------------

_THOUSANDS = re.compile(r"-?\d{1,3}(,\d{3})+(\.\d+)?")


def integral(value: Decimal) -> Decimal:
    """``Decimal("1938.0")`` → ``Decimal("1938")``; fractions are kept as they are."""
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def number(raw: str) -> Decimal | None:
    """A metric cell: ``None`` when empty or ``-``; raises ``InvalidOperation`` otherwise."""
    text = raw.strip().replace("\u00a0", "")
    if text in ("", "-"):
        return None
    if _THOUSANDS.fullmatch(text):
        text = text.replace(",", "")
    value = Decimal(text)
    if not value.is_finite():
        raise InvalidOperation(raw)
    return integral(value)


def not_a_number(line: int, column: str | None, raw: str) -> RowProblem:
    return RowProblem(line, column, _("“%(value)s” is not a number.") % {"value": raw.strip()})


def check_id(raw: str, line: int, column: str, problems: list[RowProblem]) -> str | None:
    """Post ids are text; a spreadsheet may have turned them into floats (``5.70306E+17``)."""
    text = raw.strip()
    if text.isdigit():
        return text
    if re.fullmatch(r"[\d.]+(E\+?\d+)?", text, flags=re.IGNORECASE) and text:
        message = _(
            "The id “%(id)s” was turned into a number by a spreadsheet; the exact id is lost."
        ) % {"id": text}
    elif text:
        message = _("“%(id)s” is not a post id.") % {"id": text}
    else:
        message = _("The post id is empty.")
    problems.append(RowProblem(line, column, message))
    return None


# --- tables -----------------------------------------------------------------------------------


@dataclass
class Table:
    header: list[str]  # normalised names, aliases applied
    raw_header: list[str]
    rows: list[tuple[int, list[str]]]

    def index(self, name: str) -> int | None:
        return self.header.index(name) if name in self.header else None

    def cell(self, row: list[str], name: str) -> str:
        where = self.index(name)
        return row[where].strip() if where is not None else ""


def looks_like_header(row: list[str], delimiter: str = ",") -> bool:
    """Three or more cells, at least four in five of them words without a digit: the header
    line of another export (data rows are mostly numbers, dates and ids). The row is also
    tried split by the other usual delimiter, for an export pasted below an Excel re-save."""
    other = ";" if delimiter == "," else ","
    resplit = first_record(delimiter.join(row), other)
    for cells in (row, resplit):
        filled = [c.strip() for c in cells if c.strip()]
        words = [c for c in filled if not any(ch.isdigit() for ch in c)]
        if len(filled) >= 3 and len(words) * 5 >= len(filled) * 4:
            return True
    return False


def read_table(
    text: str,
    *,
    required: Iterable[str],
    what: str,
    problems: list[RowProblem],
    aliases: dict[str, str] | None = None,
    delimiter: str = ",",
    first_line: int = 1,
) -> Table:
    """Header plus the rows whose cell count matches it; other rows become problems. The
    header of an export pasted below the first one stops the reading with one problem."""
    aliases = aliases or {}
    rows = records(text, problems, delimiter, first_line)
    found = next(((n, r) for n, r in rows if any(c.strip() for c in r)), None)
    if found is None:
        raise FormatError(_("The file is empty; expected %(what)s.") % {"what": what})
    raw = found[1]
    header = [aliases.get(norm(c), norm(c)) for c in raw]
    missing = [name for name in required if name not in header]
    if missing:
        raise FormatError(
            _("This is not %(what)s: the column(s) %(columns)s are missing.")
            % {"what": what, "columns": ", ".join(missing)}
        )
    table = Table(header, [c.strip().lstrip("\ufeff") for c in raw], [])
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        if row == raw:
            continue  # the same export appended: its header again
        if len(row) != len(header) and looks_like_header(row, delimiter):
            problems.append(pasted_problem(line, row))
            break
        if len(row) != len(header):
            problems.append(cells_problem(line, len(row), len(header)))
            continue
        table.rows.append((line, row))
    return table


def cells_problem(line: int, cells: int, columns: int) -> RowProblem:
    return RowProblem(
        line,
        None,
        _(
            "The row has %(cells)s cells but the header has %(columns)s; the file may be cut "
            "off or damaged."
        )
        % {"cells": cells, "columns": columns},
    )


def pasted_problem(line: int, row: list[str]) -> RowProblem:
    names = ", ".join(c.strip() for c in row[:4] if c.strip())
    return RowProblem(
        line,
        None,
        _(
            "This line looks like the header of another export (%(names)s…): two files seem "
            "to be pasted into one. Import each export on its own."
        )
        % {"names": names},
    )


def column_map(table: Table, names: dict[str, str]) -> dict[int, str]:
    """Column index → metric key; with duplicate names the first column wins."""
    found: dict[int, str] = {}
    seen: set[str] = set()
    for index, name in enumerate(table.header):
        if name in names and name not in seen:
            found[index] = names[name]
            seen.add(name)
    return found


def read_metrics(
    table: Table,
    row: list[str],
    line: int,
    columns: dict[int, str],
    problems: list[RowProblem],
    value: Callable[[str], Decimal | None] = number,
) -> dict[str, Decimal]:
    """The row's metric values; a cell that is not a number becomes a problem and is left
    out (the rest of the row still counts)."""
    metrics: dict[str, Decimal] = {}
    for index, key in columns.items():
        raw = row[index]
        try:
            parsed = value(raw)
        except (InvalidOperation, ValueError):
            problems.append(not_a_number(line, table.raw_header[index], raw))
            continue
        if parsed is not None:
            metrics[key] = parsed
    return metrics


# --- days ---------------------------------------------------------------------------------------


def day_problem(line: int, column: str, raw: str, expected: str) -> RowProblem:
    return RowProblem(
        line,
        column,
        _("“%(value)s” is not a date (expected %(expected)s).")
        % {"value": raw, "expected": expected},
    )


def observations(day: date, metrics: dict[str, Decimal], line: int) -> list[ParsedObservation]:
    return [ParsedObservation(day=day, metric=k, value=v, line=line) for k, v in metrics.items()]


FUTURE_DAYS = 2  # a day this far after today (UTC) may still be "today" somewhere


def latest_day() -> date:
    """The last day a file may hold figures for: anything later lies in the future."""
    return datetime.now(tz=UTC).date() + timedelta(days=FUTURE_DAYS)


def future_problem(line: int, column: str | None, day: date) -> RowProblem:
    return RowProblem(
        line,
        column,
        _("%(day)s lies in the future; the file or its dates are wrong.")
        % {"day": day.isoformat()},
    )


def add_day(
    result: ParseResult,
    seen: set[date],
    day: date,
    metrics: dict[str, Decimal],
    line: int,
    column: str | None = None,
) -> None:
    """Add a day's observations; a day seen before in the same file, or one in the future,
    is reported (in ``column``), not added."""
    if day in seen:
        result.problems.append(
            RowProblem(
                line,
                column,
                _("%(day)s appears more than once; this row is skipped.")
                % {"day": day.isoformat()},
            )
        )
        return
    if day > latest_day():
        result.problems.append(future_problem(line, column, day))
        return
    seen.add(day)
    result.observations.extend(observations(day, metrics, line))


def no_values_problem(line: int) -> RowProblem:
    return RowProblem(
        line, None, _("The row has a date but no values; the file may be cut off here.")
    )


def daily_rows(
    result: ParseResult,
    table: Table,
    parse_day: Callable[[str], date],
    column: str,
    expected: str,
    metrics: Callable[[list[str], int], dict[str, Decimal]],
) -> None:
    """One day a row: the day from ``column`` (via ``parse_day``), the row's metrics, and a
    problem for a day that cannot be read or appears twice, or a row with nothing but the
    day (the last row of a file cut off after its first cell)."""
    seen: set[date] = set()
    at = table.index(norm(column))
    for line, row in table.rows:
        raw = table.cell(row, norm(column))
        try:
            day = parse_day(raw)
        except ValueError:
            result.problems.append(day_problem(line, column, raw, expected))
            continue
        if not any(c.strip() for n, c in enumerate(row) if n != at):
            result.problems.append(no_values_problem(line))
            continue
        add_day(result, seen, day, metrics(row, line), line, column)


# --- importers of one CSV table ------------------------------------------------------------------


class Described:
    """A class attribute read in the active language (``description``s of importers)."""

    def __init__(self, message: str) -> None:
        self.message = message

    def __get__(self, obj: object, owner: type | None = None) -> str:
        return _(self.message)


class CsvFormat:
    """An importer of one CSV table told by its header: ``required`` columns (normalised
    names, after ``aliases``). Subclasses write ``parse`` with ``start`` and ``add_posts``."""

    key = ""
    platform = ""
    description = Described("")
    what = ""  # "an X tweet activity export", marked with gettext_noop
    required: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()  # columns that tell a neighbouring format
    aliases: dict[str, str] = {}

    def sniff(self, head: bytes, filename: str) -> bool:
        return has_columns(head, self.required, excluded=self.excluded)

    def parse(self, data: bytes, filename: str) -> ParseResult:
        raise NotImplementedError

    def start(self, data: bytes) -> tuple[ParseResult, Table]:
        """An empty result and the file's table (FormatError without the required columns)."""
        result = ParseResult(format=self.key, platform=self.platform)
        text = decode(data)
        table = read_table(
            text,
            required=self.required,
            what=_(self.what),
            problems=result.problems,
            aliases=self.aliases,
            delimiter=guess_delimiter(text.split("\n", 1)[0]),
        )
        return result, table


class Posts:
    """Collects a file's posts. A post id seen before in the file (the same post twice, or
    two exports pasted together) and a publish day in the future are problems, in the
    file's id and time columns; such rows are not added."""

    def __init__(self, result: ParseResult, id_column: str, time_column: str) -> None:
        self.result = result
        self.id_column = id_column
        self.time_column = time_column
        self.first: dict[str, int] = {}
        self.latest = latest_day()

    def add(self, post: ParsedPost | None) -> None:
        if post is None:
            return
        first = self.first.get(post.external_id)
        if first is not None:
            message = _(
                "The post %(id)s appears again (first on line %(first)s); this row is skipped."
            ) % {"id": post.external_id, "first": first}
            self.result.problems.append(RowProblem(post.line, self.id_column, message))
        elif post.published_at.date() > self.latest:
            problem = future_problem(post.line, self.time_column, post.published_at.date())
            self.result.problems.append(problem)
        else:
            self.first[post.external_id] = post.line
            self.result.posts.append(post)


def add_posts(
    result: ParseResult,
    table: Table,
    post: Callable[[list[str], int], ParsedPost | None],
    id_column: str,
    time_column: str,
) -> None:
    """A post for every row that gives one (the others report their problems)."""
    posts = Posts(result, id_column, time_column)
    for line, row in table.rows:
        posts.add(post(row, line))

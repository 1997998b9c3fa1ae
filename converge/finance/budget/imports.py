"""Reading a spend CSV: pure parsing and checking, no database.

Columns (a header row first; order free, names case-insensitive, Swedish names accepted):
``date,amount,line,supplier,reference,note`` — ``date``, ``amount`` and ``line`` are required.
Commas, semicolons (Swedish Excel) and tabs separate fields; the file is UTF-8 (with or
without a byte-order mark) or Windows-1252 (older Excel).

* ``date``: ISO 8601, ``2026-03-05``.
* ``amount``: ``1234``, ``1234.50``, ``1234,50``, ``1 234,50``, ``1,234.50``, ``1.234,50``,
  ``-500`` (a credit note). At most two decimals. A single separator followed by exactly three
  digits (``1,234``) could be a thousand or a decimal separator: refused as ambiguous.
* ``line``: the budget line's name within the row's year (matched by the service).

Every problem names its row (the file's line number, the header being row 1) and column, so the
person can correct the file. Problems are codes with parameters; the service words them."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_ROWS = 20_000
REQUIRED = ("date", "amount", "line")
OPTIONAL = ("supplier", "reference", "note")
LIMITS = {"supplier": 200, "reference": 100, "note": 300}
ALIASES = {
    "datum": "date",
    "day": "date",
    "belopp": "amount",
    "summa": "amount",
    "budget line": "line",
    "budgetrad": "line",
    "rad": "line",
    "leverantör": "supplier",
    "leverantor": "supplier",
    "referens": "reference",
    "ref": "reference",
    "anteckning": "note",
    "notering": "note",
    "kommentar": "note",
}
SPACES = "\u00a0\u202f\u2009 "
CENT = Decimal("0.01")
KEY_REF_MAX = 60


@dataclass(frozen=True)
class Problem:
    """What is wrong with one cell (``column``) of one ``row`` (0 for the file as a whole)."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    row: int
    day: date
    amount: Decimal
    line: str
    supplier: str
    reference: str
    note: str


@dataclass
class Parsed:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def decode(data: bytes) -> str:
    """UTF-8 (a byte-order mark is dropped), else Windows-1252 as older Excel writes."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


_GROUPED = re.compile(r"^(\d{1,3})((?P<sep>[ ,.'’])\d{3})((?P=sep)\d{3})*(?P<dec>[.,]\d+)?$")
_PLAIN = re.compile(r"^\d+(?P<dec>[.,]\d+)?$")


def parse_amount(text: str) -> Decimal | str:
    """The amount in ``text``, or a problem code: ``empty``, ``not_a_number``, ``ambiguous``,
    ``too_many_decimals``, ``zero``."""
    raw = text.strip()
    if not raw:
        return "empty"
    sign = Decimal(1)
    if raw[0] in "-−":
        sign, raw = Decimal(-1), raw[1:].strip()
    elif raw[0] == "+":
        raw = raw[1:].strip()
    for space in SPACES[:-1]:
        raw = raw.replace(space, " ")
    plain = _PLAIN.match(raw)
    grouped = None if plain else _GROUPED.match(raw)
    if plain:
        dec = plain.group("dec")
        whole = raw[: len(raw) - len(dec)] if dec else raw
        if dec and len(dec) == 4 and len(whole) <= 3:
            return "ambiguous"  # "1,234": a thousand separator or a decimal comma?
    elif grouped:
        sep, dec = grouped.group("sep"), grouped.group("dec")
        if dec and dec[0] == sep:
            return "not_a_number"
        whole = raw[: len(raw) - len(dec)] if dec else raw
        whole = whole.replace(sep, "")
    else:
        return "not_a_number"
    if dec and len(dec) - 1 > 2:
        return "too_many_decimals"
    try:
        value = Decimal(whole + ("." + dec[1:] if dec else ""))
    except InvalidOperation:
        return "not_a_number"
    if value == 0:
        return "zero"
    return (sign * value).quantize(CENT)


def parse_day(text: str) -> date | str:
    raw = text.strip()
    if not raw:
        return "empty"
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return "not_a_date"
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return "no_such_day"


def _column(name: str) -> str:
    key = " ".join(name.strip().lower().split())
    return ALIASES.get(key, key)


def parse(data: bytes) -> Parsed:
    """Read the whole file; every row either parses or yields its problems."""
    result = Parsed()
    text = decode(data)
    lines = text.splitlines()
    if not any(line.strip() for line in lines):
        result.problems.append(Problem(0, "", "empty_file"))
        return result
    delimiter = sniff_delimiter(next(line for line in lines if line.strip()))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    for cells in reader:
        if header is None:
            if not any(c.strip() for c in cells):
                continue
            header = [_column(c) for c in cells]
            row_no = reader.line_num
            missing = [c for c in REQUIRED if c not in header]
            unknown = [c for c in header if c and c not in REQUIRED + OPTIONAL]
            repeated = [c for c, n in Counter(header).items() if n > 1 and c]
            if missing:
                result.problems.append(
                    Problem(row_no, "", "missing_columns", {"columns": ", ".join(missing)})
                )
            if unknown:
                result.problems.append(
                    Problem(row_no, "", "unknown_columns", {"columns": ", ".join(unknown)})
                )
            if repeated:
                result.problems.append(
                    Problem(row_no, "", "repeated_columns", {"columns": ", ".join(repeated)})
                )
            if missing or unknown or repeated:
                return result
            continue
        row_no = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(result.rows) + 1 > MAX_ROWS:
            result.problems.append(Problem(row_no, "", "too_many_rows", {"max": MAX_ROWS}))
            return result
        if len(cells) != len(header):
            result.problems.append(
                Problem(
                    row_no, "", "wrong_cell_count", {"found": len(cells), "expected": len(header)}
                )
            )
            continue
        values = {name: cell.strip() for name, cell in zip(header, cells, strict=True)}
        row_problems: list[Problem] = []
        day = parse_day(values["date"])
        if isinstance(day, str):
            row_problems.append(Problem(row_no, "date", f"date_{day}", {"value": values["date"]}))
        amount = parse_amount(values["amount"])
        if isinstance(amount, str):
            row_problems.append(
                Problem(row_no, "amount", f"amount_{amount}", {"value": values["amount"]})
            )
        if not values["line"]:
            row_problems.append(Problem(row_no, "line", "line_empty"))
        for name, limit in LIMITS.items():
            if len(values.get(name, "")) > limit:
                row_problems.append(Problem(row_no, name, "too_long", {"max": limit}))
        if row_problems:
            result.problems.extend(row_problems)
            continue
        assert isinstance(day, date) and isinstance(amount, Decimal)
        result.rows.append(
            Row(
                row=row_no,
                day=day,
                amount=amount,
                line=" ".join(values["line"].split()),
                supplier=values.get("supplier", ""),
                reference=values.get("reference", ""),
                note=values.get("note", ""),
            )
        )
    if header is None:
        result.problems.append(Problem(0, "", "empty_file"))
    seen: dict[str, int] = {}
    for row in result.rows:
        if not row.reference:
            continue
        if row.reference in seen:
            result.problems.append(
                Problem(row.row, "reference", "reference_repeated", {"first": seen[row.reference]})
            )
        else:
            seen[row.reference] = row.row
    return result


def reference_key(reference: str) -> str:
    """``ref:<reference>``; a long reference is digested so the key fits its column."""
    if len(reference) <= KEY_REF_MAX:
        return f"ref:{reference}"
    return "ref:" + hashlib.sha256(reference.encode()).hexdigest()[:KEY_REF_MAX]


def digest_key(
    *, line: str, day: date, amount: Decimal, supplier: str, note: str, occurrence: int
) -> str:
    """For a row without a reference: the digest of its fields and of how many identical rows
    came before it in the same file (two equal rows are two payments, not one)."""
    text = "\x1f".join(
        [line, day.isoformat(), f"{amount.quantize(CENT):f}", supplier, note, str(occurrence)]
    )
    return hashlib.sha256(text.encode()).hexdigest()


def keys(rows: list[tuple[Row, str]]) -> list[str]:
    """The natural key of each (row, line uuid)."""
    seen: Counter[tuple[str, date, Decimal, str, str]] = Counter()
    out: list[str] = []
    for row, line_uuid in rows:
        if row.reference:
            out.append(reference_key(row.reference))
            continue
        ident = (line_uuid, row.day, row.amount, row.supplier, row.note)
        out.append(
            digest_key(
                line=line_uuid,
                day=row.day,
                amount=row.amount,
                supplier=row.supplier,
                note=row.note,
                occurrence=seen[ident],
            )
        )
        seen[ident] += 1
    return out

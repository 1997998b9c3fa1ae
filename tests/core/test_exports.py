"""The shared CSV/XLSX writer: text that looks like a formula is escaped, numbers stay numbers."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from converge.core.exports import Table, escape_text, to_csv, to_xlsx

EVIL = '=HYPERLINK("http://evil","x")'
ROWS = [
    [EVIL, Decimal("-12.5"), 3],
    ["@mention me", -7, date(2026, 3, 1)],
    ["+46 8 123", Decimal("18250.0000"), None],
    ["\tTabbed", 0, ""],
    ["plain – åäö", Decimal("0.0001"), "-"],
]


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("a=1", "a=1"),
        ("", ""),
    ],
)
def test_text_that_starts_like_a_formula_gets_a_leading_quote(text: str, written: str) -> None:
    assert escape_text(text) == written


def test_csv_escapes_text_and_writes_numbers_as_they_are() -> None:
    body = to_csv(Table(columns=["text", "value", "other"], rows=ROWS)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["text", "value", "other"]
    assert rows[1] == ["'" + EVIL, "-12.5", "3"]
    assert rows[2] == ["'@mention me", "-7", "2026-03-01"]
    assert rows[3] == ["'+46 8 123", "18250", ""]
    assert rows[4] == ["'\tTabbed", "0", ""]
    assert rows[5] == ["plain – åäö", "0.0001", "'-"]


def test_xlsx_escapes_text_and_keeps_numbers_and_dates_typed() -> None:
    body = to_xlsx(Table(columns=["text", "value", "other"], rows=ROWS, title="Data"))
    sheet = load_workbook(io.BytesIO(body))["Data"]
    first = sheet["A2"]
    assert (first.value, first.data_type) == ("'" + EVIL, "s")
    assert (sheet["A3"].value, sheet["A3"].data_type) == ("'@mention me", "s")
    assert (sheet["B2"].value, sheet["B2"].data_type) == (-12.5, "n")
    assert (sheet["B3"].value, sheet["B3"].data_type) == (-7, "n")
    assert sheet["C3"].value.date() == date(2026, 3, 1)
    assert sheet["B4"].value == 18250 and sheet["B4"].data_type == "n"
    assert not [c for row in sheet.iter_rows() for c in row if c.data_type == "f"]

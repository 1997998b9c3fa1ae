"""PostgreSQL's binary COPY built from Arrow columns: the bytes are the format's, written out by
hand here with ``struct``, and PostgreSQL reads them back as the values that went in."""

from __future__ import annotations

import json
import struct
from datetime import UTC, datetime

import pyarrow as pa
import pytest
from django.db import connection

from converge.core import pgcopy


def test_integers_become_their_big_endian_bytes_even_from_a_slice() -> None:
    column = pa.array([7, 1, -1, 2**31 - 1], pa.int64()).slice(1)

    assert pgcopy.big_endian(column, 4).to_pylist() == [
        struct.pack(">i", 1),
        struct.pack(">i", -1),
        struct.pack(">i", 2**31 - 1),
    ]
    assert pgcopy.big_endian(column, 8).to_pylist() == [
        struct.pack(">q", 1),
        struct.pack(">q", -1),
        struct.pack(">q", 2**31 - 1),
    ]


def test_a_column_with_nulls_is_refused() -> None:
    with pytest.raises(ValueError, match="no nulls"):
        pgcopy.big_endian(pa.array([1, None]), 4)


def test_rows_are_laid_out_as_the_format_says() -> None:
    names = pa.array(["Ö", ""])
    lines = pa.array([3, 4], pa.int64())
    moments = pa.array([datetime(2000, 1, 1, 0, 0, 1), datetime(1999, 12, 31, 23, 59, 59)])

    data = pgcopy.rows(
        [
            pgcopy.bigint_constant(42),
            pgcopy.text(names),
            pgcopy.integer(lines),
            pgcopy.timestamptz(moments),
            pgcopy.jsonb(pa.array(['{"a":"1"}', "{}"])),
            pgcopy.text_constant("x"),
        ],
        2,
    )

    def row(name: bytes, line: int, micros: int, doc: bytes) -> bytes:
        return (
            struct.pack(">h", 6)
            + struct.pack(">iq", 8, 42)
            + struct.pack(">i", len(name))
            + name
            + struct.pack(">ii", 4, line)
            + struct.pack(">iq", 8, micros)
            + struct.pack(">ib", len(doc) + 1, 1)
            + doc
            + struct.pack(">i", 1)
            + b"x"
        )

    assert data == (
        b"PGCOPY\n\xff\r\n\x00"
        + struct.pack(">ii", 0, 0)
        + row("Ö".encode(), 3, 1_000_000, b'{"a":"1"}')
        + row(b"", 4, -1_000_000, b"{}")
        + struct.pack(">h", -1)
    )


def test_no_rows_is_a_copy_of_nothing_constants_repeat_and_columns_of_other_lengths_are_refused() -> (
    None
):
    assert pgcopy.rows([pgcopy.text(pa.array([], pa.string()))], 0) == (
        pgcopy.SIGNATURE + pgcopy.TRAILER
    )
    one = struct.pack(">h", 1) + struct.pack(">iq", 8, 5)
    assert pgcopy.rows([pgcopy.bigint_constant(5)], 2) == (
        pgcopy.SIGNATURE + one + one + pgcopy.TRAILER
    )
    with pytest.raises(ValueError, match="one value per row"):
        pgcopy.rows([pgcopy.text(pa.array(["a"])), pgcopy.text(pa.array(["a", "b"]))], 2)


@pytest.mark.django_db
def test_postgresql_reads_back_what_went_in() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("binary COPY is PostgreSQL's")
    texts = ["plain", 'a "quote", a comma\nand a line break', "Malmö ☕", ""]
    moments = [
        datetime(2021, 10, 30, 20, 4, tzinfo=UTC),
        datetime(1999, 12, 31, 23, 59, 59, tzinfo=UTC),
        datetime(2024, 3, 31, 1, 30, tzinfo=UTC),
        datetime(2026, 11, 29, 0, 0, tzinfo=UTC),
    ]
    docs = [{"likes": "3"}, {}, {"text": 'say "hi" ☕'}, {"impressions": "12345678901234"}]
    data = pgcopy.rows(
        [
            pgcopy.bigint_constant(2**40),
            pgcopy.text(pa.array(texts)),
            pgcopy.timestamptz(pa.array(moments, pa.timestamp("us", tz="UTC"))),
            pgcopy.jsonb(pa.array([json.dumps(d) for d in docs])),
            pgcopy.integer(pa.array([1, 2, 3, 2**31 - 1])),
        ],
        4,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE copied (n bigint, body text, at timestamptz, doc jsonb, "
            "line integer)"
        )
        with cursor.copy("COPY copied FROM STDIN (FORMAT binary)") as copy:
            copy.write(data)
        cursor.execute("SELECT n, body, at, doc, line FROM copied")
        back = cursor.fetchall()

    assert [row[0] for row in back] == [2**40] * 4
    assert [row[1] for row in back] == texts
    assert [row[2] for row in back] == moments
    assert [json.loads(row[3]) for row in back] == docs  # Django reads jsonb as its text
    assert [row[4] for row in back] == [1, 2, 3, 2**31 - 1]

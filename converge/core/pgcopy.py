"""PostgreSQL's binary COPY format, built from whole Arrow columns.

A bulk load sends its rows as ``COPY … FROM STDIN (FORMAT binary)``: the server then reads
integers and times as they are instead of parsing text, which took a million posts' COPY from
7.7–9.7 s (CSV) to 5.4–6.6 s on the server alone (bench/RESULTS.md, "Imports"). The rows are
put together by Arrow's kernels, field by field, without a Python object per value: lengths and
numbers become their big-endian bytes by swapping whole buffers (``array.byteswap``), and
``binary_join_element_wise`` lays each row's pieces end to end.

The format (PostgreSQL's documentation, "COPY", "Binary Format"): a signature and two zero
words; per row a 16-bit field count, then per field a 32-bit length and that many bytes; a
16-bit -1 at the end. Values are each type's binary form: ``bigint`` 8 bytes, ``integer`` 4,
``timestamptz`` microseconds since 2000-01-01 UTC in 8, text its UTF-8 bytes, ``jsonb`` a
version byte (1) and the JSON text. Nulls are not needed by the callers and not supported.

Pure: pyarrow and the standard library, no Django."""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from typing import TypeAlias

import pyarrow as pa
import pyarrow.compute as pc

SIGNATURE = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
TRAILER = struct.pack(">h", -1)
POSTGRES_EPOCH_US = 946_684_800_000_000  # 2000-01-01T00:00:00Z in microseconds since 1970

# A field is its pieces, laid end to end in each row: bytes every row shares, or a column of
# binary values, one per row.
Piece: TypeAlias = bytes | pa.Array
Field: TypeAlias = list[Piece]


def big_endian(column: pa.Array, width: int) -> pa.Array:
    """Integers (no nulls) as their ``width``-byte (4 or 8) big-endian bytes, one binary value
    each."""
    if column.null_count:
        raise ValueError("binary COPY fields here have no nulls")
    typed = column.cast(pa.int32() if width == 4 else pa.int64())
    swapped = array("i" if width == 4 else "q")
    if swapped.itemsize != width:  # pragma: no cover - C int/long long sizes of this platform
        raise RuntimeError(f"no {width}-byte array type on this platform")
    start = typed.offset * width
    swapped.frombytes(memoryview(typed.buffers()[1])[start : start + len(typed) * width])
    if struct.pack("=i", 1) == struct.pack("<i", 1):
        swapped.byteswap()
    raw = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(width), len(typed), [None, pa.py_buffer(swapped)]
    )
    return raw.cast(pa.binary())


def bigint_constant(value: int) -> Field:
    return [struct.pack(">iq", 8, value)]


def integer(column: pa.Array) -> Field:
    return [struct.pack(">i", 4), big_endian(column, 4)]


def text(column: pa.Array) -> Field:
    """UTF-8 text (``text``, ``varchar``)."""
    return [big_endian(pc.binary_length(column), 4), column.cast(pa.binary())]


def text_constant(value: str) -> Field:
    data = value.encode()
    return [struct.pack(">i", len(data)) + data]


def jsonb(column: pa.Array) -> Field:
    """JSON text as ``jsonb``: its version byte, then the text."""
    length = pc.add(pc.binary_length(column), 1)
    return [big_endian(length, 4), b"\x01", column.cast(pa.binary())]


def timestamptz(column: pa.Array) -> Field:
    """A ``timestamp[us, UTC]`` (or naive, read as UTC) column."""
    micros = pc.subtract(column.cast(pa.timestamp("us")).cast(pa.int64()), POSTGRES_EPOCH_US)
    return [struct.pack(">i", 8), big_endian(micros, 8)]


def rows(fields: Sequence[Field], count: int) -> bytes:
    """``count`` rows of these fields, with the signature and the trailer: a whole COPY."""
    pieces: list[Piece] = [struct.pack(">h", len(fields))]
    for field in fields:
        for piece in field:
            last = pieces[-1]
            if isinstance(piece, bytes) and isinstance(last, bytes):
                pieces[-1] = last + piece  # neighbouring constants: one piece
            else:
                pieces.append(piece)
    if count == 0:
        return SIGNATURE + TRAILER
    arrays = [piece for piece in pieces if not isinstance(piece, bytes)]
    if any(len(column) != count for column in arrays):
        raise ValueError("every column must have one value per row")
    if not arrays:  # constants only: the same row ``count`` times
        return SIGNATURE + b"".join(p for p in pieces if isinstance(p, bytes)) * count + TRAILER
    joined = pc.binary_join_element_wise(
        *[pa.scalar(p, pa.binary()) if isinstance(p, bytes) else p for p in pieces],
        pa.scalar(b"", pa.binary()),
    )
    offsets = memoryview(joined.buffers()[1]).cast("i")
    first, last = offsets[joined.offset], offsets[joined.offset + count]
    body = memoryview(joined.buffers()[2])[first:last]
    return b"".join((SIGNATURE, body, TRAILER))

"""The staged form of a checked file: its rows, normalised, in Arrow IPC files beside the upload.

Checking a file parses it once and writes what it holds — posts and daily observations, in the
exact form they will be stored — to a stage. Committing reads the stage, not the file, so a big
file is parsed once however long the person looks at the preview. Both the streaming X reader
and the in-memory importers produce the same stage, so there is one way rows reach the
database.

A post's *digest* is the 128-bit XXH3 hash (as 32 hex digits) of its stored content (time,
text, type, link, metrics); a re-import compares digests instead of reading every post back.
XXH3 rather than MD5: the digest detects changes, it guards no secret, and at a million posts
MD5 took most of a second of the check (bench/RESULTS.md). Pure: pyarrow, no Django."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from xxhash import xxh3_128_hexdigest

from converge.measurement.importers.base import ParsedObservation, ParsedPost

POSTS = pa.schema(
    [
        ("external_id", pa.string()),
        ("published_at", pa.string()),  # UTC, "2021-10-30T20:04:00+00:00"
        ("text", pa.string()),
        ("kind", pa.string()),
        ("link", pa.string()),
        ("metrics", pa.string()),  # JSON object, sorted keys, values as decimal text
        ("digest", pa.string()),
        ("line", pa.int64()),
    ]
)
OBSERVATIONS = pa.schema(
    [
        ("channel", pa.string()),  # a handle, or null for the import's channel
        ("metric", pa.string()),
        ("day", pa.date32()),
        ("value", pa.string()),  # decimal text
        ("line", pa.int64()),
    ]
)
SEP = "\x1f"
LINK_MAX = 500
# What Python's str.strip() removes, so the Arrow reader trims exactly as the row reader does.
WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace())


def decimal_text(value: Decimal) -> str:
    """``Decimal("1938")`` → ``"1938"``; ``Decimal("0.0400")`` → ``"0.04"``."""
    return f"{value.normalize():f}"


def utc_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def metrics_json(metrics: dict[str, str]) -> str:
    return json.dumps(dict(sorted(metrics.items())), separators=(",", ":"), ensure_ascii=False)


def digest(published_at: str, text: str, kind: str, link: str, metrics: str) -> str:
    canonical = SEP.join((published_at, text, kind, link, metrics))
    return xxh3_128_hexdigest(canonical.encode())


def posts_batch(posts: Iterable[ParsedPost], known: set[str] | None = None) -> pa.RecordBatch:
    """Parsed posts in their stored form. ``known`` limits metrics to these keys."""
    columns: dict[str, list[object]] = {name: [] for name in POSTS.names}
    for post in posts:
        metrics = metrics_json(
            {
                key: decimal_text(value)
                for key, value in post.metrics.items()
                if known is None or key in known
            }
        )
        moment, link = utc_text(post.published_at), post.link[:LINK_MAX]
        columns["external_id"].append(post.external_id)
        columns["published_at"].append(moment)
        columns["text"].append(post.text)
        columns["kind"].append(post.kind)
        columns["link"].append(link)
        columns["metrics"].append(metrics)
        columns["digest"].append(digest(moment, post.text, post.kind, link, metrics))
        columns["line"].append(post.line)
    return pa.RecordBatch.from_pydict(columns, schema=POSTS)


def digests(
    published_at: pa.Array, text: pa.Array, kind: pa.Array, link: pa.Array, metrics: pa.Array
) -> pa.Array:
    """``digest`` for whole columns at once (the streaming reader's path)."""
    joined = pc.binary_join_element_wise(published_at, text, kind, link, metrics, SEP)
    _validity, offset_buffer, data_buffer = joined.buffers()
    start = joined.offset
    offsets = memoryview(offset_buffer).cast("i")[start : start + len(joined) + 1].tolist()
    data = memoryview(data_buffer or b"")
    return pa.array(
        [xxh3_128_hexdigest(data[a:b]) for a, b in pairwise(offsets)],
        pa.string(),
    )


def observations_batch(rows: Iterable[ParsedObservation]) -> pa.RecordBatch:
    columns: dict[str, list[object]] = {name: [] for name in OBSERVATIONS.names}
    for row in rows:
        columns["channel"].append(row.channel)
        columns["metric"].append(row.metric)
        columns["day"].append(row.day)
        columns["value"].append(decimal_text(row.value))
        columns["line"].append(row.line)
    return pa.RecordBatch.from_pydict(columns, schema=OBSERVATIONS)


class StageWriter:
    """Writes batches of one schema to an Arrow IPC stream file, opened on first write."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self.path, self.schema = path, schema
        self._writer: pa.ipc.RecordBatchStreamWriter | None = None
        self.rows = 0

    def write(self, batch: pa.RecordBatch) -> None:
        if batch.num_rows == 0:
            return
        if self._writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._writer = pa.ipc.new_stream(str(self.path), self.schema)
        self._writer.write_batch(batch)
        self.rows += batch.num_rows

    def close(self) -> None:
        if self._writer is not None:
            self._writer.close()


def read(path: Path) -> Iterator[pa.RecordBatch]:
    if not path.exists():
        return
    with pa.memory_map(str(path)) as source:
        yield from pa.ipc.open_stream(source)


def read_in_key_order(path: Path, key: str) -> Iterator[pa.RecordBatch]:
    """The staged batches, each sorted by ``key`` and taken in the order of their smallest
    key: a file exported newest first then goes into the database's unique index in
    ascending order, as appends at its right end, instead of as inserts at its left end that
    split a page every few rows. The batches stay memory-mapped (no copy) until each is
    sorted in its turn."""
    if not path.exists():
        return
    with pa.memory_map(str(path)) as source:
        batches = [b for b in pa.ipc.open_stream(source) if b.num_rows]
        firsts = [pc.min(b.column(key)).as_py() for b in batches]
        for i in sorted(range(len(batches)), key=lambda i: firsts[i]):
            batch = batches[i]
            yield batch.take(pc.sort_indices(batch, sort_keys=[(key, "ascending")]))

"""The legacy X tweet-activity export read as a stream of Arrow batches, for files of any size.

A year of a busy account's tweets is a file of hundreds of megabytes; holding it in memory and
classifying it cell by cell in Python is what made imports slow. This reader parses the file
with pyarrow's multi-threaded CSV reader, block by block, and validates and normalises whole
columns at once. It produces exactly what ``XTweetActivity.parse`` does, row for row (a test
holds the two to each other on every real export in ``shared/data``):

* any batch with a cell the vectorised checks do not accept (a non-numeric or fractional
  metric, a thousands separator, a bad id or time, two columns for one metric) is handed, row
  by row, to ``XTweetActivity``'s own row logic, so messages and values are the same;
* a file the Arrow reader cannot take as it is (not UTF-8, a row with the wrong number of cells,
  an empty line inside the data) raises ``NeedsRowReader``; the caller then reads it with the
  row importer, which knows every quirk, or — above the in-memory limit — reports it;
* a post id that comes again in a later batch is found when the file has been read (one
  count of the distinct ids of all batches, instead of a Python dict of a million ids kept
  along the way: 0.5 s of a million-row check) and raises ``RepeatedPosts``; the caller reads
  the file again, ``careful``: every id is then remembered as it comes, and each repeat gets
  the row importer's message on its own line (two exports pasted into one file).

Physical line numbers are kept exact: a row starts on the line after the previous row plus the
line breaks inside its quoted cells. No database: pyarrow, and Django's gettext for messages."""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.utils.translation import gettext as _

from converge.core.threads import read_ahead
from converge.measurement import staging
from converge.measurement.importers import tabular, x
from converge.measurement.importers.base import FormatError, ParsedPost, ParseResult, RowProblem

BLOCK_SIZE = 8 << 20
LINE_BREAKS = ("\n", "\r")
MAX_EXACT = 2**53


class NeedsRowReader(Exception):
    """The file has something only the row-by-row importer reads exactly."""


class RepeatedPosts(Exception):
    """A post id comes again in a later batch: read the file again, ``careful``."""


def _header(handle: BinaryIO) -> tuple[int, list[str]]:
    """The 1-based line of the header and its cells (leading blank lines skipped)."""
    head = handle.read(65536)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise NeedsRowReader("UTF-16")
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = head.decode("utf-8-sig", errors="ignore")
        if len(head) < 65536:
            raise NeedsRowReader("not UTF-8") from None
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            if tabular.guess_delimiter(line) != ",":
                raise NeedsRowReader("not comma-separated")
            cells = next(csv.reader([line]), [])
            if any(c.strip() for c in cells):
                return number, cells
    raise FormatError(
        _("The file is empty; expected %(what)s.") % {"what": _(x.XTweetActivity.what)}
    )


def _line_breaks(column: pa.Array) -> pa.Array | None:
    """How many physical line breaks each cell holds (\\r\\n counts once), or None when the
    column holds none at all (checked on its raw bytes: the common case costs nothing)."""
    data = column.buffers()[2]
    blob = data.to_pybytes() if data is not None else b""
    has_n, has_r = b"\n" in blob, b"\r" in blob
    if not (has_n or has_r):
        return None
    counts = pc.count_substring(column, "\n") if has_n else None
    if has_r:
        returns = pc.subtract(pc.count_substring(column, "\r"), pc.count_substring(column, "\r\n"))
        counts = returns if counts is None else pc.add(counts, returns)
    return counts


def _as_stored(column: pa.Array) -> pa.Array | None:
    """The cells as ``decimal_text`` writes them when every one is a whole number written
    plainly, as X writes its counts ("215.0", or "215"): digits, no leading zero (but "0"
    itself), at most 15 of them (exact as a double, as the parsing path requires). Else None:
    the column is parsed."""
    if len(column) and pc.all(pc.ends_with(column, ".0")).as_py():
        column = pc.utf8_slice_codeunits(column, 0, -2)
    if len(column) == 0:
        return column
    if not pc.all(pc.ascii_is_decimal(column)).as_py():
        return None
    length = pc.binary_length(column)
    if pc.max(length).as_py() > 15:
        return None
    if pc.any(pc.and_(pc.starts_with(column, "0"), pc.greater(length, 1))).as_py():
        return None
    return column


def _repeats(ids: list[pa.Array]) -> bool:
    """Whether any id comes more than once in these batches' ids."""
    every = pa.chunked_array(ids)
    return len(pc.unique(every)) != len(every)


class TweetActivityStream:
    """Iterate ``batches()``; afterwards ``handle`` and ``problems`` are known."""

    def __init__(
        self,
        path: Path,
        filename: str,
        *,
        on_progress: Callable[[int], None] | None = None,
        block_size: int | None = None,
        opener: Callable[[], BinaryIO] | None = None,
        careful: bool = False,
    ) -> None:
        self.path, self.filename = path, filename
        self.opener = opener  # how to open ``path`` (a copy still being written: services)
        self.on_progress = on_progress
        self.block_size = block_size or BLOCK_SIZE
        self.problems: list[RowProblem] = []
        self.handle = ""
        self.rows = 0
        self.careful = careful
        self._ids: list[pa.Array] = []  # each batch's post ids, when not careful
        self._importer = x.XTweetActivity()

    # --- the whole file ------------------------------------------------------------------

    def batches(self) -> Iterator[pa.RecordBatch]:
        with self.opener() if self.opener is not None else self.path.open("rb") as handle:
            header_line, raw = _header(handle)
            header = [tabular.norm(c) for c in raw]
            missing = [n for n in self._importer.required if n not in header]
            if missing:
                raise FormatError(
                    _("This is not %(what)s: the column(s) %(columns)s are missing.")
                    % {"what": _(x.XTweetActivity.what), "columns": ", ".join(missing)}
                )
            self.raw = raw
            self.table = tabular.Table(header, [c.strip().lstrip("\ufeff") for c in raw], [])
            self.columns = tabular.column_map(self.table, x.LEGACY_METRICS)
            self.posts = tabular.Posts(
                ParseResult(format="", platform="", problems=self.problems), "Tweet id", "time"
            )
            self.latest = tabular.latest_day()
            self.vectorised = len(set(self.columns.values())) == len(self.columns)
            handle.seek(0)
            reader = self._reader(handle, header_line, len(header))
            next_line = header_line + 1
            # pyarrow parses the next block in a helper thread while this one is checked.
            for batch in read_ahead(self._parsed(reader), "converge-parse"):
                if self._invalid:
                    raise NeedsRowReader(self._invalid)
                out, next_line = self._batch(batch, next_line)
                self.rows += batch.num_rows
                if not self.handle and out.num_rows:
                    self.handle = x.handle_from_links(
                        link for link in out.column("link").to_pylist()[:200] if link
                    )
                if self.on_progress is not None:
                    self.on_progress(handle.tell())
                if not self.careful:
                    self._ids.append(out.column("external_id"))
                yield out
            if self._invalid:
                raise NeedsRowReader(self._invalid)
            if self._ids and _repeats(self._ids):
                raise RepeatedPosts()
        if not self.handle:
            match = x.HANDLE_IN_NAME.search(self.filename)
            self.handle = match.group(1) if match else ""

    @staticmethod
    def _parsed(reader: pacsv.CSVStreamingReader) -> Iterator[pa.RecordBatch]:
        while True:
            try:
                yield reader.read_next_batch()
            except StopIteration:
                return
            except pa.ArrowInvalid as exc:  # e.g. not UTF-8 after the first block
                raise NeedsRowReader(str(exc)) from exc

    def _reader(self, handle: BinaryIO, header_line: int, width: int) -> pacsv.CSVStreamingReader:
        names = [f"c{i}" for i in range(width)]
        self._invalid = ""

        def invalid(row: pacsv.InvalidRow) -> str:
            self._invalid = self._invalid or (
                f"a row with {row.actual_columns} cells where the header has {width}"
            )
            return "skip"

        try:
            return pacsv.open_csv(
                handle,
                read_options=pacsv.ReadOptions(
                    column_names=names, skip_rows=header_line, block_size=self.block_size
                ),
                parse_options=pacsv.ParseOptions(
                    newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=invalid
                ),
                convert_options=pacsv.ConvertOptions(
                    column_types=dict.fromkeys(names, pa.string()),
                    strings_can_be_null=False,
                    quoted_strings_can_be_null=False,
                ),
            )
        except pa.ArrowInvalid as exc:
            raise NeedsRowReader(str(exc)) from exc

    # --- one batch -------------------------------------------------------------------------

    def _lines(self, batch: pa.RecordBatch, first: int) -> tuple[pa.Array, int]:
        steps = pa.array([1] * batch.num_rows, pa.int64())
        for column in batch.columns:
            breaks = _line_breaks(column)
            if breaks is not None:
                steps = pc.add(steps, breaks)
        ends = pc.cumulative_sum(steps)  # the line after each row, minus ``first``
        starts = pc.add(pc.subtract(ends, steps), first)
        last = first + (ends[-1].as_py() if len(ends) else 0)
        return starts, last

    def _batch(self, batch: pa.RecordBatch, first: int) -> tuple[pa.RecordBatch, int]:
        lines, next_line = self._lines(batch, first)
        fast = self._vectorised(batch, lines) if self.vectorised else None
        return (fast if fast is not None else self._row_by_row(batch, lines)), next_line

    def _cell(self, batch: pa.RecordBatch, name: str) -> pa.Array:
        where = self.table.index(name)
        if where is None:
            return pa.array([""] * batch.num_rows, pa.string())
        return pc.utf8_trim(batch.column(where), staging.WHITESPACE)

    def _vectorised(self, batch: pa.RecordBatch, lines: pa.Array) -> pa.RecordBatch | None:
        """The batch normalised by whole columns, or None when a row needs the row logic."""
        ids = self._cell(batch, "tweet id")
        if not pc.all(pc.ascii_is_decimal(ids)).as_py():
            return None
        moments = pc.strptime(
            self._cell(batch, "time"), format="%Y-%m-%d %H:%M %z", unit="s", error_is_null=True
        )
        if moments.null_count:
            return None
        newest = pc.max(moments).as_py()
        if newest is not None and newest.date() > self.latest:
            return None
        if len(pc.unique(ids)) != len(ids):
            return None  # a post twice in the batch: the row logic says where
        first = self.posts.first
        if self.careful:  # a post seen in an earlier batch: the row logic says where
            id_list = ids.to_pylist()
            if not first.keys().isdisjoint(id_list):
                return None
        metrics = self._metrics(batch)
        if metrics is None:
            return None
        published = self._utc_text(self._cell(batch, "time"), moments)
        text = self._cell(batch, "tweet text")
        link = pc.utf8_slice_codeunits(self._cell(batch, "tweet permalink"), 0, staging.LINK_MAX)
        kind = pa.array(["post"] * batch.num_rows, pa.string())
        if self.careful:
            first.update(zip(id_list, lines.to_pylist(), strict=True))
        return pa.RecordBatch.from_arrays(
            [
                ids,
                published,
                text,
                kind,
                link,
                metrics,
                staging.digests(published, text, kind, link, metrics),
                lines,
            ],
            schema=staging.POSTS,
        )

    def _metrics(self, batch: pa.RecordBatch) -> pa.Array | None:
        """Each row's metrics as staging's JSON text (keys in order, values as decimal text),
        or None when a cell needs the row logic. When every metric cell of the batch is
        a whole number written plainly (``_as_stored``), the cells go into the text as they
        are, in one pass; otherwise each column is parsed, and empty cells and "-" are left
        out."""
        ordered = sorted(self.columns.items(), key=lambda item: item[1])
        if not ordered:
            return pa.array(["{}"] * batch.num_rows, pa.string())
        cells = [batch.column(index) for index, _key in ordered]
        stored = [_as_stored(column) for column in cells]
        if all(column is not None for column in stored):
            pieces: list[str | pa.Array] = []
            for (_index, key), column in zip(ordered, stored, strict=True):
                opening = "," if pieces else "{"
                pieces += [f'{opening}"{key}":"', column, '"']
            return pc.binary_join_element_wise(*pieces, "}", "")
        fragments = []
        for (_index, key), column in zip(ordered, cells, strict=True):
            text = pc.utf8_trim(column, staging.WHITESPACE)
            empty = pc.or_(pc.equal(text, ""), pc.equal(text, "-"))
            try:
                values = pc.cast(pc.if_else(empty, None, text), pa.float64())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                return None
            whole = pc.and_(pc.equal(values, pc.floor(values)), pc.less(pc.abs(values), MAX_EXACT))
            if not pc.all(whole).as_py():  # fractions, infinities: the row logic decides
                return None
            digits = pc.cast(pc.cast(values, pa.int64()), pa.string())
            fragments.append(pc.binary_join_element_wise(f'"{key}":"', digits, '"', ""))
        joined = pc.binary_join_element_wise(*fragments, ",", null_handling="skip")
        return pc.binary_join_element_wise("{", joined, "}", "")

    @staticmethod
    def _utc_text(raw: pa.Array, moments: pa.Array) -> pa.Array:
        """``2021-10-30 20:04 +0000`` → ``2021-10-30T20:04:00+00:00``: by slicing when every
        time is given in UTC (as X writes them), else by formatting the parsed times."""
        if pc.all(pc.equal(pc.utf8_slice_codeunits(raw, 16), " +0000")).as_py():
            return pc.binary_join_element_wise(
                pc.utf8_slice_codeunits(raw, 0, 10),
                "T",
                pc.utf8_slice_codeunits(raw, 11, 16),
                ":00+00:00",
                "",
            )
        return pc.strftime(moments, format="%Y-%m-%dT%H:%M:%S+00:00")

    def _row_by_row(self, batch: pa.RecordBatch, lines: pa.Array) -> pa.RecordBatch:
        """The row importer's own rules, row by row (as ``read_table`` and ``add_posts``)."""
        collected = self.posts.result.posts
        start = len(collected)
        cells = [column.to_pylist() for column in batch.columns]
        for number, row in zip(lines.to_pylist(), zip(*cells, strict=True), strict=True):
            values = list(row)
            if not any(c.strip() for c in values) or values == self.raw:
                continue
            self.posts.add(
                self._importer.post(self.table, self.columns, values, number, self.problems)
            )
        posts: list[ParsedPost] = collected[start:]
        del collected[start:]
        return staging.posts_batch(posts)

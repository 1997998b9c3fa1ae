"""YouTube Studio "Advanced mode → Export current view" files: ``Table data.csv``,
``Chart data.csv`` and ``Totals.csv``. Pure Python, no Django.

Studio has no fixed schema: the columns follow the metrics picked in Advanced mode, so every
metric column is optional and looked up by name. Mapping decisions:

* ``Views`` → ``video_views``; ``Watch time (hours)`` → ``watch_time_minutes`` × 60 (and
  ``Watch time (minutes)`` as it is); ``Impressions`` → ``impressions``; ``Likes``,
  ``Comments added``/``Comments``, ``Shares`` as named; ``Unique viewers`` → ``reach``.
* ``Subscribers`` is Studio's *net* change (gained − lost; it can be negative) →
  ``net_follower_growth``; with only ``Subscribers gained`` and ``Subscribers lost`` the net is
  computed. Rates (click-through rate, average view duration, percentages) have no catalogue
  key and are ignored, as is ``Duration``.
* ``Table data.csv`` → one post per video (external id = the video id, published at midnight
  UTC of ``Video publish time`` since Studio gives only the day). Its first row, ``Total``, is
  the channel total for the period and is **not** a post. It is not the sum of the rows
  either: views of deleted or unlisted videos, and videos cut off from the table, count in
  the total only; on the real files ``Subscribers`` does add up but ``Views`` does not.
* ``Totals.csv`` (``Date`` + metrics, one row a day) → daily channel observations.
* ``Chart data.csv`` → daily channel observations only when it has no per-video dimension
  (``Date`` + metrics). When it has the ``Content`` dimension (one row per day *per video*, for
  the top few videos only) the rows are not channel totals, so nothing is imported and one
  problem says to import ``Totals.csv`` instead.
* Dates: ISO ``2025-06-13``, ``Aug 28, 2025``, or a spreadsheet re-save ``13-06-2025`` /
  ``06/13/2025`` (day-first with ``-``/``.``, month-first with ``/``, unless a value over 12
  in a file settles the order).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

from converge.measurement.importers.base import (
    FormatError,
    Importer,
    ParsedPost,
    ParseResult,
    RowProblem,
)
from converge.measurement.importers.x import (
    Table,
    add_day,
    column_map,
    decode,
    read_metrics,
    read_table,
    sniff_header,
)

METRICS = {
    "views": "video_views",
    "impressions": "impressions",
    "likes": "likes",
    "comments added": "comments",
    "comments": "comments",
    "shares": "shares",
    "unique viewers": "reach",
    "subscribers": "net_follower_growth",
    "watch time (hours)": "watch_time_hours",
    "watch time (minutes)": "watch_time_minutes",
}
SUBSCRIBER_PARTS = {"subscribers gained": "gained", "subscribers lost": "lost"}
KNOWN = set(METRICS) | set(SUBSCRIBER_PARTS)
DIMENSIONS = ("content", "video title", "video publish time", "duration")
VIDEO_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_NUMERIC_DATE = re.compile(r"(\d{1,2})([-/.])(\d{1,2})\2(\d{4})")


def _metrics(
    table: Table, row: list[str], line: int, problems: list[RowProblem]
) -> dict[str, Decimal]:
    values = read_metrics(table, row, line, column_map(table, METRICS), problems)
    hours = values.pop("watch_time_hours", None)
    if hours is not None and "watch_time_minutes" not in values:
        values["watch_time_minutes"] = hours * 60
    if "net_follower_growth" not in values:
        parts = read_metrics(table, row, line, column_map(table, SUBSCRIBER_PARTS), problems)
        if "gained" in parts and "lost" in parts:
            values["net_follower_growth"] = parts["gained"] - parts["lost"]
    return {k: _tidy(v) for k, v in values.items()}


def _tidy(value: Decimal) -> Decimal:
    """Hours × 60 gives ``2752.6320``; drop the trailing zeros (and ``.0``)."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _day_first(raws: list[str]) -> bool:
    """For ``a-b-YYYY`` dates: is ``a`` the day? Decided by any value above 12."""
    separator = "-"
    for raw in raws:
        match = _NUMERIC_DATE.fullmatch(raw.strip())
        if match:
            separator = match.group(2)
            if int(match.group(1)) > 12:
                return True
            if int(match.group(3)) > 12:
                return False
    return separator != "/"


def parse_day(raw: str, day_first: bool = True) -> date:
    text = " ".join(raw.split())
    for fmt in ("%Y-%m-%d", "%b %d, %Y", "%B %d, %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    match = _NUMERIC_DATE.fullmatch(text)
    if match:
        first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        day, month = (first, second) if day_first else (second, first)
        return date(year, month, day)
    raise ValueError(raw)


def _daily(result: ParseResult, table: Table) -> None:
    day_first = _day_first([table.cell(row, "date") for _, row in table.rows])
    seen: set[date] = set()
    for line, row in table.rows:
        raw = table.cell(row, "date")
        try:
            day = parse_day(raw, day_first)
        except ValueError:
            result.problems.append(
                RowProblem(line, "Date", f"“{raw}” is not a date (expected 2025-08-28).")
            )
            continue
        add_day(result, seen, day, _metrics(table, row, line, result.problems), line)


class YouTubeTableData:
    """``Table data.csv``: one row per video after the ``Total`` row."""

    key = "youtube_table_data"
    platform = "youtube"
    description = (
        "YouTube Studio Table data.csv: columns Content (the video id), Video title, "
        "Video publish time, Duration, then metrics such as Views and Watch time (hours); "
        "a Total row comes first."
    )
    required = ("content", "video title", "video publish time")

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        return all(n in header for n in self.required) and "date" not in header

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        table = read_table(
            decode(data),
            required=self.required,
            what="a YouTube Studio Table data.csv",
            problems=result.problems,
        )
        if not column_map(table, {**METRICS, **SUBSCRIBER_PARTS}):
            raise FormatError(
                "This YouTube Studio table has no metric that Converge knows "
                "(such as Views, Watch time (hours) or Subscribers)."
            )
        for line, row in table.rows:
            video_id = table.cell(row, "content")
            if video_id.lower() == "total":
                continue
            post = self._post(table, row, line, video_id, result.problems)
            if post is not None:
                result.posts.append(post)
        return result

    @staticmethod
    def _post(
        table: Table, row: list[str], line: int, video_id: str, problems: list[RowProblem]
    ) -> ParsedPost | None:
        if not VIDEO_ID.fullmatch(video_id):
            problems.append(RowProblem(line, "Content", f"“{video_id}” is not a video id."))
            return None
        raw = table.cell(row, "video publish time")
        try:
            day = parse_day(raw)
        except ValueError:
            problems.append(
                RowProblem(
                    line,
                    "Video publish time",
                    f"“{raw}” is not a date (expected “Aug 28, 2025”).",
                )
            )
            return None
        return ParsedPost(
            external_id=video_id,
            published_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
            text=table.cell(row, "video title"),
            kind="video",
            link=f"https://www.youtube.com/watch?v={video_id}",
            metrics=_metrics(table, row, line, problems),
            line=line,
        )


def table_total(data: bytes) -> dict[str, Decimal]:
    """The ``Total`` row of a ``Table data.csv`` as catalogue keys (for checks and display)."""
    problems: list[RowProblem] = []
    table = read_table(
        decode(data),
        required=YouTubeTableData.required,
        what="a YouTube Studio Table data.csv",
        problems=problems,
    )
    for line, row in table.rows:
        if table.cell(row, "content").lower() == "total":
            return _metrics(table, row, line, problems)
    return {}


class YouTubeChartData:
    """``Chart data.csv``: ``Date`` then, usually, the video dimension and the metrics."""

    key = "youtube_chart_data"
    platform = "youtube"
    description = (
        "YouTube Studio Chart data.csv: columns Date, optionally Content, Video title, "
        "Video publish time, Duration, then metrics such as Views."
    )

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        if not header or header[0] != "date":
            return False
        if "content" in header and "video title" in header:
            return True
        return "chart data" in filename.lower() and any(n in KNOWN for n in header[1:])

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        table = read_table(
            decode(data),
            required=("date",),
            what="a YouTube Studio Chart data.csv",
            problems=result.problems,
        )
        if any(d in table.header for d in DIMENSIONS):
            result.problems.append(
                RowProblem(
                    1,
                    "Content",
                    "This chart has one row per video and day for a few videos only, not the "
                    "channel's daily totals, so nothing was imported. Import Totals.csv from "
                    "the same download for the daily figures.",
                )
            )
            return result
        _daily(result, table)
        return result


class YouTubeTotals:
    """``Totals.csv``: ``Date`` plus one column per chosen metric, a row a day."""

    key = "youtube_totals"
    platform = "youtube"
    description = (
        "YouTube Studio Totals.csv: columns Date and metrics such as Views, Watch time (hours), "
        "Subscribers."
    )

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        name = filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
        return (
            name.startswith("totals")
            and len(header) > 1
            and header[0] == "date"
            and all(n in KNOWN or "(%)" in n or "average" in n for n in header[1:])
        )

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        table = read_table(
            decode(data),
            required=("date",),
            what="a YouTube Studio Totals.csv",
            problems=result.problems,
        )
        if not column_map(table, {**METRICS, **SUBSCRIBER_PARTS}):
            raise FormatError(
                "This YouTube Studio Totals.csv has no metric that Converge knows "
                "(such as Views, Watch time (hours) or Subscribers)."
            )
        _daily(result, table)
        return result


IMPORTERS: list[Importer] = [YouTubeTableData(), YouTubeChartData(), YouTubeTotals()]

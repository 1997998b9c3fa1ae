"""YouTube Studio "Advanced mode → Export current view" files: ``Table data.csv``,
``Chart data.csv`` and ``Totals.csv``. Pure functions, no database.

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
* ``Chart data.csv`` without a per-video dimension (``Date`` + metrics) → daily channel
  observations. With the ``Content`` dimension it has one row per day *per video* for the
  top few videos only: those rows are not the channel's daily totals (summing them per day
  would understate the channel), and Converge keeps no daily series per post. What the file
  does hold is each video's figures over the chart's period, so it is imported as **posts**
  (the video id, title and publish day, and each metric added up over the days). That is
  the video's lifetime figure only when the video was published on or after the chart's
  first day; a video published before it gets a problem saying to import
  ``Table data.csv`` for it, and the file is not imported. On the real file the sums equal
  ``Table data.csv``'s views exactly.
* Dates: ISO ``2025-06-13``, ``Aug 28, 2025``, or a spreadsheet re-save ``13-06-2025`` /
  ``06/13/2025`` (day-first with ``-``/``.``, month-first with ``/``, unless a value over 12
  in a file settles the order).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

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
    CsvFormat,
    Described,
    Posts,
    Table,
    add_posts,
    column_map,
    daily_rows,
    day_problem,
    file_stem,
    future_problem,
    latest_day,
    read_metrics,
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
    daily_rows(
        result,
        table,
        lambda raw: parse_day(raw, day_first),
        "Date",
        "2025-08-28",
        lambda row, line: _metrics(table, row, line, result.problems),
    )


def _no_metric(what: str) -> FormatError:
    return FormatError(
        _(
            "This %(what)s has no metric that Converge knows (such as Views, Watch time "
            "(hours) or Subscribers)."
        )
        % {"what": what}
    )


def _publish_day(
    table: Table, row: list[str], line: int, problems: list[RowProblem]
) -> date | None:
    raw = table.cell(row, "video publish time")
    try:
        return parse_day(raw)
    except ValueError:
        problems.append(day_problem(line, "Video publish time", raw, "“Aug 28, 2025”"))
        return None


def _video_id(raw: str, line: int, problems: list[RowProblem]) -> str | None:
    if VIDEO_ID.fullmatch(raw):
        return raw
    problems.append(RowProblem(line, "Content", _("“%(id)s” is not a video id.") % {"id": raw}))
    return None


def _video(
    video_id: str, title: str, day: date, metrics: dict[str, Decimal], line: int
) -> ParsedPost:
    return ParsedPost(
        external_id=video_id,
        published_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
        text=title,
        kind="video",
        link=f"https://www.youtube.com/watch?v={video_id}",
        metrics=metrics,
        line=line,
    )


class YouTubeTableData(CsvFormat):
    """``Table data.csv``: one row per video after the ``Total`` row."""

    key = "youtube_table_data"
    platform = "youtube"
    description = Described(
        gettext_noop(
            "YouTube Studio Table data.csv: columns Content (the video id), Video title, "
            "Video publish time, Duration, then metrics such as Views and Watch time "
            "(hours); a Total row comes first."
        )
    )
    what = gettext_noop("a YouTube Studio Table data.csv")
    required = ("content", "video title", "video publish time")
    excluded = ("date",)

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        if not column_map(table, {**METRICS, **SUBSCRIBER_PARTS}):
            raise _no_metric(_("YouTube Studio table"))

        def post(row: list[str], line: int) -> ParsedPost | None:
            raw_id = table.cell(row, "content")
            if raw_id.lower() == "total":
                return None
            video_id = _video_id(raw_id, line, result.problems)
            day = _publish_day(table, row, line, result.problems) if video_id else None
            if video_id is None or day is None:
                return None
            metrics = _metrics(table, row, line, result.problems)
            return _video(video_id, table.cell(row, "video title"), day, metrics, line)

        add_posts(result, table, post, "Content", "Video publish time")
        return result


def table_total(data: bytes) -> dict[str, Decimal]:
    """The ``Total`` row of a ``Table data.csv`` as catalogue keys (for checks and display)."""
    result, table = YouTubeTableData().start(data)
    problems = result.problems
    for line, row in table.rows:
        if table.cell(row, "content").lower() == "total":
            return _metrics(table, row, line, problems)
    return {}


class YouTubeChartData(CsvFormat):
    """``Chart data.csv``: ``Date``, perhaps the video dimension, then the metrics."""

    key = "youtube_chart_data"
    platform = "youtube"
    description = Described(
        gettext_noop(
            "YouTube Studio Chart data.csv: columns Date, optionally Content, Video title, "
            "Video publish time, Duration, then metrics such as Views."
        )
    )
    what = gettext_noop("a YouTube Studio Chart data.csv")
    required = ("date",)

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        if not header or header[0] != "date":
            return False
        if "content" in header and "video title" in header:
            return True
        return "chart data" in file_stem(filename) and any(n in KNOWN for n in header[1:])

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        if not column_map(table, {**METRICS, **SUBSCRIBER_PARTS}):
            raise _no_metric(_("YouTube Studio Chart data.csv"))
        if "content" in table.header:
            self._videos(result, table)
        elif any(d in table.header for d in DIMENSIONS):
            raise FormatError(
                _(
                    "This YouTube Studio chart is split by a dimension other than the video "
                    "(Content); export it by video or by date only."
                )
            )
        else:
            _daily(result, table)
        return result

    @staticmethod
    def _videos(result: ParseResult, table: Table) -> None:
        """One post per video, each metric added up over the chart's days."""
        day_first = _day_first([table.cell(row, "date") for _, row in table.rows])
        days: dict[int, date] = {}
        for line, row in table.rows:
            raw = table.cell(row, "date")
            try:
                days[line] = parse_day(raw, day_first)
            except ValueError:
                result.problems.append(day_problem(line, "Date", raw, "2025-08-28"))
        if not days:
            return
        first_day = min(days.values())
        latest = latest_day()
        videos: dict[str, tuple[int, str, date, dict[str, Decimal]]] = {}
        seen: set[tuple[str, date]] = set()
        for line, row in table.rows:
            video_id = _video_id(table.cell(row, "content"), line, result.problems)
            if video_id is None or line not in days:
                continue
            if days[line] > latest:
                result.problems.append(future_problem(line, "Date", days[line]))
                continue
            if (video_id, days[line]) in seen:
                result.problems.append(
                    RowProblem(
                        line,
                        "Date",
                        _("%(id)s on %(day)s appears more than once; this row is skipped.")
                        % {"id": video_id, "day": days[line].isoformat()},
                    )
                )
                continue
            seen.add((video_id, days[line]))
            metrics = _metrics(table, row, line, result.problems)
            if video_id not in videos:
                published = _publish_day(table, row, line, result.problems)
                if published is None:
                    continue
                videos[video_id] = (line, table.cell(row, "video title"), published, {})
            totals = videos[video_id][3]
            for key, value in metrics.items():
                totals[key] = totals.get(key, Decimal(0)) + value
        posts = Posts(result, "Content", "Video publish time")
        for video_id, (line, title, published, totals) in videos.items():
            if published < first_day:
                result.problems.append(
                    RowProblem(
                        line,
                        "Video publish time",
                        _(
                            "The video %(id)s was published on %(published)s, before this "
                            "chart's first day (%(first)s), so the views it had before then "
                            "are not in the file. Import Table data.csv for its lifetime "
                            "figures."
                        )
                        % {
                            "id": video_id,
                            "published": published.isoformat(),
                            "first": first_day.isoformat(),
                        },
                    )
                )
                continue
            posts.add(
                _video(video_id, title, published, {k: _tidy(v) for k, v in totals.items()}, line)
            )


class YouTubeTotals(CsvFormat):
    """``Totals.csv``: ``Date`` plus one column per chosen metric, a row a day."""

    key = "youtube_totals"
    platform = "youtube"
    description = Described(
        gettext_noop(
            "YouTube Studio Totals.csv: columns Date and metrics such as Views, Watch time "
            "(hours), Subscribers."
        )
    )
    what = gettext_noop("a YouTube Studio Totals.csv")
    required = ("date",)

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        return (
            file_stem(filename).startswith("totals")
            and len(header) > 1
            and header[0] == "date"
            and all(n in KNOWN or "(%)" in n or "average" in n for n in header[1:])
        )

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        if not column_map(table, {**METRICS, **SUBSCRIBER_PARTS}):
            raise _no_metric(_("YouTube Studio Totals.csv"))
        _daily(result, table)
        return result


IMPORTERS: list[Importer] = [YouTubeTableData(), YouTubeChartData(), YouTubeTotals()]

"""Meta Business Suite exports (Facebook Page and Instagram). Pure Python, no Django.

Formats:

* Content exports (``<Mon-DD-YYYY>_<Mon-DD-YYYY>_<asset id>.csv``): one row per post (or per
  video in the video export), ``Date`` = ``Lifetime``, ``Publish time`` = ``MM/DD/YYYY HH:MM``.
  The page's time zone is not in the file, so publish times are read as UTC.
* Per-metric daily chart exports (``Views.csv``, ``IG_REACH.csv`` …): UTF-16 with a
  ``sep=,`` line, a title line, then ``"Date","Primary"``; or the same re-saved by Excel
  (UTF-8 or cp1251, ``;``-separated, no ``sep=`` line). The date is the calendar date as
  written (``2025-11-03T01:00:00`` → 2025-11-03).
* Files "wrapped" by a re-saving tool (each record turned into one quoted field with ``""``
  inside) are un-wrapped before reading, as in the data README's repaired copies.

Mapping decisions:

* ``Views`` (Meta's successor of Impressions, counting repeat views) → ``impressions``; the
  older ``Impressions`` column likewise. Where ``Views`` appears twice, the first one counts.
* ``Viewers`` and ``Reach`` → ``reach``; ``Content interactions`` and ``Reactions, comments and
  shares`` → ``engagements``; ``Reactions``/``Likes`` → ``likes``; ``Visits``/``profile visits``
  → ``profile_visits``; ``3-second video views`` → ``video_views``; ``Seconds viewed`` →
  ``watch_time_minutes`` (÷ 60).
* ``Follows`` (the chart and the Instagram per-post column) counts new follows only, never
  unfollows (no value in the real files is negative), so it is not ``net_follower_growth``
  and no catalogue key fits: a Follows chart is recognised and reported as one problem with
  nothing imported. ``Total clicks`` has no catalogue key either and is ignored.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime
from decimal import Decimal

from converge.measurement.importers.base import (
    FormatError,
    ParsedPost,
    ParseResult,
    RowProblem,
)
from converge.measurement.importers.x import (
    Table,
    add_day,
    check_id,
    column_map,
    decode,
    decode_head,
    first_record,
    norm,
    number,
    read_metrics,
    read_table,
    records,
)

POST_METRICS = {
    "views": "impressions",
    "impressions": "impressions",
    "reach": "reach",
    "reactions, comments and shares": "engagements",
    "reactions": "likes",
    "likes": "likes",
    "comments": "comments",
    "shares": "shares",
    "saves": "saves",
    "link clicks": "link_clicks",
    "3-second video views": "video_views",
    "seconds viewed": "seconds",  # → watch_time_minutes
}
KINDS = {
    "photos": "image",
    "photo": "image",
    "videos": "video",
    "video": "video",
    "reels": "reel",
    "reel": "reel",
    "links": "link",
    "link": "link",
    "text": "post",
    "status": "post",
    "ig reel": "reel",
    "ig carousel": "carousel",
    "ig image": "image",
    "ig story": "story",
    "stories": "story",
}
# Chart titles, most specific first; None = recognised but without a catalogue key.
TITLES: tuple[tuple[str, str | None], ...] = (
    ("link clicks", "link_clicks"),
    ("visits", "profile_visits"),
    ("interactions", "engagements"),
    ("viewers", "reach"),
    ("reach", "reach"),
    ("views", "impressions"),
    ("impressions", "impressions"),
    ("follows", None),
)
CHART_WHAT = (
    "a Meta Business Suite chart export (a title line such as Views, Reach, Content "
    "interactions, Link clicks or Visits, then the columns Date and Primary)"
)


def unwrap(text: str) -> str:
    """Undo a re-save that wrapped each record into one quoted field; other text as is."""
    first = first_record(text)
    if len(first) != 1 or len(first_record(first[0])) < 2:
        return text
    rows = csv.reader(io.StringIO(text, newline=""))
    return "\n".join(",".join(row) for row in rows)


def head_names(head: bytes) -> list[str]:
    return [norm(c) for c in first_record(unwrap(decode_head(head)))]


def publish_time(raw: str) -> datetime:
    return datetime.strptime(raw.strip(), "%m/%d/%Y %H:%M").replace(tzinfo=UTC)


# --- content (per-post) exports -----------------------------------------------------------


class _MetaPosts:
    key = ""
    platform = ""
    description = ""
    what = ""
    id_columns: tuple[str, ...] = ()
    handle_column = ""

    def sniff(self, head: bytes, filename: str) -> bool:
        return self.matches(head_names(head))

    def matches(self, names: list[str]) -> bool:
        raise NotImplementedError

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        text = unwrap(decode(data))
        names = [norm(c) for c in first_record(text)]
        id_column = next((c for c in self.id_columns if c in names), self.id_columns[0])
        table = read_table(
            text,
            required=(id_column, "publish time"),
            what=self.what,
            problems=result.problems,
        )
        columns = column_map(table, POST_METRICS)
        for line, row in table.rows:
            post = self._post(table, row, line, id_column, columns, result.problems)
            if post is not None:
                result.posts.append(post)
        result.handle = next(
            (h for _, r in table.rows if (h := table.cell(r, self.handle_column))), ""
        )
        return result

    def _post(
        self,
        table: Table,
        row: list[str],
        line: int,
        id_column: str,
        columns: dict[int, str],
        problems: list[RowProblem],
    ) -> ParsedPost | None:
        raw_id, comment = table.cell(row, id_column), table.cell(row, "data comment")
        if not raw_id and comment:
            message = f"Meta gave no details for this row (“{comment}”), so it is skipped."
            problems.append(RowProblem(line, "Data comment", message))
            return None
        post_id = check_id(raw_id, line, table.raw_header[table.header.index(id_column)], problems)
        if post_id is None:
            return None
        raw_time = table.cell(row, "publish time")
        try:
            published = publish_time(raw_time)
        except ValueError:
            message = f"“{raw_time}” is not a publish time (expected MM/DD/YYYY HH:MM)."
            problems.append(RowProblem(line, "Publish time", message))
            return None
        metrics = read_metrics(table, row, line, columns, problems)
        seconds = metrics.pop("seconds", None)
        if seconds is not None:
            metrics["watch_time_minutes"] = (seconds / 60).quantize(Decimal("0.01"))
        return ParsedPost(
            external_id=post_id,
            published_at=published,
            text=table.cell(row, "description") or table.cell(row, "title"),
            kind=self._kind(table, row),
            link=table.cell(row, "permalink"),
            metrics=metrics,
            line=line,
        )

    def _kind(self, table: Table, row: list[str]) -> str:
        if "post type" not in table.header:
            return "video"  # the video export has no type column
        return KINDS.get(norm(table.cell(row, "post type")), "other")


class MetaFacebookPosts(_MetaPosts):
    """Facebook Page posts export and the Facebook video/reel export."""

    key = "meta_facebook_posts"
    platform = "facebook"
    description = (
        "Meta Business Suite Facebook content export (<Mon-DD-YYYY>_<Mon-DD-YYYY>_<id>.csv): "
        "columns Post ID (or Video asset ID), Page ID, Publish time, Views, Reach, …"
    )
    what = "a Meta Business Suite Facebook content export"
    id_columns = ("post id", "video asset id")
    handle_column = "page name"

    def matches(self, names: list[str]) -> bool:
        has_id = "video asset id" in names or "post id" in names
        return has_id and "page id" in names and "publish time" in names


class MetaInstagramPosts(_MetaPosts):
    key = "meta_instagram_posts"
    platform = "instagram"
    description = (
        "Meta Business Suite Instagram content export: columns Post ID, Account ID, "
        "Account username, Publish time, Post type, Views, Reach, Likes, …"
    )
    what = "a Meta Business Suite Instagram content export"
    id_columns = ("post id",)
    handle_column = "account username"

    def matches(self, names: list[str]) -> bool:
        return "post id" in names and "account id" in names and "publish time" in names


# --- per-metric daily chart exports -------------------------------------------------------


def chart_layout(text: str) -> tuple[int, str, str]:
    """(index of the title line, title, delimiter) of a chart export; FormatError if the
    text is not one."""
    lines = text.splitlines()
    start, delimiter = 0, ""
    if lines and lines[0].strip().lower().startswith("sep="):
        start, delimiter = 1, lines[0].strip()[4:5] or ","
    if len(lines) < start + 2:
        raise FormatError(f"The file is too short; expected {CHART_WHAT}.")
    header_line = lines[start + 1]
    if not delimiter:
        delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    header = [norm(c) for c in first_record(header_line, delimiter) if c.strip()]
    if header != ["date", "primary"]:
        raise FormatError(f"This is not {CHART_WHAT}.")
    title = next((c.strip() for c in first_record(lines[start], delimiter) if c.strip()), "")
    return start, title, delimiter


def chart_metric(title: str) -> str | None:
    name = norm(title)
    for words, key in TITLES:
        if words in name:
            return key
    raise FormatError(
        f"The chart “{title}” cannot be imported; expected Views, Viewers, Reach, Content "
        "interactions, Link clicks or Visits."
    )


def is_instagram(title: str, filename: str) -> bool:
    stem = filename.rsplit("/", 1)[-1].upper()
    return "instagram" in title.lower() or bool(re.match(r"IG[ _-]", stem))


def chart_day(raw: str) -> date:
    """``2025-11-03T01:00:00`` → 2025-11-03: the calendar date as written."""
    return date.fromisoformat(raw.strip()[:10])


class _MetaChart:
    key = ""
    platform = ""
    description = ""
    instagram = False

    def sniff(self, head: bytes, filename: str) -> bool:
        try:
            _start, title, _delimiter = chart_layout(decode_head(head))
        except FormatError:
            return False
        return is_instagram(title, filename) == self.instagram

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        text = decode(data)
        start, title, delimiter = chart_layout(text)
        metric = chart_metric(title)
        if metric is None:
            message = (
                f"“{title}” counts new follows without unfollows; Converge records net "
                "follower growth only, so nothing in this file was imported."
            )
            result.problems.append(RowProblem(start + 1, None, message))
            return result
        body = "\n".join(text.splitlines()[start + 2 :])
        seen: set[date] = set()
        for line, row in records(body, result.problems, delimiter, first_line=start + 3):
            self._row(result, seen, metric, line, row)
        return result

    @staticmethod
    def _row(result: ParseResult, seen: set[date], metric: str, line: int, row: list[str]) -> None:
        if not any(c.strip() for c in row):
            return
        if len(row) < 2 or not row[1].strip():
            message = "The value is missing; the file may be cut off."
            result.problems.append(RowProblem(line, "Primary", message))
            return
        try:
            day = chart_day(row[0])
        except ValueError:
            message = f"“{row[0].strip()}” is not a date (expected 2025-10-31T00:00:00)."
            result.problems.append(RowProblem(line, "Date", message))
            return
        try:
            value = number(row[1])
        except (ArithmeticError, ValueError):
            message = f"“{row[1].strip()}” is not a number."
            result.problems.append(RowProblem(line, "Primary", message))
            return
        if value is not None:
            add_day(result, seen, day, {metric: value}, line)


class MetaFacebookDaily(_MetaChart):
    key = "meta_facebook_daily"
    platform = "facebook"
    description = (
        "Meta Business Suite Facebook chart export (Views.csv, Reach.csv, Visits.csv, …): "
        "a sep=, line, a title line, then columns Date and Primary"
    )


class MetaInstagramDaily(_MetaChart):
    key = "meta_instagram_daily"
    platform = "instagram"
    description = (
        "Meta Business Suite Instagram chart export (IG_REACH.csv, IG VIEWS.csv, …): a sep=, "
        "line, a title line, then columns Date and Primary"
    )
    instagram = True


IMPORTERS = [MetaFacebookPosts(), MetaInstagramPosts(), MetaFacebookDaily(), MetaInstagramDaily()]

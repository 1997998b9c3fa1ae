"""X/Twitter Analytics exports, legacy (analytics.twitter.com, to about 2023) and 2024+
(X Premium account analytics). Pure Python, no Django.

Mapping decisions (documented here because the formats are ambiguous):

* Legacy ``retweets`` and 2024+ ``Reposts`` → ``shares`` (public amplification, as the
  catalogue's "shares, reposts and retweets"). The 2024+ ``Share``/``Shares`` column counts
  private shares (direct message, copy link) that legacy files never counted; it is ignored so
  that ``shares`` means the same thing in both generations.
* ``media views`` (legacy) and ``Video views`` (2024+ overview) → ``video_views``; the 2024+
  ``Media views`` column has no catalogue key and is ignored.
* Per-post ``New follows`` and legacy ``follows`` are gross follows with no unfollows, so no
  catalogue key fits; they are ignored. The 2024+ daily overview has both ``New follows`` and
  ``Unfollows``, so ``net_follower_growth`` = new follows − unfollows there.
* 2024+ per-post files only give the calendar day; the publish time is taken from the post id
  (an X "snowflake" id holds its creation time) when that agrees with the day, otherwise
  midnight UTC of the day.

The small tabular helpers here (decoding, numbers, header handling) are shared with
``meta.py``."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from converge.measurement.importers.base import (
    FormatError,
    ParsedObservation,
    ParsedPost,
    ParseResult,
    RowProblem,
)

# --- shared tabular helpers -------------------------------------------------------------


def decode(data: bytes, fallback: str = "cp1251") -> str:
    """UTF-16 with a BOM, else UTF-8 (BOM optional), else ``fallback`` (cp1251: an Excel
    re-save of a platform export)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(fallback)


def decode_head(head: bytes) -> str:
    """Like ``decode`` but for a possibly cut-off first chunk of a file (sniffing)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[: len(head) // 2 * 2].decode("utf-16", errors="ignore")
    return head.decode("utf-8-sig", errors="ignore")


def norm(name: str) -> str:
    """A header name compared case- and space-insensitively."""
    return " ".join(name.replace("\ufeff", "").strip().lower().split())


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
    a problem instead of an exception."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = first_line
    try:
        for row in reader:
            yield start, row
            start = first_line + reader.line_num
    except csv.Error as exc:
        problems.append(
            RowProblem(start, None, f"The file cannot be read from this line on ({exc}).")
        )


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
    """Header plus the rows whose cell count matches it; other rows become problems."""
    aliases = aliases or {}
    rows = records(text, problems, delimiter, first_line)
    found = next(((n, r) for n, r in rows if any(c.strip() for c in r)), None)
    if found is None:
        raise FormatError(f"The file is empty; expected {what}.")
    raw = found[1]
    header = [aliases.get(norm(c), norm(c)) for c in raw]
    missing = [name for name in required if name not in header]
    if missing:
        raise FormatError(f"This is not {what}: the column(s) {', '.join(missing)} are missing.")
    table = Table(header, [c.strip().lstrip("\ufeff") for c in raw], [])
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            problems.append(
                RowProblem(
                    line,
                    None,
                    f"The row has {len(row)} cells but the header has {len(header)}; "
                    "the file may be cut off or damaged.",
                )
            )
            continue
        table.rows.append((line, row))
    return table


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
) -> dict[str, Decimal]:
    """The row's metric values; a cell that is not a number becomes a problem and is left
    out (the rest of the row still counts)."""
    metrics: dict[str, Decimal] = {}
    for index, key in columns.items():
        raw = row[index]
        try:
            value = number(raw)
        except (InvalidOperation, ValueError):
            problems.append(
                RowProblem(line, table.raw_header[index], f"“{raw.strip()}” is not a number.")
            )
            continue
        if value is not None:
            metrics[key] = value
    return metrics


def sniff_header(head: bytes, delimiter: str = ",") -> list[str]:
    return [norm(c) for c in first_record(decode_head(head), delimiter)]


def check_id(raw: str, line: int, column: str, problems: list[RowProblem]) -> str | None:
    """Post ids are text; a spreadsheet may have turned them into floats (``5.70306E+17``)."""
    text = raw.strip()
    if text.isdigit():
        return text
    if re.fullmatch(r"[\d.]+(E\+?\d+)?", text, flags=re.IGNORECASE) and text:
        message = (
            f"The id “{text}” was turned into a number by a spreadsheet; the exact id is lost."
        )
    else:
        message = f"“{text}” is not a post id." if text else "The post id is empty."
    problems.append(RowProblem(line, column, message))
    return None


def observations(day: date, metrics: dict[str, Decimal], line: int) -> list[ParsedObservation]:
    return [ParsedObservation(day=day, metric=k, value=v, line=line) for k, v in metrics.items()]


# --- X specifics --------------------------------------------------------------------------

LEGACY_METRICS = {
    "impressions": "impressions",
    "engagements": "engagements",
    "retweets": "shares",
    "replies": "comments",
    "likes": "likes",
    "favorites": "likes",  # exports from before about 2015
    "url clicks": "link_clicks",
    "user profile clicks": "profile_visits",
    "media views": "video_views",
}
MODERN_METRICS = {
    "impressions": "impressions",
    "likes": "likes",
    "engagements": "engagements",
    "bookmarks": "saves",
    "reposts": "shares",
    "replies": "comments",
    "profile visits": "profile_visits",
    "url clicks": "link_clicks",
}
MODERN_ALIASES = {"post link": "link", "shares": "share"}
OVERVIEW_METRICS = {
    **{k: v for k, v in MODERN_METRICS.items() if k != "url clicks"},
    "create post": "posts",
    "video views": "video_views",
}
MODERN_DATE_FORMATS = ("%a, %b %d, %Y", "%a %b %d %Y", "%b %d, %Y", "%Y-%m-%d")
SNOWFLAKE_EPOCH_MS = 1288834974657
HANDLE_IN_LINK = re.compile(r"(?:twitter|x)\.com/([A-Za-z0-9_]{1,15})/status/")
HANDLE_IN_NAME = re.compile(r"tweet_activity_metrics_(.+?)_\d{8}_\d{8}")


def parse_modern_day(raw: str) -> date:
    text = " ".join(raw.split())
    for fmt in MODERN_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


def snowflake_time(post_id: str, day: date) -> datetime:
    """The creation time held in an X id, if it lies within a day of ``day``."""
    stamp = datetime.fromtimestamp(((int(post_id) >> 22) + SNOWFLAKE_EPOCH_MS) / 1000, tz=UTC)
    if abs(stamp.date() - day) <= timedelta(days=1):
        return stamp.replace(microsecond=0)
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def handle_from_links(links: Iterable[str]) -> str:
    for link in links:
        match = HANDLE_IN_LINK.search(link)
        if match:
            return match.group(1)
    return ""


def day_problem(line: int, column: str, raw: str, expected: str) -> RowProblem:
    return RowProblem(line, column, f"“{raw}” is not a date (expected {expected}).")


def add_day(
    result: ParseResult, seen: set[date], day: date, metrics: dict[str, Decimal], line: int
) -> None:
    """Add a day's observations; a day seen before in the same file is reported, not added."""
    if day in seen:
        result.problems.append(
            RowProblem(
                line, None, f"{day.isoformat()} appears more than once; this row is skipped."
            )
        )
        return
    seen.add(day)
    result.observations.extend(observations(day, metrics, line))


class XTweetActivity:
    """Legacy per-tweet ``tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv``."""

    key = "x_tweet_activity"
    platform = "x"
    description = (
        "X/Twitter legacy per-tweet export (tweet_activity_metrics_….csv): columns "
        "Tweet id, Tweet permalink, Tweet text, time, impressions, engagements, …"
    )
    required = ("tweet id", "time", "impressions")

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        return all(n in header for n in self.required)

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        table = read_table(
            decode(data),
            required=self.required,
            what="an X tweet activity export",
            problems=result.problems,
        )
        columns = column_map(table, LEGACY_METRICS)
        for line, row in table.rows:
            post = self._post(table, row, line, columns, result.problems)
            if post is not None:
                result.posts.append(post)
        links = (p.link for p in result.posts)
        match = HANDLE_IN_NAME.search(filename)
        result.handle = handle_from_links(links) or (match.group(1) if match else "")
        return result

    def _post(
        self,
        table: Table,
        row: list[str],
        line: int,
        columns: dict[int, str],
        problems: list[RowProblem],
    ) -> ParsedPost | None:
        post_id = check_id(table.cell(row, "tweet id"), line, "Tweet id", problems)
        raw_time = table.cell(row, "time")
        try:
            published = datetime.strptime(raw_time, "%Y-%m-%d %H:%M %z")
        except ValueError:
            problems.append(day_problem(line, "time", raw_time, "2016-12-23 18:50 +0000"))
            return None
        if post_id is None:
            return None
        return ParsedPost(
            external_id=post_id,
            published_at=published,
            text=table.cell(row, "tweet text"),
            kind="post",
            link=table.cell(row, "tweet permalink"),
            metrics=read_metrics(table, row, line, columns, problems),
            line=line,
        )


class XDailyTweetActivity:
    """Legacy daily ``daily_tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv``."""

    key = "x_daily_tweet_activity"
    platform = "x"
    description = (
        "X/Twitter legacy daily export (daily_tweet_activity_metrics_….csv): columns "
        "Date, Tweets published, impressions, engagements, …"
    )
    required = ("date", "tweets published", "impressions")

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        return all(n in header for n in self.required)

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        table = read_table(
            decode(data),
            required=self.required,
            what="an X daily tweet activity export",
            problems=result.problems,
        )
        columns = column_map(table, {**LEGACY_METRICS, "tweets published": "posts"})
        seen: set[date] = set()
        for line, row in table.rows:
            raw_day = table.cell(row, "date")
            try:
                day = date.fromisoformat(raw_day)
            except ValueError:
                result.problems.append(day_problem(line, "Date", raw_day, "YYYY-MM-DD"))
                continue
            metrics = read_metrics(table, row, line, columns, result.problems)
            add_day(result, seen, day, metrics, line)
        match = HANDLE_IN_NAME.search(filename)
        result.handle = match.group(1) if match else ""
        return result


class XAccountContent:
    """2024+ per-post ``account_analytics_content_<from>_<to>.csv``."""

    key = "x_account_content"
    platform = "x"
    description = (
        "X account analytics per-post export (account_analytics_content_….csv): columns "
        "Post id, Date, Post text, Link/Post Link, Impressions, Likes, Engagements, …"
    )
    required = ("post id", "date", "impressions")

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        return all(n in header for n in (*self.required, "post text"))

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        table = read_table(
            decode(data),
            required=self.required,
            what="an X account analytics content export",
            problems=result.problems,
            aliases=MODERN_ALIASES,
        )
        columns = column_map(table, MODERN_METRICS)
        for line, row in table.rows:
            post = self._post(table, row, line, columns, result.problems)
            if post is not None:
                result.posts.append(post)
        result.handle = handle_from_links(p.link for p in result.posts)
        return result

    def _post(
        self,
        table: Table,
        row: list[str],
        line: int,
        columns: dict[int, str],
        problems: list[RowProblem],
    ) -> ParsedPost | None:
        post_id = check_id(table.cell(row, "post id"), line, "Post id", problems)
        raw_day = table.cell(row, "date")
        try:
            day = parse_modern_day(raw_day)
        except ValueError:
            problems.append(day_problem(line, "Date", raw_day, "“Thu, Mar 20, 2025”"))
            return None
        if post_id is None:
            return None
        return ParsedPost(
            external_id=post_id,
            published_at=snowflake_time(post_id, day),
            text=table.cell(row, "post text"),
            kind="post",
            link=table.cell(row, "link"),
            metrics=read_metrics(table, row, line, columns, problems),
            line=line,
        )


class XAccountOverview:
    """2024+ daily ``account_overview_analytics.csv`` (newest first; appended exports are
    fine, a repeated day is reported)."""

    key = "x_account_overview"
    platform = "x"
    description = (
        "X account analytics daily overview (account_overview_analytics.csv): columns Date, "
        "Impressions, Likes, Engagements, Bookmarks, Shares, New follows, Unfollows, …"
    )
    required = ("date", "impressions", "new follows")

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        return (
            all(n in header for n in self.required)
            and "post id" not in header
            and ("unfollows" in header or "create post" in header)
        )

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result = ParseResult(format=self.key, platform=self.platform)
        table = read_table(
            decode(data),
            required=self.required,
            what="an X account overview export",
            problems=result.problems,
            aliases=MODERN_ALIASES,
        )
        columns = column_map(table, OVERVIEW_METRICS)
        follows = column_map(table, {"new follows": "new", "unfollows": "lost"})
        seen: set[date] = set()
        for line, row in table.rows:
            raw_day = table.cell(row, "date")
            try:
                day = parse_modern_day(raw_day)
            except ValueError:
                result.problems.append(day_problem(line, "Date", raw_day, "“Thu, Sep 11, 2025”"))
                continue
            metrics = read_metrics(table, row, line, columns, result.problems)
            metrics.update(self._net_growth(table, row, line, follows, result.problems))
            add_day(result, seen, day, metrics, line)
        return result

    @staticmethod
    def _net_growth(
        table: Table,
        row: list[str],
        line: int,
        follows: dict[int, str],
        problems: list[RowProblem],
    ) -> dict[str, Decimal]:
        values = read_metrics(table, row, line, follows, problems)
        if "new" in values and "lost" in values:
            return {"net_follower_growth": values["new"] - values["lost"]}
        return {}


IMPORTERS = [XTweetActivity(), XDailyTweetActivity(), XAccountContent(), XAccountOverview()]

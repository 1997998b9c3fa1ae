"""X/Twitter Analytics exports, legacy (analytics.twitter.com, to about 2023) and 2024+
(X Premium account analytics). Pure functions, no database.

Mapping decisions (documented here because the formats are ambiguous):

* Legacy ``retweets`` and 2024+ ``Reposts`` → ``shares`` (public amplification, as the
  catalogue's "shares, reposts and retweets"). The 2024+ ``Share``/``Shares`` column counts
  private shares (direct message, copy link) that legacy files never counted; it is ignored so
  that ``shares`` means the same thing in both generations.
* ``media views`` (legacy) and ``Video views`` (2024+ overview) → ``video_views``; the 2024+
  ``Media views`` column has no catalogue key and is ignored.
* Per-post ``New follows`` and legacy ``follows`` are follows a post brought; they are
  ignored (``new_followers`` is a channel's daily figure). The 2024+ daily overview has both
  ``New follows`` and ``Unfollows``, so ``net_follower_growth`` = new follows − unfollows
  there.
* 2024+ per-post files only give the calendar day; the publish time is taken from the post id
  (an X "snowflake" id holds its creation time) when that agrees with the day, otherwise
  midnight UTC of the day.
* The 2024+ daily overview's ``New follows`` is also kept as it is → ``new_followers``
  (gross new follows).

The tabular helpers (decoding, numbers, header handling) live in ``tabular.py``."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext_noop

from converge.measurement.importers.base import Importer, ParsedPost, ParseResult, RowProblem
from converge.measurement.importers.tabular import (
    CsvFormat,
    Described,
    Table,
    add_posts,
    check_id,
    column_map,
    daily_rows,
    day_problem,
    has_columns,
    read_metrics,
    sniff_header,
)

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
    "new follows": "new_followers",
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


class XTweetActivity(CsvFormat):
    """Legacy per-tweet ``tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv``."""

    key = "x_tweet_activity"
    platform = "x"
    description = Described(
        gettext_noop(
            "X/Twitter legacy per-tweet export (tweet_activity_metrics_….csv): columns "
            "Tweet id, Tweet permalink, Tweet text, time, impressions, engagements, …"
        )
    )
    what = gettext_noop("an X tweet activity export")
    required = ("tweet id", "time", "impressions")

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        columns = column_map(table, LEGACY_METRICS)
        add_posts(
            result,
            table,
            lambda row, line: self.post(table, columns, row, line, result.problems),
            "Tweet id",
            "time",
        )
        links = (p.link for p in result.posts)
        match = HANDLE_IN_NAME.search(filename)
        result.handle = handle_from_links(links) or (match.group(1) if match else "")
        return result

    @staticmethod
    def post(
        table: Table,
        columns: dict[int, str],
        row: list[str],
        line: int,
        problems: list[RowProblem],
    ) -> ParsedPost | None:
        """One row's post (the streaming reader uses it for rows it does not take whole)."""
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


class XDailyTweetActivity(CsvFormat):
    """Legacy daily ``daily_tweet_activity_metrics_<handle>_<from>_<to>_<lang>.csv``."""

    key = "x_daily_tweet_activity"
    platform = "x"
    description = Described(
        gettext_noop(
            "X/Twitter legacy daily export (daily_tweet_activity_metrics_….csv): columns "
            "Date, Tweets published, impressions, engagements, …"
        )
    )
    what = gettext_noop("an X daily tweet activity export")
    required = ("date", "tweets published", "impressions")

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        columns = column_map(table, {**LEGACY_METRICS, "tweets published": "posts"})
        daily_rows(
            result,
            table,
            date.fromisoformat,
            "Date",
            "YYYY-MM-DD",
            lambda row, line: read_metrics(table, row, line, columns, result.problems),
        )
        match = HANDLE_IN_NAME.search(filename)
        result.handle = match.group(1) if match else ""
        return result


class XAccountContent(CsvFormat):
    """2024+ per-post ``account_analytics_content_<from>_<to>.csv``."""

    key = "x_account_content"
    platform = "x"
    description = Described(
        gettext_noop(
            "X account analytics per-post export (account_analytics_content_….csv): columns "
            "Post id, Date, Post text, Link/Post Link, Impressions, Likes, Engagements, …"
        )
    )
    what = gettext_noop("an X account analytics content export")
    required = ("post id", "date", "impressions")
    aliases = MODERN_ALIASES

    def sniff(self, head: bytes, filename: str) -> bool:
        return has_columns(head, (*self.required, "post text"))

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        columns = column_map(table, MODERN_METRICS)

        def post(row: list[str], line: int) -> ParsedPost | None:
            post_id = check_id(table.cell(row, "post id"), line, "Post id", result.problems)
            raw_day = table.cell(row, "date")
            try:
                day = parse_modern_day(raw_day)
            except ValueError:
                result.problems.append(day_problem(line, "Date", raw_day, "“Thu, Mar 20, 2025”"))
                return None
            if post_id is None:
                return None
            return ParsedPost(
                external_id=post_id,
                published_at=snowflake_time(post_id, day),
                text=table.cell(row, "post text"),
                kind="post",
                link=table.cell(row, "link"),
                metrics=read_metrics(table, row, line, columns, result.problems),
                line=line,
            )

        add_posts(result, table, post, "Post id", "Date")
        result.handle = handle_from_links(p.link for p in result.posts)
        return result


class XAccountOverview(CsvFormat):
    """2024+ daily ``account_overview_analytics.csv`` (newest first; appended exports are
    fine, a repeated day is reported)."""

    key = "x_account_overview"
    platform = "x"
    description = Described(
        gettext_noop(
            "X account analytics daily overview (account_overview_analytics.csv): columns "
            "Date, Impressions, Likes, Engagements, Bookmarks, Shares, New follows, "
            "Unfollows, …"
        )
    )
    what = gettext_noop("an X account overview export")
    required = ("date", "impressions", "new follows")
    aliases = MODERN_ALIASES

    def sniff(self, head: bytes, filename: str) -> bool:
        header = sniff_header(head)
        return (
            has_columns(head, self.required)
            and "post id" not in header
            and ("unfollows" in header or "create post" in header)
        )

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        columns = column_map(table, OVERVIEW_METRICS)
        unfollows = column_map(table, {"unfollows": "lost"})

        def metrics(row: list[str], line: int) -> dict[str, Decimal]:
            values = read_metrics(table, row, line, columns, result.problems)
            lost = read_metrics(table, row, line, unfollows, result.problems).get("lost")
            if "new_followers" in values and lost is not None:
                values["net_follower_growth"] = values["new_followers"] - lost
            return values

        daily_rows(result, table, parse_modern_day, "Date", "“Thu, Sep 11, 2025”", metrics)
        return result


IMPORTERS: list[Importer] = [
    XTweetActivity(),
    XDailyTweetActivity(),
    XAccountContent(),
    XAccountOverview(),
]

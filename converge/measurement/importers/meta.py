"""Meta Business Suite exports (Facebook Page and Instagram). Pure functions, no database.

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
* ``Follows`` charts count new follows only, never unfollows (no value in the real files is
  negative), so they are not ``net_follower_growth``: they are imported as
  ``new_followers`` (gross new follows). ``IG_FOLLOWS.csv`` leaves out the days without a
  follow; no observation is made for them (a missing day is not a zero the file states).
  The Instagram per-post ``Follows`` column is ignored (``new_followers`` is a channel's
  daily figure). ``Total clicks`` has no catalogue key and is ignored.
* ``Audience.csv`` and ``Top content formats.csv``: see ``MetaAudience`` and
  ``MetaTopContentFormats`` for what is imported from them and why.
"""

from __future__ import annotations

import csv
import io
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
    Described,
    Table,
    add_day,
    add_posts,
    check_id,
    column_map,
    day_problem,
    decode,
    decode_head,
    file_stem,
    first_record,
    guess_delimiter,
    looks_like_header,
    norm,
    not_a_number,
    number,
    pasted_problem,
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
# Chart titles, most specific first.
TITLES: tuple[tuple[str, str], ...] = (
    ("link clicks", "link_clicks"),
    ("visits", "profile_visits"),
    ("interactions", "engagements"),
    ("viewers", "reach"),
    ("reach", "reach"),
    ("views", "impressions"),
    ("impressions", "impressions"),
    ("follows", "new_followers"),
)


def chart_what() -> str:
    return _(
        "a Meta Business Suite chart export (a title line such as Views, Reach, Content "
        "interactions, Link clicks, Visits or Follows, then the columns Date and Primary)"
    )


def unwrap(text: str) -> str:
    """Undo a re-save that wrapped each record into one quoted field; other text as is."""
    first = first_record(text)
    if len(first) != 1 or len(first_record(first[0])) < 2:
        return text
    rows = csv.reader(io.StringIO(text, newline=""))
    return "\n".join(",".join(row) for row in rows)


def head_names(head: bytes) -> list[str]:
    text = unwrap(decode_head(head))
    return [norm(c) for c in first_record(text, guess_delimiter(text.split("\n", 1)[0]))]


def publish_time(raw: str) -> datetime:
    return datetime.strptime(raw.strip(), "%m/%d/%Y %H:%M").replace(tzinfo=UTC)


# --- content (per-post) exports -----------------------------------------------------------


class _MetaPosts:
    key = ""
    platform = ""
    description = Described("")
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
        delimiter = guess_delimiter(text.split("\n", 1)[0])  # ; after an Excel re-save
        names = [norm(c) for c in first_record(text, delimiter)]
        id_column = next((c for c in self.id_columns if c in names), self.id_columns[0])
        table = read_table(
            text,
            required=(id_column, "publish time"),
            what=_(self.what),
            problems=result.problems,
            delimiter=delimiter,
        )
        columns = column_map(table, POST_METRICS)
        add_posts(
            result,
            table,
            lambda row, line: self._post(table, row, line, id_column, columns, result.problems),
            table.raw_header[table.header.index(id_column)],
            "Publish time",
        )
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
            message = _("Meta gave no details for this row (“%(comment)s”), so it is skipped.")
            problems.append(RowProblem(line, "Data comment", message % {"comment": comment}))
            return None
        post_id = check_id(raw_id, line, table.raw_header[table.header.index(id_column)], problems)
        if post_id is None:
            return None
        raw_time = table.cell(row, "publish time")
        try:
            published = publish_time(raw_time)
        except ValueError:
            problems.append(day_problem(line, "Publish time", raw_time, "MM/DD/YYYY HH:MM"))
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
    description = Described(
        gettext_noop(
            "Meta Business Suite Facebook content export "
            "(<Mon-DD-YYYY>_<Mon-DD-YYYY>_<id>.csv): columns Post ID (or Video asset ID), "
            "Page ID, Publish time, Views, Reach, …"
        )
    )
    what = gettext_noop("a Meta Business Suite Facebook content export")
    id_columns = ("post id", "video asset id")
    handle_column = "page name"

    def matches(self, names: list[str]) -> bool:
        has_id = "video asset id" in names or "post id" in names
        return has_id and "page id" in names and "publish time" in names


class MetaInstagramPosts(_MetaPosts):
    key = "meta_instagram_posts"
    platform = "instagram"
    description = Described(
        gettext_noop(
            "Meta Business Suite Instagram content export: columns Post ID, Account ID, "
            "Account username, Publish time, Post type, Views, Reach, Likes, …"
        )
    )
    what = gettext_noop("a Meta Business Suite Instagram content export")
    id_columns = ("post id",)
    handle_column = "account username"

    def matches(self, names: list[str]) -> bool:
        return "post id" in names and "account id" in names and "publish time" in names


# --- per-metric daily chart exports -------------------------------------------------------


def _is_chart_header(line: str, delimiter: str) -> bool:
    return [norm(c) for c in first_record(line, delimiter) if c.strip()] == ["date", "primary"]


def chart_layout(text: str) -> tuple[int, str, str]:
    """(index of the title line, title, delimiter) of a chart export; FormatError if the
    text is not one."""
    lines = text.splitlines()
    start, delimiter = 0, ""
    if lines and lines[0].strip().lower().startswith("sep="):
        start, delimiter = 1, lines[0].strip()[4:5] or ","
    if len(lines) < start + 2:
        raise FormatError(_("The file is too short; expected %(what)s.") % {"what": chart_what()})
    header_line = lines[start + 1]
    delimiter = delimiter or guess_delimiter(header_line)
    if not _is_chart_header(header_line, delimiter):
        raise FormatError(_("This is not %(what)s.") % {"what": chart_what()})
    title = next((c.strip() for c in first_record(lines[start], delimiter) if c.strip()), "")
    return start, title, delimiter


def chart_metric(title: str) -> str:
    name = norm(title)
    for words, key in TITLES:
        if words in name:
            return key
    raise FormatError(
        _(
            "The chart “%(title)s” cannot be imported; expected Views, Viewers, Reach, Content "
            "interactions, Link clicks, Visits or Follows."
        )
        % {"title": title}
    )


def is_instagram(title: str, filename: str) -> bool:
    stem = file_stem(filename).upper()
    return "instagram" in title.lower() or bool(re.match(r"IG[ _-]", stem))


def chart_day(raw: str) -> date:
    """``2025-11-03T01:00:00`` → 2025-11-03: the calendar date as written."""
    return date.fromisoformat(raw.strip()[:10])


def chart_rows(
    result: ParseResult, metric: str, body: str, delimiter: str, first_line: int
) -> None:
    """The ``Date``/``Primary`` rows of one chart; the header of an export pasted below
    them ends the chart with a problem."""
    seen: set[date] = set()
    for line, row in records(body, result.problems, delimiter, first_line=first_line):
        if not any(c.strip() for c in row):
            continue
        if looks_like_header(row, delimiter):
            result.problems.append(pasted_problem(line, row))
            return
        if len(row) < 2 or not row[1].strip():
            message = _("The value is missing; the file may be cut off.")
            result.problems.append(RowProblem(line, "Primary", message))
            continue
        try:
            day = chart_day(row[0])
        except ValueError:
            result.problems.append(day_problem(line, "Date", row[0].strip(), "2025-10-31T00:00:00"))
            continue
        try:
            value = number(row[1])
        except (ArithmeticError, ValueError):
            result.problems.append(not_a_number(line, "Primary", row[1]))
            continue
        if value is not None:
            add_day(result, seen, day, {metric: value}, line, "Date")


class _MetaChart:
    key = ""
    platform = ""
    description = Described("")
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
        body = "\n".join(text.splitlines()[start + 2 :])
        chart_rows(result, metric, body, delimiter, first_line=start + 3)
        return result


class MetaFacebookDaily(_MetaChart):
    key = "meta_facebook_daily"
    platform = "facebook"
    description = Described(
        gettext_noop(
            "Meta Business Suite Facebook chart export (Views.csv, Reach.csv, Visits.csv, "
            "Follows.csv, …): a sep=, line, a title line, then columns Date and Primary"
        )
    )


class MetaInstagramDaily(_MetaChart):
    key = "meta_instagram_daily"
    platform = "instagram"
    description = Described(
        gettext_noop(
            "Meta Business Suite Instagram chart export (IG_REACH.csv, IG VIEWS.csv, …): a "
            "sep=, line, a title line, then columns Date and Primary"
        )
    )
    instagram = True


# --- the audience page and the content-format summary ----------------------------------------

AUDIENCE_SECTIONS = ("age & gender", "top towns/cities", "top countries", "top cities")


class MetaAudience:
    """``Audience.csv``: age & gender, top towns/cities and top countries (shares of the
    audience at the time of export), a Follows chart, then top Pages the audience also
    follows. Only the Follows chart is a daily figure: it is imported as ``new_followers``.
    The other sections have no day and no catalogue key, and an Excel re-save often turns
    their percentages into dates (``3.апр``), so they are skipped; a file with no Follows
    section is rejected with a message that says so."""

    key = "meta_audience"
    platform = "facebook"
    description = Described(
        gettext_noop(
            "Meta Business Suite audience export (Audience.csv): sections Age & gender, Top "
            "towns/cities, Top countries and a Follows chart (Date, Primary)"
        )
    )

    def sniff(self, head: bytes, filename: str) -> bool:
        text = decode_head(head)
        lines = text.splitlines()
        if not lines:
            return False
        first = first_record(lines[0], guess_delimiter(lines[0]))
        return bool(first) and norm(first[0]) in AUDIENCE_SECTIONS

    def parse(self, data: bytes, filename: str) -> ParseResult:
        text = decode(data)
        lines = text.splitlines()
        delimiter = guess_delimiter(lines[0]) if lines else ","
        for index in range(1, len(lines)):
            if not _is_chart_header(lines[index], delimiter):
                continue
            title = next((c.strip() for c in first_record(lines[index - 1], delimiter)), "")
            if chart_metric(title) != "new_followers":
                continue
            result = ParseResult(
                format=self.key,
                platform="instagram" if is_instagram(title, filename) else self.platform,
            )
            section = lines[index + 1 :]
            end = next((n for n, ln in enumerate(section) if not ln.strip(delimiter + " ")), None)
            body = "\n".join(section[:end])  # up to the next section (Top Pages …)
            chart_rows(result, "new_followers", body, delimiter, first_line=index + 2)
            return result
        raise FormatError(
            _(
                "This Meta audience export has no Follows chart (a Follows line, then the "
                "columns Date and Primary). The rest of it, the audience's age & gender, towns "
                "and countries, are shares at the time of export, not daily figures, and "
                "Converge does not import them. For daily figures import the chart exports "
                "instead, such as Follows.csv, Reach.csv or Views.csv."
            )
        )


class MetaTopContentFormats:
    """``Top content formats.csv``: views, content interactions and published content per
    format (Reels, Photos, Links…) summed over the whole period, with no day and no post.
    Converge stores daily figures and posts, so the file is recognised and rejected with a
    message naming the content export, which holds every post with its type, views and
    interactions and so gives the same split."""

    key = "meta_top_content_formats"
    platform = "facebook"
    description = Described(
        gettext_noop(
            "Meta Business Suite Top content formats.csv: sections Views, Content "
            "interactions and Published content, one column per format (Reels, Photos, …)"
        )
    )
    formats = {"reels", "photos", "multi-photo", "links", "text", "stories", "others", "videos"}

    def sniff(self, head: bytes, filename: str) -> bool:
        lines = decode_head(head).splitlines()
        if len(lines) < 2:
            return False
        delimiter = guess_delimiter(lines[1])
        title = [norm(c) for c in first_record(lines[0], delimiter) if c.strip()]
        names = {norm(c) for c in first_record(lines[1], delimiter) if c.strip()}
        return len(title) == 1 and len(names) >= 2 and names <= self.formats

    def parse(self, data: bytes, filename: str) -> ParseResult:
        raise FormatError(
            _(
                "This is Meta's Top content formats summary: views and interactions per "
                "content format added up over the whole period, with no days and no posts, "
                "so Converge cannot store it. Import the content export "
                "(<Mon-DD-YYYY>_<Mon-DD-YYYY>_<id>.csv) instead: it has every post with its "
                "type, views and interactions."
            )
        )


IMPORTERS: list[Importer] = [
    MetaFacebookPosts(),
    MetaInstagramPosts(),
    MetaFacebookDaily(),
    MetaInstagramDaily(),
    MetaAudience(),
    MetaTopContentFormats(),
]

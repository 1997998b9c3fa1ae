"""TikTok analytics downloads. Pure functions, no database.

Two families:

* **TikTok Studio (creator) CSVs** — ``Overview.csv``, ``Viewers.csv``, ``Content*.csv`` and
  ``Followers_<handle>/FollowerHistory.csv``: UTF-8 with a BOM, every field quoted, and dates
  **without a year** (``"February 28"``, localised as ``"28 апреля"`` or ``"8. Juli"``).
* **Business-account sheets converted to CSV** — ``TIKTOK_RAW.csv`` (daily),
  ``TIKTOK_AUDIENCE_RAW.csv`` (daily followers) and ``TIKTOK_VIDEO_RAW.csv`` (per video), with
  ``2025/10/31`` dates and ``NAN``/``--`` for missing values.

``undefined``, ``NAN``, ``N/A``, ``--`` and ``-`` mean "no value": no observation is made,
never a zero.

**The year rule** for dates without a year. Daily files run oldest first and end on the last
day before the download. The last row's year is

1. a year written in the file name (``Overview_2025-03-01.csv`` → 2025; with two dates in the
   name, the later one), else
2. the latest year in which that day is not after today (the day of the import, UTC).

Going up the file from the last row, the year drops by one whenever the month and day go
*up* (``January 2`` above ``December 31``). ``February 29`` in a year that is not a leap
year is reported as a problem. In ``Content*.csv`` the ``Time`` column is the download day
(same rule); each ``Post time`` is the latest date on or before it. The publish time itself
comes from the video id when it agrees with that day: a TikTok id holds its creation time
(Unix seconds in the top 32 bits), which also gives the hour.

Mapping decisions:

* ``Video Views`` → ``video_views``; ``Profile Views`` → ``profile_visits``; ``Likes``,
  ``Comments``, ``Shares`` as named; ``Total Viewers`` and ``Reached audience`` (unique
  people a day) → ``reach``; ``Add to Favorites`` → ``saves``; ``Leads submission`` →
  ``leads``.
* ``Followers``/``Total followers`` → ``followers``; ``Difference in followers from previous
  day`` and ``Net growth`` → ``net_follower_growth``; ``New followers`` (gross, no
  unfollows) → ``new_followers``. ``New``/``Returning Viewers``, ``Engaged audience``,
  ``Lost followers`` (implied by the two above) and ``Phone number clicks`` are ignored.
* ``FollowerActivity.csv`` (followers online in each hour of the last week: when to post,
  not a daily figure, and hours cannot be added up into a day), ``FollowerGender.csv`` and
  ``FollowerTopTerritories.csv`` (shares of the audience at download time, with no day) are
  recognised and **rejected** with a message that says what the file is and to import
  ``FollowerHistory.csv`` for daily followers: Converge stores daily figures and posts, not
  audience distributions.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
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
    Table,
    add_day,
    add_posts,
    column_map,
    daily_rows,
    day_problem,
    has_columns,
    no_values_problem,
    number,
    read_metrics,
    sniff_header,
)

MISSING = {"undefined", "nan", "n/a", "--", "-", "null", "none"}

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    (
        "january jan janv ene januar janvier janv enero ene gennaio gen janeiro januari januarie "
        "января январь января stycznia січня ocak",
        "february feb februar février févr fevrier febrero febbraio feb fevereiro "
        "fev februari februarie февраля февраль лютого lutego şubat",
        "march mar mär märz maerz mars marzo março marco maart martie марта март "
        "березня marca mart",
        "april apr avr abr avril abril aprile apr april aprilie апреля апрель "
        "квітня kwietnia nisan",
        "may mai mayo maggio maio mei maj мая май травня maja mayıs",
        "june jun juni juin junio giugno junho iunie июня июнь червня czerwca haziran",
        "july jul juil juli juillet julio luglio julho iulie июля июль липня lipca temmuz",
        "august aug ago août aout agosto augusti augustus august августа август серпня "
        "sierpnia ağustos",
        "september sep sept september septembre septiembre settembre setembro setiembre "
        "septembrie сентября сентябрь вересня września eylül",
        "october oct oktober octobre octubre ottobre outubro okt octombrie октября октябрь "
        "жовтня października ekim",
        "november nov november novembre noviembre novembro noiembrie ноября ноябрь листопада "
        "listopada kasım",
        "december dec déc dic dez dezember décembre decembre diciembre dicembre dezembro "
        "december decembrie декабря декабрь грудня grudnia aralık",
    ),
    start=1,
):
    for _name in _names.split():
        MONTHS.setdefault(_name, _number)
FILLER = {"de", "del", "di", "d", "of", "the"}
YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
VIDEO_IN_LINK = re.compile(r"tiktok\.com/@([^/?#]+)/(?:video|photo)/(\d+)")


def month_day(raw: str) -> tuple[int, int]:
    """``"February 28"``, ``"28 апреля"``, ``"8. Juli"``, ``"3 de março"`` → (month, day)."""
    tokens = [t for t in re.split(r"[\s.,]+", raw.strip().lower()) if t and t not in FILLER]
    numbers = [t for t in tokens if t.isdigit()]
    words = [t for t in tokens if not t.isdigit()]
    if len(numbers) != 1 or len(words) != 1 or words[0] not in MONTHS:
        raise ValueError(raw)
    day = int(numbers[0])
    if not 1 <= day <= 31:
        raise ValueError(raw)
    return MONTHS[words[0]], day


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def last_year(month: int, day: int, filename: str, today: date) -> int:
    """The year of a file's last (most recent) year-less date; see the module's year rule."""
    years = YEAR_IN_NAME.findall(filename)
    if years:
        return max(int(y) for y in years)
    year = today.year
    while True:
        exists = (month, day) != (2, 29) or _is_leap(year)
        if exists and (year < today.year or (month, day) <= (today.month, today.day)):
            return year
        year -= 1


def assign_years(
    rows: list[tuple[int, str]], filename: str, today: date, problems: list[RowProblem]
) -> dict[int, date]:
    """Line → date for year-less daily rows in date order (oldest first)."""
    parsed: list[tuple[int, str, tuple[int, int]]] = []
    for line, raw in rows:
        try:
            parsed.append((line, raw, month_day(raw)))
        except ValueError:
            problems.append(day_problem(line, "Date", raw, "“February 28”"))
    days: dict[int, date] = {}
    if not parsed:
        return days
    year = last_year(*parsed[-1][2], filename, today)
    following: tuple[int, int] | None = None
    for line, raw, (month, day) in reversed(parsed):
        if following is not None and (month, day) > following:
            year -= 1
        following = (month, day)
        try:
            days[line] = date(year, month, day)
        except ValueError:
            problems.append(
                RowProblem(
                    line,
                    "Date",
                    _("“%(value)s” is not a date in %(year)s.") % {"value": raw, "year": year},
                )
            )
    return days


def value(raw: str) -> Decimal | None:
    """A metric cell; ``None`` for the missing-value markers. Raises ``InvalidOperation``."""
    if raw.strip().lower() in MISSING:
        return None
    return number(raw)


def metrics_of(
    table: Table, row: list[str], line: int, names: dict[str, str], problems: list[RowProblem]
) -> dict[str, Decimal]:
    return read_metrics(table, row, line, column_map(table, names), problems, value)


def not_a_link(line: int, link: str) -> RowProblem:
    return RowProblem(
        line, "Video link", _("“%(link)s” is not a TikTok video link.") % {"link": link}
    )


def video_time(video_id: str, day: date) -> datetime:
    """The creation time held in a TikTok id, if within a day of ``day``; else midnight UTC."""
    stamp = datetime.fromtimestamp(int(video_id) >> 32, tz=UTC)
    if abs(stamp.date() - day) <= timedelta(days=1):
        return stamp
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _today() -> date:
    return datetime.now(tz=UTC).date()


class _Columns(CsvFormat):
    """A TikTok daily file told by its columns, the first one being ``Date``."""

    platform = "tiktok"
    names: dict[str, str] = {}

    def sniff(self, head: bytes, filename: str) -> bool:
        return has_columns(head, self.required, first="date", excluded=self.excluded)


class _Daily(_Columns):
    """A Studio daily file: ``Date`` (no year) plus metric columns."""

    def __init__(self, today: Callable[[], date] = _today) -> None:
        self.today = today

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        days = assign_years(
            [(line, table.cell(row, "date")) for line, row in table.rows],
            filename,
            self.today(),
            result.problems,
        )
        seen: set[date] = set()
        for line, row in table.rows:
            if line in days and not any(c.strip() for c in row[1:]):
                result.problems.append(no_values_problem(line))
            elif line in days:
                metrics = metrics_of(table, row, line, self.names, result.problems)
                add_day(result, seen, days[line], metrics, line, "Date")
        return result


class TikTokOverview(_Daily):
    key = "tiktok_overview"
    description = Described(
        gettext_noop(
            "TikTok Studio Overview.csv: columns Date (no year), Video Views, Profile Views, "
            "Likes, Comments, Shares."
        )
    )
    required = ("date", "video views", "profile views")
    names = {
        "video views": "video_views",
        "profile views": "profile_visits",
        "likes": "likes",
        "comments": "comments",
        "shares": "shares",
    }
    what = gettext_noop("a TikTok Studio Overview.csv")
    excluded = ("reached audience",)


class TikTokViewers(_Daily):
    key = "tiktok_viewers"
    description = Described(
        gettext_noop(
            "TikTok Studio Viewers.csv: columns Date (no year), Total Viewers, New Viewers, "
            "Returning Viewers."
        )
    )
    required = ("date", "total viewers")
    names = {"total viewers": "reach"}
    what = gettext_noop("a TikTok Studio Viewers.csv")


class TikTokFollowerHistory(_Daily):
    key = "tiktok_follower_history"
    description = Described(
        gettext_noop(
            "TikTok Studio FollowerHistory.csv: columns Date (no year), Followers, Difference in "
            "followers from previous day."
        )
    )
    required = ("date", "followers", "difference in followers from previous day")
    names = {
        "followers": "followers",
        "difference in followers from previous day": "net_follower_growth",
    }
    what = gettext_noop("a TikTok Studio FollowerHistory.csv")


def video_posts(
    result: ParseResult,
    table: Table,
    names: dict[str, str],
    posted: Callable[[list[str], str], date],
    expected: str,
) -> None:
    """A post per row: the id from ``Video link``, the day from ``posted(row, Post time)``."""

    def post(row: list[str], line: int) -> ParsedPost | None:
        link = table.cell(row, "video link")
        match = VIDEO_IN_LINK.search(link)
        if match is None:
            result.problems.append(not_a_link(line, link))
            return None
        raw = table.cell(row, "post time")
        try:
            day = posted(row, raw)
        except ValueError:
            result.problems.append(day_problem(line, "Post time", raw, expected))
            return None
        return ParsedPost(
            external_id=match.group(2),
            published_at=video_time(match.group(2), day),
            text=table.cell(row, "video title"),
            kind="video",
            link=link,
            metrics=metrics_of(table, row, line, names, result.problems),
            line=line,
        )

    add_posts(result, table, post, "Video link", "Post time")
    result.handle = _handle(p.link for p in result.posts)


class TikTokContent(CsvFormat):
    """``Content.csv`` (and the numbered re-downloads): recent videos, lifetime totals."""

    key = "tiktok_content"
    platform = "tiktok"
    description = Described(
        gettext_noop(
            "TikTok Studio Content.csv: columns Time, Video title, Video link, Post time "
            "(no year), Total likes, Total comments, Total shares, Total views."
        )
    )
    what = gettext_noop("a TikTok Studio Content.csv")
    required = ("time", "video link", "post time")
    names = {
        "total likes": "likes",
        "total comments": "comments",
        "total shares": "shares",
        "total views": "video_views",
    }

    def __init__(self, today: Callable[[], date] = _today) -> None:
        self.today = today

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        today = self.today()

        def posted(row: list[str], raw: str) -> date:
            exported = self._exported(table.cell(row, "time"), filename, today)
            month, day = month_day(raw)
            late = (month, day) > (exported.month, exported.day)
            return date(exported.year - 1 if late else exported.year, month, day)

        video_posts(result, table, self.names, posted, "“July 16”")
        return result

    @staticmethod
    def _exported(raw: str, filename: str, today: date) -> date:
        try:
            month, day = month_day(raw)
            return date(last_year(month, day, filename, today), month, day)
        except ValueError:
            return today


def _handle(links: Iterable[str]) -> str:
    for link in links:
        match = VIDEO_IN_LINK.search(link)
        if match:
            return match.group(1)
    return ""


def parse_slash_day(raw: str) -> date:
    text = raw.strip()
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(raw)


class _BusinessDaily(_Columns):
    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        daily_rows(
            result,
            table,
            parse_slash_day,
            "Date",
            "2025/10/31",
            lambda row, line: metrics_of(table, row, line, self.names, result.problems),
        )
        return result


class TikTokBusinessDaily(_BusinessDaily):
    key = "tiktok_business_daily"
    description = Described(
        gettext_noop(
            "TikTok business-account daily export (TIKTOK_RAW.csv): columns Date (2025/10/31), "
            "Video views, Reached audience, Profile views, Likes, Shares, Comments, …, Net growth."
        )
    )
    required = ("date", "video views", "reached audience")
    names = {
        "video views": "video_views",
        "reached audience": "reach",
        "profile views": "profile_visits",
        "likes": "likes",
        "shares": "shares",
        "comments": "comments",
        "leads submission": "leads",
        "net growth": "net_follower_growth",
        "new followers": "new_followers",
    }
    what = gettext_noop("a TikTok business-account daily export")


class TikTokBusinessAudience(_BusinessDaily):
    key = "tiktok_business_audience"
    description = Described(
        gettext_noop(
            "TikTok business-account audience export (TIKTOK_AUDIENCE_RAW.csv): columns Date, "
            "New followers, Total followers, Reached audience, Engaged audience."
        )
    )
    required = ("date", "total followers", "reached audience")
    names = {
        "total followers": "followers",
        "reached audience": "reach",
        "new followers": "new_followers",
    }
    what = gettext_noop("a TikTok business-account audience export")
    excluded = ("video views",)


class TikTokBusinessVideos(CsvFormat):
    key = "tiktok_business_videos"
    platform = "tiktok"
    description = Described(
        gettext_noop(
            "TikTok business-account video export (TIKTOK_VIDEO_RAW.csv): columns Video "
            "title, Video link, Post time (2025/10/31 18:19:10), Video views, Likes, "
            "Comments, Shares, Add to Favorites."
        )
    )
    what = gettext_noop("a TikTok business-account video export")
    required = ("video link", "post time", "video views")
    names = {
        "video views": "video_views",
        "likes": "likes",
        "comments": "comments",
        "shares": "shares",
        "add to favorites": "saves",
    }
    excluded = ("time",)

    def parse(self, data: bytes, filename: str) -> ParseResult:
        result, table = self.start(data)
        video_posts(
            result,
            table,
            self.names,
            lambda row, raw: parse_slash_day(raw),
            "2025/10/31 18:19:10",
        )
        return result


class TikTokFollowerBreakdown:
    """``FollowerActivity.csv``, ``FollowerGender.csv`` and ``FollowerTopTerritories.csv``:
    recognised so that the message says what they are, and rejected (see the module)."""

    key = "tiktok_follower_breakdown"
    platform = "tiktok"
    description = Described(
        gettext_noop(
            "TikTok Studio follower breakdowns (FollowerActivity.csv, FollowerGender.csv, "
            "FollowerTopTerritories.csv): not imported; FollowerHistory.csv has the daily "
            "followers."
        )
    )
    headers = (
        ("date", "hour", "active followers"),
        ("gender", "distribution"),
        ("top territories", "distribution"),
    )

    def sniff(self, head: bytes, filename: str) -> bool:
        return tuple(sniff_header(head)) in self.headers

    def parse(self, data: bytes, filename: str) -> ParseResult:
        header = tuple(sniff_header(data[:4096]))
        if header == self.headers[0]:
            what = _(
                "TikTok's FollowerActivity.csv: how many followers were online in each hour "
                "of the last week, a guide to when to post rather than a daily figure (the "
                "same people are counted in many hours, so the hours cannot be added up "
                "into a day)"
            )
        elif header == self.headers[1]:
            what = _(
                "TikTok's FollowerGender.csv: the share of followers by gender at the time "
                "of the download, with no day"
            )
        elif header == self.headers[2]:
            what = _(
                "TikTok's FollowerTopTerritories.csv: the share of followers by country at "
                "the time of the download, with no day"
            )
        else:
            raise FormatError(
                _("This is not a TikTok follower breakdown; expected %(what)s.")
                % {"what": self.description}
            )
        raise FormatError(
            _(
                "This is %(what)s. Converge stores daily figures and posts, not audience "
                "breakdowns, so nothing was imported. Import FollowerHistory.csv from the "
                "same download for the daily follower count."
            )
            % {"what": what}
        )


IMPORTERS: list[Importer] = [
    TikTokOverview(),
    TikTokViewers(),
    TikTokFollowerHistory(),
    TikTokContent(),
    TikTokBusinessDaily(),
    TikTokBusinessAudience(),
    TikTokBusinessVideos(),
    TikTokFollowerBreakdown(),
]

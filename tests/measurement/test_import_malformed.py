"""Malformed files, for every importer: two exports pasted into one, an Excel re-save in a
Windows code page, a cut-off file, a renamed required column, a cell that is not a number, a
repeated row and a date far in the future. Each damage is made to a real export here, and
each gives a problem with its line and column (or a format error that names what is
missing); through the import check the file is rejected and nothing is written.

The damaged files are written with the csv module from the real ones; the expected lines
are counted here, independently of the importers."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
from django.utils import translation

from converge.core.errors import ConvergeError
from converge.measurement import services
from converge.measurement.importers.base import FormatError, Importer, ParseResult
from converge.measurement.importers.registry import importers
from converge.measurement.models import Import, Observation, Post
from tests.conftest import World

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
X = DATA / "x-twitter-analytics-export"
META = DATA / "meta-business-suite-export" / "vsbperoto-restaurant-vintage"
YOUTUBE = DATA / "youtube-studio-export"
TIKTOK = DATA / "tiktok-studio-export"
STUDIO = TIKTOK / "htupycollabs-haileytupy"
BUSINESS = TIKTOK / "vsbperoto-restaurant-vintage"
LINKEDIN = (
    DATA / "linkedin-page-export/mohshaikh23-pro-efficient"
    "/pro-efficient-data-entry_content_1742193384396.xlsx"
)
X_POSTS = X / "ropensci-tweets/tweet_activity_metrics_rOpenSci_20170101_20170201_en.csv"
FB_POSTS = (
    DATA / "meta-business-suite-export/mohshaikh23-pro-efficient"
    "/Feb-01-2025_Mar-15-2025_613168031534769.csv"
)
GENERIC = (
    "day,metric,channel,value\n"
    + "".join(
        f"2026-03-{d:02},leads,,{d * 7}\n2026-03-{d:02},spend,,{d}.50\n" for d in range(1, 21)
    )
).encode()

pytestmark = pytest.mark.skipif(
    not (X_POSTS.exists() and META.is_dir() and LINKEDIN.exists() and STUDIO.is_dir()),
    reason=f"The real export files are not available under {DATA}.",
)

BY_KEY: dict[str, Importer] = {i.key: i for i in importers()}


@dataclass(frozen=True)
class Sample:
    key: str  # the importer
    path: Path | None  # the real export (None: the generic CSV above)
    platform: str
    metric: str  # a metric column to spoil
    required: str  # a required column to rename
    day: str  # the date (or publish time) column
    future: str | None  # a far-future date as the format writes it (None: it cannot)
    repeated_in: str | None  # the column a repeated row is reported in
    text: str | None = None  # a text column kept on posts (for the code-page re-save)

    @property
    def name(self) -> str:
        return self.path.name if self.path else "figures.csv"

    def raw(self) -> bytes:
        return self.path.read_bytes() if self.path else GENERIC


SAMPLES = [
    Sample(
        "x_tweet_activity",
        X_POSTS,
        "x",
        "impressions",
        "Tweet id",
        "time",
        "2099-01-01 10:00 +0000",
        "Tweet id",
        "Tweet text",
    ),
    Sample(
        "x_daily_tweet_activity",
        X
        / "debruine-30DCC-2022/daily_tweet_activity_metrics_LisaDeBruine_20210101_20210201_en.csv",
        "x",
        "impressions",
        "Tweets published",
        "Date",
        "2099-01-01",
        "Date",
    ),
    Sample(
        "x_account_content",
        X / "kaia-devdash/kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv",
        "x",
        "Impressions",
        "Post id",
        "Date",
        "Thu Jan 01 2099",
        "Post id",
        "Post text",
    ),
    Sample(
        "x_account_overview",
        X / "kaia-devdash/kaiadevintern_account_overview_analytics.csv",
        "x",
        "Impressions",
        "New follows",
        "Date",
        "Thu, Jan 01, 2099",
        "Date",
    ),
    Sample(
        "meta_facebook_posts",
        FB_POSTS,
        "facebook",
        "Reach",
        "Publish time",
        "Publish time",
        "01/01/2099 10:00",
        "Post ID",
        "Description",
    ),
    Sample(
        "meta_instagram_posts",
        META / "INSTAGRAM_RAW.repaired.csv",
        "instagram",
        "Reach",
        "Publish time",
        "Publish time",
        "01/01/2099 10:00",
        "Post ID",
        "Description",
    ),
    Sample(
        "meta_facebook_daily",
        META / "Views.csv",
        "facebook",
        "Primary",
        "Primary",
        "Date",
        "2099-01-01T00:00:00",
        "Date",
    ),
    Sample(
        "meta_instagram_daily",
        META / "IG_REACH.csv",
        "instagram",
        "Primary",
        "Primary",
        "Date",
        "2099-01-01T00:00:00",
        "Date",
    ),
    Sample(
        "meta_audience",
        META / "Audience.csv",
        "facebook",
        "Primary",
        "Primary",
        "Date",
        "2099-01-01T00:00:00",
        "Date",
    ),
    Sample(
        "youtube_table_data",
        YOUTUBE / "buildwithadi-suuz/Table data.csv",
        "youtube",
        "Views",
        "Video publish time",
        "Video publish time",
        "Jan 1, 2099",
        "Content",
        "Video title",
    ),
    Sample(
        "youtube_chart_data",
        YOUTUBE / "priyankapatel05/Chart data.csv",
        "youtube",
        "Views",
        "Date",
        "Date",
        "2099-01-01",
        "Date",
    ),
    Sample(
        "youtube_totals",
        YOUTUBE / "priyankapatel05/Totals.csv",
        "youtube",
        "Views",
        "Date",
        "Date",
        "01-01-2099",
        "Date",
    ),
    # TikTok Studio dates have no year; the year rule never gives a future day.
    Sample(
        "tiktok_overview",
        STUDIO / "Overview.csv",
        "tiktok",
        "Likes",
        "Profile Views",
        "Date",
        None,
        "Date",
    ),
    Sample(
        "tiktok_viewers",
        STUDIO / "Viewers.csv",
        "tiktok",
        "Total Viewers",
        "Total Viewers",
        "Date",
        None,
        "Date",
    ),
    Sample(
        "tiktok_follower_history",
        STUDIO / "Followers_haileytupy2.0/FollowerHistory.csv",
        "tiktok",
        "Followers",
        "Followers",
        "Date",
        None,
        "Date",
    ),
    Sample(
        "tiktok_content",
        STUDIO / "Content.csv",
        "tiktok",
        "Total views",
        "Video link",
        "Post time",
        None,
        "Video link",
        "Video title",
    ),
    Sample(
        "tiktok_business_daily",
        BUSINESS / "TIKTOK_RAW.csv",
        "tiktok",
        "Likes",
        "Reached audience",
        "Date",
        "2099/01/01",
        "Date",
    ),
    Sample(
        "tiktok_business_audience",
        BUSINESS / "TIKTOK_AUDIENCE_RAW.csv",
        "tiktok",
        "Reached audience",
        "Total followers",
        "Date",
        "2099/01/01",
        "Date",
    ),
    Sample(
        "tiktok_business_videos",
        BUSINESS / "TIKTOK_VIDEO_RAW.csv",
        "tiktok",
        "Video views",
        "Video link",
        "Post time",
        "2099/01/01 10:00:00",
        "Video link",
        "Video title",
    ),
    # A repeated metric and day is told by the import planning, which knows the handles.
    Sample("generic_long_csv", None, "instagram", "value", "value", "day", "2099-01-01", None),
]
IDS = [s.key for s in SAMPLES]


# --- the files as the csv module reads them -------------------------------------------------


def lines_of(text: str) -> int:
    """Physical lines, counted as the csv module counts them (any line break)."""
    return len(io.StringIO(text, newline="").readlines())


@dataclass
class Csv:
    """A real export split into what is above the table, the table and what is below."""

    prefix: str  # sep= and title lines, or the audience's earlier sections
    header: list[str]
    rows: list[list[str]]
    suffix: str  # the audience's later sections
    delimiter: str
    encoding: str  # utf-16 | utf-8-sig | cp1251

    def record(self, row: list[str], delimiter: str | None = None) -> str:
        out = io.StringIO()
        csv.writer(out, delimiter=delimiter or self.delimiter, lineterminator="\n").writerow(row)
        return out.getvalue()

    def text(self, delimiter: str | None = None, extra: str = "") -> str:
        body = "".join(self.record(r, delimiter) for r in [self.header, *self.rows])
        return self.prefix + body + extra + self.suffix

    def line_of(self, index: int) -> int:
        """The line data row ``index`` starts on (``len(rows)``: the line after the table)."""
        above = self.prefix + "".join(self.record(r) for r in [self.header, *self.rows[:index]])
        return lines_of(above) + 1

    def encode(self, text: str, encoding: str | None = None) -> bytes:
        return text.encode(encoding or self.encoding, errors="replace")

    def data(self) -> bytes:
        return self.encode(self.text())

    def at(self, name: str) -> int:
        return self.header.index(name)


def load(sample: Sample) -> Csv:
    raw = sample.raw()
    if raw.startswith(b"\xff\xfe"):
        encoding = "utf-16"
    else:
        try:
            raw.decode("utf-8")
            encoding = "utf-8-sig"
        except UnicodeDecodeError:
            encoding = "cp1251"
    text = raw.decode(encoding)
    lines = text.splitlines(keepends=True)
    start = 0
    for start, line in enumerate(lines):  # noqa: B007 - the header's index is wanted
        delimiter = ";" if line.count(";") > line.count(",") else ","
        if sample.required in next(csv.reader([line], delimiter=delimiter), []):
            break
    else:
        raise AssertionError(f"no header with {sample.required} in {sample.name}")
    if lines[0].startswith("sep="):
        delimiter = lines[0][4]
    prefix = "".join(lines[:start])
    body = lines[start + 1 :]
    suffix = ""
    if sample.key == "meta_audience":
        end = next(n for n, line in enumerate(body) if not line.strip(";\r\n "))
        body, suffix = body[:end], "".join(body[end:])
    records = list(csv.reader(io.StringIO("".join(body), newline=""), delimiter=delimiter))
    header = next(csv.reader([lines[start]], delimiter=delimiter))
    if sample.key == "meta_audience":  # the trailing ;;;; of the re-save
        header = header[:2]
        records = [r[:2] for r in records]
    rows = [r for r in records if any(c.strip() for c in r)]
    if "Data comment" in header:  # rows Meta gave no details for are problems of their own
        at = header.index("Post ID")
        rows = [r for r in rows if r[at].strip()]
    return Csv(prefix, header, rows, suffix, delimiter, encoding)


def parse(sample: Sample, data: bytes) -> ParseResult:
    return BY_KEY[sample.key].parse(data, sample.name)


def middle(table: Csv) -> int:
    return len(table.rows) // 2


def summary(result: ParseResult) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    return (
        [(o.day, o.metric, o.value, o.line) for o in result.observations],
        [(p.external_id, p.published_at, sorted(p.metrics.items()), p.line) for p in result.posts],
    )


@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_the_rewritten_file_reads_like_the_real_one(sample: Sample) -> None:
    """Guard for every case below: the csv module's rewrite changes nothing that counts."""
    table = load(sample)
    original = parse(sample, sample.raw())
    rewritten = parse(sample, table.data())
    assert rewritten.problems == []
    if sample.key == "meta_instagram_posts":  # less the row Meta gave no details for
        assert [p.column for p in original.problems] == ["Data comment"]
    else:
        assert original.problems == []
        assert summary(rewritten) == summary(original)
    assert rewritten.observations or rewritten.posts
    # the middle row, spoilt below, gives figures as it is
    line = table.line_of(middle(table))
    if sample.key == "youtube_chart_data":  # a post a video, from its first row
        video = table.rows[middle(table)][table.at("Content")]
        assert video in {p.external_id for p in rewritten.posts}
    else:
        assert line in {o.line for o in rewritten.observations} | {p.line for p in rewritten.posts}


# --- the damages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Damage:
    data: bytes
    line: int | None = None  # the problem's line and column …
    column: str | None = None
    words: str = ""  # … and a part of its message
    error: str = ""  # or a part of the FormatError's message
    planned: bool = False  # told by the import planning, not the importer


def pasted(sample: Sample, table: Csv) -> Damage:
    other = FB_POSTS if sample.key.startswith("x_") else X_POSTS
    other_text = other.read_text(encoding="utf-8-sig")
    first = next(csv.reader([other_text.splitlines()[0]]))[0]
    data = table.encode(table.text(extra=other_text))
    return Damage(data, table.line_of(len(table.rows)), None, first)


def truncated(sample: Sample, table: Csv) -> Damage:
    index = len(table.rows) * 3 // 5
    text = table.text()
    start = len(table.prefix) + sum(
        len(table.record(r)) for r in [table.header, *table.rows[:index]]
    )
    first_cell = table.record(table.rows[index][:1]).rstrip("\n")
    cut = text[: start + len(first_cell) + 1]  # the row loses all but its first cell
    column = "Primary" if sample.metric == "Primary" else None
    return Damage(table.encode(cut), table.line_of(index), column, "cut off")


def renamed(sample: Sample, table: Csv) -> Damage:
    table = replace(table, header=list(table.header))
    table.header[table.at(sample.required)] = "Kolumn 7"
    return Damage(table.data(), error=sample.required.lower())


def not_a_number(sample: Sample, table: Csv) -> Damage:
    index = middle(table)
    table = replace(table, rows=[list(r) for r in table.rows])
    table.rows[index][table.at(sample.metric)] = "12 oops"
    return Damage(table.data(), table.line_of(index), sample.metric, "“12 oops”")


def repeated(sample: Sample, table: Csv) -> Damage:
    index = middle(table)
    rows = [list(r) for r in table.rows]
    rows.insert(index + 1, list(rows[index]))
    table = replace(table, rows=rows)
    words = "appear again" if sample.repeated_in is None else "again"
    if sample.repeated_in == "Date":
        words = "more than once"
    return Damage(
        table.data(),
        table.line_of(index + 1),
        sample.repeated_in,
        words,
        planned=sample.repeated_in is None,
    )


def future(sample: Sample, table: Csv) -> Damage:
    assert sample.future is not None
    index = middle(table)
    table = replace(table, rows=[list(r) for r in table.rows])
    table.rows[index][table.at(sample.day)] = sample.future
    return Damage(table.data(), table.line_of(index), sample.day, "future")


DAMAGES: dict[str, Callable[[Sample, Csv], Damage]] = {
    "pasted": pasted,
    "truncated": truncated,
    "renamed": renamed,
    "not_a_number": not_a_number,
    "repeated": repeated,
    "future": future,
}
CASES = [
    pytest.param(sample, name, id=f"{sample.key}-{name}")
    for sample in SAMPLES
    for name in DAMAGES
    if not (name == "future" and sample.future is None)
]


def check_problem(damage: Damage, problems: list[tuple[int, str | None, str]]) -> None:
    found = [p for p in problems if (p[0], p[1]) == (damage.line, damage.column)]
    assert found, f"no problem on line {damage.line}, column {damage.column}: {problems}"
    assert any(damage.words in message for _, _, message in found), found


@pytest.mark.parametrize(("sample", "name"), CASES)
def test_damage_is_a_problem_with_line_and_column(sample: Sample, name: str) -> None:
    damage = DAMAGES[name](sample, load(sample))
    if damage.error:
        with pytest.raises(FormatError) as caught:
            parse(sample, damage.data)
        assert damage.error in str(caught.value).lower()
        return
    result = parse(sample, damage.data)
    if damage.planned:
        assert result.problems == []
        return
    check_problem(damage, [(p.line, p.column, p.message) for p in result.problems])


def test_pasted_export_adds_nothing_of_its_own() -> None:
    sample = SAMPLES[IDS.index("tiktok_overview")]
    table = load(sample)
    result = parse(sample, pasted(sample, table).data)
    assert summary(result) == summary(parse(sample, table.data()))
    assert len(result.problems) == 1  # one problem, not one per pasted row


# --- an Excel re-save in a Windows code page ---------------------------------------------------

WORDS = {"cp1251": "Привет от Плевен", "cp1252": "Kampanj i Göteborg – årsmöte"}


@pytest.mark.parametrize("codepage", ["cp1251", "cp1252"])
@pytest.mark.parametrize("sample", SAMPLES, ids=IDS)
def test_a_code_page_resave_reads_like_the_original(sample: Sample, codepage: str) -> None:
    """Excel re-saves a UTF-8 export in its locale's code page with ``;`` between cells:
    Cyrillic (cp1251) and Swedish (cp1252) text come through, the figures are the same."""
    table = load(sample)
    words = WORDS[codepage]
    if sample.text:
        rows = [list(r) for r in table.rows]
        rows[middle(table)][table.at(sample.text)] = words
        table = replace(table, rows=rows)
    elif sample.metric == "Primary":  # a chart: the words go into its title line
        lines = [ln for ln in table.prefix.splitlines() if not ln.startswith("sep=")]
        title = next(csv.reader([lines[-1]], delimiter=table.delimiter))
        title[0] = f"{title[0]} – {words}"
        lines[-1] = table.record(title).rstrip("\n")
        table = replace(table, prefix="".join(f"{ln}\n" for ln in lines))
    elif sample.key != "youtube_totals":  # (Totals.csv has nothing but dates and numbers)
        table = replace(  # a daily file: a note column at the end
            table,
            header=[*table.header, "Anteckning"],
            rows=[[*r, words] for r in table.rows],
        )
    data = table.text(delimiter=";").encode(codepage, errors="replace")
    assert BY_KEY[sample.key].sniff(data[:65536], sample.name)
    result = parse(sample, data)
    assert result.problems == []
    assert summary(result) == summary(parse(sample, table.data()))
    if sample.text:
        post = next(p for p in result.posts if p.line == table.line_of(middle(table)))
        assert post.text == words


# --- LinkedIn workbooks -----------------------------------------------------------------------


def workbook() -> openpyxl.Workbook:
    return openpyxl.load_workbook(LINKEDIN)


def header_row(sheet: openpyxl.worksheet.worksheet.Worksheet, name: str) -> int:
    for number in (1, 2):
        if name in [c.value for c in sheet[number]]:
            return number
    raise AssertionError(f"no {name} on row 1 or 2 of {sheet.title}")


def saved(book: openpyxl.Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def metrics_cell(book: openpyxl.Workbook, name: str, offset: int = 5) -> tuple[int, int]:
    """(row, column) of the ``name`` cell ``offset`` rows below the Metrics header."""
    sheet = book["Metrics"]
    top = header_row(sheet, "Date")
    names = [c.value for c in sheet[top]]
    return top + offset, names.index(name) + 1


def linkedin_pasted() -> Damage:
    book = workbook()
    sheet = book["All posts"]
    first_free = sheet.max_row + 1
    x_rows = list(csv.reader(io.StringIO(X_POSTS.read_text(encoding="utf-8-sig"))))[:3]
    for row in x_rows:
        sheet.append(row)
    return Damage(saved(book), first_free, None, "Tweet id")


def linkedin_truncated() -> Damage:
    data = LINKEDIN.read_bytes()
    return Damage(data[: len(data) * 3 // 5], error="cut off or damaged")


def linkedin_renamed() -> Damage:
    book = workbook()
    sheet = book["All posts"]
    top = header_row(sheet, "Post link")
    names = [c.value for c in sheet[top]]
    sheet.cell(top, names.index("Post link") + 1, "Kolumn 7")
    return Damage(saved(book), error="post link")


def linkedin_not_a_number() -> Damage:
    book = workbook()
    row, column = metrics_cell(book, "Impressions (total)")
    book["Metrics"].cell(row, column, "12 oops")
    return Damage(saved(book), row, "Metrics: Impressions (total)", "“12 oops”")


def linkedin_repeated() -> Damage:
    book = workbook()
    sheet = book["Metrics"]
    row, _column = metrics_cell(book, "Date")
    values = [c.value for c in sheet[row]]
    sheet.insert_rows(row + 1)
    for number, value in enumerate(values, start=1):
        sheet.cell(row + 1, number, value)
    return Damage(saved(book), row + 1, "Metrics: Date", "more than once")


def linkedin_future() -> Damage:
    book = workbook()
    row, column = metrics_cell(book, "Date")
    book["Metrics"].cell(row, column, datetime(2099, 1, 1))
    return Damage(saved(book), row, "Metrics: Date", "future")


LINKEDIN_DAMAGES = {
    "pasted": linkedin_pasted,
    "truncated": linkedin_truncated,
    "renamed": linkedin_renamed,
    "not_a_number": linkedin_not_a_number,
    "repeated": linkedin_repeated,
    "future": linkedin_future,
}


@pytest.mark.parametrize("name", LINKEDIN_DAMAGES)
def test_linkedin_damage_is_a_problem_with_sheet_row_and_column(name: str) -> None:
    damage = LINKEDIN_DAMAGES[name]()
    importer = BY_KEY["linkedin_page_content"]
    if damage.error:
        with pytest.raises(FormatError) as caught:
            importer.parse(damage.data, LINKEDIN.name)
        assert damage.error in str(caught.value).lower()
        return
    result = importer.parse(damage.data, LINKEDIN.name)
    check_problem(damage, [(p.line, p.column, p.message) for p in result.problems])


def test_linkedin_workbook_saved_again_reads_like_the_real_one() -> None:
    """Guard for the LinkedIn cases: openpyxl's re-save changes nothing that counts."""
    importer = BY_KEY["linkedin_page_content"]
    original = importer.parse(LINKEDIN.read_bytes(), LINKEDIN.name)
    again = importer.parse(saved(workbook()), LINKEDIN.name)
    assert original.problems == again.problems == []
    assert summary(again) == summary(original)


# --- through the import check: rejected, nothing written ------------------------------------


def rejected_and_nothing_written(
    world: World, platform: str, damage: Damage, filename: str
) -> None:
    channel = services.channel_save(
        actor=world.lead, workspace=world.workspace, platform=platform, handle="@acme"
    )
    before = (Observation.objects.count(), Post.objects.count())
    try:
        record, _plan = services.import_check(
            actor=world.lead,
            workspace=world.workspace,
            data=damage.data,
            filename=filename,
            channel=channel,
        )
    except ConvergeError as exc:
        assert damage.error, f"refused without a format error expected: {exc}"
        assert not Import.objects.exists()
    else:
        assert record.status == "rejected" and record.rejected >= 1
        problems = [(p["line"], p["column"], p["message"]) for p in record.problems]
        if not damage.error:  # (without its column, a file may pass for another format)
            check_problem(damage, problems)
        with pytest.raises(ConvergeError):
            services.import_commit(actor=world.lead, record=record)
    assert (Observation.objects.count(), Post.objects.count()) == before


@pytest.mark.parametrize(("sample", "name"), CASES)
def test_a_damaged_file_is_rejected_and_writes_nothing(
    world: World, sample: Sample, name: str
) -> None:
    damage = DAMAGES[name](sample, load(sample))
    rejected_and_nothing_written(world, sample.platform, damage, sample.name)


@pytest.mark.parametrize("name", LINKEDIN_DAMAGES)
def test_a_damaged_linkedin_workbook_is_rejected_and_writes_nothing(
    world: World, name: str
) -> None:
    rejected_and_nothing_written(world, "linkedin", LINKEDIN_DAMAGES[name](), LINKEDIN.name)


# --- in Swedish -------------------------------------------------------------------------------


def test_problems_in_a_malformed_file_are_in_swedish_when_swedish_is_active(
    world: World,
) -> None:
    sample = SAMPLES[IDS.index("x_account_overview")]
    table = load(sample)
    spoilt = replace(table, rows=[list(r) for r in table.rows])
    spoilt.rows[0][spoilt.at("Impressions")] = "många"
    spoilt.rows[1][spoilt.at("Date")] = "igår"
    cut = table.record(table.rows[2])[:9]  # and a row cut off inside its quoted date
    data = (spoilt.text() + cut).encode()
    with translation.override("sv"):
        result = parse(sample, data)
        with pytest.raises(FormatError) as caught:
            parse(sample, renamed(sample, table).data)
        with pytest.raises(ConvergeError) as refused:
            services.import_check(
                actor=world.lead,
                workspace=world.workspace,
                data=b"name;age\nAnna;3\n",
                filename="people.csv",
            )
    messages = {(p.line, p.column): p.message for p in result.problems}
    assert messages[(2, "Impressions")] == "”många” är inget tal."
    assert messages[(3, "Date")] == "”igår” är inget datum (förväntade “Thu, Sep 11, 2025”)."
    last = table.line_of(len(table.rows))
    assert "avklippt" in messages[(last, None)]
    assert "kolumnen/kolumnerna new follows saknas" in str(caught.value)
    assert "Daglig översikt från X kontoanalys" in str(refused.value)  # the descriptions
    with translation.override("en"):
        english = {(p.line, p.column): p.message for p in parse(sample, data).problems}
    assert english[(2, "Impressions")] == "“många” is not a number."


# --- files that hold no daily figures ----------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "says"),
    [
        (META / "Top content formats.csv", "Top content formats"),
        (STUDIO / "Followers_haileytupy2.0/FollowerGender.csv", "FollowerGender.csv"),
        (STUDIO / "Followers_haileytupy2.0/FollowerActivity.csv", "FollowerActivity.csv"),
        (STUDIO / "Followers_haileytupy2.0/FollowerTopTerritories.csv", "by country"),
    ],
    ids=["top-content-formats", "gender", "activity", "territories"],
)
def test_a_file_without_daily_figures_is_refused_saying_what_it_is(
    world: World, path: Path, says: str
) -> None:
    with pytest.raises(ConvergeError) as caught:
        services.import_check(
            actor=world.lead, workspace=world.workspace, data=path.read_bytes(), filename=path.name
        )
    assert says in str(caught.value)
    assert "Import" in str(caught.value)  # and which file to import instead
    assert not (Import.objects.exists() or Observation.objects.exists() or Post.objects.exists())

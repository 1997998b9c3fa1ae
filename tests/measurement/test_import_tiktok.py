"""TikTok Studio and TikTok business-account exports against the real files in shared/data."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from converge.measurement.importers import linkedin, tiktok, youtube
from converge.measurement.importers.base import FormatError, Importer, ParseResult

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "tiktok-studio-export"
STUDIO = DATA / "htupycollabs-haileytupy"
FOLLOWERS = STUDIO / "Followers_haileytupy2.0"
BUSINESS = DATA / "vsbperoto-restaurant-vintage"
TODAY = date(2026, 11, 28)  # the year rule depends on the import day; pin it
MISSING = {"undefined", "NAN", "--"}

pytestmark = pytest.mark.skipif(
    not (STUDIO / "Overview.csv").exists() or not (BUSINESS / "TIKTOK_RAW.csv").exists(),
    reason=f"The real TikTok exports are not available under {DATA}.",
)


def importers() -> dict[str, Importer]:
    """The module's importers, with the date-dependent ones given a fixed import day."""
    found: dict[str, Importer] = {i.key: i for i in tiktok.IMPORTERS}
    for dated in (
        tiktok.TikTokOverview(today=lambda: TODAY),
        tiktok.TikTokViewers(today=lambda: TODAY),
        tiktok.TikTokFollowerHistory(today=lambda: TODAY),
        tiktok.TikTokContent(today=lambda: TODAY),
    ):
        found[dated.key] = dated
    return found


BY_KEY = importers()
ALL = [*linkedin.IMPORTERS, *youtube.IMPORTERS, *tiktok.IMPORTERS]


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def parse(key: str, path: Path) -> ParseResult:
    return BY_KEY[key].parse(path.read_bytes(), path.name)


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (STUDIO / "Overview.csv", "tiktok_overview"),
        (STUDIO / "Viewers.csv", "tiktok_viewers"),
        (STUDIO / "Content.csv", "tiktok_content"),
        (STUDIO / "Content 2.csv", "tiktok_content"),
        (STUDIO / "Content 3.csv", "tiktok_content"),
        (STUDIO / "Content 4.csv", "tiktok_content"),
        (FOLLOWERS / "FollowerHistory.csv", "tiktok_follower_history"),
        (BUSINESS / "TIKTOK_RAW.csv", "tiktok_business_daily"),
        (BUSINESS / "TIKTOK_AUDIENCE_RAW.csv", "tiktok_business_audience"),
        (BUSINESS / "TIKTOK_VIDEO_RAW.csv", "tiktok_business_videos"),
        # Distributions and hourly activity: recognised, to be rejected with a reason.
        (FOLLOWERS / "FollowerActivity.csv", "tiktok_follower_breakdown"),
        (FOLLOWERS / "FollowerGender.csv", "tiktok_follower_breakdown"),
        (FOLLOWERS / "FollowerTopTerritories.csv", "tiktok_follower_breakdown"),
    ],
)
def test_sniff_picks_exactly_one(path: Path, key: str | None) -> None:
    head = path.read_bytes()[:65536]
    assert head.startswith(b"\xef\xbb\xbf")  # the BOM is there and must not matter
    assert [i.key for i in ALL if i.sniff(head, path.name)] == ([key] if key else [])


def test_overview_daily_values_and_year_rule() -> None:
    path = STUDIO / "Overview.csv"
    table = rows(path)
    header, body = table[0], table[1:]
    assert header == ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
    result = parse("tiktok_overview", path)
    assert result.problems == []
    cells = sum(1 for r in body for c in r[1:] if c not in MISSING)
    assert len(result.observations) == cells == 365 * 5
    days = sorted({o.day for o in result.observations})
    # 365 rows from "February 28" to "February 27": the last day is the latest February 27
    # not after the import day (2026-02-27), the first a year and a day earlier.
    assert (body[0][0], body[-1][0]) == ("February 28", "February 27")
    assert (days[0], days[-1]) == (date(2025, 2, 28), date(2026, 2, 27))
    assert len(days) == 365
    last = {o.metric: o.value for o in result.observations if o.day == days[-1]}
    assert last == {
        "video_views": Decimal(body[-1][1]),
        "profile_visits": Decimal(body[-1][2]),
        "likes": Decimal(body[-1][3]),
        "comments": Decimal(body[-1][4]),
        "shares": Decimal(body[-1][5]),
    }
    total_views = sum(Decimal(r[1]) for r in body)
    assert sum(o.value for o in result.observations if o.metric == "video_views") == total_views


def test_year_from_the_file_name_wins() -> None:
    path = STUDIO / "Overview.csv"
    result = BY_KEY["tiktok_overview"].parse(path.read_bytes(), "Overview_2025-02-28.csv")
    days = sorted({o.day for o in result.observations})
    assert (days[0], days[-1]) == (date(2024, 2, 28), date(2025, 2, 27))


def test_viewers_undefined_is_no_value() -> None:
    path = STUDIO / "Viewers.csv"
    body = rows(path)[1:]
    result = parse("tiktok_viewers", path)
    assert result.problems == []
    undefined = [n + 2 for n, r in enumerate(body) if r[1] == "undefined"]
    assert len(undefined) == 25
    assert len(result.observations) == len(body) - len(undefined) == 340
    assert {o.metric for o in result.observations} == {"reach"}
    assert not {o.line for o in result.observations} & set(undefined)
    assert result.observations[-1].value == Decimal(body[-1][1])


def test_follower_history() -> None:
    path = FOLLOWERS / "FollowerHistory.csv"
    body = rows(path)[1:]
    result = parse("tiktok_follower_history", path)
    assert result.problems == []
    followers = [o for o in result.observations if o.metric == "followers"]
    growth = [o for o in result.observations if o.metric == "net_follower_growth"]
    assert len(followers) == sum(1 for r in body if r[1] not in MISSING) == 340
    assert len(growth) == len(body) == 365
    assert followers[-1].day == date(2026, 2, 27)
    assert followers[-1].value == Decimal(body[-1][1]) == 5013
    assert any(o.value < 0 for o in growth)  # negative deltas are kept


def test_content_posts() -> None:
    path = STUDIO / "Content.csv"
    body = rows(path)[1:]
    result = parse("tiktok_content", path)
    assert result.problems == []
    assert result.handle == "haileytupy2.0"
    assert len(result.posts) == len(body) == 13
    first, post = body[0], result.posts[0]
    video_id = first[2].rsplit("/", 1)[1]
    assert post.external_id == video_id == "7527623000473079054"
    # "July 16", downloaded "February 28" (2026) → 16 July 2025; the hour comes from the id.
    assert post.published_at == datetime.fromtimestamp(int(video_id) >> 32, tz=UTC)
    assert post.published_at.date() == date(2025, 7, 16)
    assert post.metrics == {
        "likes": Decimal(first[4]),
        "comments": Decimal(first[5]),
        "shares": Decimal(first[6]),
        "video_views": Decimal(first[7]),
    }
    # Post time is the creator's local day; the id's UTC instant may be the next or previous day.
    for row, parsed in zip(body, result.posts, strict=True):
        local = datetime.strptime(f"{row[3]} {parsed.published_at.year}", "%B %d %Y").date()
        assert abs((parsed.published_at.date() - local).days) <= 1


def test_duplicate_download_gives_the_same_posts() -> None:
    """``Content 2.csv`` is another download of the same list: 12 rows, 9 of them videos of
    ``Content.csv`` with identical cells. Those parse to identical posts (but for the line)."""
    one = {p.external_id: p for p in parse("tiktok_content", STUDIO / "Content.csv").posts}
    two = parse("tiktok_content", STUDIO / "Content 2.csv").posts
    assert len(two) == len(rows(STUDIO / "Content 2.csv")) - 1 == 12
    common = [p for p in two if p.external_id in one]
    assert len(common) == 9
    for post in common:
        other = one[post.external_id]
        assert (post.published_at, post.text, post.link, post.metrics) == (
            other.published_at,
            other.text,
            other.link,
            other.metrics,
        )


def test_business_daily_nan_is_no_value() -> None:
    path = BUSINESS / "TIKTOK_RAW.csv"
    table = rows(path)
    header, body = table[0], table[1:]
    result = parse("tiktok_business_daily", path)
    assert result.problems == []
    mapped = ["Video views", "Reached audience", "Profile views", "Likes", "Shares"]
    mapped += ["Comments", "Leads submission", "Net growth", "New followers"]
    columns = [header.index(n) for n in mapped]
    cells = sum(1 for r in body for i in columns if r[i] not in MISSING)
    assert len(body) == 62
    assert len(result.observations) == cells == 62 * 9 - 1
    first_day = {o.metric: o.value for o in result.observations if o.day == date(2025, 10, 31)}
    assert body[0][header.index("Reached audience")] == "NAN"
    assert "reach" not in first_day  # NAN, not zero
    assert first_day["video_views"] == Decimal(body[0][1]) == 715
    assert first_day["net_follower_growth"] == Decimal(body[0][header.index("Net growth")])
    assert first_day["new_followers"] == Decimal(body[0][header.index("New followers")])


def test_business_audience_dashes_are_no_value() -> None:
    path = BUSINESS / "TIKTOK_AUDIENCE_RAW.csv"
    table = rows(path)
    header, body = table[0], table[1:]
    result = parse("tiktok_business_audience", path)
    assert result.problems == []
    assert all(r[2] == "--" for r in body)
    assert not [o for o in result.observations if o.metric == "followers"]
    reach = [o for o in result.observations if o.metric == "reach"]
    assert len(reach) == sum(1 for r in body if r[3] not in MISSING) == 61
    new = {o.day: o.value for o in result.observations if o.metric == "new_followers"}
    at = header.index("New followers")
    assert len(new) == sum(1 for r in body if r[at] not in MISSING) == 62
    assert sum(new.values()) == sum(Decimal(r[at]) for r in body)
    assert new[date(2025, 10, 31)] == Decimal(body[0][at])


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("FollowerActivity.csv", "online in each hour"),
        ("FollowerGender.csv", "by gender"),
        ("FollowerTopTerritories.csv", "by country"),
    ],
)
def test_follower_breakdowns_are_rejected_naming_follower_history(name: str, says: str) -> None:
    path = FOLLOWERS / name
    header = rows(path)[0]
    assert header[-1] in ("Active followers", "Distribution")  # not a daily figure
    with pytest.raises(FormatError, match=rf"{says}.*Import FollowerHistory\.csv"):
        BY_KEY["tiktok_follower_breakdown"].parse(path.read_bytes(), path.name)


def test_business_videos() -> None:
    path = BUSINESS / "TIKTOK_VIDEO_RAW.csv"
    body = rows(path)[1:]
    result = parse("tiktok_business_videos", path)
    assert result.problems == []
    assert result.handle == "vintagerest.bg"
    assert len(result.posts) == len(body) == 51
    first, post = body[0], result.posts[0]
    assert post.external_id == first[1].rstrip("/").rsplit("/", 1)[1]
    assert post.text == first[0].strip()
    assert post.published_at.date() == datetime.strptime(first[2], "%Y/%m/%d %H:%M:%S").date()
    assert post.metrics["saves"] == Decimal(first[7])
    assert post.metrics["video_views"] == Decimal(first[3])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("February 28", (2, 28)),
        ("28 апреля", (4, 28)),
        ("8 Juli", (7, 8)),
        ("8. Juli", (7, 8)),
        ("3 de março", (3, 3)),
        ("12 déc.", (12, 12)),
    ],
)
def test_localised_month_names(raw: str, expected: tuple[int, int]) -> None:
    assert tiktok.month_day(raw) == expected


def test_localised_overview_across_new_year() -> None:
    data = (
        '\ufeff"Date","Video Views","Profile Views","Likes","Comments","Shares"\n'
        '"30 декабря","1","0","0","0","0"\n'
        '"31 декабря","2","0","0","0","0"\n'
        '"1 января","3","undefined","0","-1","0"'
    ).encode()
    importer = BY_KEY["tiktok_overview"]
    assert importer.sniff(data, "Overview.csv")
    result = importer.parse(data, "Overview.csv")
    assert result.problems == []
    days = sorted({o.day for o in result.observations})
    assert days == [date(2025, 12, 30), date(2025, 12, 31), date(2026, 1, 1)]
    last = {o.metric: o.value for o in result.observations if o.day == days[-1]}
    assert "profile_visits" not in last and last["comments"] == Decimal(-1)


def test_february_29_needs_a_leap_year() -> None:
    data = b'"Date","Video Views","Profile Views"\n"February 28","1","0"\n"February 29","2","0"\n'
    result = BY_KEY["tiktok_overview"].parse(data, "Overview_2025.csv")
    assert [(p.line, p.column) for p in result.problems] == [(3, "Date")]
    leap = BY_KEY["tiktok_overview"].parse(data, "Overview.csv")  # today 2026-11-28 → 2024
    assert leap.problems == [] and max(o.day for o in leap.observations) == date(2024, 2, 29)


def test_bad_cells_and_truncation_are_row_problems() -> None:
    path = STUDIO / "Overview.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    lines[2] = lines[2].replace('"0","0","0","0"', '"0","lots","0","0"', 1)
    lines[3] = '"Marchember 3","1","1","1","1","1"'
    cut = lines[-1][: lines[-1].index(",", 20)]  # the file ends mid-row
    data = "\n".join([*lines[:-1], cut]).encode()
    result = BY_KEY["tiktok_overview"].parse(data, "Overview.csv")
    problems = sorted((p.line, p.column) for p in result.problems)
    assert problems == [(3, "Profile Views"), (4, "Date"), (366, None)]
    assert len(result.observations) == (365 - 2) * 5 - 1


def test_missing_required_column_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="profile views"):
        BY_KEY["tiktok_overview"].parse(b'"Date","Video Views"\n"March 1","3"', "Overview.csv")

"""X/Twitter importers against the real exports in /work/shared/data. Expected values are
computed here with the csv module, independently of the importers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from converge.measurement.importers import meta, x
from converge.measurement.importers.base import FormatError

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
X_DATA = DATA / "x-twitter-analytics-export"
pytestmark = pytest.mark.skipif(
    not X_DATA.is_dir(), reason=f"the real export files are not present at {X_DATA}"
)
ALL = [*x.IMPORTERS, *meta.IMPORTERS]
KAIA = X_DATA / "kaia-devdash"
CONTENT = KAIA / "kaiadevintern_account_analytics_content_2024-12-22_2025-03-22.csv"
ROPENSCI_DEC_2016 = (
    X_DATA / "ropensci-tweets/tweet_activity_metrics_rOpenSci_20161201_20170101_en.csv"
)


def rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def total(records: list[dict[str, str]], column: str) -> Decimal:
    return sum((Decimal(r[column]) for r in records if r[column] not in ("", "-")), Decimal(0))


def sniffers(path: Path) -> list[str]:
    head = path.read_bytes()[:65536]
    return [i.key for i in ALL if i.sniff(head, path.name)]


def legacy_files(prefix: str) -> list[Path]:
    return sorted(X_DATA.glob(f"*/{prefix}_*.csv"))


# --- legacy per-tweet -----------------------------------------------------------------------


def test_every_legacy_tweet_file_is_sniffed_as_tweet_activity_only() -> None:
    files = legacy_files("tweet_activity_metrics")
    assert len(files) == 72
    for path in files:
        assert sniffers(path) == ["x_tweet_activity"], path.name


@pytest.mark.parametrize(
    ("folder", "expected"), [("ropensci-tweets", 1668), ("debruine-30DCC-2022", 3087)]
)
def test_legacy_tweets_counts_and_sums_match_the_csv_module(folder: str, expected: int) -> None:
    importer = x.XTweetActivity()
    posts, impressions, retweets, clicks = 0, Decimal(0), Decimal(0), Decimal(0)
    parsed_impr, parsed_retweets, parsed_clicks = Decimal(0), Decimal(0), Decimal(0)
    for path in sorted((X_DATA / folder).glob("tweet_activity_metrics_*.csv")):
        records = rows(path)
        result = importer.parse(path.read_bytes(), path.name)
        assert result.problems == []
        assert len(result.posts) == len(records)
        assert [p.external_id for p in result.posts] == [r["Tweet id"] for r in records]
        posts += len(records)
        impressions += total(records, "impressions")
        retweets += total(records, "retweets")
        clicks += total(records, "url clicks")
        parsed_impr += sum((p.metrics["impressions"] for p in result.posts), Decimal(0))
        parsed_retweets += sum((p.metrics["shares"] for p in result.posts), Decimal(0))
        parsed_clicks += sum((p.metrics["link_clicks"] for p in result.posts), Decimal(0))
    assert posts == expected
    assert (parsed_impr, parsed_retweets, parsed_clicks) == (impressions, retweets, clicks)


def test_legacy_tweet_values_ids_and_times() -> None:
    result = x.XTweetActivity().parse(ROPENSCI_DEC_2016.read_bytes(), ROPENSCI_DEC_2016.name)
    first = rows(ROPENSCI_DEC_2016)[0]
    post = result.posts[0]
    assert result.handle == "rOpenSci" and result.platform == "x"
    assert post.external_id == first["Tweet id"] == "812369747765362688"
    assert int(post.external_id) > 2**53
    assert post.published_at == datetime(2016, 12, 23, 18, 50, tzinfo=UTC)
    assert post.link == first["Tweet permalink"]
    assert post.metrics["impressions"] == Decimal("1938")  # "1938.0" in the file
    assert str(post.metrics["impressions"]) == "1938"
    assert post.metrics == {
        "impressions": Decimal(1938),
        "engagements": Decimal(18),
        "shares": Decimal(0),
        "comments": Decimal(0),
        "likes": Decimal(1),
        "profile_visits": Decimal(0),
        "link_clicks": Decimal(15),
        "video_views": Decimal(0),
    }
    assert all(isinstance(v, Decimal) for p in result.posts for v in p.metrics.values())


def _legacy_text() -> str:
    return ROPENSCI_DEC_2016.read_text(encoding="utf-8")


def test_old_favorites_header_maps_to_likes_and_dash_means_no_value() -> None:
    text = _legacy_text().replace('"likes"', '"favorites"', 1)
    header, first, rest = text.split("\n", 2)
    cells = next(csv.reader([first]))
    cells[4] = "-"  # impressions
    line = ",".join(f'"{c}"' for c in cells)
    result = x.XTweetActivity().parse(f"{header}\n{line}\n{rest}".encode(), "t.csv")
    assert result.problems == []
    assert "impressions" not in result.posts[0].metrics
    assert result.posts[0].metrics["likes"] == Decimal(1)


def test_non_numeric_cell_is_a_problem_with_line_and_column() -> None:
    header, first, rest = _legacy_text().split("\n", 2)
    bad = first.replace('"1938.0"', '"lots"', 1)
    result = x.XTweetActivity().parse(f"{header}\n{bad}\n{rest}".encode(), "t.csv")
    assert [(p.line, p.column) for p in result.problems] == [(2, "impressions")]
    assert "lots" in result.problems[0].message
    assert "impressions" not in result.posts[0].metrics
    assert len(result.posts) == len(rows(ROPENSCI_DEC_2016))


def test_spreadsheet_float_id_is_a_problem() -> None:
    header, first, rest = _legacy_text().split("\n", 2)
    bad = first.replace('"812369747765362688"', '"8.12369747765363E+17"', 1)
    result = x.XTweetActivity().parse(f"{header}\n{bad}\n{rest}".encode(), "t.csv")
    assert [(p.line, p.column) for p in result.problems] == [(2, "Tweet id")]
    assert "spreadsheet" in result.problems[0].message
    assert len(result.posts) == len(rows(ROPENSCI_DEC_2016)) - 1


def test_truncated_legacy_file_reports_the_cut_row() -> None:
    data = ROPENSCI_DEC_2016.read_bytes()
    cut = data[: data.index(b"\n", len(data) // 2) + 200]
    physical_lines = cut.count(b"\n") + 1
    result = x.XTweetActivity().parse(cut, ROPENSCI_DEC_2016.name)
    assert result.problems
    assert result.problems[-1].line == physical_lines
    assert len(result.posts) < len(rows(ROPENSCI_DEC_2016))


def test_missing_required_column_is_a_format_error() -> None:
    text = _legacy_text().replace('"time"', '"when"', 1)
    with pytest.raises(FormatError, match="time"):
        x.XTweetActivity().parse(text.encode(), "t.csv")


# --- legacy daily ---------------------------------------------------------------------------


def test_legacy_daily_files() -> None:
    files = legacy_files("daily_tweet_activity_metrics")
    assert len(files) == 12
    days: set[date] = set()
    for path in files:
        assert sniffers(path) == ["x_daily_tweet_activity"], path.name
        records = rows(path)
        result = x.XDailyTweetActivity().parse(path.read_bytes(), path.name)
        assert result.problems == [] and result.handle == "LisaDeBruine"
        by_metric: dict[str, Decimal] = {}
        for obs in result.observations:
            by_metric[obs.metric] = by_metric.get(obs.metric, Decimal(0)) + obs.value
            days.add(obs.day)
        assert by_metric["posts"] == total(records, "Tweets published")
        assert by_metric["impressions"] == total(records, "impressions")
        assert by_metric["video_views"] == total(records, "media views")
        assert by_metric["profile_visits"] == total(records, "user profile clicks")
        assert len({o.day for o in result.observations}) == len(records)
    assert len(days) == 365


# --- 2024+ content ------------------------------------------------------------------------


def test_account_content_file() -> None:
    assert sniffers(CONTENT) == ["x_account_content"]
    records = rows(CONTENT)
    result = x.XAccountContent().parse(CONTENT.read_bytes(), CONTENT.name)
    assert result.problems == [] and len(result.posts) == len(records) == 173
    assert result.handle == "KaiaDevIntern"
    assert [p.external_id for p in result.posts] == [r["Post id"] for r in records]
    assert all(int(p.external_id) > 2**53 for p in result.posts)

    def parsed(key: str) -> Decimal:
        return sum((p.metrics.get(key, Decimal(0)) for p in result.posts), Decimal(0))

    assert parsed("impressions") == total(records, "Impressions")
    assert parsed("shares") == total(records, "Reposts")
    assert parsed("saves") == total(records, "Bookmarks")
    assert parsed("comments") == total(records, "Replies")
    assert parsed("link_clicks") == total(records, "Url clicks")
    first = result.posts[0]
    assert first.published_at.date() == date(2025, 3, 20)
    assert first.published_at.tzinfo is not None
    assert first.link == records[0]["Link"]


def test_later_content_header_and_date_format() -> None:
    header = (
        "Post id,Date,Post text,Post Link,Impressions,Likes,Engagements,Bookmarks,Shares,"
        "New follows,Replies,Reposts,Profile visits,Detail Expands,URL Clicks,Hashtag Clicks,"
        "Permalink Clicks"
    )
    row = (
        '1902622306553184746,"Tue, Jul 14, 2026",hello,https://x.com/someone/status/1,'
        "100,5,9,1,7,0,2,3,4,0,6,0,0"
    )
    data = f"{header}\n{row}\n".encode()
    assert [i.key for i in ALL if i.sniff(data, "account_analytics_content.csv")] == [
        "x_account_content"
    ]
    result = x.XAccountContent().parse(data, "account_analytics_content.csv")
    assert result.problems == []
    post = result.posts[0]
    assert post.published_at == datetime(2026, 7, 14, tzinfo=UTC)  # id's date is far off
    assert post.link == "https://x.com/someone/status/1" and result.handle == "someone"
    assert post.metrics["shares"] == Decimal(3)  # Reposts, not the private Shares column
    assert post.metrics["link_clicks"] == Decimal(6)


# --- 2024+ overview -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "days"),
    [
        ("kaiadevintern_account_overview_analytics.csv", 271),
        ("kaiadevintern_account_overview_analytics_2025-05.csv", 323),
        ("buildonkaia_account_overview_analytics.csv", 475),
    ],
)
def test_account_overview_files(name: str, days: int) -> None:
    path = KAIA / name
    assert sniffers(path) == ["x_account_overview"]
    records = rows(path)
    result = x.XAccountOverview().parse(path.read_bytes(), path.name)
    assert result.problems == []
    assert len({o.day for o in result.observations}) == len(records) == days
    impressions = [o for o in result.observations if o.metric == "impressions"]
    assert sum((o.value for o in impressions), Decimal(0)) == total(records, "Impressions")
    growth = sum(
        (o.value for o in result.observations if o.metric == "net_follower_growth"), Decimal(0)
    )
    assert growth == total(records, "New follows") - total(records, "Unfollows")
    first = records[0]
    day = datetime.strptime(first["Date"], "%a, %b %d, %Y").date()
    values = {o.metric: o.value for o in result.observations if o.day == day}
    assert values["posts"] == Decimal(first["Create Post"])
    assert values["shares"] == Decimal(first["Reposts"])
    assert impressions[0].line == 2


def test_a_day_repeated_in_appended_overview_exports_is_reported() -> None:
    path = KAIA / "kaiadevintern_account_overview_analytics.csv"
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    data = "\n".join([*lines, lines[1]]).encode()
    result = x.XAccountOverview().parse(data, path.name)
    assert [(p.line, p.column) for p in result.problems] == [(len(lines) + 1, "Date")]
    assert len({o.day for o in result.observations}) == len(lines) - 1


# --- other files are not X ---------------------------------------------------------------


def test_other_files_are_not_sniffed_as_x() -> None:
    others = [
        X_DATA / "ropensci-tweets/twitter_metrics_monthly_rOpenSci.csv",
        DATA / "twitter-us-airline-sentiment/Tweets.csv",
        DATA / "twcs-customer-support/sample.csv",
        DATA / "facebook-metrics-uci/dataset_Facebook.csv",
        *sorted((DATA / "meta-business-suite-export").rglob("*.csv")),
        *sorted((DATA / "youtube-studio-export").rglob("*.csv")),
        *sorted((DATA / "tiktok-studio-export").rglob("*.csv")),
    ]
    x_keys = {i.key for i in x.IMPORTERS}
    for path in others:
        if path.is_file():
            assert not x_keys & set(sniffers(path)), path


def test_csv_module_reads_the_quoted_legacy_file_like_we_expect() -> None:
    # guard for the independent reference: every field quoted, 40 columns
    reader = csv.reader(io.StringIO(_legacy_text()))
    assert {len(r) for r in reader} == {40}

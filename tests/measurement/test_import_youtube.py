"""YouTube Studio Table data / Chart data / Totals against the real files in shared/data."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from converge.measurement.importers import linkedin, tiktok, youtube
from converge.measurement.importers.base import FormatError

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "youtube-studio-export"
PRIYANKA = DATA / "priyankapatel05"
SUUZ = DATA / "buildwithadi-suuz"
TABLE, CHART, TOTALS = (PRIYANKA / n for n in ("Table data.csv", "Chart data.csv", "Totals.csv"))
BY_KEY = {i.key: i for i in youtube.IMPORTERS}
ALL = [*linkedin.IMPORTERS, *tiktok.IMPORTERS, *youtube.IMPORTERS]

pytestmark = pytest.mark.skipif(
    not TABLE.exists() or not (SUUZ / "Table data.csv").exists(),
    reason=f"The real YouTube Studio exports are not available under {DATA}.",
)


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (TABLE, "youtube_table_data"),
        (SUUZ / "Table data.csv", "youtube_table_data"),
        (CHART, "youtube_chart_data"),
        (TOTALS, "youtube_totals"),
    ],
)
def test_sniff_picks_exactly_one(path: Path, key: str) -> None:
    head = path.read_bytes()[:65536]
    assert [i.key for i in ALL if i.sniff(head, path.name)] == [key]


@pytest.mark.parametrize("folder", [PRIYANKA, SUUZ], ids=["priyanka", "suuz"])
def test_table_data_posts(folder: Path) -> None:
    path = folder / "Table data.csv"
    table = rows(path)
    header, total, videos = table[0], table[1], table[2:]
    assert total[0] == "Total"

    result = BY_KEY["youtube_table_data"].parse(path.read_bytes(), path.name)

    assert result.problems == []
    assert len(result.posts) == len(videos)
    assert "Total" not in {p.external_id for p in result.posts}
    first, post = videos[0], result.posts[0]
    assert post.external_id == first[0]
    assert post.line == 3  # header, Total, then the first video
    assert post.text == first[1].strip()
    assert post.kind == "video"
    assert post.link == f"https://www.youtube.com/watch?v={first[0]}"
    assert post.published_at == datetime.strptime(first[2], "%b %d, %Y").replace(tzinfo=UTC)
    assert post.metrics["video_views"] == Decimal(first[header.index("Views")])
    hours = Decimal(first[header.index("Watch time (hours)")])
    assert post.metrics["watch_time_minutes"] == hours * 60
    assert post.metrics["net_follower_growth"] == Decimal(first[header.index("Subscribers")])
    assert post.metrics["impressions"] == Decimal(first[header.index("Impressions")])
    # The click-through rate has no catalogue key.
    assert set(post.metrics) == {
        "video_views",
        "watch_time_minutes",
        "net_follower_growth",
        "impressions",
    }


def test_priyanka_counts_and_total_row() -> None:
    table = rows(TABLE)
    header, total, videos = table[0], table[1], table[2:]
    result = BY_KEY["youtube_table_data"].parse(TABLE.read_bytes(), TABLE.name)
    assert len(result.posts) == len(videos) == 442

    # Subscribers: the Total row is the sum of the video rows.
    column = header.index("Subscribers")
    assert Decimal(total[column]) == sum(Decimal(v[column]) for v in videos) == 97
    assert sum(p.metrics["net_follower_growth"] for p in result.posts) == Decimal(total[column])
    assert youtube.table_total(TABLE.read_bytes())["net_follower_growth"] == Decimal(97)

    # Views: the Total row (181,588) is more than the videos' sum (153,235) — it also counts
    # views of videos missing from the table — and equals the sum of Totals.csv instead.
    views = header.index("Views")
    assert sum(p.metrics["video_views"] for p in result.posts) == sum(
        Decimal(v[views]) for v in videos
    )
    daily = sum(Decimal(r[1]) for r in rows(TOTALS)[1:])
    assert Decimal(total[views]) == daily == 181588


def test_negative_subscribers_are_kept() -> None:
    path = SUUZ / "Table data.csv"
    result = BY_KEY["youtube_table_data"].parse(path.read_bytes(), path.name)
    negative = [p for p in result.posts if p.metrics["net_follower_growth"] < 0]
    expected = [r[0] for r in rows(path)[2:] if Decimal(r[6]) < 0]
    assert [p.external_id for p in negative] == expected
    assert expected  # the README's "-3"


def test_totals_daily_observations() -> None:
    table = rows(TOTALS)
    result = BY_KEY["youtube_totals"].parse(TOTALS.read_bytes(), TOTALS.name)
    assert result.problems == []
    assert len(result.observations) == len(table) - 1 == 365
    first = result.observations[0]
    day, month, year = (int(x) for x in table[1][0].split("-"))  # DD-MM-YYYY
    assert (first.day.year, first.day.month, first.day.day) == (year, month, day)
    assert first.metric == "video_views"
    assert first.value == Decimal(table[1][1])
    assert result.observations[-1].day.isoformat() == "2026-06-12"


def test_chart_data_per_video_imports_each_video_with_its_views_over_the_period() -> None:
    table = rows(CHART)
    header, body = table[0], table[1:]
    assert header == ["Date", "Content", "Video title", "Video publish time", "Duration", "Views"]
    assert len(body) == 1825
    views: dict[str, Decimal] = {}
    first_line: dict[str, int] = {}
    for number, row in enumerate(body, start=2):
        views[row[1]] = views.get(row[1], Decimal(0)) + Decimal(row[5])
        first_line.setdefault(row[1], number)
    result = BY_KEY["youtube_chart_data"].parse(CHART.read_bytes(), CHART.name)
    assert result.problems == [] and result.observations == []
    assert len(result.posts) == len(views) == 5
    got = {p.external_id: (p.line, p.metrics) for p in result.posts}
    assert got == {v: (first_line[v], {"video_views": views[v]}) for v in views}
    # the sums are the videos' lifetime views: Table data.csv of the same download agrees
    lifetime = {r[0]: Decimal(r[4]) for r in rows(TABLE)[2:]}
    assert all(lifetime[v] == views[v] for v in views)
    top = next(p for p in result.posts if p.external_id == "UWQNrpakgcA")
    assert top.metrics["video_views"] == 30331
    assert top.published_at == datetime(2025, 8, 28, tzinfo=UTC)
    assert top.text == body[first_line["UWQNrpakgcA"] - 2][2]


def test_chart_data_with_a_video_older_than_the_chart_is_rejected_for_it() -> None:
    lines = CHART.read_text(encoding="utf-8-sig").splitlines()
    # drop the chart's first days, so that it starts after a video was published
    kept = [lines[0]] + [ln for ln in lines[1:] if ln[:10] >= "2025-09-01"]
    data = "\n".join(kept).encode()
    result = BY_KEY["youtube_chart_data"].parse(data, CHART.name)
    old = {"UWQNrpakgcA", "bCDnDtsTHAk"}  # published Aug 28 and Aug 29, 2025
    assert {p.external_id for p in result.posts} == {"2imBUt8eZaI", "_hVP92r3z3I", "mx7T928-TGs"}
    assert {p.column for p in result.problems} == {"Video publish time"}
    assert len(result.problems) == len(old)
    assert all("Table data.csv" in p.message for p in result.problems)


def test_chart_data_without_dimension_gives_daily_values() -> None:
    data = b'Date,Views,Watch time (hours),Subscribers\n2025-08-28,10,1.5,-2\n"Aug 29, 2025",4,,3\n'
    importer = BY_KEY["youtube_chart_data"]
    assert importer.sniff(data, "Chart data.csv")
    result = importer.parse(data, "Chart data.csv")
    got = {(o.day.isoformat(), o.metric): o.value for o in result.observations}
    assert got == {
        ("2025-08-28", "video_views"): Decimal(10),
        ("2025-08-28", "watch_time_minutes"): Decimal(90),
        ("2025-08-28", "net_follower_growth"): Decimal(-2),
        ("2025-08-29", "video_views"): Decimal(4),
        ("2025-08-29", "net_follower_growth"): Decimal(3),
    }


def test_bad_cells_and_truncation_are_row_problems() -> None:
    text = TABLE.read_text(encoding="utf-8")
    lines = text.splitlines()
    header = next(csv.reader([lines[0]]))
    broken = next(csv.reader([lines[2]]))
    broken[header.index("Views")] = "many"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(broken)
    cut = lines[3][: len(lines[3]) // 3]  # a line cut off mid-way
    data = "\n".join([lines[0], lines[1], out.getvalue().strip(), cut, lines[4]]).encode()

    result = BY_KEY["youtube_table_data"].parse(data, "Table data.csv")

    assert [p.line for p in result.posts] == [3, 5]
    assert "video_views" not in result.posts[0].metrics
    problems = sorted(result.problems, key=lambda p: p.line)
    assert [(p.line, p.column) for p in problems] == [(3, "Views"), (4, None)]
    assert problems[0].message == "“many” is not a number."
    assert "cut off" in problems[1].message


def test_bad_date_is_a_row_problem() -> None:
    data = b"Date,Views\n2025-08-28,3\nyesterday,4\n"
    result = BY_KEY["youtube_totals"].parse(data, "Totals.csv")
    assert len(result.observations) == 1
    assert [(p.line, p.column) for p in result.problems] == [(3, "Date")]


def test_missing_required_column_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="video publish time"):
        BY_KEY["youtube_table_data"].parse(b"Content,Video title,Views\nabc,x,1\n", "t.csv")
    with pytest.raises(FormatError, match="no metric"):
        BY_KEY["youtube_totals"].parse(b"Date,Unknown\n2025-01-01,1\n", "Totals.csv")

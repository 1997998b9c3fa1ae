"""Meta Business Suite importers against the real exports in /work/shared/data. Expected
values are computed here with the csv module, independently of the importers."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from converge.measurement.catalogue import BY_KEY
from converge.measurement.importers import meta, x
from converge.measurement.importers.base import FormatError

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
META = DATA / "meta-business-suite-export"
pytestmark = pytest.mark.skipif(
    not META.is_dir(), reason=f"the real export files are not present at {META}"
)
ALL = [*x.IMPORTERS, *meta.IMPORTERS]
FB_POSTS = META / "mohshaikh23-pro-efficient/Feb-01-2025_Mar-15-2025_613168031534769.csv"
VINTAGE = META / "vsbperoto-restaurant-vintage"
FB_VIDEOS = VINTAGE / "Oct-31-2025_Dec-30-2025_1664278361210560.csv"
FB_VIDEOS_REPAIRED = VINTAGE / "Oct-31-2025_Dec-30-2025_1664278361210560.repaired.csv"
IG_POSTS = VINTAGE / "INSTAGRAM_RAW.csv"
IG_POSTS_REPAIRED = VINTAGE / "INSTAGRAM_RAW.repaired.csv"


def table(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def column(records: list[list[str]], name: str) -> list[str]:
    where = records[0].index(name)  # the first one, for the duplicate Views
    return [r[where] for r in records[1:]]


def total(values: list[str]) -> Decimal:
    return sum((Decimal(v) for v in values if v.strip()), Decimal(0))


def sniffers(path: Path) -> list[str]:
    head = path.read_bytes()[:65536]
    return [i.key for i in ALL if i.sniff(head, path.name)]


def parsed_total(posts: list, key: str) -> Decimal:  # type: ignore[type-arg]
    return sum((p.metrics.get(key, Decimal(0)) for p in posts), Decimal(0))


# --- Facebook posts -------------------------------------------------------------------------


def test_facebook_posts_export() -> None:
    assert sniffers(FB_POSTS) == ["meta_facebook_posts"]
    records = table(FB_POSTS)
    assert records[0].count("Views") == 2
    result = meta.MetaFacebookPosts().parse(FB_POSTS.read_bytes(), FB_POSTS.name)
    assert result.problems == [] and result.platform == "facebook"
    assert result.handle == "Pro Efficient Data Entry"
    assert len(result.posts) == len(records) - 1 == 20
    assert [p.external_id for p in result.posts] == column(records, "Post ID")
    assert parsed_total(result.posts, "reach") == total(column(records, "Reach"))
    assert parsed_total(result.posts, "impressions") == total(column(records, "Views"))
    assert parsed_total(result.posts, "likes") == total(column(records, "Reactions"))
    engagements = total(column(records, "Reactions, comments and shares"))
    assert parsed_total(result.posts, "engagements") == engagements
    kinds = [p.kind for p in result.posts]
    assert (kinds.count("image"), kinds.count("video"), kinds.count("reel")) == (18, 1, 1)
    assert set(column(records, "Date")) == {"Lifetime"}
    first = result.posts[0]
    raw_time = column(records, "Publish time")[0]
    assert first.published_at == datetime.strptime(raw_time, "%m/%d/%Y %H:%M").replace(tzinfo=UTC)
    assert first.link == column(records, "Permalink")[0]
    # Captions with several lines stay whole.
    assert any("\n" in p.text for p in result.posts) == any(
        "\n" in d for d in column(records, "Description")
    )


def test_older_facebook_header_with_impressions_and_duration_sec() -> None:
    text = FB_POSTS.read_text(encoding="utf-8-sig")
    header, rest = text.split("\n", 1)
    header = header.replace("Duration (secs)", "Duration (sec)").replace("Views", "Impressions", 1)
    data = ("\ufeff" + header + "\n" + rest).encode()
    assert [i.key for i in ALL if i.sniff(data, FB_POSTS.name)] == ["meta_facebook_posts"]
    result = meta.MetaFacebookPosts().parse(data, FB_POSTS.name)
    assert result.problems == []
    assert parsed_total(result.posts, "impressions") == total(column(table(FB_POSTS), "Views"))


def test_facebook_video_export_wrapped_and_repaired_give_the_same_posts() -> None:
    records = table(FB_VIDEOS_REPAIRED)
    assert sniffers(FB_VIDEOS) == ["meta_facebook_posts"]
    assert sniffers(FB_VIDEOS_REPAIRED) == ["meta_facebook_posts"]
    wrapped = meta.MetaFacebookPosts().parse(FB_VIDEOS.read_bytes(), FB_VIDEOS.name)
    repaired = meta.MetaFacebookPosts().parse(
        FB_VIDEOS_REPAIRED.read_bytes(), FB_VIDEOS_REPAIRED.name
    )
    assert wrapped.problems == [] and repaired.problems == []
    assert len(wrapped.posts) == len(records) - 1 == 45
    assert [p.external_id for p in wrapped.posts] == column(records, "Video asset ID")
    assert [(p.external_id, p.metrics) for p in wrapped.posts] == [
        (p.external_id, p.metrics) for p in repaired.posts
    ]
    assert parsed_total(wrapped.posts, "video_views") == total(
        column(records, "3-second video views")
    )
    assert parsed_total(wrapped.posts, "reach") == total(column(records, "Reach"))
    seconds = Decimal(column(records, "Seconds viewed")[0])
    minutes = wrapped.posts[0].metrics["watch_time_minutes"]
    assert abs(minutes - seconds / 60) < Decimal("0.01")
    assert {p.kind for p in wrapped.posts} == {"video"}


# --- Instagram posts ------------------------------------------------------------------------


def test_instagram_posts_wrapped_and_repaired() -> None:
    records = table(IG_POSTS_REPAIRED)
    assert len(records) - 1 == 58
    ids = [i for i in column(records, "Post ID") if i]
    for path in (IG_POSTS, IG_POSTS_REPAIRED):
        assert sniffers(path) == ["meta_instagram_posts"]
        result = meta.MetaInstagramPosts().parse(path.read_bytes(), path.name)
        assert result.platform == "instagram" and result.handle == "vintagerest.bg"
        assert [p.external_id for p in result.posts] == ids
        # The one row Meta could not describe (no id, no publish time) is reported.
        assert [p.column for p in result.problems] == ["Data comment"]
        assert "17970435071805603" in result.problems[0].message
        kept = [r for r in records[1:] if r[0]]
        saves = records[0].index("Saves")
        assert parsed_total(result.posts, "saves") == total([r[saves] for r in kept])
        views = records[0].index("Views")
        assert parsed_total(result.posts, "impressions") == total([r[views] for r in kept])
        kinds = [p.kind for p in result.posts]
        assert (kinds.count("reel"), kinds.count("carousel"), kinds.count("image")) == (46, 8, 3)


# --- per-metric daily charts --------------------------------------------------------------

CHARTS = [
    ("IG VIEWS.csv", "meta_instagram_daily", "impressions"),
    ("IG_REACH.csv", "meta_instagram_daily", "reach"),
    ("IG_INTERACTIONS.csv", "meta_instagram_daily", "engagements"),
    ("IG_LINK_CLICKS.csv", "meta_instagram_daily", "link_clicks"),
    ("IG_VISITS.csv", "meta_instagram_daily", "profile_visits"),
    ("Views.csv", "meta_facebook_daily", "impressions"),
    ("Viewers.csv", "meta_facebook_daily", "reach"),
    ("Interactions.csv", "meta_facebook_daily", "engagements"),
    ("Link clicks.csv", "meta_facebook_daily", "link_clicks"),
    ("Visits.csv", "meta_facebook_daily", "profile_visits"),
]


def chart_rows(path: Path) -> list[tuple[int, list[str]]]:
    """(line, cells) of the data rows, read independently with the csv module."""
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw.startswith(b"\xff\xfe") else raw.decode("utf-8-sig")
    lines = text.splitlines()
    skip = 3 if lines[0].startswith("sep=") else 2
    delimiter = "," if skip == 3 else ";"
    found = []
    for number, line in enumerate(lines[skip:], start=skip + 1):
        if line.strip():
            found.append((number, next(csv.reader([line], delimiter=delimiter))))
    return found


@pytest.mark.parametrize(("name", "key", "metric"), CHARTS)
def test_daily_chart_exports(name: str, key: str, metric: str) -> None:
    path = VINTAGE / name
    assert sniffers(path) == [key]
    expected = chart_rows(path)
    assert len(expected) == 62
    importer = next(i for i in meta.IMPORTERS if i.key == key)
    result = importer.parse(path.read_bytes(), path.name)
    assert result.problems == []
    assert {o.metric for o in result.observations} == {metric}
    assert len(result.observations) == 62
    assert sum((o.value for o in result.observations), Decimal(0)) == total(
        [cells[1] for _, cells in expected]
    )
    assert [o.line for o in result.observations] == [line for line, _ in expected]
    assert result.observations[0].day == date(2025, 10, 31)
    assert result.observations[-1].day == date(2025, 12, 31)


def test_dst_shifted_timestamps_keep_the_written_calendar_date() -> None:
    result = meta.MetaFacebookDaily().parse((VINTAGE / "Views.csv").read_bytes(), "Views.csv")
    expected = {
        date.fromisoformat(cells[0][:10]): Decimal(cells[1])
        for _, cells in chart_rows(VINTAGE / "Views.csv")
    }
    assert any("T01:00" in cells[0] for _, cells in chart_rows(VINTAGE / "Views.csv"))
    assert {o.day: o.value for o in result.observations} == expected


@pytest.mark.parametrize(
    ("name", "key", "rows"),
    [("IG_FOLLOWS.csv", "meta_instagram_daily", 40), ("Follows.csv", "meta_facebook_daily", 62)],
)
def test_follows_charts_import_as_new_followers(name: str, key: str, rows: int) -> None:
    path = VINTAGE / name
    assert sniffers(path) == [key]
    expected = chart_rows(path)
    assert len(expected) == rows  # IG leaves out the days without a follow
    importer = next(i for i in meta.IMPORTERS if i.key == key)
    result = importer.parse(path.read_bytes(), path.name)
    assert result.problems == []
    assert {o.metric for o in result.observations} == {"new_followers"}
    assert [(o.line, o.day, o.value) for o in result.observations] == [
        (line, date.fromisoformat(cells[0][:10]), Decimal(cells[1])) for line, cells in expected
    ]


def test_new_followers_is_a_summed_catalogue_metric_in_both_languages() -> None:
    metric = BY_KEY["new_followers"]
    assert (metric.name_en, metric.name_sv) == ("New followers", "Nya följare")
    assert (metric.unit, metric.aggregation, metric.amec) == ("count", "sum", "output")
    assert "gross" in metric.definition and "Follows" in metric.source


def test_instagram_follows_on_14_december_and_the_facebook_total() -> None:
    ig = meta.MetaInstagramDaily().parse(
        (VINTAGE / "IG_FOLLOWS.csv").read_bytes(), "IG_FOLLOWS.csv"
    )
    assert {o.day: o.value for o in ig.observations}[date(2025, 12, 14)] == 18
    fb = meta.MetaFacebookDaily().parse((VINTAGE / "Follows.csv").read_bytes(), "Follows.csv")
    assert sum(o.value for o in fb.observations) == total(
        [cells[1] for _, cells in chart_rows(VINTAGE / "Follows.csv")]
    )


# --- Audience.csv and Top content formats.csv ----------------------------------------------

AUDIENCE = VINTAGE / "Audience.csv"
FORMATS = VINTAGE / "Top content formats.csv"


def audience_follows() -> list[tuple[int, list[str]]]:
    """(line, cells) of the Follows section, read with the csv module from the cp1251 file."""
    rows = list(csv.reader(io.StringIO(AUDIENCE.read_bytes().decode("cp1251")), delimiter=";"))
    start = next(n for n, r in enumerate(rows) if r[:2] == ["Date", "Primary"])
    assert rows[start - 1][0] == "Follows"
    found = []
    for number, cells in enumerate(rows[start + 1 :], start=start + 2):
        if not any(cells):
            break
        found.append((number, cells))
    return found


def test_audience_export_imports_its_follows_series_only() -> None:
    assert sniffers(AUDIENCE) == ["meta_audience"]
    expected = audience_follows()
    assert len(expected) == 62
    result = meta.MetaAudience().parse(AUDIENCE.read_bytes(), AUDIENCE.name)
    assert (result.platform, result.problems, result.posts) == ("facebook", [], [])
    assert {o.metric for o in result.observations} == {"new_followers"}
    assert [(o.line, o.day, o.value) for o in result.observations] == [
        (line, date.fromisoformat(cells[0][:10]), Decimal(cells[1])) for line, cells in expected
    ]
    # the same series as the Follows chart of the same download
    chart = meta.MetaFacebookDaily().parse((VINTAGE / "Follows.csv").read_bytes(), "Follows.csv")
    assert {(o.day, o.value) for o in result.observations} == {
        (o.day, o.value) for o in chart.observations
    }


def test_an_audience_export_without_a_follows_section_is_rejected_with_a_reason() -> None:
    text = AUDIENCE.read_bytes().decode("cp1251")
    demographics = text[: text.index("Follows;")]
    with pytest.raises(FormatError, match=r"age & gender.*Follows\.csv"):
        meta.MetaAudience().parse(demographics.encode("cp1251"), AUDIENCE.name)


def test_top_content_formats_is_recognised_and_rejected_naming_the_content_export() -> None:
    assert sniffers(FORMATS) == ["meta_top_content_formats"]
    rows = list(csv.reader(io.StringIO(FORMATS.read_text()), delimiter=";"))
    assert rows[0][0] == "Views" and "Reels" in rows[1]  # totals per format, no dates
    with pytest.raises(FormatError, match=r"Top content formats.*content export"):
        meta.MetaTopContentFormats().parse(FORMATS.read_bytes(), FORMATS.name)


def test_non_numeric_and_bad_date_cells_in_a_chart_are_problems() -> None:
    text = (VINTAGE / "IG_REACH.csv").read_bytes().decode("utf-16")
    lines = text.splitlines()
    lines[3] = '"2025-10-31T00:00:00","many"'
    lines[4] = '"yesterday","12"'
    result = meta.MetaInstagramDaily().parse("\n".join(lines).encode("utf-16"), "IG_REACH.csv")
    assert [(p.line, p.column) for p in result.problems] == [(4, "Primary"), (5, "Date")]
    assert len(result.observations) == 60


def test_truncated_chart_keeps_the_complete_rows() -> None:
    raw = (VINTAGE / "Views.csv").read_bytes()
    cut = raw[: len(raw) // 2]
    cut = cut[: cut.rindex(b";") + 1]  # the last row loses its value
    result = meta.MetaFacebookDaily().parse(cut, "Views.csv")
    complete = cut.count(b"\n") - 2
    assert len(result.observations) == complete
    assert [p.column for p in result.problems] == ["Primary"]


def test_a_chart_with_an_unknown_title_is_a_format_error() -> None:
    data = 'sep=,\n"Unicorns"\n"Date","Primary"\n"2025-10-31T00:00:00","1"\n'
    with pytest.raises(FormatError, match="Unicorns"):
        meta.MetaFacebookDaily().parse(data.encode("utf-16"), "Unicorns.csv")


def test_a_posts_export_without_publish_time_is_a_format_error() -> None:
    text = FB_POSTS.read_text(encoding="utf-8-sig").replace("Publish time", "Published", 1)
    with pytest.raises(FormatError, match="publish time"):
        meta.MetaFacebookPosts().parse(text.encode(), FB_POSTS.name)


def test_a_truncated_posts_export_reports_the_cut_row() -> None:
    data = FB_POSTS.read_bytes()
    cut = data[: len(data) - 300]
    result = meta.MetaFacebookPosts().parse(cut, FB_POSTS.name)
    assert len(result.posts) == 19
    assert len(result.problems) == 1 and result.problems[0].line > 1


def test_spreadsheet_float_post_id_is_a_problem() -> None:
    text = FB_POSTS.read_text(encoding="utf-8-sig")
    first_id = column(table(FB_POSTS), "Post ID")[0]
    result = meta.MetaFacebookPosts().parse(
        text.replace(first_id, "1.22121E+17", 1).encode(), FB_POSTS.name
    )
    assert [(p.line, p.column) for p in result.problems] == [(2, "Post ID")]
    assert len(result.posts) == 19


# --- other files are not Meta ------------------------------------------------------------


def test_other_files_are_not_sniffed_as_meta() -> None:
    others = [
        DATA / "facebook-metrics-uci/dataset_Facebook.csv",
        DATA / "twitter-us-airline-sentiment/Tweets.csv",
        *sorted((DATA / "x-twitter-analytics-export").rglob("*.csv")),
        *sorted((DATA / "youtube-studio-export").rglob("*.csv")),
        *sorted((DATA / "tiktok-studio-export").rglob("*.csv")),
    ]
    meta_keys = {i.key for i in meta.IMPORTERS}
    for path in others:
        if path.is_file():
            assert not meta_keys & set(sniffers(path)), path


def test_reference_reader_sees_the_wrapped_file_as_one_field_per_record() -> None:
    # guard for the independent reference: the raw video export is really "wrapped"
    first = next(csv.reader(io.StringIO(FB_VIDEOS.read_text(encoding="utf-8-sig"))))
    assert len(first) == 1 and first[0].startswith("Video asset ID,")

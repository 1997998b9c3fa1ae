"""LinkedIn Page content export (.xls and .xlsx) against the real files in shared/data."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl  # type: ignore[import-untyped]
import pytest
import xlrd  # type: ignore[import-untyped]

from converge.measurement.importers import linkedin, tiktok, youtube
from converge.measurement.importers.base import FormatError

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "linkedin-page-export"
FOLDER = DATA / "mohshaikh23-pro-efficient"
XLS = FOLDER / "pro-efficient-data-entry_content_1742193384396.xls"
XLSX = FOLDER / "pro-efficient-data-entry_content_1742193384396.xlsx"
IMPORTER = linkedin.IMPORTERS[0]
OTHERS = [*tiktok.IMPORTERS, *youtube.IMPORTERS]

pytestmark = pytest.mark.skipif(
    not XLS.exists() or not XLSX.exists(),
    reason=f"The real LinkedIn export is not available under {DATA}.",
)


def independent(path: Path) -> dict[str, list[list[object]]]:
    """The sheets as read directly with xlrd / openpyxl (not with the importer)."""
    if path.suffix == ".xls":
        book = xlrd.open_workbook(str(path))
        return {s.name: [s.row_values(r) for r in range(s.nrows)] for s in book.sheets()}
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


@pytest.mark.parametrize("path", [XLS, XLSX], ids=["xls", "xlsx"])
def test_sniff_picks_linkedin_only(path: Path) -> None:
    head = path.read_bytes()[:65536]
    assert IMPORTER.sniff(head, path.name)
    assert IMPORTER.sniff(head, "upload.bin")  # magic bytes + column names, not the name
    assert not any(i.sniff(head, path.name) for i in OTHERS)


def test_sniff_rejects_csv_and_other_excel() -> None:
    assert not IMPORTER.sniff(b"Date,Impressions\n2025-01-01,3\n", "x.csv")
    buffer = io.BytesIO()
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Amount"])
    wb.save(buffer)
    assert not IMPORTER.sniff(buffer.getvalue()[:65536], "budget.xlsx")


@pytest.mark.parametrize("path", [XLS, XLSX], ids=["xls", "xlsx"])
def test_posts_and_metrics_match_the_sheets(path: Path) -> None:
    sheets = independent(path)
    posts_sheet, metrics_sheet = sheets["All posts"], sheets["Metrics"]
    post_header = [str(c) for c in posts_sheet[0]]
    metric_header = [str(c) for c in metrics_sheet[0]]
    post_rows, metric_rows = posts_sheet[1:], metrics_sheet[1:]

    result = IMPORTER.parse(path.read_bytes(), path.name)

    assert result.problems == []
    assert result.platform == "linkedin"
    assert len(result.posts) == len(post_rows) == 8
    # 6 mapped columns a day: impressions, reach, link_clicks, likes, comments, shares.
    assert len(result.observations) == len(metric_rows) * 6 == 180

    first = post_rows[0]
    link = str(first[post_header.index("Post link")])
    post = result.posts[0]
    assert post.external_id == link.rsplit(":", 1)[1] == "7306192134921981953"
    assert post.link == link
    assert post.text == str(first[post_header.index("Post title")]).strip()
    assert post.published_at.date() == datetime(2025, 3, 14, tzinfo=UTC).date()
    assert post.published_at.tzinfo is not None
    assert post.metrics["impressions"] == Decimal(str(first[post_header.index("Impressions")]))
    assert post.metrics["impressions"] == Decimal(26)
    assert str(post.metrics["impressions"]) == "26"  # integral, not "26.0"
    assert post.metrics["link_clicks"] == Decimal(str(first[post_header.index("Clicks")]))
    assert post.metrics["shares"] == Decimal(str(first[post_header.index("Reposts")]))
    assert "video_views" not in post.metrics  # empty "Views" cell → no value
    assert all(isinstance(v, Decimal) for p in result.posts for v in p.metrics.values())

    # Total impressions per day equal the sheet's column, summed independently.
    col = metric_header.index("Impressions (total)")
    expected = sum(Decimal(str(r[col])) for r in metric_rows)
    got = sum(o.value for o in result.observations if o.metric == "impressions")
    assert got == expected
    last = metric_rows[-1]
    assert str(last[0]) == "03/15/2025"
    day = [o for o in result.observations if o.day.isoformat() == "2025-03-15"]
    assert {o.metric: o.value for o in day}["impressions"] == Decimal(str(last[col]))
    assert {o.line for o in day} == {len(metrics_sheet)}


def _workbook(rows_by_sheet: dict[str, list[list[object]]]) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in rows_by_sheet.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_header_on_row_two_and_old_column_names() -> None:
    data = _workbook(
        {
            "All updates": [
                ["Description row LinkedIn puts above the header"],
                [
                    "Update title",
                    "Update link",
                    "Update type",
                    "Created date",
                    "Impressions",
                    "Video views",
                    "Clicks",
                    "Likes",
                    "Comments",
                    "Shares",
                    "Content Type",
                ],
                [
                    "Hello",
                    "https://www.linkedin.com/feed/update/urn:li:activity:7306192134921981953",
                    "Organic",
                    "03/14/2025",
                    40,
                    12,
                    3,
                    5,
                    1,
                    2,
                    "Video",
                ],
                [
                    "Bad",
                    "https://www.linkedin.com/feed/update/urn:li:activity:7305537171719864321",
                    "Organic",
                    "03/12/2025",
                    "lots",
                    None,
                    0,
                    0,
                    0,
                    0,
                    "",
                ],
            ],
            "Metrics": [
                ["Aggregated metrics"],
                ["Date", "Impressions (total)", "Shares (total)"],
                ["03/14/2025", 40, 2],
            ],
        }
    )
    assert IMPORTER.sniff(data[:65536], "acme_content_1742193384396.xlsx")
    result = IMPORTER.parse(data, "acme_content_1742193384396.xlsx")
    assert [p.external_id for p in result.posts] == ["7306192134921981953", "7305537171719864321"]
    hello = result.posts[0]
    assert hello.line == 3 and hello.kind == "video"
    assert hello.metrics == {
        "impressions": Decimal(40),
        "video_views": Decimal(12),
        "link_clicks": Decimal(3),
        "likes": Decimal(5),
        "comments": Decimal(1),
        "shares": Decimal(2),
    }
    assert "impressions" not in result.posts[1].metrics
    [problem] = result.problems
    assert (problem.line, problem.column) == (4, "All updates: Impressions")
    assert "not a number" in problem.message
    assert {(o.metric, o.value) for o in result.observations} == {
        ("impressions", Decimal(40)),
        ("shares", Decimal(2)),
    }


def test_missing_required_column_is_a_format_error() -> None:
    data = _workbook({"All posts": [["Post title", "Impressions"], ["Hi", 3]]})
    with pytest.raises(FormatError, match="Post link"):
        IMPORTER.parse(data, "x.xlsx")


def test_workbook_without_linkedin_sheets_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="not a LinkedIn Page content export"):
        IMPORTER.parse(_workbook({"Sheet": [["Name", "Amount"]]}), "x.xlsx")


@pytest.mark.parametrize("path", [XLS, XLSX], ids=["xls", "xlsx"])
def test_truncated_file_is_a_format_error(path: Path) -> None:
    data = path.read_bytes()
    with pytest.raises(FormatError, match="cut off or damaged"):
        IMPORTER.parse(data[: len(data) // 2], path.name)


def test_not_excel_is_a_format_error() -> None:
    with pytest.raises(FormatError, match="not an Excel file"):
        IMPORTER.parse(b"Post title,Post link\n", "x.csv")

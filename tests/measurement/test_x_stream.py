"""The streaming reader of legacy X tweet-activity exports gives, row for row, what the row
importer gives — on every real export in shared/data, on generated files cut into many
batches, and on damaged rows (which it hands to the row importer's own logic)."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest

from bench.xfile import generate
from converge.measurement import staging
from converge.measurement.importers import x, x_stream

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "x-twitter-analytics-export"
LEGACY = sorted(DATA.glob("*/tweet_activity_metrics_*.csv"))
pytestmark = pytest.mark.skipif(not LEGACY, reason=f"the real exports are not present at {DATA}")


def by_rows(path: Path, block_size: int = x_stream.BLOCK_SIZE, careful: bool = False):
    stream = x_stream.TweetActivityStream(path, path.name, block_size=block_size, careful=careful)
    rows = [row for batch in stream.batches() for row in batch.to_pylist()]
    return rows, stream


def by_row_importer(path: Path):
    parsed = x.XTweetActivity().parse(path.read_bytes(), path.name)
    return staging.posts_batch(parsed.posts).to_pylist(), parsed


def problems(items) -> list[tuple[int, str | None, str]]:
    return [(p.line, p.column, p.message) for p in items]


@pytest.mark.parametrize("path", LEGACY, ids=[p.name for p in LEGACY])
def test_every_real_legacy_export_streams_exactly_as_the_row_importer_reads_it(
    path: Path,
) -> None:
    streamed, stream = by_rows(path)
    expected, parsed = by_row_importer(path)
    assert streamed == expected
    assert stream.handle == parsed.handle
    assert problems(stream.problems) == problems(parsed.problems) == []


def test_line_numbers_stay_exact_across_batches_with_line_breaks_in_tweets(
    tmp_path: Path,
) -> None:
    path = generate(tmp_path / "tweet_activity_metrics_nordvik_20260101_20260201_en.csv", 600)
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        starts, line = {}, 2
        for row in reader:
            starts[row[0]] = line
            line = reader.line_num + 1
    streamed, stream = by_rows(path, block_size=16 * 1024)
    assert stream.rows == 600 and len(streamed) == 600
    assert any("\n" in row["text"] for row in streamed)
    assert {row["external_id"]: row["line"] for row in streamed} == starts
    assert streamed == by_row_importer(path)[0]


def with_a_post_again(path: Path, which: int = 1) -> list[str]:
    """Append the file's ``which``-th post once more at its end; its cells."""
    with path.open(newline="", encoding="utf-8") as handle:
        again = list(csv.reader(handle))[which]
    with path.open("a", newline="", encoding="utf-8") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(again)
    return again


def test_a_post_again_in_a_later_batch_sends_the_file_back_to_be_read_carefully(
    tmp_path: Path,
) -> None:
    path = generate(tmp_path / "tweet_activity_metrics_nordvik_20260101_20260201_en.csv", 600)
    again = with_a_post_again(path)

    with pytest.raises(x_stream.RepeatedPosts):
        by_rows(path, block_size=16 * 1024)
    streamed, stream = by_rows(path, block_size=16 * 1024, careful=True)

    expected, parsed = by_row_importer(path)
    assert streamed == expected and len(streamed) == 600
    assert problems(stream.problems) == problems(parsed.problems)
    [(line, column, message)] = problems(stream.problems)
    assert column == "Tweet id" and line > streamed[-1]["line"]
    assert f"The post {again[0]} appears again (first on line 2)" in message


def test_a_post_twice_in_one_batch_needs_no_second_reading(tmp_path: Path) -> None:
    path = generate(tmp_path / "tweet_activity_metrics_nordvik_20260101_20260201_en.csv", 50)
    with_a_post_again(path, which=3)

    streamed, stream = by_rows(path)

    assert streamed == by_row_importer(path)[0] and len(streamed) == 50
    assert [p.column for p in stream.problems] == ["Tweet id"]


def test_a_damaged_cell_gets_the_row_importers_message_and_the_other_rows_still_count(
    tmp_path: Path,
) -> None:
    source = LEGACY[0].read_text(encoding="utf-8")
    header, first, rest = source.split("\n", 2)
    cells = next(csv.reader([first]))
    cells[4], cells[9] = "lots", "1,234.0"  # impressions, likes
    damaged = ",".join(f'"{c}"' for c in cells)
    path = tmp_path / LEGACY[0].name
    path.write_text(f"{header}\n{damaged}\n{rest}", encoding="utf-8")
    streamed, stream = by_rows(path)
    expected, parsed = by_row_importer(path)
    assert problems(stream.problems) == problems(parsed.problems)
    assert [(p.line, p.column) for p in stream.problems] == [(2, "impressions")]
    assert streamed == expected
    assert streamed[0]["metrics"].count('"likes":"1234"') == 1


def test_metric_cells_written_otherwise_than_they_are_stored_give_the_same_metrics(
    tmp_path: Path,
) -> None:
    """Digits as stored go into the metrics as they are; a leading zero, spaces, "-" or an
    empty cell take the parsing path, with the row importer's result."""
    source = LEGACY[0].read_text(encoding="utf-8")
    header, first, rest = source.split("\n", 2)
    cells = next(csv.reader([first]))
    plain = dict(zip(next(csv.reader([header])), cells, strict=True))
    cells[4], cells[9] = f"0{cells[4]}", f" {cells[9]} "  # impressions, likes
    cells[8], cells[11] = "-", ""  # replies, url clicks: not given
    path = tmp_path / LEGACY[0].name
    path.write_text(
        header + "\n" + ",".join(f'"{c}"' for c in cells) + f"\n{rest}", encoding="utf-8"
    )

    streamed, stream = by_rows(path)

    assert streamed == by_row_importer(path)[0]
    assert stream.problems == []
    metrics = json.loads(streamed[0]["metrics"])
    assert metrics["impressions"] == staging.decimal_text(Decimal(plain["impressions"]))
    assert metrics["likes"] == staging.decimal_text(Decimal(plain["likes"]))
    assert "comments" not in metrics and "link_clicks" not in metrics
    assert json.loads(by_rows(LEGACY[0])[0][1]["metrics"]) == json.loads(streamed[1]["metrics"])


def test_a_blank_line_in_the_data_is_skipped_and_counted_as_a_line(tmp_path: Path) -> None:
    header, first, rest = LEGACY[0].read_text(encoding="utf-8").split("\n", 2)
    path = tmp_path / LEGACY[0].name
    path.write_text(f"{header}\n{first}\n\n{rest}", encoding="utf-8")
    streamed, _stream = by_rows(path)
    assert streamed == by_row_importer(path)[0]
    assert [row["line"] for row in streamed[:2]] == [2, 4]


def test_a_row_with_too_few_cells_is_left_to_the_row_importer(tmp_path: Path) -> None:
    header, first, rest = LEGACY[0].read_text(encoding="utf-8").split("\n", 2)
    path = tmp_path / LEGACY[0].name
    path.write_text(f'{header}\n{first}\n"1","2"\n{rest}', encoding="utf-8")
    with pytest.raises(x_stream.NeedsRowReader):
        by_rows(path)


def test_a_windows_1251_resave_is_left_to_the_row_importer(tmp_path: Path) -> None:
    text = LEGACY[0].read_text(encoding="utf-8")
    header, first, rest = text.split("\n", 2)
    path = tmp_path / LEGACY[0].name
    resaved = f"{header}\n{first.replace('Face', 'Лицо', 1)}\n{rest}"
    path.write_bytes(resaved.encode("cp1251", "replace"))
    with pytest.raises(x_stream.NeedsRowReader):
        by_rows(path)

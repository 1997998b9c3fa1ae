"""Posts through the whole flow: the stage between check and commit, changed posts and their
rollback, files the streaming reader hands back, and big files checked and committed in the
background with their progress on the page."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from bench.xfile import generate
from converge.core.errors import ConvergeError
from converge.measurement import services
from converge.measurement.importers import x_stream
from converge.measurement.models import Channel, Import, ImportStatus, Post
from tests.conftest import World
from tests.measurement.test_x_stream import with_a_post_again

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "x-twitter-analytics-export"
FILE = DATA / "ropensci-tweets" / "tweet_activity_metrics_rOpenSci_20161201_20170101_en.csv"
pytestmark = pytest.mark.skipif(not FILE.is_file(), reason=f"{FILE} is not present")


@pytest.fixture
def channel(world: World) -> Channel:
    return services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="rOpenSci"
    )


def rows() -> list[dict[str, str]]:
    with FILE.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def check(world: World, data: bytes) -> tuple[Import, services.Plan]:
    return services.import_check(
        actor=world.lead, workspace=world.workspace, data=data, filename=FILE.name
    )


def test_a_changed_post_is_replaced_and_its_rollback_restores_it(
    world: World, channel: Channel
) -> None:
    original = FILE.read_bytes()
    first = services.import_commit(actor=world.lead, record=check(world, original)[0])
    target = rows()[0]
    before = Post.objects.get(channel=channel, external_id=target["Tweet id"])
    edited = original.replace(f'"{target["impressions"]}"'.encode(), b'"99999.0"', 1)
    record, plan = check(world, edited)
    assert (record.new, record.changed, record.unchanged) == (0, 1, first.new - 1)
    assert [o.what for o in plan.outcomes if o.kind == "changed"] == [f"post {target['Tweet id']}"]
    services.import_commit(actor=world.lead, record=record)
    after = Post.objects.get(pk=before.pk)
    assert after.metrics["impressions"] == "99999"
    assert after.source_import == record and after.previous_import == first
    assert (after.previous or {})["metrics"]["impressions"] == before.metrics["impressions"]
    services.import_rollback(actor=world.lead, record=record)
    restored = Post.objects.get(pk=before.pk)
    assert (restored.metrics, restored.text, restored.published_at, restored.digest) == (
        before.metrics,
        before.text,
        before.published_at,
        before.digest,
    )
    again, _plan = check(world, original)
    assert (again.new, again.changed, again.unchanged) == (0, 0, first.new)


def test_a_re_import_asking_about_much_of_a_channel_reads_its_digests_in_one_pass(
    world: World, channel: Channel, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    original = FILE.read_bytes()
    first = services.import_commit(actor=world.lead, record=check(world, original)[0])
    target = rows()[3]
    edited = original.replace(f'"{target["impressions"]}"'.encode(), b'"12345.0"', 1)
    counted = (0, 1, first.new - 1)
    with CaptureQueriesContext(connection) as lookups:
        record, _plan = check(world, edited)
    assert (record.new, record.changed, record.unchanged) == counted
    monkeypatch.setattr(services._PostClassifier, "WHOLE_CHANNEL_AFTER", 1)
    with CaptureQueriesContext(connection) as whole:
        record, plan = check(world, edited)
    assert (record.new, record.changed, record.unchanged) == counted
    assert [o.what for o in plan.outcomes if o.kind == "changed"] == [f"post {target['Tweet id']}"]

    def by_id(queries: CaptureQueriesContext) -> int:
        return sum(
            "external_id = ANY" in q["sql"] or "external_id IN (" in q["sql"] for q in queries
        )

    assert by_id(lookups) >= 1 and by_id(whole) == 0  # the ids were not looked up one by one


def test_a_row_the_stream_cannot_take_is_read_by_the_row_importer_and_rejected(
    world: World, channel: Channel
) -> None:
    header, first, rest = FILE.read_text(encoding="utf-8").split("\n", 2)
    record, plan = check(world, f'{header}\n{first}\n"1","2"\n{rest}'.encode())
    assert record.status == ImportStatus.REJECTED
    assert [(o.line, o.kind) for o in plan.outcomes if o.kind == "rejected"] == [(3, "rejected")]
    assert "2 cells" in record.problems[0]["message"]
    assert not Post.objects.exists()


def test_a_post_again_in_a_later_batch_is_rejected_on_its_line_after_a_careful_reading(
    world: World, monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(x_stream, "BLOCK_SIZE", 16 * 1024)  # a 600-post file in many batches
    path = generate(tmp_path / "tweet_activity_metrics_nordvik_20260101_20260201_en.csv", 600)
    again = with_a_post_again(path)
    services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="nordvik"
    )

    record, _plan = services.import_check(
        actor=world.lead, workspace=world.workspace, data=path.read_bytes(), filename=path.name
    )

    assert (record.status, record.new, record.rejected) == (ImportStatus.REJECTED, 600, 1)
    [problem] = record.problems
    assert problem["column"] == "Tweet id"
    assert f"The post {again[0]} appears again (first on line 2)" in problem["message"]
    with pytest.raises(ConvergeError):
        services.import_commit(actor=world.lead, record=record)
    assert Post.objects.count() == 0


def test_a_checked_file_is_committed_from_its_stage_even_if_the_upload_is_re_read_never(
    world: World, channel: Channel
) -> None:
    record, _plan = check(world, FILE.read_bytes())
    stage = services._stored_path(record, "posts.arrow")
    assert stage.exists()
    services.import_commit(actor=world.lead, record=record)
    assert Post.objects.filter(source_import=record).count() == len(rows())
    assert not stage.exists()


def test_a_big_file_is_checked_and_committed_in_the_background_with_progress(
    world: World, channel: Channel, signed_in, monkeypatch
) -> None:
    monkeypatch.setattr(services, "INLINE_BYTES", 1000)
    client = signed_in(world.lead)
    response = client.post(
        "/w/acme/measurement/imports/",
        {"file": SimpleUploadedFile(FILE.name, FILE.read_bytes())},
    )
    record = Import.objects.get()
    assert response.url == f"/w/acme/measurement/imports/{record.uuid}/"
    assert record.status == ImportStatus.PREVIEWED and record.new == len(rows())
    assert (record.size, record.sha256) == (
        FILE.stat().st_size,
        hashlib.sha256(FILE.read_bytes()).hexdigest(),
    )
    client.post(f"/w/acme/measurement/imports/{record.uuid}/commit/")
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED
    assert Post.objects.filter(source_import=record).count() == len(rows())


def test_the_page_shows_the_progress_of_a_running_check_and_reloads_when_done(
    world: World, channel: Channel, signed_in
) -> None:
    record, _plan = check(world, FILE.read_bytes())
    Import.objects.filter(pk=record.pk).update(status=ImportStatus.CHECKING)
    cache.set(services.progress_key(record), {"phase": "check", "done": 30, "total": 120})
    client = signed_in(world.member)
    page = client.get(f"/w/acme/measurement/imports/{record.uuid}/")
    assert b'data-testid="import-progress"' in page.content and b"25 %" in page.content
    fragment = client.get(f"/w/acme/measurement/imports/{record.uuid}/?progress=1")
    assert b"25 %" in fragment.content and "HX-Refresh" not in fragment
    Import.objects.filter(pk=record.pk).update(status=ImportStatus.PREVIEWED)
    done = client.get(f"/w/acme/measurement/imports/{record.uuid}/?progress=1")
    assert done["HX-Refresh"] == "true"


def test_a_failed_background_commit_leaves_nothing_and_says_why(
    world: World, channel: Channel, monkeypatch
) -> None:
    monkeypatch.setattr(services, "INLINE_BYTES", 1000)
    record, _plan = check(world, FILE.read_bytes())
    services._stored_path(record, "upload").unlink()
    services.import_commit(actor=world.lead, record=record)
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED
    assert "no longer available" in record.failure
    assert not Post.objects.exists()


@pytest.mark.parametrize("big", [False, True], ids=["checked at once", "in the background"])
def test_a_file_over_the_size_limit_is_refused_and_leaves_no_record_and_no_file(
    world: World, channel: Channel, monkeypatch, settings, big: bool
) -> None:
    from converge.core.errors import ConvergeError

    monkeypatch.setattr(services, "MAX_BYTES", 1000)
    monkeypatch.setattr(services, "INLINE_BYTES", 10 if big else 10**9)
    with pytest.raises(ConvergeError, match="bigger than the limit"):
        services.import_start(
            actor=world.lead, workspace=world.workspace, data=FILE.read_bytes(), filename=FILE.name
        )
    assert not Import.objects.exists()
    assert not any((Path(settings.MEDIA_ROOT) / "imports").rglob("*.upload"))

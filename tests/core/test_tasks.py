"""The embedded task backend runs background work in a thread of the web process, after the
transaction that asked for it commits — so a big import's page can return at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import transaction

from converge.core import tasks as embedded
from converge.measurement import services
from converge.measurement.models import Import, ImportStatus, Post
from tests.conftest import World

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "x-twitter-analytics-export"
FILE = DATA / "ropensci-tweets" / "tweet_activity_metrics_rOpenSci_20161201_20170101_en.csv"


def wait_for_the_worker() -> None:
    """The embedded backend has one worker thread, so work queued after ours runs after it."""
    embedded._pool.submit(lambda: None).result(timeout=120)


@pytest.mark.skipif(not FILE.is_file(), reason=f"{FILE} is not present")
@pytest.mark.django_db(transaction=True)
def test_a_big_upload_is_checked_and_imported_by_the_thread_after_the_request_commits(
    world: World, settings, tmp_path: Path, monkeypatch
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "converge.core.tasks.ThreadBackend"}}
    monkeypatch.setattr(services, "INLINE_BYTES", 1000)
    channel = services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="rOpenSci"
    )
    with transaction.atomic():
        record = services.import_start(
            actor=world.lead,
            workspace=world.workspace,
            data=FILE.read_bytes(),
            filename=FILE.name,
            channel=channel,
        )
        assert record.status == ImportStatus.CHECKING
    wait_for_the_worker()
    record.refresh_from_db()
    assert record.status == ImportStatus.PREVIEWED and record.new > 0
    with transaction.atomic():
        record = services.import_commit(actor=world.lead, record=record)
        assert record.status == ImportStatus.COMMITTING
    wait_for_the_worker()
    record.refresh_from_db()
    assert record.status == ImportStatus.COMMITTED
    assert Post.objects.filter(source_import=record).count() == record.new
    assert Import.objects.count() == 1

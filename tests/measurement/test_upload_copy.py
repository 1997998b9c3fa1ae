"""A file handed to the check as a file (the shell command, the benchmark, a small upload) is
stored by a helper thread while the check already reads it: what is read is exactly what is
stored, a reader at the end of what is there waits for more, and the outcome is the same as
for the same bytes handed over at once."""

from __future__ import annotations

import hashlib
import io
import random
import time
from pathlib import Path

import pytest
from django.conf import settings

from converge.core.errors import ConvergeError
from converge.measurement import services
from converge.measurement.models import Import, Post
from tests.conftest import World
from tests.measurement.test_import_posts import FILE
from tests.measurement.test_import_youtube import CHART as YOUTUBE

pytestmark = pytest.mark.skipif(not FILE.is_file(), reason=f"{FILE} is not present")


class Trickle(io.RawIOBase):
    """A source that hands over a few bytes at a time, now and then after a pause: the
    copy then lags behind the reader again and again."""

    def __init__(self, data: bytes, seed: int) -> None:
        super().__init__()
        self.data, self.at, self.random = data, 0, random.Random(seed)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        n = min(len(buffer), self.random.randint(1, 4096), len(self.data) - self.at)
        buffer[:n] = self.data[self.at : self.at + n]
        self.at += n
        if self.random.random() < 0.05:
            time.sleep(0.001)
        return n


@pytest.mark.parametrize("seed", range(5))
def test_a_reader_of_the_growing_copy_reads_exactly_what_the_source_holds(
    tmp_path: Path, seed: int
) -> None:
    data = random.Random(seed).randbytes(300_000)
    copying = services._Copying(Trickle(data, seed), tmp_path / "upload")
    with copying.open() as handle:
        head = handle.read(1000)
        handle.seek(0)
        read = handle.read()
    copying.finish()
    assert head == data[:1000]
    assert read == data
    assert (tmp_path / "upload").read_bytes() == data
    assert (copying.sha256, copying.size) == (hashlib.sha256(data).hexdigest(), len(data))


@pytest.mark.parametrize("slow", [False, True], ids=["a file", "a trickle"])
def test_an_x_export_handed_over_as_a_file_is_stored_and_checked_as_its_bytes_are(
    world: World, slow: bool
) -> None:
    services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="rOpenSci"
    )
    data = FILE.read_bytes()
    with FILE.open("rb") as handle:
        record, _plan = services.import_check(
            actor=world.lead,
            workspace=world.workspace,
            data=Trickle(data, 3) if slow else handle,
            filename=FILE.name,
        )
    assert (record.sha256, record.size) == (hashlib.sha256(data).hexdigest(), len(data))
    assert services._stored_path(record, "upload").read_bytes() == data
    again, _again = services.import_check(
        actor=world.lead, workspace=world.workspace, data=data, filename=FILE.name
    )
    assert (record.new, record.changed, record.unchanged, record.rejected) == (
        again.new,
        again.changed,
        again.unchanged,
        again.rejected,
    )
    assert record.new > 30 and not Post.objects.exists()
    services.import_commit(actor=world.lead, record=record)
    assert Post.objects.count() == record.new


@pytest.mark.skipif(not YOUTUBE.is_file(), reason=f"{YOUTUBE} is not present")
def test_a_file_the_row_readers_read_waits_for_the_whole_copy(world: World) -> None:
    data = YOUTUBE.read_bytes()
    channel = services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="youtube", handle="priyanka"
    )
    record, _plan = services.import_check(
        actor=world.lead,
        workspace=world.workspace,
        data=Trickle(data, 7),
        filename=YOUTUBE.name,
        channel=channel,
    )
    at_once, _plan = services.import_check(
        actor=world.lead,
        workspace=world.workspace,
        data=data,
        filename=YOUTUBE.name,
        channel=channel,
    )
    assert record.format == at_once.format == "youtube_chart_data"
    assert (record.new, record.rejected) == (at_once.new, at_once.rejected)
    assert record.new > 0 and record.sha256 == hashlib.sha256(data).hexdigest()


def test_a_file_over_the_limit_handed_over_as_a_file_is_refused_and_leaves_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(services, "MAX_BYTES", 10_000)
    assert FILE.stat().st_size > 10_000
    with FILE.open("rb") as handle, pytest.raises(ConvergeError, match="bigger than the limit"):
        services.import_check(
            actor=world.lead, workspace=world.workspace, data=handle, filename=FILE.name
        )
    assert not Import.objects.exists()
    assert not any((Path(settings.MEDIA_ROOT) / "imports").rglob("*.upload"))

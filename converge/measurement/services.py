"""Writes of measurement: channels, and imports — check (preview), commit, roll back.

An import is all or nothing: the whole file is parsed and validated first; a file with any
rejected row cannot be committed; a commit is one transaction; importing the same file again
changes nothing (observations are keyed by channel, metric and day; posts by channel and id);
a rollback restores exactly what the import replaced."""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO, cast

import pyarrow as pa
import pyarrow.compute as pc
from django.conf import settings
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.db.models import Count, Q, Sum
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from converge.core import audit, pgcopy
from converge.core.errors import ConvergeError
from converge.core.models import Capability, Department, User, Workspace
from converge.core.policy import NotPermitted, can
from converge.core.threads import prepared_ahead
from converge.measurement import selectors, staging
from converge.measurement.catalogue import AGGREGATIONS, AMEC_STAGES, BY_KEY, UNITS, reference_cycle
from converge.measurement.importers import business, x_stream
from converge.measurement.importers.base import (
    FormatError,
    Importer,
    ParsedObservation,
    RowProblem,
)
from converge.measurement.importers.registry import detect, importers
from converge.measurement.importers.x import XTweetActivity
from converge.measurement.models import (
    Annotation,
    AnnotationKind,
    Channel,
    ChannelMonth,
    ColumnMapping,
    DailyTotal,
    DateOrder,
    Import,
    ImportStatus,
    MappingKind,
    Observation,
    Post,
    WorkspaceMetric,
)
from converge.strategy.models import Platform

MAX_BYTES: int = getattr(settings, "CONVERGE_IMPORT_MAX_BYTES", 1024 * 1024 * 1024)
UPLOAD_CHUNK = 8 << 20
HEAD_BYTES = 65536
WAL_AUTOCHECKPOINT = 1000  # SQLite's default, in pages
FUTURE_DAYS = 2
# What an upload may be: the bytes, an open binary file, or Django's uploaded file.
Upload = bytes | BinaryIO | File[bytes]


def require_editor(actor: User, workspace: Workspace) -> None:
    if not can(actor, Capability.EDIT_STRATEGY, workspace):
        raise NotPermitted(Capability.EDIT_STRATEGY)


# --- Channels -----------------------------------------------------------------------------


@transaction.atomic
def channel_save(
    *,
    actor: User,
    workspace: Workspace,
    channel: Channel | None = None,
    platform: str,
    handle: str,
    url: str = "",
    department: Department | None = None,
    active_from: date | None = None,
    active_to: date | None = None,
) -> Channel:
    require_editor(actor, workspace)
    handle = handle.strip()
    if not handle:
        raise ConvergeError(_("Enter the account's handle."), field="handle")
    if platform not in Platform.values:
        raise ConvergeError(_("Choose a platform."), field="platform")
    if department is not None and department.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a department of this workspace."), field="department")
    if active_from and active_to and active_to < active_from:
        raise ConvergeError(_("The end must not come before the start."), field="active_to")
    clash = Channel.objects.filter(workspace=workspace, platform=platform, handle__iexact=handle)
    if channel is not None:
        clash = clash.exclude(pk=channel.pk)
    if clash.exists():
        raise ConvergeError(_("This channel already exists."), field="handle")
    creating = channel is None
    obj = channel or Channel(workspace=workspace)
    fields = ("platform", "handle", "url", "department", "active_from", "active_to")
    before = {} if creating else audit.snapshot(obj, fields)
    obj.platform, obj.handle, obj.url = platform, handle, url.strip()
    obj.department, obj.active_from, obj.active_to = department, active_from, active_to
    obj.save()
    changes = audit.diff(before, audit.snapshot(obj, fields))
    if changes:
        audit.record(
            workspace=workspace,
            actor=actor,
            action=f"channel.{'create' if creating else 'update'}",
            obj=obj,
            changes=changes,
        )
    return obj


# --- Figures entered by hand ---------------------------------------------------------------


@transaction.atomic
def observation_set(
    *,
    actor: User,
    workspace: Workspace,
    metric: str,
    day: date,
    value: Decimal,
    channel: Channel | None = None,
) -> Observation:
    """Enter (or correct) one day's figure by hand, e.g. monthly leads mailed by Sales."""
    require_editor(actor, workspace)
    if metric not in selectors.metric_index(workspace):
        raise ConvergeError(_("Choose a metric of the catalogue."), field="metric")
    if channel is not None and channel.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a channel of this workspace."), field="channel")
    if day > timezone.localdate():
        raise ConvergeError(_("A value cannot be dated in the future."), field="day")
    row = Observation.objects.filter(
        workspace=workspace, channel=channel, metric=metric, day=day
    ).first()
    old = row.value if row else None
    if row is None:
        row = Observation(workspace=workspace, channel=channel, metric=metric, day=day)
    elif row.source_import_id is not None:
        row.previous_value, row.previous_import = row.value, row.source_import
    row.value, row.source_import, row.source_line = value, None, None
    row.save()
    daily_totals_refresh(workspace=workspace, spans={metric: (day, day)})
    audit.record(
        workspace=workspace,
        actor=actor,
        action="observation.set",
        object_type="observation",
        object_id=str(row.pk),
        object_repr=f"{metric} {day.isoformat()}{' ' + channel.handle if channel else ''}",
        changes={"value": [_fmt(old) or None, _fmt(value)]},
    )
    return row


# --- Daily totals ---------------------------------------------------------------------------

Spans = Mapping[str, tuple[date, date]]


def spans_of(rows: Iterable[tuple[str, date]]) -> dict[str, tuple[date, date]]:
    """Each metric's first and last day among (metric, day) pairs."""
    spans: dict[str, tuple[date, date]] = {}
    for metric, day in rows:
        first, last = spans.get(metric, (day, day))
        spans[metric] = (min(first, day), max(last, day))
    return spans


def daily_totals_refresh(*, workspace: Workspace, spans: Spans | None = None) -> None:
    """Recompute the daily totals (``DailyTotal``) of each metric between its first and last
    day in ``spans`` from the observations, and each channel's totals of the months those days
    fall in (``ChannelMonth``) — every metric and day when ``spans`` is None. Every service
    that writes observations calls it, in its own transaction, with what it touched."""
    with transaction.atomic():
        _refresh_totals(
            DailyTotal,
            "metric, day, total, figures",
            workspace,
            None if spans is None else dict(spans),
            lambda rows: rows.values("metric", "day")
            .annotate(total=Sum("value"), figures=Count("value"))
            .order_by()
            .values_list("metric", "day", "total", "figures"),
        )
        months = None
        if spans is not None:
            months = {
                metric: (first.replace(day=1), selectors.month_end(last))
                for metric, (first, last) in spans.items()
            }
        month = RawSQL(
            "date_trunc('month', day)::date"
            if connection.vendor == "postgresql"
            else "date(day, 'start of month')",
            [],
            output_field=models.DateField(),
        )
        _refresh_totals(
            ChannelMonth,
            "channel_id, metric, month, total, figures",
            workspace,
            months,
            lambda rows: rows.annotate(month=month)
            .values("channel_id", "metric", "month")
            .annotate(total=Sum("value"), figures=Count("value"))
            .order_by(),
            field="month",
        )


def _refresh_totals(
    model: type[models.Model],
    columns: str,
    workspace: Workspace,
    spans: dict[str, tuple[date, date]] | None,
    grouped: Callable[[models.QuerySet[Observation]], models.QuerySet[Any]],
    field: str = "day",
) -> None:
    """Delete ``model``'s rows in ``spans`` (by its ``field``) and insert them again, added up
    from the observations of the same days in one INSERT … SELECT."""
    totals = model._default_manager.filter(workspace=workspace)
    source = Observation.objects.filter(workspace=workspace)
    if spans is not None:
        if not spans:
            return
        kept, read = Q(), Q()
        for metric, (first, last) in sorted(spans.items()):
            kept |= Q(metric=metric, **{f"{field}__gte": first, f"{field}__lte": last})
            read |= Q(metric=metric, day__gte=first, day__lte=last)
        totals, source = totals.filter(kept), source.filter(read)
    sql, params = grouped(source).query.sql_with_params()
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(f"q.{c.strip()}" for c in columns.split(","))
    totals.delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (workspace_id, {columns}) SELECT %s, {names} FROM ({sql}) q",
            [workspace.pk, *params],
        )


# --- Imports ------------------------------------------------------------------------------
#
# Upload → check → commit. The upload is stored as it came (streamed to disk, hashed on the
# way). Checking parses it once — big legacy X exports with the streaming Arrow reader, other
# formats with their row importer — validates every row, classifies it against what is stored
# (new, changed, unchanged, rejected) and writes the normalised rows to a stage beside the
# upload (``staging.py``). Committing reads the stage, classifies again against the database as
# it is then, and writes in one transaction. Files above ``INLINE_BYTES`` are checked and
# committed by a background task, with progress in the cache for the page to show.

INLINE_BYTES: int = getattr(settings, "CONVERGE_IMPORT_INLINE_BYTES", 5 * 1024 * 1024)
# A file the streaming reader hands back (see ``x_stream.NeedsRowReader``) is read whole.
ROW_READER_MAX: int = getattr(settings, "CONVERGE_IMPORT_ROW_READER_MAX", 200 * 1024 * 1024)
SAMPLE_ROWS = 100
ANALYZE_AFTER = 10_000  # posts written by one commit
MAX_PROBLEMS = 500
PROGRESS_EVERY = 0.5  # seconds between progress writes


@dataclass(frozen=True)
class RowOutcome:
    line: int
    kind: str  # new | changed | unchanged | rejected
    what: str  # e.g. "impressions 2026-03-01" or "post 1234…"
    old: str = ""
    new: str = ""
    column: str | None = None
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Plan:
    """What committing the file would do: the counts of every kind, and for the page the
    rejected rows (up to 500) and the first rows of each other kind."""

    format: str
    platform: str
    handle: str
    channel: Channel | None
    counts: Counter[str] = field(default_factory=Counter)
    outcomes: list[RowOutcome] = field(default_factory=list)
    _kept: Counter[str] = field(default_factory=Counter)

    def count(self, kind: str) -> int:
        return self.counts[kind]

    def add(self, outcome: RowOutcome) -> None:
        self.counts[outcome.kind] += 1
        limit = MAX_PROBLEMS if outcome.kind == "rejected" else SAMPLE_ROWS
        if self._kept[outcome.kind] < limit:
            self._kept[outcome.kind] += 1
            self.outcomes.append(outcome)

    def tally(self, kind: str, count: int) -> None:
        self.counts[kind] += count


class Progress:
    """Where a background check or commit is, for the page's progress bar: in the cache, so
    that it is seen while the commit's transaction is still open."""

    def __init__(self, record: Import, phase: str, total: int) -> None:
        self.key, self.phase, self.total = progress_key(record), phase, max(total, 1)
        self._last = 0.0
        self(0)

    def __call__(self, done: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - self._last >= PROGRESS_EVERY:
            self._last = now
            cache.set(
                self.key,
                {"phase": self.phase, "done": min(done, self.total), "total": self.total},
                timeout=3600,
            )


def progress_key(record: Import) -> str:
    return f"converge:import-progress:{record.uuid}"


def _expected_formats() -> str:
    return "; ".join(i.description for i in importers())


def _metric_keys(workspace: Workspace) -> set[str]:
    return set(selectors.metric_index(workspace))


def _stored_path(record: Import, suffix: str) -> Path:
    return Path(default_storage.path(f"imports/{record.workspace_id}/{record.uuid}.{suffix}"))


def _copy_upload(
    source: Upload, path: Path, on_chunk: Callable[[int], None] | None = None
) -> tuple[str, int]:
    """Copy the upload to ``path`` in chunks, hashing it on the way: (SHA-256, size). Stops
    writing past the size limit (the size returned then says so). ``on_chunk`` hears the
    bytes written so far after each chunk is in the file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    # Files, uploads (Django's File passes readinto on) and bytes all read into a buffer.
    stream = cast(io.BufferedIOBase, io.BytesIO(source) if isinstance(source, bytes) else source)
    # One 8 MB buffer, filled again and again: no new bytes object per chunk.
    buffer = bytearray(UPLOAD_CHUNK)
    view = memoryview(buffer)
    with path.open("wb") as out:
        while n := stream.readinto(buffer):
            chunk = view[:n]
            digest.update(chunk)
            size += n
            if size > MAX_BYTES:
                break
            out.write(chunk)
            if on_chunk is not None:
                out.flush()
                on_chunk(size)
    return digest.hexdigest(), size


def _store_upload(record: Import, source: Upload) -> None:
    record.sha256, record.size = _copy_upload(source, _stored_path(record, "upload"))


class _Copying:
    """The upload copied to storage (and hashed) by a helper thread while the check already
    reads the copy as it grows (``open``): the copy's writes and the hashing let go of the
    GIL, so on two cores the 400 MB copy costs the check almost nothing. Readers that need
    the whole file call ``finish`` first."""

    def __init__(self, source: Upload, path: Path) -> None:
        self.path, self.written, self.done = path, 0, False
        self.sha256, self.size = "", 0
        self._error: BaseException | None = None
        self._changed = threading.Condition()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        self._thread = threading.Thread(
            target=self._run, args=(source,), name="converge-upload", daemon=True
        )
        self._thread.start()

    def _run(self, source: Upload) -> None:
        try:
            self.sha256, self.size = _copy_upload(source, self.path, self._wrote)
        except BaseException as error:  # noqa: BLE001 - handed to the checking thread
            self._error = error
        finally:
            with self._changed:
                self.done = True
                self._changed.notify_all()

    def _wrote(self, size: int) -> None:
        with self._changed:
            self.written = size
            self._changed.notify_all()

    def wait(self, size: int) -> None:
        """Until ``size`` bytes are in the file, or the copy has ended."""
        with self._changed:
            self._changed.wait_for(lambda: self.done or self.written >= size)

    def finish(self) -> None:
        """Until the copy has ended; its error, if it failed, raised here."""
        self._thread.join()
        if self._error is not None:
            raise self._error

    def open(self) -> BinaryIO:
        return cast(BinaryIO, io.BufferedReader(_Following(self), buffer_size=UPLOAD_CHUNK))


class _Following(io.RawIOBase):
    """The stored upload read while it is being written: a read at the end of what is there
    waits for more (or for the copy to end) instead of seeing the end of the file."""

    def __init__(self, copying: _Copying) -> None:
        super().__init__()
        self._copying = copying
        self._file = copying.path.open("rb", buffering=0)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        if whence == io.SEEK_END:
            self._copying.finish()
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def readinto(self, buffer: Any) -> int:
        while True:
            ended = self._copying.done  # before the read: then a read of nothing is the end
            n = self._file.readinto(buffer)
            if n or ended:
                return n or 0
            self._copying.wait(self._file.tell() + 1)

    def close(self) -> None:
        self._file.close()
        super().close()


def _drop_stage(record: Import) -> None:
    for suffix in ("posts.arrow", "obs.arrow"):
        _stored_path(record, suffix).unlink(missing_ok=True)


def _refuse(record: Import, error: ConvergeError) -> ConvergeError:
    """A file that cannot be read at all: keep the upload's record, marked failed."""
    record.status, record.failure = ImportStatus.FAILED, error.message
    record.save(update_fields=["status", "failure"])
    cache.delete(progress_key(record))
    return error


def _channel_for(
    workspace: Workspace, platform: str, handle: str, has_posts: bool, chosen: Channel | None
) -> Channel | None:
    if chosen is not None:
        if chosen.workspace_id != workspace.pk:
            raise ConvergeError(_("Choose a channel of this workspace."), field="channel")
        if platform not in ("other", chosen.platform):
            raise ConvergeError(
                _("This is a %(platform)s export, but the channel chosen is on %(chosen)s.")
                % {"platform": platform, "chosen": chosen.get_platform_display()},
                field="channel",
            )
        return chosen
    if handle:
        bare = handle.lstrip("@")
        found = Channel.objects.filter(
            workspace=workspace, platform=platform, handle__in=[bare, f"@{bare}"]
        ).first()
        if found is not None:
            return found
    if platform != "other" or has_posts:
        raise ConvergeError(
            _("Choose the channel this %(platform)s export belongs to.") % {"platform": platform},
            field="channel",
        )
    return None


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else staging.decimal_text(value)


def _detect(
    path: Path,
    filename: str,
    workspace: Workspace | None = None,
    copying: _Copying | None = None,
) -> Importer:
    if copying is not None:
        copying.wait(HEAD_BYTES)  # the head is enough to know the format
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ConvergeError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": size // (1024 * 1024), "limit": MAX_BYTES // (1024 * 1024)},
            field="file",
            status=413,
        )
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    if not head.strip():
        raise ConvergeError(_("The file is empty."), field="file")
    mapped = selectors.mapped_importers(workspace) if workspace is not None else []
    importer = next((i for i in mapped if i.sniff(head, filename)), None)
    importer = importer or detect(head, filename)
    if importer is None:
        raise ConvergeError(
            _("Converge does not recognise this file. Expected one of: %(formats)s.")
            % {"formats": _expected_formats()},
            field="file",
            details={"expected": [i.key for i in importers()]},
        )
    return importer


@dataclass
class _Source:
    """A checked file's rows, as batches of the stage's two schemas, and what it said."""

    format: str
    platform: str
    handle: str
    has_posts: bool
    problems: list[RowProblem]
    post_batches: Iterator[pa.RecordBatch]
    observations: list[ParsedObservation]


def _read(
    workspace: Workspace,
    path: Path,
    filename: str,
    known: set[str],
    on_progress: Callable[[int], None] | None,
    streaming: bool = True,
    copying: _Copying | None = None,
    *,
    careful: bool = False,
) -> _Source:
    """The file's rows. While ``copying`` still writes the stored upload, the streaming X
    reader follows the copy; every other reader waits for the whole file. ``careful``: the
    streaming reader's second reading of a file with a repeated post id."""
    importer = _detect(path, filename, workspace, copying)
    if streaming and importer.key == XTweetActivity.key:
        stream = x_stream.TweetActivityStream(
            path,
            filename,
            on_progress=on_progress,
            opener=copying.open if copying is not None else None,
            careful=careful,
        )
        batches = stream.batches()
        try:
            first = next(batches, None)
        except FormatError as exc:
            raise ConvergeError(str(exc), field="file", details={"format": importer.key}) from exc
        except x_stream.NeedsRowReader:
            return _read(workspace, path, filename, known, on_progress, False, copying)

        def rest() -> Iterator[pa.RecordBatch]:
            if first is not None:
                yield first
            yield from batches

        return _Source(
            importer.key, importer.platform, stream.handle, True, stream.problems, rest(), []
        )
    if copying is not None:
        copying.finish()
    if path.stat().st_size > ROW_READER_MAX:
        raise ConvergeError(
            _(
                "This file is too big to be read row by row (the limit is %(limit)s MB). "
                "Export a shorter period, or save it again as UTF-8."
            )
            % {"limit": ROW_READER_MAX // (1024 * 1024)},
            field="file",
        )
    try:
        parsed = importer.parse(path.read_bytes(), filename)
    except FormatError as exc:
        raise ConvergeError(str(exc), field="file", details={"format": importer.key}) from exc
    if on_progress is not None:
        on_progress(path.stat().st_size)
    posts = parsed.posts
    batches = (staging.posts_batch(posts[i : i + 5000], known) for i in range(0, len(posts), 5000))
    return _Source(
        parsed.format,
        parsed.platform,
        parsed.handle,
        bool(posts),
        parsed.problems,
        batches,
        parsed.observations,
    )


def _stored_digests(channel_id: int, ids: list[str]) -> dict[str, str]:
    """The stored digest of each of these posts of the channel (one query per 20,000 ids)."""
    found: dict[str, str] = {}
    table = Post._meta.db_table
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 20000):
            chunk = ids[start : start + 20000]
            if connection.vendor == "postgresql":
                cursor.execute(
                    f"SELECT external_id, digest FROM {table} "
                    # varchar[]: a text[] would cast the column and miss the unique index
                    "WHERE channel_id = %s AND external_id = ANY(%s::varchar[])",
                    [channel_id, chunk],
                )
            else:
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT external_id, digest FROM {table} "
                    f"WHERE channel_id = %s AND external_id IN ({marks})",
                    [channel_id, *chunk],
                )
            found.update(cursor.fetchall())
    return found


def _short(digest: str) -> int:
    """A digest's first 60 bits as a number: half the memory of the text, for a whole
    channel's digests held at once (a false "unchanged" would need two of a post's versions
    to agree in 60 bits of XXH3-128)."""
    return int(digest[:15], 16) if digest else -1


def _channel_digests(channel_id: int) -> dict[str, int]:
    """Every stored post's digest of the channel (shortened, ``_short``), read in one pass (a
    server-side cursor on PostgreSQL, so the rows stream instead of arriving all at once)."""
    found: dict[str, int] = {}
    table = Post._meta.db_table
    with connection.chunked_cursor() as cursor:
        cursor.execute(
            f"SELECT external_id, digest FROM {table} WHERE channel_id = %s", [channel_id]
        )
        while rows := cursor.fetchmany(50_000):
            found.update((i, _short(d)) for i, d in rows)
    return found


class _PostClassifier:
    """New, changed or unchanged, for batches of staged posts, against the stored digests.
    A post id repeated within a file never gets here: the importers reject the file.

    A channel without posts (every first import) needs no lookups at all. Otherwise each batch
    looks its ids up through the unique key — until the file has asked about a tenth of the
    channel's posts (at least ``WHOLE_CHANNEL_AFTER``): then reading every digest of the
    channel once is cheaper than the index lookups still to come (a re-import of a big
    export)."""

    WHOLE_CHANNEL_AFTER = 50_000

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.channel_id = plan.channel.pk if plan.channel is not None else 0
        posts = Post.objects.filter(channel_id=self.channel_id).count() if self.channel_id else 0
        self.lookup = posts > 0
        self.switch_at = max(self.WHOLE_CHANNEL_AFTER, posts // 10)
        self.asked = 0
        self.whole: dict[str, int] | None = None

    def _stored(self, ids: list[str]) -> dict[str, str] | dict[str, int]:
        self.asked += len(ids)
        if self.whole is None and self.asked > self.switch_at:
            self.whole = _channel_digests(self.channel_id)
        return self.whole if self.whole is not None else _stored_digests(self.channel_id, ids)

    def __call__(self, batch: pa.RecordBatch) -> list[str]:
        """Each row's kind."""
        if not self.lookup:  # nothing stored yet: every post is new, no id is looked up
            return self._tally(batch, ["new"] * batch.num_rows, None)
        ids = batch.column("external_id").to_pylist()
        stored = self._stored(ids)
        if stored:
            get = stored.get
            texts: list[str] = batch.column("digest").to_pylist()
            digests: list[str] | list[int] = texts
            if stored is self.whole:
                digests = [_short(d) for d in texts]
                # Each id comes once per file: what it found is let go of at once, so the
                # channel's digests shrink while the file's ids grow (peak memory).
                get = self.whole.pop  # type: ignore[assignment]
            kinds = [
                "new" if (old := get(i, None)) is None else ("unchanged" if old == d else "changed")
                for i, d in zip(ids, digests, strict=True)
            ]
        else:
            kinds = ["new"] * len(ids)
        return self._tally(batch, kinds, ids)

    def _tally(self, batch: pa.RecordBatch, kinds: list[str], ids: list[str] | None) -> list[str]:
        """Count the kinds into the plan, keeping the first rows of each as samples (their
        ids read from the batch only when ``ids`` were not needed before)."""
        plan = self.plan
        lines: list[int] | None = None
        for kind, count in Counter(kinds).items():
            room = SAMPLE_ROWS - plan._kept[kind]
            if room > 0:
                lines = lines or batch.column("line").to_pylist()
                sampled = [n for n, k in enumerate(kinds) if k == kind][:room]
                for n in sampled:
                    post = ids[n] if ids is not None else batch.column("external_id")[n].as_py()
                    plan.add(RowOutcome(lines[n], kind, _("post %(id)s") % {"id": post}))
                count -= len(sampled)
            plan.counts[kind] += count
        return kinds


def _classify_observations(
    workspace: Workspace, plan: Plan, rows: list[ParsedObservation], known: set[str]
) -> tuple[list[Observation], list[tuple[Observation, Decimal, int]]]:
    """New and changed observations; every row's outcome goes to the plan."""
    handles = {c.handle.lstrip("@").lower(): c for c in Channel.objects.filter(workspace=workspace)}
    latest = timezone.localdate() + timedelta(days=FUTURE_DAYS)
    seen: dict[tuple[int | None, str, date], int] = {}
    keyed: list[tuple[tuple[int | None, str, date], ParsedObservation, Channel | None]] = []
    for obs in rows:
        row_channel = plan.channel
        if obs.channel:
            row_channel = handles.get(obs.channel.lstrip("@").lower())
            if row_channel is None:
                plan.add(
                    RowOutcome(
                        obs.line,
                        "rejected",
                        obs.metric,
                        column="channel",
                        reason=_("No channel of this workspace has the handle “%(handle)s”.")
                        % {"handle": obs.channel},
                    )
                )
                continue
        if obs.metric not in known:
            plan.add(
                RowOutcome(
                    obs.line,
                    "rejected",
                    obs.metric,
                    column="metric",
                    reason=_("“%(metric)s” is not a metric of the catalogue.")
                    % {"metric": obs.metric},
                )
            )
            continue
        if obs.day > latest:
            plan.add(
                RowOutcome(
                    obs.line,
                    "rejected",
                    obs.metric,
                    column="day",
                    reason=_("%(day)s lies in the future.") % {"day": obs.day.isoformat()},
                )
            )
            continue
        key = (row_channel.pk if row_channel else None, obs.metric, obs.day)
        if key in seen:
            plan.add(
                RowOutcome(
                    obs.line,
                    "rejected",
                    obs.metric,
                    reason=_("The same metric and day appear again (first on line %(line)s).")
                    % {"line": seen[key]},
                )
            )
            continue
        seen[key] = obs.line
        keyed.append((key, obs, row_channel))
    existing: dict[tuple[int | None, str, date], Observation] = {}
    if keyed:
        days = [k[0][2] for k in keyed]
        for row in Observation.objects.filter(
            workspace=workspace,
            metric__in={k[0][1] for k in keyed},
            day__gte=min(days),
            day__lte=max(days),
        ):
            existing[(row.channel_id, row.metric, row.day)] = row
    new: list[Observation] = []
    changed: list[tuple[Observation, Decimal, int]] = []
    for key, obs, row_channel in keyed:
        what = f"{obs.metric} {obs.day.isoformat()}"
        stored = existing.get(key)
        if stored is None:
            new.append(
                Observation(
                    workspace=workspace,
                    channel=row_channel,
                    metric=obs.metric,
                    day=obs.day,
                    value=obs.value,
                    source_line=obs.line,
                )
            )
            plan.add(RowOutcome(obs.line, "new", what, new=_fmt(obs.value)))
        elif stored.value != obs.value.quantize(Decimal("0.0001")):
            changed.append((stored, obs.value, obs.line))
            plan.add(
                RowOutcome(obs.line, "changed", what, old=_fmt(stored.value), new=_fmt(obs.value))
            )
        else:
            plan.add(RowOutcome(obs.line, "unchanged", what, new=_fmt(obs.value)))
    return new, changed


def _check(
    record: Import,
    path: Path,
    channel: Channel | None,
    on_progress: Callable[[int], None] | None = None,
    streaming: bool = True,
    copying: _Copying | None = None,
    *,
    careful: bool = False,
) -> Plan:
    """Parse, validate and classify the stored upload; stage its rows when none is rejected."""
    workspace = record.workspace
    known = _metric_keys(workspace)
    source = _read(
        workspace, path, record.file_name, known, on_progress, streaming, copying, careful=careful
    )
    target = _channel_for(workspace, source.platform, source.handle, source.has_posts, channel)
    plan = Plan(source.format, source.platform, source.handle, target)
    posts = staging.StageWriter(_stored_path(record, "posts.arrow"), staging.POSTS)
    classify = _PostClassifier(plan)
    try:
        for batch in source.post_batches:
            classify(batch)
            posts.write(batch)
    except x_stream.NeedsRowReader:
        posts.close()
        _drop_stage(record)
        return _check(record, path, channel, on_progress, False, copying)
    except x_stream.RepeatedPosts:
        posts.close()
        _drop_stage(record)
        return _check(record, path, channel, on_progress, True, copying, careful=True)
    finally:
        posts.close()
    for problem in source.problems:
        plan.add(
            RowOutcome(problem.line, "rejected", "", column=problem.column, reason=problem.message)
        )
    _classify_observations(workspace, plan, source.observations, known)
    if source.observations:
        observations = staging.StageWriter(_stored_path(record, "obs.arrow"), staging.OBSERVATIONS)
        observations.write(staging.observations_batch(source.observations))
        observations.close()
    if plan.count("rejected"):
        _drop_stage(record)
    plan.outcomes.sort(key=lambda o: o.line)
    return plan


def _save_check(record: Import, plan: Plan) -> None:
    rejected = plan.count("rejected")
    record.channel = plan.channel
    record.format = plan.format
    record.status = ImportStatus.REJECTED if rejected else ImportStatus.PREVIEWED
    record.new, record.changed = plan.count("new"), plan.count("changed")
    record.unchanged, record.rejected = plan.count("unchanged"), rejected
    record.problems = [
        {"line": o.line, "column": o.column, "message": o.reason}
        for o in plan.outcomes
        if o.kind == "rejected"
    ]
    record.preview = [o.as_dict() for o in plan.outcomes if o.kind != "unchanged" or o.reason][
        : SAMPLE_ROWS * 3
    ]
    record.save()


def _new_record(
    actor: User, workspace: Workspace, filename: str, channel: Channel | None
) -> Import:
    require_editor(actor, workspace)
    if channel is not None and channel.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a channel of this workspace."), field="channel")
    return Import(
        workspace=workspace,
        channel=channel,
        file_name=filename[:255],
        sha256="",
        size=0,
        format="",
        status=ImportStatus.CHECKING,
        created_by=actor,
    )


def _checked(record: Import, channel: Channel | None, show_progress: bool) -> Plan:
    """Run the check of a stored upload and record its outcome."""
    path = _stored_path(record, "upload")
    progress = Progress(record, "check", record.size) if show_progress else None
    try:
        plan = _check(record, path, channel, progress)
    except ConvergeError as error:
        raise _refuse(record, error) from error
    _save_check(record, plan)
    cache.delete(progress_key(record))
    return plan


@transaction.atomic
def _stored_upload(
    actor: User, workspace: Workspace, data: Upload, filename: str, channel: Channel | None
) -> Import:
    """The upload's record, in the state "being checked", with the file stored beside it; a
    file over the limit leaves neither."""
    record = _new_record(actor, workspace, filename, channel)
    record.save()
    _store_upload(record, data)
    if record.size > MAX_BYTES:
        _stored_path(record, "upload").unlink(missing_ok=True)
        raise _too_big()
    record.save(update_fields=["sha256", "size"])
    return record


def import_check(
    *,
    actor: User,
    workspace: Workspace,
    data: Upload,
    filename: str,
    channel: Channel | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> tuple[Import, Plan]:
    """Upload and preview, now: store the file and what it would change; write no figures.
    A file that cannot be read raises ``ConvergeError`` and leaves no record."""
    if isinstance(data, bytes):
        record = _stored_upload(actor, workspace, data, filename, channel)
        copying = None
    else:
        # A file: stored by a helper thread while the check reads it (``_Copying``).
        record = _new_record(actor, workspace, filename, channel)
        record.save()
        copying = _Copying(data, _stored_path(record, "upload"))
    path = _stored_path(record, "upload")
    try:
        try:
            plan = _check(record, path, channel, on_progress, copying=copying)
        finally:
            if copying is not None:
                copying.finish()
                record.sha256, record.size = copying.sha256, copying.size
        if record.size > MAX_BYTES:
            raise _too_big()
    except (ConvergeError, OSError) as error:  # a file that cannot be read, or stored
        _drop_stage(record)
        path.unlink(missing_ok=True)
        record.delete()
        if record.size > MAX_BYTES:
            raise _too_big() from error  # what was read of it said no more than that
        raise
    _save_check(record, plan)
    return record, plan


def _too_big() -> ConvergeError:
    return ConvergeError(
        _("The file is bigger than the limit of %(limit)s MB.")
        % {"limit": MAX_BYTES // (1024 * 1024)},
        field="file",
        status=413,
    )


def import_start(
    *,
    actor: User,
    workspace: Workspace,
    data: Upload,
    filename: str,
    channel: Channel | None = None,
) -> Import:
    """Upload from the page or the API: a small file is checked at once (an unreadable one
    raises ``ConvergeError`` and leaves nothing); a big one is stored and checked by a
    background task, and the import's page shows the progress."""
    if _size_of(data) <= INLINE_BYTES:
        return import_check(
            actor=actor, workspace=workspace, data=data, filename=filename, channel=channel
        )[0]
    from converge.measurement import tasks

    record = _stored_upload(actor, workspace, data, filename, channel)
    Progress(record, "check", record.size)
    tasks.check_import.enqueue(record.pk, channel.pk if channel else None)
    return record


def _size_of(data: Upload) -> int:
    if isinstance(data, bytes):
        return len(data)
    size = getattr(data, "size", None)
    if isinstance(size, int):
        return size
    here = data.tell()
    data.seek(0, io.SEEK_END)
    end = data.tell()
    data.seek(here)
    return end - here


def run_check(record_id: int, channel_id: int | None) -> None:
    """The background check (``tasks.check_import``)."""
    record = Import.objects.select_related("workspace").get(pk=record_id)
    channel = Channel.objects.filter(pk=channel_id).first() if channel_id else None
    if record.status != ImportStatus.CHECKING:
        return
    try:
        _checked(record, channel, show_progress=True)
    except ConvergeError:
        return


# --- Commit ---------------------------------------------------------------------------------


POST_COLUMNS = (
    "workspace_id",
    "channel_id",
    "external_id",
    "published_at",
    "text",
    "kind",
    "link",
    "campaign",
    "metrics",
    "digest",
    "source_import_id",
    "source_line",
)


def _sqlite_moment(column: pa.Array) -> pa.Array:
    """``2021-10-30T20:04:00+00:00`` → ``2021-10-30 20:04:00``, as Django stores it in SQLite."""
    return pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(column, 0, 10), pc.utf8_slice_codeunits(column, 11, 19), " "
    )


def _copy_rows(record: Import, batch: pa.RecordBatch) -> bytes:
    """New posts as a binary COPY for PostgreSQL, in ``POST_COLUMNS`` order."""
    assert record.channel_id is not None
    moments = pc.strptime(
        pc.utf8_slice_codeunits(batch.column("published_at"), 0, 19),
        format="%Y-%m-%dT%H:%M:%S",  # staged in UTC: "2021-10-30T20:04:00+00:00"
        unit="us",
    )
    fields = [
        pgcopy.bigint_constant(record.workspace_id),
        pgcopy.bigint_constant(record.channel_id),
        pgcopy.text(batch.column("external_id")),
        pgcopy.timestamptz(moments),
        pgcopy.text(batch.column("text")),
        pgcopy.text(batch.column("kind")),
        pgcopy.text(batch.column("link")),
        pgcopy.text_constant(""),
        pgcopy.jsonb(batch.column("metrics")),
        pgcopy.text(batch.column("digest")),
        pgcopy.bigint_constant(record.pk),
        pgcopy.integer(batch.column("line")),
    ]
    return pgcopy.rows(fields, batch.num_rows)


# SQLite: the values every row shares (workspace, channel, no campaign, this import) are
# written into the statement once instead of bound for each row; all are our own integers.
SQLITE_VARYING = (
    "external_id",
    "published_at",
    "text",
    "kind",
    "link",
    "metrics",
    "digest",
    "line",
)
# Posts per INSERT on SQLite: one statement with a hundred rows of VALUES instead of a
# statement per row (bench/RESULTS.md, "Imports": a million posts' inserts 4.2–4.5 → 2.9–3.2 s;
# 250 rows measured no better). 800 bound values, well under SQLite's limit of 32,766.
SQLITE_ROWS_PER_INSERT = 100


def _sqlite_values(batch: pa.RecordBatch) -> list[Any]:
    """New posts as the parameters of ``_sqlite_insert``: one flat list, post after post,
    each post's values in ``SQLITE_VARYING`` order."""
    width, count = len(SQLITE_VARYING), batch.num_rows
    values: list[Any] = [None] * (width * count)
    for place, name in enumerate(SQLITE_VARYING):
        column = batch.column(name)
        values[place::width] = (
            _sqlite_moment(column) if name == "published_at" else column
        ).to_pylist()
    return values


def _sqlite_insert(record: Import, rows: int) -> str:
    """An INSERT of ``rows`` posts, with the values each post has of its own as parameters."""
    assert record.channel_id is not None
    one = (
        f"({int(record.workspace_id)}, {int(record.channel_id)}, %s, %s, %s, %s, %s, '', %s, "
        f"%s, {int(record.pk)}, %s)"
    )
    listed = ", ".join(POST_COLUMNS)
    return f"INSERT INTO {Post._meta.db_table} ({listed}) VALUES {', '.join([one] * rows)}"


def _sqlite_insert_posts(cursor: Any, record: Import, batch: pa.RecordBatch) -> None:
    """Insert a batch of new posts, ``SQLITE_ROWS_PER_INSERT`` to a statement."""
    values, step = _sqlite_values(batch), SQLITE_ROWS_PER_INSERT * len(SQLITE_VARYING)
    whole = len(values) - len(values) % step
    if whole:
        cursor.executemany(
            _sqlite_insert(record, SQLITE_ROWS_PER_INSERT),
            (values[start : start + step] for start in range(0, whole, step)),
        )
    if whole < len(values):
        rest = values[whole:]
        cursor.execute(_sqlite_insert(record, len(rest) // len(SQLITE_VARYING)), rest)


def _only(batch: pa.RecordBatch, kinds: list[str], kind: str) -> pa.RecordBatch:
    if all(k == kind for k in kinds):
        return batch
    return batch.filter(pc.equal(pa.array(kinds, pa.string()), kind))


def _write_posts(record: Import, classify: _PostClassifier, progress: Progress | None) -> int:
    """Write the staged posts, batch by batch in key order: changed ones replaced (keeping
    what they were), new ones inserted. Returns how many were written.

    On PostgreSQL a helper thread encodes the next batch of new posts for a binary COPY
    (``core.pgcopy``) while the server loads this one's (``prepared_ahead``). On SQLite each
    batch is turned into parameters here, a hundred posts to an INSERT: a helper thread doing
    it gained nothing there, because ``executemany`` takes the GIL back for every statement
    (bench/RESULTS.md, "Imports"). Everything that touches the database — the lookups, the
    COPY or INSERT, the updates — stays in this thread, one after the other. Progress goes to
    the cache."""
    stage = _stored_path(record, "posts.arrow")
    if not stage.exists():
        return 0  # a file of daily figures only (the stage is written with its first post)
    done = 0

    def step(n: int) -> None:
        nonlocal done
        done += n
        if progress is not None:
            progress(done)

    def new_posts() -> Iterator[tuple[pa.RecordBatch, int]]:
        """Each staged batch classified in its turn: its changed posts replaced there and
        then, its new ones handed on."""
        for batch in staging.read_in_key_order(stage, "external_id"):
            kinds = classify(batch)
            if "changed" in kinds:
                changed = _only(batch, kinds, "changed")
                _update_posts(record, changed)
                step(changed.num_rows)
            if "new" in kinds:
                new = _only(batch, kinds, "new")
                yield new, new.num_rows

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            listed = ", ".join(POST_COLUMNS)
            sql = f"COPY {Post._meta.db_table} ({listed}) FROM STDIN (FORMAT binary)"
            for data, count in prepared_ahead(new_posts(), lambda new: _copy_rows(record, new)):
                # A COPY per batch: its end waits for the server to load the batch, so
                # libpq's buffer never holds more than one (one COPY for all of them let the
                # buffer grow by 200 MB while the server lagged behind).
                with cursor.copy(sql) as copy:
                    copy.write(data)
                step(count)
        else:
            for new, count in new_posts():
                _sqlite_insert_posts(cursor, record, new)
                step(count)
    return done


def _update_posts(record: Import, batch: pa.RecordBatch) -> None:
    """Replace changed posts, keeping what they were for a rollback."""
    if batch.num_rows == 0:
        return
    table = Post._meta.db_table
    postgres = connection.vendor == "postgresql"
    previous = (
        "jsonb_build_object('published_at', published_at, 'text', text, 'kind', kind, "
        "'link', link, 'metrics', metrics)"
        if postgres
        else "json_object('published_at', published_at, 'text', text, 'kind', kind, "
        "'link', link, 'metrics', json(metrics))"
    )
    cast = "::jsonb" if postgres else ""
    moments = batch.column("published_at")
    rows = zip(
        (moments if postgres else _sqlite_moment(moments)).to_pylist(),
        batch.column("text").to_pylist(),
        batch.column("kind").to_pylist(),
        batch.column("link").to_pylist(),
        batch.column("metrics").to_pylist(),
        batch.column("digest").to_pylist(),
        batch.column("line").to_pylist(),
        batch.column("external_id").to_pylist(),
        strict=True,
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET previous = {previous}, previous_import_id = source_import_id, "
            f"published_at = %s, text = %s, kind = %s, link = %s, metrics = %s{cast}, "
            f"digest = %s, source_line = %s, source_import_id = {int(record.pk)} "
            f"WHERE channel_id = {int(record.channel_id or 0)} AND external_id = %s",
            [row for row in rows],
        )


def _write_observations(
    record: Import, new: list[Observation], changed: list[tuple[Observation, Decimal, int]]
) -> None:
    for obs in new:
        obs.source_import = record
    Observation.objects.bulk_create(new, batch_size=2000)
    updates = []
    for row, value, line in changed:
        row.previous_value, row.previous_import = row.value, row.source_import
        row.value, row.source_import, row.source_line = value, record, line
        updates.append(row)
    Observation.objects.bulk_update(
        updates,
        ["value", "source_import", "source_line", "previous_value", "previous_import"],
        batch_size=2000,
    )
    daily_totals_refresh(
        workspace=record.workspace,
        spans=spans_of((o.metric, o.day) for o in [*new, *updates]),
    )


def _staged_observations(record: Import) -> list[ParsedObservation]:
    rows: list[ParsedObservation] = []
    for batch in staging.read(_stored_path(record, "obs.arrow")):
        for row in batch.to_pylist():
            rows.append(
                ParsedObservation(
                    day=row["day"],
                    metric=row["metric"],
                    value=Decimal(row["value"]),
                    line=row["line"],
                    channel=row["channel"],
                )
            )
    return rows


@contextmanager
def _checkpoint_afterwards() -> Iterator[None]:
    """On SQLite in WAL mode, a big commit does not copy its log into the database file
    itself (SQLite's automatic checkpoint, about a second for a million posts, which the
    person importing would wait for): a helper thread does it right after, on its own
    connection, while readers and writers carry on (a PASSIVE checkpoint blocks nobody).
    Inside an outer transaction (tests) or on another database nothing changes."""
    if connection.vendor != "sqlite" or connection.in_atomic_block or _journal_mode() != "wal":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_autocheckpoint=0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA wal_autocheckpoint={WAL_AUTOCHECKPOINT}")
        threading.Thread(target=_checkpoint, name="converge-checkpoint", daemon=True).start()


def _journal_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        return str(cursor.fetchone()[0]).lower()


def _checkpoint() -> None:
    try:
        with connection.cursor() as cursor:
            # The log goes page by page from file to file: no need for a big page cache.
            cursor.execute("PRAGMA cache_size=-2000")
            cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        connection.close()


def import_commit(*, actor: User, record: Import, inline: bool = False) -> Import:
    """Write everything the preview showed, in one transaction, or nothing. A big file is
    handed to a background task (unless ``inline``, as in the shell command); the import's
    page follows it."""
    require_editor(actor, record.workspace)
    if record.status == ImportStatus.PREVIEWED and record.size > INLINE_BYTES and not inline:
        from converge.measurement import tasks

        with transaction.atomic():
            locked = Import.objects.select_for_update().get(pk=record.pk)
            if locked.status == ImportStatus.PREVIEWED:
                locked.status = ImportStatus.COMMITTING
                locked.save(update_fields=["status"])
                Progress(locked, "commit", locked.new + locked.changed)
                tasks.commit_import.enqueue(locked.pk, actor.pk)
        record.refresh_from_db()
        return record
    with _checkpoint_afterwards():
        return _commit(actor=actor, record=record)


def run_commit(record_id: int, actor_id: int) -> None:
    """The background commit (``tasks.commit_import``)."""
    record = Import.objects.select_related("workspace").get(pk=record_id)
    actor = User.objects.get(pk=actor_id)
    try:
        with _checkpoint_afterwards():
            _commit(actor=actor, record=record, background=True)
    except ConvergeError as error:
        Import.objects.filter(pk=record_id, status=ImportStatus.COMMITTING).update(
            status=ImportStatus.PREVIEWED, failure=error.message
        )
    except Exception:
        Import.objects.filter(pk=record_id, status=ImportStatus.COMMITTING).update(
            status=ImportStatus.PREVIEWED,
            failure=_("The import stopped with an internal error; nothing was written."),
        )
        raise
    finally:
        cache.delete(progress_key(record))


@transaction.atomic
def _commit(*, actor: User, record: Import, background: bool = False) -> Import:
    workspace = record.workspace
    require_editor(actor, workspace)
    record = (
        Import.objects.select_for_update(of=("self",)).select_related("channel").get(pk=record.pk)
    )
    expected = ImportStatus.COMMITTING if background else ImportStatus.PREVIEWED
    if record.status != expected:
        raise ConvergeError(
            _(
                "Only a checked file without rejected rows can be imported "
                "(this one is: %(status)s)."
            )
            % {"status": record.get_status_display()}
        )
    if not _stored_path(record, "upload").exists():
        raise ConvergeError(_("The uploaded file is no longer available; upload it again."))
    plan = Plan(record.format, "", "", record.channel)
    known = _metric_keys(workspace)
    new, changed = _classify_observations(workspace, plan, _staged_observations(record), known)
    if plan.count("rejected"):
        raise ConvergeError(_("The file now has rejected rows; check it again."))
    _write_observations(record, new, changed)
    progress = Progress(record, "commit", record.new + record.changed) if background else None
    done = _write_posts(record, _PostClassifier(plan), progress)
    if done >= ANALYZE_AFTER:
        # Fresh statistics, so that the next import's lookups use the unique key instead of a
        # plan made for the small table this was before.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Post._meta.db_table}")
    record.status = ImportStatus.COMMITTED
    record.committed_at = timezone.now()
    record.new, record.changed = plan.count("new"), plan.count("changed")
    record.unchanged, record.failure = plan.count("unchanged"), ""
    record.save()
    _drop_stage(record)
    audit.record(
        workspace=workspace,
        actor=actor,
        action="import.commit",
        obj=record,
        changes={"new": [None, record.new], "changed": [None, record.changed]},
    )
    return record


@transaction.atomic
def import_rollback(*, actor: User, record: Import) -> Import:
    """Undo a committed import: remove what it created, restore what it replaced."""
    workspace = record.workspace
    require_editor(actor, workspace)
    record = Import.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.COMMITTED:
        raise ConvergeError(_("Only an imported file can be rolled back."))
    later = (
        Observation.objects.filter(previous_import=record).count()
        + Post.objects.filter(previous_import=record).count()
    )
    if later:
        raise ConvergeError(
            _("A later import changed %(count)d of this import's rows; roll that one back first.")
            % {"count": later}
        )
    touched = {
        metric: (first, last)
        for metric, first, last in Observation.objects.filter(source_import=record)
        .values("metric")
        .annotate(first=models.Min("day"), last=models.Max("day"))
        .values_list("metric", "first", "last")
    }
    removed = Observation.objects.filter(source_import=record, previous_import__isnull=True)
    removed = removed.filter(previous_value__isnull=True)
    removed_count = removed.count()
    removed.delete()
    restored = 0
    for row in Observation.objects.filter(source_import=record):
        row.value, row.source_import = row.previous_value or Decimal(0), row.previous_import
        row.previous_value, row.previous_import, row.source_line = None, None, None
        row.save()
        restored += 1
    daily_totals_refresh(workspace=workspace, spans=touched)
    removed_count += Post.objects.filter(source_import=record, previous__isnull=True).delete()[0]
    for post in Post.objects.filter(source_import=record):
        _restore_post(post)
        restored += 1
    record.status = ImportStatus.ROLLED_BACK
    record.rolled_back_at = timezone.now()
    record.save(update_fields=["status", "rolled_back_at"])
    audit.record(
        workspace=workspace,
        actor=actor,
        action="import.rollback",
        obj=record,
        changes={"removed": [removed_count, 0], "restored": [None, restored]},
    )
    return record


def _restore_post(post: Post) -> None:
    prev = post.previous or {}
    moment = prev.get("published_at")
    if moment:
        parsed = datetime.fromisoformat(str(moment).replace(" ", "T"))
        post.published_at = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    post.text, post.kind, post.link = (
        prev.get("text", ""),
        prev.get("kind", ""),
        prev.get("link", ""),
    )
    metrics = prev.get("metrics", {})
    post.metrics = json.loads(metrics) if isinstance(metrics, str) else metrics
    post.digest = staging.digest(
        staging.utc_text(post.published_at),
        post.text,
        post.kind,
        post.link,
        staging.metrics_json(post.metrics),
    )
    post.source_import, post.previous, post.previous_import = post.previous_import, None, None
    post.save()


# --- The workspace's own metrics ------------------------------------------------------------

METRIC_KEY = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
METRIC_FIELDS = (
    "name_en",
    "name_sv",
    "unit",
    "aggregation",
    "amec",
    "numerator",
    "denominator",
    "definition",
    "source",
)


def _metric_values(
    workspace: Workspace, key: str, values: dict[str, str], *, exclude: int | None = None
) -> dict[str, str]:
    """Check a metric's attributes; returns them cleaned."""
    cleaned = {name: str(values.get(name) or "").strip() for name in METRIC_FIELDS}
    if not cleaned["name_en"]:
        raise ConvergeError(_("Enter the metric's name in English."), field="name_en")
    if not cleaned["name_sv"]:
        raise ConvergeError(_("Enter the metric's name in Swedish."), field="name_sv")
    if cleaned["unit"] not in UNITS:
        raise ConvergeError(_("Choose a unit."), field="unit")
    if cleaned["aggregation"] not in AGGREGATIONS:
        raise ConvergeError(_("Choose how the metric adds up over time."), field="aggregation")
    if cleaned["amec"] not in AMEC_STAGES:
        raise ConvergeError(_("Choose an AMEC stage."), field="amec")
    if cleaned["aggregation"] != "ratio":
        cleaned["numerator"] = cleaned["denominator"] = ""
        return cleaned
    index = selectors.metric_index(workspace)
    if exclude is not None:
        index.pop(key, None)
    for part in ("numerator", "denominator"):
        chosen = cleaned[part]
        if not chosen:
            raise ConvergeError(
                _("A derived metric needs a numerator and a denominator."), field=part
            )
        if chosen == key:
            raise ConvergeError(_("A metric cannot be derived from itself."), field=part)
        if chosen not in index:
            raise ConvergeError(
                _("“%(key)s” is not a metric of this workspace.") % {"key": chosen}, field=part
            )
    cycle = reference_cycle(index, key, cleaned["numerator"], cleaned["denominator"])
    if cycle:
        raise ConvergeError(
            _("The metrics would be derived from each other in a circle: %(chain)s.")
            % {"chain": " → ".join(cycle)},
            field="numerator",
        )
    return cleaned


def _metric_audit(
    actor: User, metric: WorkspaceMetric, action: str, before: dict[str, Any]
) -> None:
    changes = audit.diff(before, audit.snapshot(metric, ("key", *METRIC_FIELDS)))
    if changes:
        audit.record(
            workspace=metric.workspace,
            actor=actor,
            action=f"metric.{action}",
            obj=metric,
            changes=changes,
        )


@transaction.atomic
def metric_create(
    *,
    actor: User,
    workspace: Workspace,
    key: str,
    name_en: str,
    name_sv: str,
    unit: str,
    aggregation: str,
    amec: str,
    numerator: str = "",
    denominator: str = "",
    definition: str = "",
    source: str = "",
) -> WorkspaceMetric:
    """Add a metric of the workspace's own; a derived one is a ratio of two other metrics."""
    require_editor(actor, workspace)
    values = {
        "name_en": name_en,
        "name_sv": name_sv,
        "unit": unit,
        "aggregation": aggregation,
        "amec": amec,
        "numerator": numerator,
        "denominator": denominator,
        "definition": definition,
        "source": source,
    }
    key = key.strip()
    if not METRIC_KEY.fullmatch(key) or len(key) > 64:
        raise ConvergeError(
            _(
                "Use lower-case letters, digits, hyphens and underscores for the key, "
                "e.g. newsletter_signups."
            ),
            field="key",
        )
    if key in BY_KEY:
        raise ConvergeError(
            _("“%(key)s” is a built-in metric; choose another key.") % {"key": key}, field="key"
        )
    if WorkspaceMetric.objects.filter(workspace=workspace, key=key).exists():
        raise ConvergeError(_("The workspace already has a metric with this key."), field="key")
    cleaned = _metric_values(workspace, key, values)
    metric = WorkspaceMetric.objects.create(
        workspace=workspace, key=key, created_by=actor, **cleaned
    )
    _metric_audit(actor, metric, "create", {})
    return metric


@transaction.atomic
def metric_update(
    *,
    actor: User,
    metric: WorkspaceMetric,
    name_en: str,
    name_sv: str,
    unit: str,
    aggregation: str,
    amec: str,
    numerator: str = "",
    denominator: str = "",
    definition: str = "",
    source: str = "",
) -> WorkspaceMetric:
    """Change a workspace metric's attributes. Its key stays: observations refer to it."""
    workspace = metric.workspace
    require_editor(actor, workspace)
    values = {
        "name_en": name_en,
        "name_sv": name_sv,
        "unit": unit,
        "aggregation": aggregation,
        "amec": amec,
        "numerator": numerator,
        "denominator": denominator,
        "definition": definition,
        "source": source,
    }
    metric = WorkspaceMetric.objects.select_for_update().get(pk=metric.pk)
    cleaned = _metric_values(workspace, metric.key, values, exclude=metric.pk)
    before = audit.snapshot(metric, ("key", *METRIC_FIELDS))
    for name, value in cleaned.items():
        setattr(metric, name, value)
    metric.save()
    _metric_audit(actor, metric, "update", before)
    return metric


@transaction.atomic
def metric_archive(
    *, actor: User, metric: WorkspaceMetric, archived: bool = True
) -> WorkspaceMetric:
    """Archive a workspace metric (its figures stay) or bring it back."""
    workspace = metric.workspace
    require_editor(actor, workspace)
    if archived:
        users = selectors.workspace_metrics(workspace).exclude(pk=metric.pk)
        users = users.filter(
            models.Q(numerator=metric.key) | models.Q(denominator=metric.key),
            aggregation="ratio",
        )
        names = ", ".join(u.key for u in users)
        if names:
            raise ConvergeError(
                _("%(names)s is derived from this metric; change or archive it first.")
                % {"names": names}
            )
    elif metric.aggregation == "ratio":
        index = selectors.metric_index(workspace)
        missing = [k for k in (metric.numerator, metric.denominator) if k not in index]
        if missing:
            raise ConvergeError(
                _("“%(key)s” is archived; bring it back first.") % {"key": missing[0]}
            )
    before = metric.archived_at
    metric.archived_at = timezone.now() if archived else None
    metric.save(update_fields=["archived_at"])
    audit.record(
        workspace=workspace,
        actor=actor,
        action=f"metric.{'archive' if archived else 'restore'}",
        obj=metric,
        changes={"archived_at": [audit._plain(before), audit._plain(metric.archived_at)]},
    )
    return metric


# --- Column mappings for business-system CSVs -----------------------------------------------


def unmapped_keep(*, actor: User, workspace: Workspace, data: bytes, filename: str) -> str | None:
    """Keep a CSV that matched no format so that its columns can be mapped; returns the token
    that addresses it, or ``None`` when the file is not a CSV table at all."""
    require_editor(actor, workspace)
    try:
        business.preview(data)
    except FormatError:
        return None
    from django.core.files.storage import default_storage

    token = str(uuid.uuid4())
    base = selectors.unmapped_path(workspace, token)
    default_storage.save(f"{base}.upload", ContentFile(data))
    default_storage.save(f"{base}.name", ContentFile(filename[:255].encode()))
    return token


def unmapped_discard(*, workspace: Workspace, token: str) -> None:
    from django.core.files.storage import default_storage

    base = selectors.unmapped_path(workspace, token)
    for suffix in (".upload", ".name"):
        if default_storage.exists(base + suffix):
            default_storage.delete(base + suffix)


MAPPING_COLUMNS = ("date_column", "amount_column", "status_column", "response_column")


@transaction.atomic
def mapping_create(
    *,
    actor: User,
    workspace: Workspace,
    name: str,
    kind: str,
    header: list[str],
    date_column: str,
    date_order: str = DateOrder.YMD,
    amount_column: str = "",
    status_column: str = "",
    status_value: str = "",
    response_column: str = "",
) -> ColumnMapping:
    """Save how a business system's CSV is read; every later file with the same header is
    read this way."""
    require_editor(actor, workspace)
    name = name.strip()
    header = [str(c).strip() for c in header]
    if not name:
        raise ConvergeError(_("Name the mapping, e.g. “HubSpot deals”."), field="name")
    if kind not in MappingKind.values:
        raise ConvergeError(_("Choose what kind of file this is."), field="kind")
    if date_order not in DateOrder.values:
        raise ConvergeError(_("Choose how the dates are written."), field="date_order")
    if len(header) < 2 or not all(header):
        raise ConvergeError(_("The file needs a header row with a name for every column."))
    names = {business.normalised([c])[0] for c in header}
    columns = {
        "date_column": date_column.strip(),
        "amount_column": amount_column.strip() if kind == MappingKind.DEALS else "",
        "status_column": status_column.strip() if kind != MappingKind.TICKETS else "",
        "response_column": response_column.strip() if kind == MappingKind.TICKETS else "",
    }
    for field_name, column in columns.items():
        if column and business.normalised([column])[0] not in names:
            raise ConvergeError(
                _("The file has no column “%(column)s”.") % {"column": column}, field=field_name
            )
    if not columns["date_column"]:
        raise ConvergeError(_("Choose the column with the date."), field="date_column")
    if kind == MappingKind.DEALS and not columns["amount_column"]:
        raise ConvergeError(_("Choose the column with the deal's amount."), field="amount_column")
    if kind == MappingKind.TICKETS and not columns["response_column"]:
        raise ConvergeError(
            _("Choose the column with the time of the first response."), field="response_column"
        )
    status_value = status_value.strip() if columns["status_column"] else ""
    if columns["status_column"] and not status_value:
        raise ConvergeError(
            _("Enter the status that counts, e.g. “Closed Won”."), field="status_value"
        )
    signature = business.signature(header)
    clash = ColumnMapping.objects.filter(workspace=workspace, signature=signature).first()
    if clash is not None:
        raise ConvergeError(
            _("Files with these columns are already read with the mapping “%(name)s”.")
            % {"name": clash.name}
        )
    mapping = ColumnMapping.objects.create(
        workspace=workspace,
        name=name,
        kind=kind,
        header=header,
        signature=signature,
        date_order=date_order,
        status_value=status_value,
        created_by=actor,
        **columns,
    )
    fields = ("name", "kind", "date_order", "status_value", *MAPPING_COLUMNS)
    audit.record(
        workspace=workspace,
        actor=actor,
        action="column_mapping.create",
        obj=mapping,
        changes=audit.diff({}, audit.snapshot(mapping, fields)),
    )
    return mapping


@transaction.atomic
def mapping_delete(*, actor: User, mapping: ColumnMapping) -> None:
    """Forget a mapping; files already imported with it stay as they are."""
    workspace = mapping.workspace
    require_editor(actor, workspace)
    audit.record(
        workspace=workspace,
        actor=actor,
        action="column_mapping.delete",
        obj=mapping,
        changes={"name": [mapping.name, None]},
    )
    mapping.delete()


@transaction.atomic
def mapping_create_and_check(
    *, actor: User, workspace: Workspace, token: str, **mapping: str
) -> tuple[ColumnMapping, Import]:
    """Save a mapping for a kept file's columns and check the file with it at once; if the
    file cannot be read with the mapping, neither the mapping nor the check is kept."""
    kept = selectors.unmapped_file(workspace, token)
    if kept is None:
        raise ConvergeError(_("The uploaded file is no longer available; upload it again."))
    filename, data = kept
    header = business.preview(data).header
    saved = mapping_create(actor=actor, workspace=workspace, header=header, **mapping)
    record, _plan = import_check(actor=actor, workspace=workspace, data=data, filename=filename)
    transaction.on_commit(lambda: unmapped_discard(workspace=workspace, token=token))
    return saved, record


# --- Annotations ----------------------------------------------------------------------------

ANNOTATION_FIELDS = ("day", "end_day", "title", "kind", "channel")


@transaction.atomic
def annotation_save(
    *,
    actor: User,
    workspace: Workspace,
    annotation: Annotation | None = None,
    day: date,
    title: str,
    kind: str = "other",
    end_day: date | None = None,
    channel: Channel | None = None,
) -> Annotation:
    """Create (``annotation=None``) or change a dated note shown on the charts."""
    require_editor(actor, workspace)
    title = (title or "").strip()
    if not title:
        raise ConvergeError(_("Give the annotation a title."), field="title")
    if day is None:
        raise ConvergeError(_("Enter the day."), field="day")
    if end_day is not None and end_day < day:
        raise ConvergeError(_("The last day must not come before the first."), field="end_day")
    if kind not in AnnotationKind.values:
        raise ConvergeError(_("Choose a kind."), field="kind")
    if channel is not None and channel.workspace_id != workspace.pk:
        raise ConvergeError(_("Choose a channel of this workspace."), field="channel")
    creating = annotation is None
    obj = annotation or Annotation(workspace=workspace, created_by=actor)
    before = {} if creating else audit.snapshot(obj, ANNOTATION_FIELDS)
    obj.day, obj.end_day, obj.title, obj.kind, obj.channel = day, end_day, title, kind, channel
    obj.save()
    changes = audit.diff(before, audit.snapshot(obj, ANNOTATION_FIELDS))
    if changes:
        audit.record(
            workspace=workspace,
            actor=actor,
            action=f"annotation.{'create' if creating else 'update'}",
            obj=obj,
            changes=changes,
        )
    return obj


@transaction.atomic
def annotation_delete(*, actor: User, annotation: Annotation) -> None:
    require_editor(actor, annotation.workspace)
    audit.record(
        workspace=annotation.workspace,
        actor=actor,
        action="annotation.delete",
        obj=annotation,
        changes={"title": [annotation.title, None]},
    )
    annotation.delete()

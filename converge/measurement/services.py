"""Writes of measurement: channels, and imports — check (preview), commit, roll back.

An import is all or nothing: the whole file is parsed and validated first; a file with any
rejected row cannot be committed; a commit is one transaction; importing the same file again
changes nothing (observations are keyed by channel, metric and day; posts by channel and id);
a rollback restores exactly what the import replaced."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import Capability, Department, User, Workspace
from converge.core.policy import NotPermitted, can
from converge.measurement.catalogue import BY_KEY
from converge.measurement.importers.base import FormatError, ParseResult
from converge.measurement.importers.registry import detect, importers
from converge.measurement.models import Channel, Import, ImportStatus, Observation, Post
from converge.strategy.models import Platform

MAX_BYTES: int = getattr(settings, "CONVERGE_IMPORT_MAX_BYTES", 200 * 1024 * 1024)
FUTURE_DAYS = 2


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
    if metric not in BY_KEY:
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


# --- Imports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowOutcome:
    line: int
    kind: str  # new | changed | unchanged | rejected
    what: str  # e.g. "impressions 2026-03-01" or "post 1234…"
    old: str = ""
    new: str = ""
    column: str | None = None
    reason: str = ""


@dataclass
class Plan:
    """What committing the file would do, row by row."""

    parsed: ParseResult
    channel: Channel | None
    outcomes: list[RowOutcome] = field(default_factory=list)
    new_observations: list[Observation] = field(default_factory=list)
    changed_observations: list[tuple[Observation, Decimal, int]] = field(default_factory=list)
    new_posts: list[Post] = field(default_factory=list)
    changed_posts: list[tuple[Post, dict[str, Any]]] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind)


def _expected_formats() -> str:
    return "; ".join(i.description for i in importers())


def _parse(data: bytes, filename: str) -> ParseResult:
    if len(data) > MAX_BYTES:
        raise ConvergeError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": len(data) // (1024 * 1024), "limit": MAX_BYTES // (1024 * 1024)},
            field="file",
            status=413,
        )
    if not data.strip():
        raise ConvergeError(_("The file is empty."), field="file")
    importer = detect(data[:65536], filename)
    if importer is None:
        raise ConvergeError(
            _("Converge does not recognise this file. Expected one of: %(formats)s.")
            % {"formats": _expected_formats()},
            field="file",
            details={"expected": [i.key for i in importers()]},
        )
    try:
        return importer.parse(data, filename)
    except FormatError as exc:
        raise ConvergeError(str(exc), field="file", details={"format": importer.key}) from exc


def _channel_for(
    workspace: Workspace, parsed: ParseResult, chosen: Channel | None
) -> Channel | None:
    if chosen is not None:
        if chosen.workspace_id != workspace.pk:
            raise ConvergeError(_("Choose a channel of this workspace."), field="channel")
        if parsed.platform not in ("other", chosen.platform):
            raise ConvergeError(
                _("This is a %(platform)s export, but the channel chosen is on %(chosen)s.")
                % {"platform": parsed.platform, "chosen": chosen.get_platform_display()},
                field="channel",
            )
        return chosen
    if parsed.handle:
        handle = parsed.handle.lstrip("@")
        found = Channel.objects.filter(
            workspace=workspace, platform=parsed.platform, handle__in=[handle, f"@{handle}"]
        ).first()
        if found is not None:
            return found
    if parsed.platform != "other" or parsed.posts:
        raise ConvergeError(
            _("Choose the channel this %(platform)s export belongs to.")
            % {"platform": parsed.platform},
            field="channel",
        )
    return None


def _fmt(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}"


def plan_import(
    *, workspace: Workspace, data: bytes, filename: str, channel: Channel | None = None
) -> Plan:
    """Parse and validate the whole file and classify every row against what is stored."""
    parsed = _parse(data, filename)
    target = _channel_for(workspace, parsed, channel)
    plan = Plan(parsed=parsed, channel=target)
    for problem in parsed.problems:
        plan.outcomes.append(
            RowOutcome(problem.line, "rejected", "", column=problem.column, reason=problem.message)
        )
    handles = {c.handle.lstrip("@").lower(): c for c in Channel.objects.filter(workspace=workspace)}
    latest = timezone.localdate() + timedelta(days=FUTURE_DAYS)
    seen: dict[tuple[int | None, str, date], int] = {}
    keyed: list[tuple[Any, ...]] = []
    for obs in parsed.observations:
        row_channel = target
        if obs.channel:
            row_channel = handles.get(obs.channel.lstrip("@").lower())
            if row_channel is None:
                plan.outcomes.append(
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
        if obs.metric not in BY_KEY:
            plan.outcomes.append(
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
            plan.outcomes.append(
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
            plan.outcomes.append(
                RowOutcome(
                    obs.line,
                    "rejected",
                    obs.metric,
                    column=None,
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
    for key, obs, row_channel in keyed:
        what = f"{obs.metric} {obs.day.isoformat()}"
        stored = existing.get(key)
        if stored is None:
            plan.new_observations.append(
                Observation(
                    workspace=workspace,
                    channel=row_channel,
                    metric=obs.metric,
                    day=obs.day,
                    value=obs.value,
                    source_line=obs.line,
                )
            )
            plan.outcomes.append(RowOutcome(obs.line, "new", what, new=_fmt(obs.value)))
        elif stored.value != obs.value.quantize(Decimal("0.0001")):
            plan.changed_observations.append((stored, obs.value, obs.line))
            plan.outcomes.append(
                RowOutcome(obs.line, "changed", what, old=_fmt(stored.value), new=_fmt(obs.value))
            )
        else:
            plan.outcomes.append(RowOutcome(obs.line, "unchanged", what, new=_fmt(obs.value)))
    if parsed.posts:
        assert target is not None
        stored_posts = {
            p.external_id: p
            for p in Post.objects.filter(
                channel=target, external_id__in=[p.external_id for p in parsed.posts]
            )
        }
        seen_ids: dict[str, int] = {}
        for post in parsed.posts:
            what = _("post %(id)s") % {"id": post.external_id}
            if post.external_id in seen_ids:
                first = seen_ids[post.external_id]
                plan.outcomes.append(
                    RowOutcome(
                        post.line,
                        "unchanged",
                        what,
                        reason=_("Repeated from line %(line)s.") % {"line": first},
                    )
                )
                continue
            seen_ids[post.external_id] = post.line
            metrics = {k: _fmt(v) for k, v in sorted(post.metrics.items()) if k in BY_KEY}
            values = {
                "published_at": post.published_at,
                "text": post.text,
                "kind": post.kind,
                "link": post.link[:500],
                "metrics": metrics,
            }
            old = stored_posts.get(post.external_id)
            if old is None:
                plan.new_posts.append(
                    Post(
                        workspace=workspace,
                        channel=target,
                        external_id=post.external_id,
                        source_line=post.line,
                        **values,
                    )
                )
                plan.outcomes.append(RowOutcome(post.line, "new", what))
            elif (old.published_at, old.text, old.kind, old.link, old.metrics) != tuple(
                values.values()
            ):
                plan.changed_posts.append((old, values))
                plan.outcomes.append(RowOutcome(post.line, "changed", what))
            else:
                plan.outcomes.append(RowOutcome(post.line, "unchanged", what))
    plan.outcomes.sort(key=lambda o: o.line)
    return plan


def _problems(plan: Plan, limit: int = 500) -> list[dict[str, Any]]:
    return [
        {"line": o.line, "column": o.column, "message": o.reason}
        for o in plan.outcomes
        if o.kind == "rejected"
    ][:limit]


@transaction.atomic
def import_check(
    *,
    actor: User,
    workspace: Workspace,
    data: bytes,
    filename: str,
    channel: Channel | None = None,
) -> tuple[Import, Plan]:
    """Upload and preview: record the file and what it would change; write no figures."""
    require_editor(actor, workspace)
    plan = plan_import(workspace=workspace, data=data, filename=filename, channel=channel)
    rejected = plan.count("rejected")
    record = Import(
        workspace=workspace,
        channel=plan.channel,
        file_name=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        format=plan.parsed.format,
        status=ImportStatus.REJECTED if rejected else ImportStatus.PREVIEWED,
        created_by=actor,
        new=plan.count("new"),
        changed=plan.count("changed"),
        unchanged=plan.count("unchanged"),
        rejected=rejected,
        problems=_problems(plan),
    )
    record.save()
    record_file = ContentFile(data, name=f"{record.uuid}.upload")
    from django.core.files.storage import default_storage

    default_storage.save(f"imports/{workspace.pk}/{record.uuid}.upload", record_file)
    return record, plan


def _stored_file(record: Import) -> bytes:
    from django.core.files.storage import default_storage

    path = f"imports/{record.workspace_id}/{record.uuid}.upload"
    if not default_storage.exists(path):
        raise ConvergeError(_("The uploaded file is no longer available; upload it again."))
    with default_storage.open(path, "rb") as handle:
        data: bytes = handle.read()
    return data


@transaction.atomic
def import_commit(*, actor: User, record: Import) -> Import:
    """Write everything the preview showed, in one transaction, or nothing."""
    workspace = record.workspace
    require_editor(actor, workspace)
    record = Import.objects.select_for_update().get(pk=record.pk)
    if record.status != ImportStatus.PREVIEWED:
        raise ConvergeError(
            _(
                "Only a checked file without rejected rows can be imported "
                "(this one is: %(status)s)."
            )
            % {"status": record.get_status_display()}
        )
    data = _stored_file(record)
    if hashlib.sha256(data).hexdigest() != record.sha256:
        raise ConvergeError(_("The stored file has changed since it was checked; upload it again."))
    plan = plan_import(
        workspace=workspace, data=data, filename=record.file_name, channel=record.channel
    )
    if plan.count("rejected"):
        raise ConvergeError(_("The file now has rejected rows; check it again."))
    for obs in plan.new_observations:
        obs.source_import = record
    Observation.objects.bulk_create(plan.new_observations, batch_size=2000)
    updates = []
    for row, value, line in plan.changed_observations:
        row.previous_value, row.previous_import = row.value, row.source_import
        row.value, row.source_import, row.source_line = value, record, line
        updates.append(row)
    Observation.objects.bulk_update(
        updates,
        ["value", "source_import", "source_line", "previous_value", "previous_import"],
        batch_size=2000,
    )
    for post in plan.new_posts:
        post.source_import = record
    Post.objects.bulk_create(plan.new_posts, batch_size=1000)
    changed_posts = []
    for post, values in plan.changed_posts:
        post.previous = {
            "published_at": post.published_at.isoformat(),
            "text": post.text,
            "kind": post.kind,
            "link": post.link,
            "metrics": post.metrics,
        }
        post.previous_import = post.source_import
        for name, value in values.items():
            setattr(post, name, value)
        post.source_import = record
        changed_posts.append(post)
    Post.objects.bulk_update(
        changed_posts,
        [
            "published_at",
            "text",
            "kind",
            "link",
            "metrics",
            "previous",
            "previous_import",
            "source_import",
        ],
        batch_size=1000,
    )
    record.status = ImportStatus.COMMITTED
    record.committed_at = timezone.now()
    record.new, record.changed = plan.count("new"), plan.count("changed")
    record.unchanged = plan.count("unchanged")
    record.save()
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
    Post.objects.filter(source_import=record, previous__isnull=True).delete()
    for post in Post.objects.filter(source_import=record):
        prev = post.previous or {}
        post.text, post.kind, post.link = (
            prev.get("text", ""),
            prev.get("kind", ""),
            prev.get("link", ""),
        )
        post.metrics = prev.get("metrics", {})
        post.source_import, post.previous, post.previous_import = post.previous_import, None, None
        post.save()
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

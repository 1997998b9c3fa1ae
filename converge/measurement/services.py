"""Writes of measurement: channels, and imports — check (preview), commit, roll back.

An import is all or nothing: the whole file is parsed and validated first; a file with any
rejected row cannot be committed; a commit is one transaction; importing the same file again
changes nothing (observations are keyed by channel, metric and day; posts by channel and id);
a rollback restores exactly what the import replaced."""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from converge.core import audit
from converge.core.errors import ConvergeError
from converge.core.models import Capability, Department, User, Workspace
from converge.core.policy import NotPermitted, can
from converge.measurement import selectors
from converge.measurement.catalogue import AGGREGATIONS, AMEC_STAGES, BY_KEY, UNITS, reference_cycle
from converge.measurement.importers import business
from converge.measurement.importers.base import FormatError, ParseResult
from converge.measurement.importers.registry import detect, importers
from converge.measurement.models import (
    Channel,
    ColumnMapping,
    DateOrder,
    Import,
    ImportStatus,
    MappingKind,
    Observation,
    Post,
    WorkspaceMetric,
)
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


def _parse(data: bytes, filename: str, workspace: Workspace | None = None) -> ParseResult:
    if len(data) > MAX_BYTES:
        raise ConvergeError(
            _("The file is %(size)s MB; the limit is %(limit)s MB.")
            % {"size": len(data) // (1024 * 1024), "limit": MAX_BYTES // (1024 * 1024)},
            field="file",
            status=413,
        )
    if not data.strip():
        raise ConvergeError(_("The file is empty."), field="file")
    mapped = selectors.mapped_importers(workspace) if workspace is not None else []
    importer = next((i for i in mapped if i.sniff(data[:65536], filename)), None)
    importer = importer or detect(data[:65536], filename)
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
    parsed = _parse(data, filename, workspace)
    index = selectors.metric_index(workspace)
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
        if obs.metric not in index:
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

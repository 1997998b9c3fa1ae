"""Writing audit entries: who, when, what, old → new."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from converge.core.errors import ConvergeError
from converge.core.models import AuditEntry, User, Workspace

Snapshot = dict[str, Any]
M = TypeVar("M", bound=models.Model)


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return sorted(str(v) for v in value)
    return str(value)


def snapshot(obj: models.Model, fields: Iterable[str]) -> Snapshot:
    """The current values of ``fields``, as plain JSON values (related objects by name)."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {
        key: [before.get(key), after.get(key)] for key in keys if before.get(key) != after.get(key)
    }


def record(
    *,
    workspace: Workspace,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str = "",
    object_repr: str = "",
    changes: Mapping[str, Any] | None = None,
) -> AuditEntry:
    """Write one audit entry. Call it inside the service's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.model_name or ""
        object_id = object_id or str(getattr(obj, "uuid", None) or obj.pk)
        object_repr = object_repr or str(obj)
    return AuditEntry.objects.create(
        workspace=workspace,
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type or "",
        object_id=object_id,
        object_repr=object_repr[:200],
        changes=dict(changes or {}),
    )


def snapshot_with(obj: models.Model, fields: Iterable[str], m2m: Iterable[str]) -> Snapshot:
    """``snapshot`` plus the many-to-many fields, each as the sorted names of its items."""
    data = snapshot(obj, fields)
    if obj.pk:
        for name in m2m:
            data[name] = sorted(str(o) for o in getattr(obj, name).all())
    return data


def save_audited(
    *,
    actor: User,
    obj: M,
    values: Mapping[str, Any],
    m2m: Mapping[str, Iterable[Any]] | None = None,
    kind: str,
    skip_unchanged: bool = False,
) -> M:
    """Set ``values`` and ``m2m`` on a workspace's ``obj``, save it, and audit old → new as
    ``<kind>.create`` or ``<kind>.update``. A clash with a unique name or title is a 409 on
    the first field. With ``skip_unchanged``, an update that changes nothing writes nothing."""
    m2m = dict(m2m or {})
    creating = obj.pk is None
    before = {} if creating else snapshot_with(obj, values.keys(), m2m.keys())
    for name, value in values.items():
        setattr(obj, name, value)
    if skip_unchanged and not creating and not m2m and diff(before, snapshot(obj, values)) == {}:
        return obj
    try:
        with transaction.atomic():
            obj.save()
    except IntegrityError as exc:
        raise ConvergeError(
            _("Another item already has this name or title."), field=next(iter(values)), status=409
        ) from exc
    for name, items in m2m.items():
        getattr(obj, name).set(list(items))
    changes = diff(before, snapshot_with(obj, values.keys(), m2m.keys()))
    if changes or creating:
        record(
            workspace=obj.workspace,  # type: ignore[attr-defined]
            actor=actor,
            action=f"{kind}.{'create' if creating else 'update'}",
            obj=obj,
            changes=changes,
        )
    return obj

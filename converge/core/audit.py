"""Writing audit entries: who, when, what, old → new."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models

from converge.core.models import AuditEntry, User, Workspace

Snapshot = dict[str, Any]


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

"""Reads of measurement."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache

from converge.measurement.models import Import, ImportStatus


@dataclass(frozen=True)
class ImportProgress:
    phase: str  # check | commit
    done: int
    total: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.total)) if self.total else 0


def import_progress(record: Import) -> ImportProgress:
    """How far the background check or commit of a big file has come (bytes read while
    checking, rows written while committing)."""
    from converge.measurement.services import progress_key

    found = cache.get(progress_key(record))
    phase = "commit" if record.status == ImportStatus.COMMITTING else "check"
    if not found:
        return ImportProgress(phase, 0, 0)
    return ImportProgress(found["phase"], int(found["done"]), int(found["total"]))

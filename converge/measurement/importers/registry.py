"""All importers, and format detection."""

from __future__ import annotations

import importlib

from converge.measurement.importers.base import Importer

MODULES = ("x", "meta", "linkedin", "youtube", "tiktok", "generic")


def importers() -> list[Importer]:
    """Every available importer, the specific formats before the generic CSV."""
    found: list[Importer] = []
    for name in MODULES:
        try:
            module = importlib.import_module(f"converge.measurement.importers.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"converge.measurement.importers.{name}":
                continue
            raise
        found.extend(getattr(module, "IMPORTERS", []))
    return found


def detect(head: bytes, filename: str) -> Importer | None:
    for importer in importers():
        if importer.sniff(head, filename):
            return importer
    return None

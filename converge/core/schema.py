"""Model fields and indexes of our own, for tables that take a million rows at a time."""

from __future__ import annotations

from typing import Any

from django.db import models


class RowIdField(models.BigAutoField):
    """A big auto key that on SQLite is the table's plain rowid, without ``AUTOINCREMENT``.

    Django declares every auto key on SQLite ``AUTOINCREMENT``, which makes SQLite read and
    write its ``sqlite_sequence`` table for every row inserted: for a million posts imported in
    one transaction that bookkeeping alone cost 0.7–1.3 s of a 5–9 s insert here
    (bench/RESULTS.md, "Imports"). Without it SQLite still gives each row the next key after
    the largest one; the only difference is that the key of the newest row, once deleted, may
    be given again. Use it only for rows that nothing refers to by key (posts are found by
    channel and external id). Elsewhere (PostgreSQL) it is an ordinary ``BigAutoField``."""

    def db_type_suffix(self, connection: Any) -> str | None:
        if connection.vendor == "sqlite":
            return None
        return super().db_type_suffix(connection)  # type: ignore[misc]  # not in the stubs


class AppendOrderIndex(models.Index):
    """An index on a column whose values grow with the order rows are added in (the import a
    row came from): on PostgreSQL a BRIN index, which keeps each range of table pages' least
    and greatest value instead of an entry per row, so a million rows loaded at once cost it
    next to nothing (a B-tree index on the import cost 0.7–1 s of a 9 s COPY here); on SQLite,
    which has no such index, an ordinary one. A BRIN index finds an import's rows by the pages
    they were appended to; where later updates spread them, it reads more pages, never fewer
    rows than it should."""

    def create_sql(self, model: Any, schema_editor: Any, using: str = "", **kwargs: Any) -> Any:
        if schema_editor.connection.vendor == "postgresql":
            using = " USING brin"
        return super().create_sql(model, schema_editor, using=using, **kwargs)

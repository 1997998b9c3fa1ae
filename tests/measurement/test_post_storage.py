"""The posts' table keeps no bookkeeping per row that a million-row import would pay for:
on SQLite its key is the plain rowid (no AUTOINCREMENT) and a new database has 8 KB pages, on
PostgreSQL the index on the import is a BRIN index and keys come a thousand at a time; an
import's posts are still found by their import, and rolled back; on SQLite posts go in a
hundred to a statement, and every post keeps its own values."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.db import connection

from converge.measurement import services
from converge.measurement.models import Post
from tests.conftest import World
from tests.measurement.test_import_posts import FILE, check, rows

pytestmark = pytest.mark.skipif(not FILE.is_file(), reason=f"{FILE} is not present")


def table_facts() -> dict[str, str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = %s", [Post._meta.db_table]
            )
            return {name: sql or "" for name, sql in cursor.fetchall()}
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s",
            [Post._meta.db_table],
        )
        facts = dict(cursor.fetchall())
        cursor.execute(
            "SELECT cache_size FROM pg_sequences WHERE sequencename = %s",
            [f"{Post._meta.db_table}_id_seq"],
        )
        facts["key cache"] = str(cursor.fetchone()[0])
        return facts


def test_the_posts_table_has_no_per_row_key_bookkeeping_and_a_cheap_index_on_the_import(
    db: None,
) -> None:
    facts = table_facts()
    if connection.vendor == "sqlite":
        assert "AUTOINCREMENT" not in facts[Post._meta.db_table].upper()
        assert "source_import_id" in facts["post_source_import"]
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA page_size")
            assert cursor.fetchone()[0] == 8192  # a new database's pages: 8 KB
    else:
        assert "USING brin (source_import_id)" in facts["post_source_import"]
        assert facts["key cache"] == "1000"


def test_an_imports_posts_are_found_by_their_import_and_rolled_back(world: World) -> None:
    services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="rOpenSci"
    )
    first = services.import_commit(actor=world.lead, record=check(world, FILE.read_bytes())[0])
    posts = Post.objects.filter(source_import=first)
    assert posts.count() == first.new > 0
    keys = set(posts.values_list("pk", flat=True))
    assert len(keys) == first.new  # every post its own key

    services.import_rollback(actor=world.lead, record=first)
    assert not Post.objects.filter(source_import=first).exists()
    assert Post.objects.count() == 0


def test_posts_more_than_one_insert_holds_all_arrive_each_with_its_own_values(
    world: World,
) -> None:
    """259 posts: on SQLite two inserts of a hundred and one of the 59 left."""
    originals = rows()
    copies = [
        {**row, "Tweet id": str(int(row["Tweet id"]) + copy), "likes": str(copy)}
        for copy in range(7)
        for row in originals
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(originals[0]))
    writer.writeheader()
    writer.writerows(copies)
    services.channel_save(
        actor=world.lead, workspace=world.workspace, platform="x", handle="rOpenSci"
    )
    record = services.import_commit(
        actor=world.lead, record=check(world, out.getvalue().encode())[0]
    )

    assert record.new == len(copies) == 259
    stored = {post.external_id: post for post in Post.objects.filter(source_import=record)}
    assert len(stored) == 259
    for row in copies:
        post = stored[row["Tweet id"]]
        assert post.text == row["Tweet text"].strip()
        assert post.published_at == datetime.strptime(row["time"], "%Y-%m-%d %H:%M %z").astimezone(
            UTC
        )
        assert post.link == row["Tweet permalink"]
        assert (post.kind, post.campaign, post.workspace_id) == ("post", "", world.workspace.pk)
        assert post.metrics["likes"] == row["likes"]

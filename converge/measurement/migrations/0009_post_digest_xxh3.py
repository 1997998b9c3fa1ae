"""Posts' digests become XXH3-128 instead of MD5 (``staging.digest``): every stored post's digest
is computed again from its stored content, so that a re-import compares like with like.

The canonical text is spelt here as ``staging`` spells it (a migration must not import the
app's code): the time in UTC as ``2021-10-30T20:04:00+00:00``, the text, the type, the link
and the metrics as compact JSON with sorted keys, joined by U+001F. Backwards, the same text
is hashed with MD5 again."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC
from typing import Any

from django.db import migrations
from xxhash import xxh3_128_hexdigest

SEP = "\x1f"
CHUNK = 5000


def _md5(data: bytes) -> str:
    return hashlib.md5(data, usedforsecurity=False).hexdigest()


def _rehash(hexdigest: Callable[[bytes], str]) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        post = apps.get_model("measurement", "Post")
        table = post._meta.db_table
        rows = (
            post.objects.order_by("pk")
            .values_list("pk", "published_at", "text", "kind", "link", "metrics")
            .iterator(chunk_size=CHUNK)
        )
        changes: list[tuple[str, int]] = []
        with schema_editor.connection.cursor() as cursor:
            for pk, moment, text, kind, link, metrics in rows:
                canonical = SEP.join(
                    (
                        moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                        text,
                        kind,
                        link,
                        json.dumps(
                            dict(sorted((metrics or {}).items())),
                            separators=(",", ":"),
                            ensure_ascii=False,
                        ),
                    )
                )
                changes.append((hexdigest(canonical.encode()), pk))
                if len(changes) >= CHUNK:
                    cursor.executemany(f"UPDATE {table} SET digest = %s WHERE id = %s", changes)
                    changes = []
            if changes:
                cursor.executemany(f"UPDATE {table} SET digest = %s WHERE id = %s", changes)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0008_channel_months"),
    ]

    operations = [
        migrations.RunPython(_rehash(xxh3_128_hexdigest), _rehash(_md5), elidable=False),
    ]

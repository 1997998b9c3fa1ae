"""Posts load a million at a time; three pieces of per-row bookkeeping go (bench/RESULTS.md,
"Imports"): SQLite's AUTOINCREMENT (the key becomes the plain rowid: ``RowIdField``), the
B-tree index on the import a post came from (a BRIN index on PostgreSQL:
``AppendOrderIndex``), and PostgreSQL's key sequence handing out one key per call (it now
hands this connection a thousand at a time; keys may skip numbers, nothing relies on them
being dense)."""

import django.db.models.deletion
from django.db import migrations, models

import converge.core.schema


def _key_cache(size: int):  # type: ignore[no-untyped-def]
    def run(apps, schema_editor):  # type: ignore[no-untyped-def]
        if schema_editor.connection.vendor == "postgresql":
            table = schema_editor.quote_name("measurement_post")
            schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN id SET CACHE {size}")

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("measurement", "0009_post_digest_xxh3"),
    ]

    operations = [
        migrations.AlterField(
            model_name="post",
            name="id",
            field=converge.core.schema.RowIdField(primary_key=True, serialize=False),
        ),
        migrations.AlterField(
            model_name="post",
            name="source_import",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="posts",
                to="measurement.import",
            ),
        ),
        migrations.AddIndex(
            model_name="post",
            index=converge.core.schema.AppendOrderIndex(
                fields=["source_import"], name="post_source_import"
            ),
        ),
        migrations.RunPython(_key_cache(1000), _key_cache(1)),
    ]

"""On the embedded default (a SQLite file in WAL mode) a committed import's log is copied into
the database by a helper thread right after the commit, not by the commit itself: in a fresh
process on a file database, the posts are there, the connection's automatic checkpoint is
back at SQLite's default, and once the helper has run the whole log is in the database."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.fresh import run_fresh
from tests.measurement.test_import_posts import FILE

SCRIPT = """
import json, os, threading, django
os.environ["DJANGO_SETTINGS_MODULE"] = "converge.settings"
django.setup()
from pathlib import Path
from django.core.management import call_command
from django.db import connection
from converge.core.models import Membership, Role, User, Workspace
from converge.measurement import services
from converge.measurement.models import Post
call_command("migrate", verbosity=0)
user = User.objects.create_user(email="lead@example.com", password="x")
ws = Workspace.objects.create(name="Acme", slug="acme")
Membership.objects.create(workspace=ws, user=user, role=Role.OWNER)
services.channel_save(actor=user, workspace=ws, platform="x", handle="rOpenSci")
path = Path(os.environ["THE_FILE"])
with path.open("rb") as handle:
    record, _plan = services.import_check(actor=user, workspace=ws, data=handle, filename=path.name)
services.import_commit(actor=user, record=record, inline=True)
helpers = [t for t in threading.enumerate() if t.name == "converge-checkpoint"]
for t in helpers:
    t.join()
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    mode = cursor.fetchone()[0]
    cursor.execute("PRAGMA wal_autocheckpoint")
    automatic = cursor.fetchone()[0]
    cursor.execute("PRAGMA wal_checkpoint(PASSIVE)")
    _busy, log, done = cursor.fetchone()
print(json.dumps({"mode": mode, "automatic": automatic, "helpers": len(helpers),
                  "posts": Post.objects.count(), "new": record.new, "log": log, "done": done}))
"""


@pytest.mark.skipif(not FILE.is_file(), reason=f"{FILE} is not present")
@pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="the SQLite default only")
def test_a_committed_import_leaves_the_checkpoint_to_a_helper_thread(tmp_path: Path) -> None:
    found = run_fresh(
        SCRIPT,
        SQLITE_PATH=str(tmp_path / "converge.sqlite3"),
        CONVERGE_VAR_DIR=str(tmp_path),
        CONVERGE_TASKS="immediate",
        THE_FILE=str(FILE),
    )
    assert found["mode"] == "wal" and found["helpers"] == 1
    assert found["automatic"] == 1000
    assert found["posts"] == found["new"] > 30
    assert found["log"] == found["done"]  # nothing left in the log to copy

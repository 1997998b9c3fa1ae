"""English and Swedish: a complete Swedish catalogue, the switcher, the workspace default."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.test import Client

from tests.conftest import World

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "converge" / "locale" / "sv" / "LC_MESSAGES" / "django.po"


def test_every_string_in_the_code_has_a_swedish_translation(tmp_path: Path) -> None:
    """Extract the messages afresh from a copy of the code and check each is translated."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed (apt-get install gettext)")
    shutil.copytree(
        ROOT / "converge",
        tmp_path / "converge",
        ignore=shutil.ignore_patterns("__pycache__", "*.mo"),
    )
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {
        **os.environ,
        "DEBUG": "1",
        "PYTHONPATH": str(tmp_path),
        "CONVERGE_VAR_DIR": str(tmp_path / "var"),
    }
    env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "sv", "--no-location", "--no-obsolete"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )
    catalogue = polib.pofile(
        str(tmp_path / "converge" / "locale" / "sv" / "LC_MESSAGES" / "django.po")
    )
    untranslated = [e.msgid for e in catalogue.untranslated_entries()]
    fuzzy = [e.msgid for e in catalogue.fuzzy_entries()]
    assert not untranslated, f"{len(untranslated)} strings lack Swedish, e.g. {untranslated[:5]}"
    assert not fuzzy, f"fuzzy (unchecked) Swedish: {fuzzy[:5]}"


def test_the_committed_catalogue_keeps_every_placeholder() -> None:
    for entry in polib.pofile(str(PO)).translated_entries():
        for token in ("%(", "{{"):
            assert entry.msgid.count(token) == entry.msgstr.count(token) or entry.msgid_plural, (
                entry.msgid
            )


def test_the_language_switcher_turns_the_page_swedish(world: World, signed_in) -> None:
    client: Client = signed_in(world.lead)
    assert "Departments" in client.get("/w/acme/").content.decode()
    client.post("/i18n/setlang/", {"language": "sv", "next": "/w/acme/"})
    page = client.get("/w/acme/").content.decode()
    assert 'lang="sv"' in page and "Avdelningar" in page


def test_the_workspace_default_language_is_honoured_until_someone_switches(
    world: World, signed_in
) -> None:
    world.workspace.default_language = "sv"
    world.workspace.save()
    client: Client = signed_in(world.lead)
    assert 'lang="sv"' in client.get("/w/acme/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/w/acme/"})
    assert 'lang="en"' in client.get("/w/acme/").content.decode()


def test_dates_are_formatted_per_locale(world: World, signed_in) -> None:
    client: Client = signed_in(world.lead)
    from converge.core import services

    services.grants_set(actor=world.lead, department=world.department, capabilities=["share_wins"])
    english = client.get("/w/acme/audit/").content.decode()
    client.post("/i18n/setlang/", {"language": "sv", "next": "/"})
    swedish = client.get("/w/acme/audit/").content.decode()
    import re

    assert re.search(r"\d{2}/\d{2}/\d{4}", english)  # 11/28/2026
    assert re.search(r"\d{4}-\d{2}-\d{2}", swedish)  # 2026-11-28

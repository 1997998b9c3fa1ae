"""Operations: health check, settings from the environment, the admin for superusers only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from django.test import Client

from tests.conftest import World
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_checks_the_database(db: None) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def _settings_in_a_fresh_process(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='converge.settings'; django.setup(); from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])",
        ],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_settings_refuse_to_start_without_a_secret_key() -> None:
    result = _settings_in_a_fresh_process({"DEBUG": "0"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_database_url_selects_postgresql() -> None:
    result = _settings_in_a_fresh_process(
        {"SECRET_KEY": "x" * 50, "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/converge"}
    )
    assert result.returncode == 0, result.stderr
    assert "postgresql" in result.stdout


def test_the_admin_is_for_superusers_only(world: World, signed_in) -> None:
    world.lead.is_staff = True
    world.lead.save()
    assert signed_in(world.lead).get("/admin/").status_code == 302
    boss = UserFactory(is_staff=True, is_superuser=True)
    assert signed_in(boss).get("/admin/").status_code == 200


def test_unfinished_areas_say_honestly_that_they_are_not_available_yet(
    world: World, signed_in
) -> None:
    client = signed_in(world.member)
    for area in [
        "collaboration",
    ]:
        response = client.get(f"/w/acme/{area}/")
        assert response.status_code == 200
        assert "Not available yet" in response.content.decode()

"""Run a script in a fresh Python process with Converge's settings, on the embedded SQLite
default, for what a test process cannot show any more (its first request, its database's
file): the script prints one JSON object on its last line, which is returned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def run_fresh(script: str, timeout: int = 120, **env: str) -> dict[str, Any]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    clean |= {"DEBUG": "1", **env}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return found

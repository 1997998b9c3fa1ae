"""Rebuild every workspace's daily totals from its observations (they are derived data; the
services keep them up to date, so this is for repairs after writing to the database by hand)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from converge.core.models import Workspace
from converge.measurement import services


class Command(BaseCommand):
    help = "Rebuild the daily totals of every workspace (or of --workspace SLUG)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workspace", help="the slug of one workspace")

    def handle(self, *args: Any, **options: Any) -> None:
        workspaces = Workspace.objects.order_by("slug")
        if options["workspace"]:
            workspaces = workspaces.filter(slug=options["workspace"])
        for workspace in workspaces:
            services.daily_totals_refresh(workspace=workspace)
            self.stdout.write(f"{workspace.slug}: daily totals rebuilt")

"""``python manage.py converge_import FILE --workspace SLUG [--channel HANDLE] [--dry-run]``"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

from converge.core.errors import ConvergeError
from converge.core.heap import settle
from converge.core.models import Membership, Role, Workspace
from converge.measurement import services
from converge.measurement.models import Channel


class Command(BaseCommand):
    help = (
        "Check and import a platform export or a generic CSV into a workspace. Prints the counts "
        "(new, changed, unchanged, rejected); exits with status 1 and the reasons when the file "
        "is rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--workspace", required=True, help="The workspace's slug.")
        parser.add_argument("--channel", help="The channel's handle, if the file does not say.")
        parser.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        parser.add_argument(
            "--as", dest="as_email", help="The person recorded as importing (default: an owner)."
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="No progress bar (e.g. in scripts)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        settle()  # a million rows make many objects: the collector's passes skip Django's
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace has the slug {options['workspace']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        members = Membership.objects.filter(workspace=workspace).select_related("user")
        member = (
            members.filter(user__email__iexact=options["as_email"]).first()
            if options["as_email"]
            else members.filter(role=Role.OWNER).first()
        )
        if member is None:
            raise CommandError("No such member to import as.")
        channel = None
        if options["channel"]:
            handle = options["channel"].lstrip("@")
            channel = Channel.objects.filter(
                workspace=workspace, handle__in=[handle, f"@{handle}"]
            ).first()
            if channel is None:
                raise CommandError(f"No channel has the handle {options['channel']!r}.")
        bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=Console(file=sys.stderr),
            disable=options["no_progress"],
            transient=True,
        )
        size = path.stat().st_size
        with bar, path.open("rb") as handle_in:
            task = bar.add_task("Checking", total=size)
            try:
                record, plan = services.import_check(
                    actor=member.user,
                    workspace=workspace,
                    data=handle_in,
                    filename=path.name,
                    channel=channel,
                    on_progress=lambda done: bar.update(task, completed=done),
                )
            except ConvergeError as exc:
                raise CommandError(exc.message) from exc
            bar.update(task, completed=size)
        counts = (
            f"format {record.format}: {record.new} new, {record.changed} changed, "
            f"{record.unchanged} unchanged, {record.rejected} rejected"
        )
        if record.rejected:
            for o in plan.outcomes:
                if o.kind == "rejected":
                    column = f" [{o.column}]" if o.column else ""
                    self.stderr.write(f"line {o.line}{column}: {o.reason}")
            if record.rejected > len(record.problems):
                self.stderr.write(f"… and {record.rejected - len(record.problems)} more.")
            raise CommandError(f"Rejected, nothing imported ({counts}).")
        if options["dry_run"]:
            self.stdout.write(f"Checked, nothing written ({counts}).")
            return
        try:
            record = services.import_commit(actor=member.user, record=record, inline=True)
        except ConvergeError as exc:
            raise CommandError(exc.message) from exc
        counts = (
            f"format {record.format}: {record.new} new, {record.changed} changed, "
            f"{record.unchanged} unchanged, {record.rejected} rejected"
        )
        self.stdout.write(self.style.SUCCESS(f"Imported ({counts})."))

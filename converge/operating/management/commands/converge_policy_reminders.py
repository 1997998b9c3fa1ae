"""``python manage.py converge_policy_reminders``: remind, by e-mail and once per person and
version, everyone who has not yet acknowledged a policy or playbook they were asked to."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from converge.core.models import Workspace
from converge.operating import services


class Command(BaseCommand):
    help = (
        "E-mail a reminder to everyone who has not acknowledged the current version of a policy "
        "they were asked to acknowledge. Each person gets one reminder per version, however "
        "often this runs (run it daily, e.g. from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Remind only when the request is at least this many days old "
            "(default: CONVERGE_POLICY_REMINDER_DAYS, 7).",
        )
        parser.add_argument("--workspace", help="Only this workspace (its slug).")
        parser.add_argument(
            "--base-url", default="", help="The site's address, for links in the e-mails."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        workspace = None
        if options["workspace"]:
            workspace = Workspace.objects.filter(slug=options["workspace"]).first()
            if workspace is None:
                raise CommandError(f"No workspace has the slug {options['workspace']!r}.")
        sent = services.policy_reminders_send(
            after_days=options["days"], workspace=workspace, base_url=options["base_url"]
        )
        self.stdout.write(f"{sent} reminder(s) sent.")

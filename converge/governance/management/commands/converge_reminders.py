"""``manage.py converge_reminders``: e-mail action owners whose actions are due soon or
overdue (each reminder once), and keep every committee's next meetings scheduled. Run it daily
from cron; ``--enqueue`` hands the work to the task backend instead of doing it here."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from converge.governance import services


class Command(BaseCommand):
    help = "Send governance reminders (each once) and schedule upcoming meetings."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Enqueue the work as background tasks rather than run it now.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from converge.governance.tasks import schedule_meetings, send_reminders

            schedule_meetings.enqueue()
            send_reminders.enqueue()
            self.stdout.write("Enqueued the reminders and the scheduling.")
            return
        scheduled = services.meetings_materialise_all()
        sent = services.reminders_send()
        self.stdout.write(f"{scheduled} meetings scheduled, {sent} reminders sent.")

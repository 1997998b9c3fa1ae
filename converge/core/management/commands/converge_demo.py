"""``python manage.py converge_demo``: create or refresh the demo workspace (idempotent)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from converge.core.demo import DEMO_PASSWORD, PEOPLE, build_demo


class Command(BaseCommand):
    help = "Create or refresh the demo workspace “Nordvik Outdoor AB” (slug nordvik)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even when DEBUG is off (the demo passwords are public: never in production).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "converge_demo refuses to run with DEBUG off: the demo people's passwords are "
                "public. Use --force if you really mean it (never on a production database)."
            )
        workspace = build_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo workspace ready: {workspace.name} (/w/{workspace.slug}/)")
        )
        self.stdout.write(f"Every demo person's password is: {DEMO_PASSWORD}")
        for person in PEOPLE:
            self.stdout.write(
                f"  {person.email:<28} {person.role:<10} {person.name}, {person.title}"
            )

"""``python manage.py converge_token EMAIL --workspace SLUG``: print a new personal API token."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from converge.core import services
from converge.core.errors import ConvergeError
from converge.core.models import User, Workspace


class Command(BaseCommand):
    help = "Create a personal API token for a member of a workspace and print it (shown once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The e-mail address of the person the token acts as.")
        parser.add_argument("--workspace", required=True, help="The slug of the workspace.")
        parser.add_argument("--name", default="Command line", help="A name for the token.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email__iexact=options["email"].strip()).first()
        if user is None:
            raise CommandError(f"No account has the e-mail address {options['email']!r}.")
        workspace = Workspace.objects.filter(slug=options["workspace"]).first()
        if workspace is None:
            raise CommandError(f"No workspace has the slug {options['workspace']!r}.")
        try:
            issued = services.api_token_create(
                actor=user, workspace=workspace, name=options["name"]
            )
        except ConvergeError as exc:
            raise CommandError(
                f"{user.email} is not a member of {workspace.slug}: {exc.message}"
            ) from exc
        self.stdout.write(issued.secret)

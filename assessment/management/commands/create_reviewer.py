"""Create a reviewer account, or reset an existing one: `manage.py create_reviewer`.

Interactive by default; scripted with --username, --email and --password (or the
REVIEWER_PASSWORD environment variable, which keeps the password out of shell history).
"""

import getpass
import os

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.roles import REVIEWERS_GROUP
from assessment.services.accounts import create_reviewer


class Command(BaseCommand):
    help = f"Create (or reset) a reviewer account in the “{REVIEWERS_GROUP}” group."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username")
        parser.add_argument("--email")
        parser.add_argument("--password", help="Prefer the REVIEWER_PASSWORD environment variable.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Never prompt."
        )

    def handle(self, *args: object, **options: object) -> None:
        interactive = bool(options["interactive"])
        username = options["username"] or self._ask("Username", interactive)
        email = options["email"]
        if email is None:
            email = self._ask("Email (for new-submission emails, may be empty)", interactive, "")
        password = options["password"] or os.environ.get("REVIEWER_PASSWORD")
        if not password:
            if not interactive:
                raise CommandError("Give --password or set REVIEWER_PASSWORD.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The passwords do not match.")
        try:
            user, created = create_reviewer(
                username=str(username), email=str(email), password=str(password)
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        verb = "Created" if created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(f"{verb} reviewer {user.get_username()} in “{REVIEWERS_GROUP}”.")
        )

    def _ask(self, prompt: str, interactive: bool, default: str | None = None) -> str:
        if not interactive:
            if default is not None:
                return default
            raise CommandError(f"{prompt} is required with --no-input.")
        value = input(f"{prompt}: ").strip()
        if not value and default is None:
            raise CommandError(f"{prompt} is required.")
        return value

"""An administrator removes an account's second factor (a lost phone without recovery codes)."""

from __future__ import annotations

import logging

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.services import second_factor

logger = logging.getLogger("assessment.security")


class Command(BaseCommand):
    help = (
        "Remove USERNAME's authenticator app and recovery codes and sign the account out "
        "everywhere: the next sign-in sets up a new authenticator app."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: object, **options: object) -> None:
        username = str(options["username"])
        try:
            user = get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No account named {username!r}.") from None
        removed = second_factor.reset(user)
        # Who lost their second factor, and when, stays in the logs for the security team.
        logger.warning(
            "Second factor reset by an administrator for %s (user id %s): %d devices removed",
            username,
            user.pk,
            removed,
        )
        self.stdout.write(
            f"Second factor reset for {username}: {removed} device(s) removed, signed out "
            "everywhere. They set up a new authenticator app when they next sign in."
        )

"""The base of the commands that take a questionnaire `--version` (questionnaire, reassess)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from assessment.questionnaire import CURRENT_VERSION


class VersionedCommand(BaseCommand):
    """`--version` names a questionnaire version (the current one by default). Django's own
    --version (print Django's version) would clash with it, so it is left out: nobody needs
    Django's version from these commands."""

    def add_base_argument(self, parser: Any, *args: Any, **kwargs: Any) -> None:
        if "--version" not in args:
            super().add_base_argument(parser, *args, **kwargs)

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--version",
            default=CURRENT_VERSION,
            help=f"questionnaire version (default: the current one, {CURRENT_VERSION})",
        )

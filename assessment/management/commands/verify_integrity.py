"""`manage.py verify_integrity [--checkpoint FILE]`: walk every seal and the whole hash chain.

Exits 0 on an intact database, non-zero naming the first broken entry (and listing the others).
Each run is recorded: the reviewers' dashboard shows the time and result of the last one.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.services import integrity

SHOWN = 50


class Command(BaseCommand):
    help = "Verify every record's seal and the whole hash chain; non-zero on the first break."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--checkpoint",
            type=Path,
            help="Also prove the chain still extends this exported checkpoint (JSON file).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        document = None
        if options["checkpoint"]:
            try:
                document = json.loads(options["checkpoint"].read_text())
            except (OSError, ValueError) as error:
                raise CommandError(f"Cannot read the checkpoint file: {error}") from None
        report, _ = integrity.run_full_check()
        problems = [str(problem) for problem in report.problems]
        if document is not None:
            found = integrity.document_problems(document)
            problems += [f"checkpoint file {options['checkpoint']}: {what}" for what in found]
        self.stdout.write(
            f"Checked {report.records:,} record seals and {report.entries:,} chain entries."
        )
        if problems:
            for line in problems[:SHOWN]:
                self.stderr.write(f"  {line}")
            if len(problems) > SHOWN:
                self.stderr.write(f"  … and {len(problems) - SHOWN:,} more")
            raise CommandError(f"Integrity check FAILED at {problems[0]}")
        if document is not None:
            self.stdout.write(
                f"The chain extends the checkpoint of {document['created_at']} "
                f"({document['length']:,} entries)."
            )
        self.stdout.write(self.style.SUCCESS("Integrity check passed: every seal and link holds."))

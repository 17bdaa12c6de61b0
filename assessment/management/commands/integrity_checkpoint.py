"""`manage.py integrity_checkpoint [--output FILE] [--latest]`: sign the chain's state.

Stores a checkpoint (chain length + head hash, HMAC-signed with the current seal key, whose id
it names) and prints it as JSON, or writes it to FILE: the file an auditor keeps, to run
`verify_integrity --checkpoint FILE` against later. Task workers store one a day by themselves;
run this from cron where there are none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.models import Checkpoint
from assessment.services import integrity


class Command(BaseCommand):
    help = "Store a signed checkpoint of the hash chain and export it as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", type=Path, help="Write the JSON here (default: stdout).")
        parser.add_argument(
            "--latest", action="store_true", help="Export the latest stored one; sign nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["latest"]:
            checkpoint = Checkpoint.objects.first()
            if checkpoint is None:
                raise CommandError("No checkpoint is stored yet.")
        else:
            checkpoint = integrity.make_checkpoint()
        text = json.dumps(integrity.checkpoint_document(checkpoint), indent=2) + "\n"
        if options["output"]:
            options["output"].write_text(text)
            self.stderr.write(
                f"Checkpoint of {checkpoint.length:,} entries written to {options['output']}."
            )
        else:
            self.stdout.write(text, ending="")

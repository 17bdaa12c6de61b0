"""`manage.py rebuild_record_counts`: recompute the queue's stored counts from the records.

The database keeps them right by itself (triggers, migration 0015); run this after restoring an
old backup taken without them, or to check them: `--check` only compares and exits non-zero,
naming each state whose stored count differs from the records.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.services import counts


class Command(BaseCommand):
    help = "Recompute the stored counts of records per status and outcome (or --check them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Compare only; exit 1 if they differ."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            stored, counted = counts.stored_counts(), counts.counted_counts()
            wrong = sorted(
                (state, stored.get(state, 0), counted.get(state, 0))
                for state in stored.keys() | counted.keys()
                if stored.get(state, 0) != counted.get(state, 0)
            )
            for (status, outcome, ids, decided), have, want in wrong:
                state = f"{status}/{outcome}/{ids}/{'decided' if decided else 'undecided'}"
                self.stderr.write(f"{state}: stored {have}, records {want}")
            if wrong:
                raise CommandError(f"{len(wrong)} stored counts differ from the records.")
            self.stdout.write(self.style.SUCCESS("The stored counts match the records."))
            return
        rebuilt = counts.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the counts of {sum(rebuilt.values()):,} records in {len(rebuilt)} states."
            )
        )

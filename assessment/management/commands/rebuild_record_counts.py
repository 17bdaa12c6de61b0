"""`manage.py rebuild_record_counts`: recompute the stored counts from the records and events.

The database keeps them right by itself (triggers, migrations 0015 and 0017); run this after
restoring an old backup taken without them, or to check them: `--check` only compares and exits
non-zero, naming each record state and each day's events whose stored count differs.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from assessment.services import counts


def _differences(stored: dict[Any, int], counted: dict[Any, int], what: str) -> list[str]:
    return [
        f"{what} {'/'.join(map(str, key))}: stored {stored.get(key, 0)}, "
        f"counted {counted.get(key, 0)}"
        for key in sorted(stored.keys() | counted.keys(), key=str)
        if stored.get(key, 0) != counted.get(key, 0)
    ]


class Command(BaseCommand):
    help = "Recompute the stored counts of records and review events (or --check them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Compare only; exit 1 if they differ."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["check"]:
            wrong = _differences(counts.stored_counts(), counts.counted_counts(), "records")
            wrong += _differences(counts.stored_days(), counts.counted_days(), "events")
            wrong += _differences(
                counts.stored_submission_days(), counts.counted_submission_days(), "submitted"
            )
            for line in wrong:
                self.stderr.write(line)
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

"""Fill the database with realistic demo assessments: `manage.py seed_demo --assessments N`."""

import time

from django.core.management.base import BaseCommand, CommandParser

from assessment.demo.seed import seed_assessments


class Command(BaseCommand):
    help = "Create N realistic submitted assessments across every outcome and status, with events."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--assessments", type=int, default=200, help="How many (default 200).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--days", type=int, default=180, help="Spread submissions over this many days."
        )

    def handle(self, *args: object, **options: int) -> None:
        count = options["assessments"]
        started = time.perf_counter()

        def progress(done: int) -> None:
            if options["verbosity"] > 1 or done == count or done % 10_000 == 0:
                self.stdout.write(f"  {done:,} / {count:,}")

        seed_assessments(count=count, seed=options["seed"], days=options["days"], progress=progress)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Created {count:,} demo assessments in {elapsed:.1f} s.")
        )

"""`manage.py purge_drafts [--days N] [--dry-run]`: delete drafts never submitted.

Run it daily (cron, a systemd timer or the platform's scheduler). Records are never purged.
"""

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessment.services.retention import purge_drafts, stale_drafts


class Command(BaseCommand):
    help = "Delete drafts that were never submitted and have not changed for N days."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=settings.ASSESSMENT_DRAFT_RETENTION_DAYS,
            help="Age in days since the last change (default: ASSESSMENT_DRAFT_RETENTION_DAYS, "
            "%(default)s).",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only count what would be deleted."
        )

    def handle(self, *args: Any, days: int, dry_run: bool, **options: Any) -> None:
        if days < 1:
            raise CommandError("--days must be at least 1.")
        if dry_run:
            count = stale_drafts(older_than_days=days).count()
            self.stdout.write(
                f"{count} unsubmitted draft(s) older than {days} days would be deleted."
            )
            return
        count = purge_drafts(older_than_days=days)
        self.stdout.write(f"Deleted {count} unsubmitted draft(s) older than {days} days.")

"""`manage.py purge_exports`: delete ZIP exports past ASSESSMENT_EXPORT_RETENTION_HOURS.

Each finished export also purges the expired ones; run this from cron too, so exports expire
on a quiet day."""

from typing import Any

from django.core.management.base import BaseCommand

from assessment.background.exports import purge_expired


class Command(BaseCommand):
    help = "Delete expired ZIP exports."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"Deleted {purge_expired()} expired export(s).")

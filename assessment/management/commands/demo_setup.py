"""What `make run` needs: a demo reviewer and demo assessments, on a development machine only.

Idempotent: the reviewer is (re)set to the demo password; assessments are seeded only into an
empty database.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from assessment.demo.seed import seed_assessments
from assessment.models import Record
from assessment.services.accounts import create_reviewer

DEMO_USERNAME = "reviewer"
DEMO_PASSWORD = "reviewer-demo"  # noqa: S105 - a published demo password, DEBUG only
# A second demo account that may approve the first one's decisions (four eyes).
DEMO_APPROVER = "approver"
DEMO_APPROVER_PASSWORD = "approver-demo"  # noqa: S105 - a published demo password, DEBUG only
DEMO_ASSESSMENTS = 40


class Command(BaseCommand):
    help = (
        "DEBUG only: create the demo reviewer and approver, and seed demo assessments into an "
        "empty database."
    )

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            self.stdout.write(
                "DEBUG is off: no demo reviewer or demo data created. "
                "Create reviewers with `manage.py create_reviewer`."
            )
            return
        # The demo password is known to everyone: only ever on a development machine.
        create_reviewer(
            username=DEMO_USERNAME,
            email="reviewer@example.com",
            password=DEMO_PASSWORD,
            validate=False,
        )
        create_reviewer(
            username=DEMO_APPROVER,
            email="approver@example.com",
            password=DEMO_APPROVER_PASSWORD,
            validate=False,
            approver=True,
        )
        if not Record.objects.exists():
            seed_assessments(count=DEMO_ASSESSMENTS)
            self.stdout.write(f"Seeded {DEMO_ASSESSMENTS} demo assessments.")
        base = settings.ASSESSMENT_PUBLIC_URL
        self.stdout.write(
            self.style.SUCCESS(
                "\nReviewer dashboard: "
                f"{base}{reverse('review:queue')}\n"
                f"  sign in at {base}{reverse('login')} as {DEMO_USERNAME} / {DEMO_PASSWORD}\n"
                f"  (approves decisions: {DEMO_APPROVER} / {DEMO_APPROVER_PASSWORD})\n"
                "  The first sign-in of each sets up its second factor: add it to an "
                "authenticator app\n  (scan the QR code, or type the key shown), enter the code, "
                "keep the recovery codes.\n"
                "  No authenticator app at hand? `oathtool --totp -b 'KEY'` "
                "(Debian package oathtool) prints the code for the key shown.\n"
                f"Respondents start at {base}{reverse('home')}\n"
            )
        )

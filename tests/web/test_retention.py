"""Retention: unsubmitted drafts are purged after N days; records and their trails never."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from assessment.models import Draft, Event, Record
from assessment.services.retention import purge_drafts
from tests.factories import answers_for, make_draft, make_record

pytestmark = pytest.mark.django_db


def age(draft: Draft, *, days: float) -> None:
    """Last changed `days` ago, and created a minute before that: created_at and updated_at
    are automatic, so only a queryset update can move them into the past."""
    changed = timezone.now() - timedelta(days=days)
    Draft.objects.filter(pk=draft.pk).update(
        created_at=changed - timedelta(minutes=1), updated_at=changed
    )


def test_purge_deletes_unsubmitted_drafts_untouched_for_longer_than_the_retention():
    stale = make_draft()
    age(stale, days=31)
    assert purge_drafts(older_than_days=30) == 1
    assert not Draft.objects.filter(pk=stale.pk).exists()


def test_purge_keeps_drafts_changed_within_the_retention():
    recent = make_draft(answers=answers_for("permitted"))
    age(recent, days=29)
    fresh = make_draft()
    assert purge_drafts(older_than_days=30) == 0
    assert Draft.objects.filter(pk__in=[recent.pk, fresh.pk]).count() == 2


def test_purge_never_touches_submitted_drafts_records_or_their_trails():
    record = make_record(kind="prohibited")
    age(record.draft, days=400)
    events_before = Event.objects.filter(record=record).count()
    assert purge_drafts(older_than_days=1) == 0
    assert Draft.objects.filter(pk=record.draft_id).exists()
    assert Record.objects.get(pk=record.pk).integrity_problems() == []
    assert Event.objects.filter(record=record).count() == events_before >= 1


def test_purge_counts_from_the_given_now():
    draft = make_draft()
    later = timezone.now() + timedelta(days=10)
    assert purge_drafts(older_than_days=10, now=later - timedelta(minutes=1)) == 0
    assert purge_drafts(older_than_days=10, now=later + timedelta(minutes=1)) == 1
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_purge_refuses_a_retention_under_one_day():
    make_draft()
    with pytest.raises(ValueError):
        purge_drafts(older_than_days=0)
    assert Draft.objects.count() == 1


def test_command_dry_run_reports_without_deleting():
    age(make_draft(), days=45)
    out = StringIO()
    call_command("purge_drafts", "--days", "30", "--dry-run", stdout=out)
    assert "1 unsubmitted draft(s)" in out.getvalue()
    assert Draft.objects.count() == 1


@override_settings(ASSESSMENT_DRAFT_RETENTION_DAYS=7)
def test_command_defaults_to_the_configured_retention():
    # The default is read when the parser is built, i.e. from the settings of this call.
    stale, kept = make_draft(), make_draft()
    age(stale, days=8)
    age(kept, days=6)
    out = StringIO()
    call_command("purge_drafts", stdout=out)
    assert "Deleted 1 unsubmitted draft(s) older than 7 days" in out.getvalue()
    assert list(Draft.objects.values_list("pk", flat=True)) == [kept.pk]


def test_command_refuses_zero_days():
    with pytest.raises(CommandError):
        call_command("purge_drafts", "--days", "0")

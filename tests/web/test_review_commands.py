"""Management commands: seed_demo, create_reviewer, demo_setup; and the read-only admin."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessment.models import Event, EventAction, Record, Status
from assessment.roles import REVIEWERS_GROUP
from assessment.services import integrity

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_valid_records_across_every_outcome_and_status():
    out = StringIO()
    call_command("seed_demo", "--assessments", "150", stdout=out)
    assert "Created 150 demo assessments" in out.getvalue()
    assert Record.objects.count() == 150
    assert set(Record.objects.values_list("outcome", flat=True)) == {
        "permitted",
        "review",
        "prohibited",
    }
    assert set(Record.objects.values_list("status", flat=True)) == set(Status.values)
    for record in Record.objects.all()[:40]:
        assert record.integrity_problems() == []
        trail = list(record.events.order_by("created_at", "pk"))
        assert trail[0].action == EventAction.SUBMITTED
        assert trail[-1].to_status == record.status
        assert record.revision == len(trail) - 1
        assert all(e.record_sha256 == record.sha256 for e in trail)
        times = [e.created_at for e in trail]
        assert times == sorted(times)
    # Sealed with the key and chained in bulk: the whole database verifies.
    report = integrity.verify_all()
    assert report.ok, report.problems[:3]
    assert report.entries == Event.objects.count()
    assert Event.objects.filter(action=EventAction.APPROVED).exists()
    # As the services would: nothing counts as permitted unless approved or automatic.
    for record in Record.objects.all():
        if record.effective_outcome == "permitted" and record.outcome != "permitted":
            assert record.approved_by is not None, record.reference
    references = list(Record.objects.order_by("submitted_at").values_list("reference", flat=True))
    assert len(set(references)) == 150


def test_create_reviewer_adds_the_account_to_the_group(monkeypatch):
    monkeypatch.setenv("REVIEWER_PASSWORD", "a long enough passphrase 7")
    call_command("create_reviewer", "--username", "nina", "--email", "n@example.com", "--no-input")
    user = get_user_model().objects.get(username="nina")
    assert user.groups.filter(name=REVIEWERS_GROUP).exists()
    assert user.has_perm("assessment.review_record")
    assert user.check_password("a long enough passphrase 7")


def test_create_reviewer_refuses_a_weak_password():
    with pytest.raises(CommandError):
        call_command(
            "create_reviewer", "--username", "w", "--email", "", "--password", "123", "--no-input"
        )


def test_demo_setup_does_nothing_without_debug(settings):
    settings.DEBUG = False
    out = StringIO()
    call_command("demo_setup", stdout=out)
    assert "DEBUG is off" in out.getvalue()
    assert not get_user_model().objects.filter(username="reviewer").exists()
    assert Record.objects.count() == 0


def test_demo_setup_is_idempotent_and_says_how_to_sign_in(settings):
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_setup", stdout=out)
    call_command("demo_setup", stdout=out)
    assert Record.objects.count() == 40
    reviewer = get_user_model().objects.get(username="reviewer")
    assert reviewer.check_password("reviewer-demo")
    assert reviewer.has_perm("assessment.review_record")
    assert "reviewer / reviewer-demo" in out.getvalue()
    assert "sets up its second factor" in out.getvalue()
    assert "/review/" in out.getvalue()


def test_the_admin_shows_records_and_events_read_only(admin_client):
    call_command("seed_demo", "--assessments", "3", stdout=StringIO())
    record = Record.objects.first()
    change = reverse("admin:assessment_record_change", args=[record.pk])
    response = admin_client.get(change)
    assert response.status_code == 200
    assert record.reference in response.content.decode()
    # The trail inline offers no new event and no deletion either.
    inline = response.context["inline_admin_formsets"][0]
    assert not inline.has_add_permission and not inline.has_delete_permission
    assert admin_client.post(change, {"status": "closed"}).status_code == 403
    assert admin_client.get(reverse("admin:assessment_record_add")).status_code == 403
    assert admin_client.get(reverse("admin:assessment_event_add")).status_code == 403
    delete = reverse("admin:assessment_record_delete", args=[record.pk])
    assert admin_client.get(delete).status_code == 403
    assert admin_client.get(reverse("admin:assessment_draft_changelist")).status_code == 200
    record.refresh_from_db()
    assert record.status != "closed" or record.events.filter(action="closed").exists()

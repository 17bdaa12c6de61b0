"""Emails: reviewers hear of new submissions; respondents of decisions and questions."""

import pytest
from django.core import mail
from django.urls import reverse

from assessment import notifications
from assessment.models import Delivery
from assessment.services import review
from tests.factories import make_draft, make_record
from tests.review_support import make_outsider, make_reviewer

pytestmark = pytest.mark.django_db


def test_a_new_submission_emails_reviewers_and_the_configured_addresses(
    settings, django_capture_on_commit_callbacks
):
    settings.ASSESSMENT_REVIEWER_EMAILS = ["compliance@example.com", "rita@example.com"]
    make_reviewer("rita", "rita@example.com")
    make_reviewer("nomail", "")
    make_outsider()
    from assessment.services.submission import submit
    from tests.factories import answers_for

    draft = make_draft(answers=answers_for("prohibited"))
    with django_capture_on_commit_callbacks(execute=True):
        record = submit(draft=draft)
    # One email per reviewer: no reviewer sees the others' addresses.
    assert [m.to for m in mail.outbox] == [["rita@example.com"], ["compliance@example.com"]]
    for message in mail.outbox:
        assert record.reference in message.subject
        assert "Prohibited" in message.subject
        link = settings.ASSESSMENT_PUBLIC_URL + reverse("review:record", args=[record.reference])
        assert link in message.body
        # No personal data: the respondent's name and email stay behind the sign-in.
        assert record.respondent_name not in message.body
        assert record.respondent_email not in message.body
        assert record.token not in message.body


def test_a_decision_emails_the_respondent_their_private_link(django_capture_on_commit_callbacks):
    record = make_record(kind="review")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.decide(
            record=record,
            user=make_reviewer(),
            expected_revision=0,
            outcome="prohibited",
            note="Internal notes stay internal.",
            audience="internal",
        )
    [message] = mail.outbox
    assert message.to == [record.respondent_email]
    assert "Decision: Prohibited" in message.body
    assert "Do not train the model as described." in message.body
    private = reverse("result", args=[record.token])
    assert f"http://127.0.0.1:8000{private}" in message.body or private in message.body
    assert "Internal notes stay internal." not in message.body


def test_an_information_request_emails_the_respondent(django_capture_on_commit_callbacks):
    record = make_record(kind="review")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.request_information(
            record=record, user=make_reviewer(), expected_revision=0, message="Which languages?"
        )
    [message] = mail.outbox
    assert message.to == [record.respondent_email]
    assert record.reference in message.subject
    assert reverse("result", args=[record.token]) in message.body


def test_assigning_yourself_sends_no_email_and_closing_tells_only_the_respondent(
    django_capture_on_commit_callbacks,
):
    record = make_record(kind="review")
    rita = make_reviewer()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.assign_to_me(record=record, user=rita, expected_revision=0)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        review.close(
            record=record,
            user=rita,
            expected_revision=1,
            reason="Internal: duplicate of AS-2026-00001.",
            ending="withdrawn",
        )
    [message] = mail.outbox
    assert message.to == [record.respondent_email]
    assert "Withdrawn by the respondent" in message.body
    assert "duplicate" not in message.body  # the reason was internal


def test_a_failing_mail_server_does_not_break_the_action(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    record = make_record(kind="review")

    def broken(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr("assessment.background.outbox.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        notifications.decision_made(record.pk)  # does not raise: the task retries, then fails

    delivery = Delivery.objects.get(reference=record.reference)
    assert delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 3  # the first try and two retries (ASSESSMENT_TASK_RETRY_DELAYS)
    assert delivery.last_error == "OSError: connection refused"
    assert record.respondent_email not in caplog.text


def test_emails_to_several_reviewers_go_out_one_per_reviewer(
    settings, django_capture_on_commit_callbacks
):
    """New submission, a decision awaiting approval, a reply on an unassigned case: each
    reviewer gets an email of their own, addressed to them alone."""
    from tests.review_support import make_approver

    settings.ASSESSMENT_REVIEWER_EMAILS = []
    rita = make_reviewer("rita", "rita@example.com")
    make_reviewer("sam", "sam@example.com")
    make_approver("april", "april@example.com")
    make_approver("bob", "bob@example.com")
    everyone = {"rita@example.com", "sam@example.com", "april@example.com", "bob@example.com"}

    def sent(action) -> list[list[str]]:
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            action()
        for message in mail.outbox:
            assert not message.cc and not message.bcc
            assert set(message.recipients()) == set(message.to)
        return [message.to for message in mail.outbox]

    from assessment.services.submission import submit
    from tests.factories import answers_for

    draft = make_draft(answers=answers_for("review"))
    made = {}
    to = sent(lambda: made.setdefault("record", submit(draft=draft)))
    assert sorted(to) == sorted([address] for address in everyone)
    record = made["record"]

    to = sent(lambda: review.respondent_reply(record=record, message="One more thing."))
    assert sorted(to) == sorted([address] for address in everyone)

    to = sent(
        lambda: review.decide(
            record=record, user=rita, expected_revision=record.revision, outcome="permitted"
        )
    )
    assert sorted(to) == [["april@example.com"], ["bob@example.com"]]

"""Reviewers' decisions: each action moves the case state, appends an event, never edits content."""

import itertools

import pytest
from django.core import mail

from assessment.models import Event, EventAction, Record, Status
from assessment.services import review
from tests.review_support import make_reviewer

pytestmark = pytest.mark.django_db


def _events(record: Record) -> list[Event]:
    return list(record.events.order_by("created_at", "pk"))


def test_assign_to_me_starts_the_review_and_records_who(record, rita):
    event = review.assign_to_me(record=record, user=rita, expected_revision=0)
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW
    assert record.assigned_to == rita
    assert record.revision == 1
    assert (event.action, event.actor, event.actor_label) == (EventAction.ASSIGNED, rita, "rita")
    assert (event.from_status, event.to_status) == (Status.NEW, Status.IN_REVIEW)


def test_confirm_decides_the_automatic_outcome_and_keeps_the_records_hash(record, rita):
    event = review.confirm(record=record, user=rita, expected_revision=0, note="Checked.")
    record.refresh_from_db()
    assert record.status == Status.DECIDED
    assert record.decided_outcome == record.outcome == "review"
    assert record.decided_at is not None
    assert event.record_sha256 == record.sha256
    assert (event.from_outcome, event.to_outcome, event.note) == ("review", "review", "Checked.")


def test_override_sets_the_new_outcome_with_its_justification(record, rita):
    event = review.override(
        record=record,
        user=rita,
        expected_revision=0,
        outcome="prohibited",
        justification="It is a general-purpose chatbot.",
    )
    record.refresh_from_db()
    assert record.decided_outcome == "prohibited"
    assert record.effective_outcome == "prohibited"
    assert record.outcome == "review"  # the automatic outcome is never rewritten
    assert event.action == EventAction.OVERRIDDEN
    assert (event.from_outcome, event.to_outcome) == ("review", "prohibited")
    assert event.note == "It is a general-purpose chatbot."


@pytest.mark.parametrize("justification", ["", "   \n "])
def test_override_without_a_justification_is_refused(record, rita, justification):
    with pytest.raises(review.InvalidInput):
        review.override(
            record=record,
            user=rita,
            expected_revision=0,
            outcome="permitted",
            justification=justification,
        )
    record.refresh_from_db()
    assert (record.status, record.revision, record.decided_outcome) == (Status.NEW, 0, None)
    assert [e.action for e in _events(record)] == [EventAction.SUBMITTED]


def test_override_to_the_current_outcome_is_refused(record, rita):
    with pytest.raises(review.InvalidInput, match="same as the current one"):
        review.override(
            record=record, user=rita, expected_revision=0, outcome="review", justification="x"
        )


def test_request_information_waits_for_the_respondent(record, rita):
    event = review.request_information(
        record=record, user=rita, expected_revision=0, message="Which languages?"
    )
    record.refresh_from_db()
    assert record.status == Status.AWAITING_RESPONDENT
    assert record.assigned_to == rita
    assert event.note == "Which languages?"


def test_request_information_needs_a_message(record, rita):
    with pytest.raises(review.InvalidInput):
        review.request_information(record=record, user=rita, expected_revision=0, message=" ")


def test_respondent_reply_resumes_the_review_and_tells_the_assignee(
    record, rita, django_capture_on_commit_callbacks
):
    review.request_information(record=record, user=rita, expected_revision=0, message="Why?")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = review.respondent_reply(record=record, message="Because.")
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW
    assert (event.actor, event.actor_label, event.note) == (None, "Respondent", "Because.")
    assert [m.to for m in mail.outbox] == [["rita@example.com"]]
    assert record.reference in mail.outbox[0].body
    assert "Because." not in mail.outbox[0].body  # the reply stays behind the sign-in


def test_respondent_reply_is_refused_when_nothing_was_asked(record):
    with pytest.raises(review.InvalidTransition):
        review.respondent_reply(record=record, message="Hello?")
    assert [e.action for e in _events(record)] == [EventAction.SUBMITTED]


def test_a_closed_record_accepts_no_further_action(record, rita):
    review.close(record=record, user=rita, expected_revision=0, note="Duplicate.")
    record.refresh_from_db()
    assert record.status == Status.CLOSED
    for act in (
        lambda: review.assign_to_me(record=record, user=rita, expected_revision=1),
        lambda: review.confirm(record=record, user=rita, expected_revision=1),
        lambda: review.override(
            record=record, user=rita, expected_revision=1, outcome="permitted", justification="x"
        ),
        lambda: review.request_information(
            record=record, user=rita, expected_revision=1, message="x"
        ),
        lambda: review.close(record=record, user=rita, expected_revision=1),
    ):
        with pytest.raises(review.InvalidTransition, match="closed"):
            act()
    assert len(_events(record)) == 2


def test_a_decided_record_cannot_be_confirmed_again_but_can_be_revised(record, rita):
    review.confirm(record=record, user=rita, expected_revision=0)
    with pytest.raises(review.InvalidTransition):
        review.confirm(record=record, user=rita, expected_revision=1)
    review.override(
        record=record, user=rita, expected_revision=1, outcome="permitted", justification="Agreed."
    )
    record.refresh_from_db()
    assert (record.status, record.decided_outcome, record.revision) == (
        Status.DECIDED,
        "permitted",
        2,
    )


def test_a_stale_revision_is_a_conflict_and_writes_nothing(record, rita):
    review.assign_to_me(record=record, user=rita, expected_revision=0)
    with pytest.raises(review.Conflict):
        review.confirm(record=record, user=rita, expected_revision=0)
    record.refresh_from_db()
    assert (record.status, record.revision) == (Status.IN_REVIEW, 1)
    assert len(_events(record)) == 2


def test_two_reviewers_acting_on_the_same_state_cannot_both_win(record, rita):
    sam = make_reviewer("sam", "sam@example.com")
    seen_by_rita = Record.objects.get(pk=record.pk)
    seen_by_sam = Record.objects.get(pk=record.pk)
    review.confirm(record=seen_by_rita, user=rita, expected_revision=seen_by_rita.revision)
    with pytest.raises(review.Conflict):
        review.override(
            record=seen_by_sam,
            user=sam,
            expected_revision=seen_by_sam.revision,
            outcome="permitted",
            justification="I disagree.",
        )
    record.refresh_from_db()
    assert record.decided_outcome == "review"
    assert [e.actor_label for e in _events(record)] == ["Respondent", "rita"]


def test_actions_never_edit_the_records_content(record, rita):
    before = Record.objects.values().get(pk=record.pk)
    review.assign_to_me(record=record, user=rita, expected_revision=0)
    review.request_information(record=record, user=rita, expected_revision=1, message="Q?")
    review.respondent_reply(record=record, message="A.")
    review.override(
        record=record, user=rita, expected_revision=3, outcome="permitted", justification="OK."
    )
    review.close(record=record, user=rita, expected_revision=4)
    after = Record.objects.values().get(pk=record.pk)
    changed = {field.removesuffix("_id") for field in before if before[field] != after[field]}
    assert changed <= Record.CASE_FIELDS
    assert Record.objects.get(pk=record.pk).integrity_problems() == []
    trail = _events(record)
    assert [e.action for e in trail] == [
        EventAction.SUBMITTED,
        EventAction.ASSIGNED,
        EventAction.INFO_REQUESTED,
        EventAction.RESPONDENT_REPLIED,
        EventAction.OVERRIDDEN,
        EventAction.CLOSED,
    ]
    assert {e.record_sha256 for e in trail} == {record.sha256}
    # Each event starts where the previous one ended.
    for previous, event in itertools.pairwise(trail):
        assert event.from_status == previous.to_status


def test_a_note_longer_than_the_limit_is_refused(record, rita):
    with pytest.raises(review.InvalidInput):
        review.confirm(record=record, user=rita, expected_revision=0, note="x" * 4001)


def test_taking_over_a_case_says_from_whom(record, rita):
    sam = make_reviewer("sam", "sam@example.com")
    review.assign_to_me(record=record, user=sam, expected_revision=0)
    event = review.assign_to_me(record=record, user=rita, expected_revision=1)
    assert event.note == "Took over from sam."
    record.refresh_from_db()
    assert record.assigned_to == rita

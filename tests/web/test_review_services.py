"""The review state model: each action moves the case state, appends an event, never edits
content; four eyes on every decision that needs them; assignment that means something."""

import itertools

import pytest
from django.core import mail

from assessment.models import Audience, Event, EventAction, Record, Status
from assessment.services import review
from tests.factories import make_record, reloaded
from tests.review_support import make_approver, make_reviewer

pytestmark = pytest.mark.django_db

JUSTIFICATION = "The signed agreement AGR-2026-7 covers this use."


@pytest.fixture
def april():
    return make_approver()


def _events(record: Record) -> list[Event]:
    return list(record.events.order_by("created_at", "pk"))


# --- Assignment ----------------------------------------------------------------------------


def test_assign_to_me_starts_the_review_and_records_who(record, rita):
    event = review.assign_to_me(record=record, user=rita, expected_revision=0)
    record.refresh_from_db()
    assert record.status == Status.IN_REVIEW
    assert record.assigned_to == rita
    assert record.revision == 1
    assert (event.action, event.actor, event.actor_label) == (EventAction.ASSIGNED, rita, "rita")
    assert (event.from_status, event.to_status) == (Status.NEW, Status.IN_REVIEW)


def test_assigning_to_another_reviewer_tells_them(record, rita, django_capture_on_commit_callbacks):
    sam = make_reviewer("sam", "sam@example.com")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.assign(record=record, user=rita, expected_revision=0, assignee=sam)
    assert reloaded(record).assigned_to == sam
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    assert record.reference in mail.outbox[0].subject


def test_reassigning_needs_a_note_and_unassigning_tells_the_assignee(
    record, rita, django_capture_on_commit_callbacks
):
    sam = make_reviewer("sam", "sam@example.com")
    tom = make_reviewer("tom", "tom@example.com")
    review.assign(record=record, user=rita, expected_revision=0, assignee=sam)
    with pytest.raises(review.InvalidInput, match="note"):
        review.assign(record=record, user=rita, expected_revision=1, assignee=tom)
    review.assign(record=record, user=rita, expected_revision=1, assignee=tom, note="Sam is away.")
    assert "Sam is away." in _events(record)[-1].note
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.unassign(record=record, user=rita, expected_revision=2)
    assert reloaded(record).assigned_to is None
    assert [m.to for m in mail.outbox] == [["tom@example.com"]]


def test_only_reviewers_can_be_assigned(record, rita):
    from tests.review_support import make_outsider

    with pytest.raises(review.InvalidInput, match="active reviewer"):
        review.assign(record=record, user=rita, expected_revision=0, assignee=make_outsider())


def test_deciding_a_record_assigned_to_someone_else_needs_a_logged_take_over(
    record, rita, django_capture_on_commit_callbacks
):
    sam = make_reviewer("sam", "sam@example.com")
    review.assign_to_me(record=record, user=sam, expected_revision=0)
    with pytest.raises(review.NotAllowed, match="assigned to sam: take it over"):
        review.decide(record=record, user=rita, expected_revision=1, outcome="prohibited")
    with pytest.raises(review.InvalidInput, match="take it over"):
        review.assign_to_me(record=record, user=rita, expected_revision=1)
    assert "decide" not in review.allowed_actions(record, rita)
    assert "take_over" in review.allowed_actions(record, rita)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = review.take_over(record=record, user=rita, expected_revision=1)
    assert event.action == EventAction.TAKEN_OVER
    assert event.note == "Took over from sam."
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    review.decide(record=record, user=rita, expected_revision=2, outcome="prohibited")
    assert reloaded(record).decided_outcome == "prohibited"


# --- Decisions and four eyes ---------------------------------------------------------------


def test_needs_review_is_never_a_decision(record, rita):
    with pytest.raises(review.InvalidTransition, match="decide permitted or prohibited"):
        review.confirm(record=record, user=rita, expected_revision=0)
    with pytest.raises(review.InvalidInput, match="permitted or prohibited"):
        review.decide(record=record, user=rita, expected_revision=0, outcome="review")
    assert "confirm" not in review.allowed_actions(record, rita)
    assert reloaded(record).decided_outcome is None


def test_deciding_prohibited_on_a_review_outcome_takes_effect_at_once(record, rita):
    event = review.decide(record=record, user=rita, expected_revision=0, outcome="prohibited")
    record.refresh_from_db()
    assert (record.status, record.decided_outcome, record.effective_outcome) == (
        Status.DECIDED,
        "prohibited",
        "prohibited",
    )
    assert record.decided_by == rita and record.approved_by is None
    assert (event.action, event.decision, event.to_outcome) == (
        EventAction.DECIDED,
        "prohibited",
        "prohibited",
    )


def test_confirming_a_definite_automatic_result_takes_effect_at_once(rita):
    record = make_record(kind="prohibited")
    event = review.confirm(
        record=record, user=rita, expected_revision=0, note="Checked.", audience="internal"
    )
    record.refresh_from_db()
    assert record.status == Status.DECIDED
    assert record.decided_outcome == record.outcome == "prohibited"
    assert event.record_sha256 == record.sha256
    assert (event.from_outcome, event.to_outcome, event.note) == (
        "prohibited",
        "prohibited",
        "Checked.",
    )


def test_deciding_permitted_on_a_review_outcome_waits_for_a_second_reviewer(
    record, rita, april, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = review.decide(record=record, user=rita, expected_revision=0, outcome="permitted")
    record.refresh_from_db()
    assert record.status == Status.PENDING_APPROVAL
    assert record.decided_outcome is None
    assert (record.proposed_outcome, record.proposed_by) == ("permitted", rita)
    assert record.effective_outcome == "review"  # nothing is permitted yet
    assert (event.action, event.decision) == (EventAction.PROPOSED, "permitted")
    # The approvers hear of it; the respondent hears nothing yet.
    assert [m.to for m in mail.outbox] == [["april@example.com"]]


def test_an_override_always_needs_approval_and_a_real_justification(rita, settings):
    settings.ASSESSMENT_APPROVAL_REQUIRED_FOR = []
    record = make_record(kind="prohibited")
    with pytest.raises(review.InvalidInput, match="at least 20 characters"):
        review.override(
            record=record, user=rita, expected_revision=0, outcome="permitted", justification="ok"
        )
    review.override(
        record=record,
        user=rita,
        expected_revision=0,
        outcome="permitted",
        justification=JUSTIFICATION,
    )
    record.refresh_from_db()
    assert record.status == Status.PENDING_APPROVAL
    assert record.effective_outcome == "prohibited"


@pytest.mark.parametrize("justification", ["", "   \n "])
def test_override_without_a_justification_is_refused(rita, justification):
    record = make_record(kind="prohibited")
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


def test_override_to_the_current_outcome_is_refused(rita):
    record = make_record(kind="prohibited")
    with pytest.raises(review.InvalidInput, match="same as the current one"):
        review.override(
            record=record,
            user=rita,
            expected_revision=0,
            outcome="prohibited",
            justification=JUSTIFICATION,
        )


def test_the_approver_makes_the_proposal_take_effect_and_the_respondent_is_told_once(
    record, rita, april, django_capture_on_commit_callbacks
):
    review.decide(
        record=record,
        user=rita,
        expected_revision=0,
        outcome="permitted",
        note="Your agreement covers it.",
        audience=Audience.RESPONDENT,
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = review.approve(record=record, user=april, expected_revision=1)
    record.refresh_from_db()
    assert (record.status, record.decided_outcome, record.effective_outcome) == (
        Status.DECIDED,
        "permitted",
        "permitted",
    )
    assert (record.decided_by, record.approved_by) == (rita, april)
    assert record.decision_message == "Your agreement covers it."
    assert record.proposed_outcome is None
    assert (event.action, event.decision) == (EventAction.APPROVED, "permitted")
    [message] = mail.outbox
    assert message.to == [record.respondent_email]
    assert "Decision: Permitted" in message.body
    assert "Your agreement covers it." in message.body


def test_two_approvers_one_second_apart_produce_one_decision_and_one_email(
    record, rita, april, django_capture_on_commit_callbacks
):
    bob = make_approver("bob", "bob@example.com")
    review.decide(record=record, user=rita, expected_revision=0, outcome="permitted")
    seen_by_april, seen_by_bob = reloaded(record), reloaded(record)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.approve(record=seen_by_april, user=april, expected_revision=1)
    with pytest.raises(review.Conflict), django_capture_on_commit_callbacks(execute=True):
        review.approve(record=seen_by_bob, user=bob, expected_revision=1)
    assert len(mail.outbox) == 1
    assert record.events.filter(action=EventAction.APPROVED).count() == 1


def test_nobody_approves_their_own_proposal_and_only_approvers_approve(record, rita):
    approver_rita = make_approver("rita", "rita@example.com")  # rita becomes an approver too
    sam = make_reviewer("sam", "sam@example.com")
    review.decide(record=record, user=approver_rita, expected_revision=0, outcome="permitted")
    with pytest.raises(review.NotAllowed, match="you proposed"):
        review.approve(record=record, user=approver_rita, expected_revision=1)
    with pytest.raises(review.NotAllowed, match="Only an approver"):
        review.approve(record=record, user=sam, expected_revision=1)
    assert review.allowed_actions(record, approver_rita) == ["assign", "unassign", "note"]
    assert reloaded(record).decided_outcome is None


def test_a_rejection_sends_the_proposal_back_with_a_note_to_the_proposer(
    record, rita, april, django_capture_on_commit_callbacks
):
    review.decide(record=record, user=rita, expected_revision=0, outcome="permitted")
    with pytest.raises(review.InvalidInput):
        review.reject(record=record, user=april, expected_revision=1, note=" ")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = review.reject(
            record=record, user=april, expected_revision=1, note="Ask for the agreement first."
        )
    record.refresh_from_db()
    assert (record.status, record.decided_outcome, record.proposed_outcome) == (
        Status.IN_REVIEW,
        None,
        None,
    )
    assert (event.action, event.decision, event.audience) == (
        EventAction.REJECTED,
        "permitted",
        Audience.INTERNAL,
    )
    assert [m.to for m in mail.outbox] == [["rita@example.com"]]
    assert "decide" in review.allowed_actions(record, rita)


def test_revising_a_decision_keeps_the_old_one_in_effect_until_approved(record, rita, april):
    review.decide(record=record, user=rita, expected_revision=0, outcome="prohibited")
    review.override(
        record=record,
        user=rita,
        expected_revision=1,
        outcome="permitted",
        justification=JUSTIFICATION,
    )
    record.refresh_from_db()
    assert (record.status, record.effective_outcome) == (Status.PENDING_APPROVAL, "prohibited")
    review.reject(record=record, user=april, expected_revision=2, note="No agreement on file.")
    record.refresh_from_db()
    assert (record.status, record.effective_outcome) == (Status.DECIDED, "prohibited")


def test_approval_can_be_switched_off_for_permitted_but_never_for_overrides(rita, settings):
    settings.ASSESSMENT_APPROVAL_REQUIRED_FOR = []
    record = make_record(kind="review")
    review.decide(record=record, user=rita, expected_revision=0, outcome="permitted")
    assert reloaded(record).decided_outcome == "permitted"
    settings.ASSESSMENT_APPROVAL_REQUIRED_FOR = ["permitted", "prohibited"]
    other = make_record(kind="review")
    review.decide(record=other, user=rita, expected_revision=0, outcome="prohibited")
    assert reloaded(other).status == Status.PENDING_APPROVAL


# --- Closing -------------------------------------------------------------------------------


def test_closing_without_a_decision_needs_a_named_ending_and_a_reason(record, rita):
    with pytest.raises(review.InvalidInput, match="reason"):
        review.close(record=record, user=rita, expected_revision=0, reason="", ending="withdrawn")
    with pytest.raises(review.InvalidInput, match="how the case ends"):
        review.close(record=record, user=rita, expected_revision=0, reason="Done.")
    with pytest.raises(review.InvalidInput, match="how the case ends"):
        review.close(
            record=record, user=rita, expected_revision=0, reason="Done.", ending="permitted"
        )
    event = review.close(
        record=record,
        user=rita,
        expected_revision=0,
        reason="The respondent withdrew by email.",
        ending="withdrawn",
    )
    record.refresh_from_db()
    assert (record.status, record.decided_outcome, record.effective_outcome) == (
        Status.CLOSED,
        "withdrawn",
        "withdrawn",
    )
    assert (record.closed_by, record.close_reason) == (rita, "The respondent withdrew by email.")
    assert event.decision == "withdrawn"


def test_an_undecided_permitted_record_closed_is_never_counted_permitted(rita):
    record = make_record(kind="permitted")
    review.close(
        record=record, user=rita, expected_revision=0, reason="Duplicate.", ending="not_assessable"
    )
    assert reloaded(record).effective_outcome == "not_assessable"


def test_a_decided_record_closes_with_its_decision(record, rita):
    review.decide(record=record, user=rita, expected_revision=0, outcome="prohibited")
    with pytest.raises(review.InvalidInput, match="closes with it"):
        review.close(
            record=record, user=rita, expected_revision=1, reason="Done.", ending="withdrawn"
        )
    review.close(record=record, user=rita, expected_revision=1, reason="Done.")
    assert reloaded(record).decided_outcome == "prohibited"


def test_a_closed_record_accepts_no_further_action_but_notes(record, rita):
    review.close(
        record=record, user=rita, expected_revision=0, reason="Duplicate.", ending="not_assessable"
    )
    record.refresh_from_db()
    assert record.status == Status.CLOSED
    assert review.allowed_actions(record, rita) == ["note"]
    for act in (
        lambda: review.assign_to_me(record=record, user=rita, expected_revision=1),
        lambda: review.decide(record=record, user=rita, expected_revision=1, outcome="permitted"),
        lambda: review.override(
            record=record,
            user=rita,
            expected_revision=1,
            outcome="permitted",
            justification=JUSTIFICATION,
        ),
        lambda: review.request_information(
            record=record, user=rita, expected_revision=1, message="x"
        ),
        lambda: review.close(record=record, user=rita, expected_revision=1, reason="x"),
    ):
        with pytest.raises(review.InvalidTransition, match="closed"):
            act()
    assert len(_events(record)) == 2


# --- The respondent's channel --------------------------------------------------------------


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


def test_a_reply_racing_a_decision_is_kept_and_the_decision_stands(record, rita):
    review.request_information(record=record, user=rita, expected_revision=0, message="Why?")
    typed_on = reloaded(record)  # the respondent's page was loaded here
    review.decide(record=record, user=rita, expected_revision=1, outcome="prohibited")
    review.respondent_reply(record=typed_on, message="Here is the agreement reference.")
    record.refresh_from_db()
    assert (record.status, record.decided_outcome) == (Status.DECIDED, "prohibited")
    reply = _events(record)[-1]
    assert (reply.action, reply.note) == (
        EventAction.RESPONDENT_REPLIED,
        "Here is the agreement reference.",
    )


def test_a_message_to_the_respondent_is_emailed_and_an_internal_note_is_not(
    record, rita, django_capture_on_commit_callbacks
):
    with pytest.raises(review.InvalidInput, match="who can read"):
        review.add_note(record=record, user=rita, note="Hello", audience="")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        review.add_note(record=record, user=rita, note="Checking.", audience=Audience.INTERNAL)
        review.add_note(record=record, user=rita, note="Thanks!", audience=Audience.RESPONDENT)
    assert [m.to for m in mail.outbox] == [[record.respondent_email]]
    assert reloaded(record).revision == 0  # a note never makes an open form stale


# --- Locking and the trail -----------------------------------------------------------------


def test_a_stale_revision_is_a_conflict_and_writes_nothing(record, rita):
    review.assign_to_me(record=record, user=rita, expected_revision=0)
    with pytest.raises(review.Conflict):
        review.decide(record=record, user=rita, expected_revision=0, outcome="prohibited")
    record.refresh_from_db()
    assert (record.status, record.revision) == (Status.IN_REVIEW, 1)
    assert len(_events(record)) == 2


def test_two_reviewers_acting_on_the_same_state_cannot_both_win(record, rita):
    sam = make_reviewer("sam", "sam@example.com")
    seen_by_rita = reloaded(record)
    seen_by_sam = reloaded(record)
    review.decide(
        record=seen_by_rita,
        user=rita,
        expected_revision=seen_by_rita.revision,
        outcome="prohibited",
    )
    with pytest.raises(review.Conflict):
        review.decide(
            record=seen_by_sam,
            user=sam,
            expected_revision=seen_by_sam.revision,
            outcome="permitted",
        )
    record.refresh_from_db()
    assert record.decided_outcome == "prohibited"
    assert [e.actor_label for e in _events(record)] == ["Respondent", "rita"]


def test_actions_never_edit_the_records_content(record, rita, april):
    before = Record.objects.values().get(pk=record.pk)
    review.assign_to_me(record=record, user=rita, expected_revision=0)
    review.request_information(record=record, user=rita, expected_revision=1, message="Q?")
    review.respondent_reply(record=record, message="A.")
    review.decide(record=record, user=rita, expected_revision=3, outcome="permitted")
    review.approve(record=record, user=april, expected_revision=4)
    review.close(record=record, user=rita, expected_revision=5, reason="Decided.")
    after = Record.objects.values().get(pk=record.pk)
    changed = {field.removesuffix("_id") for field in before if before[field] != after[field]}
    assert changed <= Record.CASE_FIELDS
    assert reloaded(record).integrity_problems() == []
    trail = _events(record)
    assert [e.action for e in trail] == [
        EventAction.SUBMITTED,
        EventAction.ASSIGNED,
        EventAction.INFO_REQUESTED,
        EventAction.RESPONDENT_REPLIED,
        EventAction.PROPOSED,
        EventAction.APPROVED,
        EventAction.CLOSED,
    ]
    assert {e.record_sha256 for e in trail} == {record.sha256}
    # Each event starts where the previous one ended.
    for previous, event in itertools.pairwise(trail):
        assert event.from_status == previous.to_status
        assert event.from_outcome == previous.to_outcome


def test_a_note_longer_than_the_limit_is_refused(record, rita):
    with pytest.raises(review.InvalidInput):
        review.decide(
            record=record,
            user=rita,
            expected_revision=0,
            outcome="prohibited",
            note="x" * 4001,
            audience="internal",
        )


def test_the_state_table_names_every_action_a_reviewer_can_take():
    from assessment.views.review.actions import ACTIONS

    assert set(review.REVIEWER_ACTIONS) == set(ACTIONS)
    for transition in review.STATE_TABLE:
        assert transition.from_statuses and transition.who and transition.respondent

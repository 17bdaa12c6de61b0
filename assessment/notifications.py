"""Plain-text emails: reviewers hear of new submissions and replies; respondents of decisions
and information requests.

Each function takes a record id and runs after the transaction that caused it has committed.
Emails carry the reference, the outcome and a link, nothing more: the details stay behind the
reviewer sign-in or the respondent's private link. A failing mail server is logged, never
turned into an error for the person who acted (their action is already saved).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse

from assessment.models import Draft, Record
from assessment.services.accounts import REVIEWERS_GROUP

logger = logging.getLogger(__name__)


def _absolute(path: str) -> str:
    return settings.ASSESSMENT_PUBLIC_URL + path


def reviewer_emails() -> list[str]:
    """Active members of the reviewers group with an email, then ASSESSMENT_REVIEWER_EMAILS."""
    members = (
        get_user_model()
        .objects.filter(groups__name=REVIEWERS_GROUP, is_active=True)
        .exclude(email="")
        .order_by("email")
        .values_list("email", flat=True)
    )
    return list(dict.fromkeys([*members, *settings.ASSESSMENT_REVIEWER_EMAILS]))


def _send(*, subject: str, body: str, to: list[str], record: Record) -> None:
    if not to:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:
        # The addresses are personal data: the log names the record only.
        logger.exception("Could not send the email about %s", record.reference)


def _record_link(record: Record) -> str:
    return _absolute(reverse("review:record", args=[record.reference]))


def _private_link(record: Record) -> str:
    return _absolute(reverse("result", args=[record.token]))


def new_submission(record_id: int) -> None:
    record = Record.objects.get(pk=record_id)
    _send(
        subject=f"New assessment {record.reference}: {record.get_outcome_display()}",
        body=(
            f"A new self-assessment was submitted.\n\n"
            f"Reference: {record.reference}\n"
            f"Automatic result: {record.get_outcome_display()}\n"
            f"Questionnaire version: {record.questionnaire_version}\n\n"
            f"Review it (sign-in required):\n{_record_link(record)}\n"
        ),
        to=reviewer_emails(),
        record=record,
    )


def decision_made(record_id: int) -> None:
    record = Record.objects.get(pk=record_id)
    outcome = record.get_decided_outcome_display() or record.get_outcome_display()
    _send(
        subject=f"Your self-assessment {record.reference} has been reviewed",
        body=(
            f"A compliance reviewer has reviewed your self-assessment {record.reference}.\n\n"
            f"Decision: {outcome}\n\n"
            f"See the decision and what to do next on your private page:\n"
            f"{_private_link(record)}\n\n"
            f"Keep this link private: anyone with it can see your assessment.\n"
        ),
        to=[record.respondent_email],
        record=record,
    )


def information_requested(record_id: int) -> None:
    record = Record.objects.get(pk=record_id)
    _send(
        subject=f"More information needed for your self-assessment {record.reference}",
        body=(
            f"A compliance reviewer needs more information about your self-assessment "
            f"{record.reference} before deciding.\n\n"
            f"Read the request and reply on your private page:\n{_private_link(record)}\n\n"
            f"Keep this link private: anyone with it can see your assessment.\n"
        ),
        to=[record.respondent_email],
        record=record,
    )


def respondent_replied(record_id: int) -> None:
    record = Record.objects.select_related("assigned_to").get(pk=record_id)
    assignee = record.assigned_to
    to = [assignee.email] if assignee is not None and assignee.email else reviewer_emails()
    _send(
        subject=f"The respondent replied on {record.reference}",
        body=(
            f"The respondent answered your request for information on {record.reference}.\n\n"
            f"Read the reply (sign-in required):\n{_record_link(record)}\n"
        ),
        to=to,
        record=record,
    )


def invite_to_reanswer(record_id: int, draft_id: int) -> None:
    """The questionnaire changed in a way that affects this record: ask the respondent to answer
    again through a draft pre-filled with their answers."""
    record = Record.objects.get(pk=record_id)
    draft = Draft.objects.get(pk=draft_id)
    _send(
        subject=f"Please answer again: your self-assessment {record.reference}",
        body=(
            f"The compliance questionnaire has changed (now {draft.questionnaire_version}) in a "
            f"way that affects your self-assessment {record.reference}.\n\n"
            f"We have started a new assessment for you with your earlier answers filled in. "
            f"Check them and answer the new questions here:\n"
            f"{_absolute(reverse('resume', args=[draft.token]))}\n\n"
            f"Your earlier assessment stays as it was. Keep this link private: anyone with it "
            f"can see and change the new assessment.\n"
        ),
        to=[record.respondent_email],
        record=record,
    )

"""Plain-text emails, one small function per occasion, each taking ids and run after the
transaction that caused it has committed (so a background task can run it just as well).

Bodies are templates (`templates/emails/<name>.txt`; the first line is the subject). Emails to
reviewers carry the reference and a link, nothing more: the details stay behind the sign-in.
Emails to the respondent carry the decision, the message written for them and what to do next,
plus their private link. Each recipient gets their own email (no shared To: line). A failing
mail server is logged, never turned into an error for the person who acted (their action is
already saved).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from assessment.background import outbox
from assessment.models import (
    DECISION_LABELS,
    DECISION_NEXT_STEPS,
    Audience,
    Draft,
    EventAction,
    Record,
)
from assessment.roles import APPROVERS_GROUP, REVIEWERS_GROUP


def _absolute(path: str) -> str:
    return settings.ASSESSMENT_PUBLIC_URL + path


def _active_members(*groups: str) -> Any:
    return (
        get_user_model()
        .objects.filter(groups__name__in=groups, is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )


def reviewer_emails() -> list[str]:
    """Active reviewers and approvers with an email, then ASSESSMENT_REVIEWER_EMAILS."""
    members = _active_members(REVIEWERS_GROUP, APPROVERS_GROUP).values_list("email", flat=True)
    return list(dict.fromkeys([*members, *settings.ASSESSMENT_REVIEWER_EMAILS]))


def approver_emails(*, excluding: int | None) -> list[str]:
    """Active approvers with an email (and superusers), except the user `excluding`."""
    users = (
        get_user_model()
        .objects.filter(Q(groups__name=APPROVERS_GROUP) | Q(is_superuser=True), is_active=True)
        .exclude(email="")
        .distinct()
        .order_by("email")
    )
    if excluding is not None:
        users = users.exclude(pk=excluding)
    return list(dict.fromkeys(users.values_list("email", flat=True)))


def _user_email(user_id: int) -> list[str]:
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    return [user.email] if user is not None else []


def _send(template: str, *, to: list[str], record: Record, **context: Any) -> None:
    """Render `emails/<template>.txt` and send it to each address separately."""
    if not to:
        return
    text = render_to_string(
        f"emails/{template}.txt",
        {
            "record": record,
            "record_link": _absolute(reverse("review:record", args=[record.reference])),
            "private_link": _absolute(reverse("result", args=[record.token])),
            **context,
        },
    )
    subject, _, body = text.partition("\n")
    # Queued, not sent: a background task sends each recipient's email and retries it
    # (assessment.background.outbox). The key names the event (the record's latest), so
    # announcing the same event again sends nothing more.
    last_event = record.events.order_by("-pk").values_list("pk", flat=True).first() or 0
    outbox.queue_email(
        key=f"record-{record.pk}/event-{last_event}/{template}",
        subject=subject.strip(),
        body=body.lstrip("\n"),
        to=list(dict.fromkeys(to)),
        reference=record.reference,
    )


def _record(record_id: int) -> Record:
    return Record.objects.select_related("assigned_to").get(pk=record_id)


def _name(user_id: int) -> str:
    user = get_user_model().objects.filter(pk=user_id).first()
    return user.get_username() if user is not None else "someone"


# --- To reviewers --------------------------------------------------------------------------


def new_submission(record_id: int) -> None:
    _send("new_submission", to=reviewer_emails(), record=_record(record_id))


def respondent_replied(record_id: int) -> None:
    record = _record(record_id)
    assignee = record.assigned_to
    to = [assignee.email] if assignee is not None and assignee.email else reviewer_emails()
    _send("respondent_replied", to=to, record=record)


def approval_requested(record_id: int) -> None:
    record = Record.objects.select_related("proposed_by").get(pk=record_id)
    _send(
        "approval_requested",
        to=approver_emails(excluding=record.proposed_by_id),
        record=record,
        proposed=DECISION_LABELS.get(record.proposed_outcome or "", ""),
        proposer=_name(record.proposed_by_id) if record.proposed_by_id else "someone",
    )


def proposal_rejected(record_id: int, proposer_id: int) -> None:
    _send("proposal_rejected", to=_user_email(proposer_id), record=_record(record_id))


def assigned(record_id: int, assignee_id: int, by_id: int) -> None:
    _send("assigned", to=_user_email(assignee_id), record=_record(record_id), by=_name(by_id))


def unassigned(record_id: int, previous_id: int, by_id: int) -> None:
    _send("unassigned", to=_user_email(previous_id), record=_record(record_id), by=_name(by_id))


def taken_over(record_id: int, previous_id: int, by_id: int) -> None:
    _send("taken_over", to=_user_email(previous_id), record=_record(record_id), by=_name(by_id))


# --- To the respondent ---------------------------------------------------------------------


def _decision_context(record: Record) -> dict[str, Any]:
    decision = record.decided_outcome or ""
    return {
        "decision": DECISION_LABELS.get(decision, ""),
        "next_steps": DECISION_NEXT_STEPS.get(decision, ()),
        "message": record.decision_message,
    }


def decision_made(record_id: int) -> None:
    record = _record(record_id)
    _send("decision_made", to=[record.respondent_email], record=record, **_decision_context(record))


def case_closed(record_id: int) -> None:
    record = _record(record_id)
    closing = record.events.filter(action=EventAction.CLOSED).order_by("-pk").first()
    for_them = closing is not None and closing.audience == Audience.RESPONDENT
    context = _decision_context(record)
    if for_them and context["message"] == record.close_reason:
        context["message"] = ""  # the reason is the message: say it once
    _send(
        "case_closed",
        to=[record.respondent_email],
        record=record,
        reason=record.close_reason if for_them else "",
        **context,
    )


def information_requested(record_id: int) -> None:
    record = _record(record_id)
    _send("information_requested", to=[record.respondent_email], record=record)


def respondent_message(record_id: int) -> None:
    record = _record(record_id)
    _send("respondent_message", to=[record.respondent_email], record=record)


def invite_to_reanswer(record_id: int, draft_id: int) -> None:
    """The questionnaire changed in a way that affects this record: ask the respondent to answer
    again through a draft pre-filled with their answers."""
    record = _record(record_id)
    draft = Draft.objects.get(pk=draft_id)
    _send(
        "invite_to_reanswer",
        to=[record.respondent_email],
        record=record,
        draft=draft,
        resume_link=_absolute(reverse("resume", args=[draft.token])),
    )


def reviewer_invited(user_id: int, by_id: int, invitation_id: int) -> None:
    """The invited reviewer's link to set their password (Django's password reset token, so it
    expires after PASSWORD_RESET_TIMEOUT and works once), to them alone. `invitation_id` (the
    admin log entry of the invitation) names the event: queued twice, it is sent once; sent
    again by an administrator, it is a new invitation."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        return
    token = default_token_generator.make_token(user)
    link = _absolute(
        reverse(
            "set_password",
            kwargs={"uidb64": urlsafe_base64_encode(force_bytes(user.pk)), "token": token},
        )
    )
    text = render_to_string(
        "emails/reviewer_invited.txt",
        {
            "user": user,
            "by": _name(by_id),
            "link": link,
            "sign_in": _absolute(reverse("login")),
            "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86400),
        },
    )
    subject, _, body = text.partition("\n")
    outbox.queue_email(
        key=f"user-{user.pk}/invited/{invitation_id}",
        subject=subject.strip(),
        body=body.lstrip("\n"),
        to=[user.email],
    )

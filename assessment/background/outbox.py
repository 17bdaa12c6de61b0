"""Emails as rows: an event queues one `Delivery` per recipient, a task sends each one.

Sending is claimed with a conditional UPDATE (pending -> sending, with a lease), so however
many workers run the same delivery's task, one sends it; the others see it sent, or wait for
the lease to lapse if the sender died mid-way.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from assessment.models import Delivery


class StillSending(Exception):
    """Another worker holds the delivery's lease: look again once it lapses."""

    def __init__(self, until: object) -> None:
        super().__init__(f"being sent by another worker until {until}")
        self.until = until


def queue_email(*, key: str, subject: str, body: str, to: list[str], reference: str = "") -> None:
    """Record one delivery per recipient of the event `key`, then enqueue their tasks.

    Idempotent: queueing the same event twice adds nothing and sends nothing more."""
    from assessment import tasks

    created = []
    for recipient in dict.fromkeys(to):
        try:
            with transaction.atomic():
                delivery = Delivery.objects.create(
                    key=key[:200],
                    recipient=recipient,
                    subject=subject[:300],
                    body=body,
                    reference=reference,
                )
        except IntegrityError:
            continue  # this event's email to this recipient is already queued
        created.append(delivery.pk)
    for delivery_id in created:
        transaction.on_commit(partial(tasks.send_email.enqueue, delivery_id))


def deliver(delivery_id: int) -> str:
    """Send one delivery unless it is already sent (or failed); return its final state."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.ASSESSMENT_EMAIL_LEASE_SECONDS)
    claimed = (
        Delivery.objects.filter(pk=delivery_id)
        .filter(
            Q(state=Delivery.State.PENDING) | Q(state=Delivery.State.SENDING, claimed_until__lt=now)
        )
        .update(state=Delivery.State.SENDING, claimed_until=lease, attempts=F("attempts") + 1)
    )
    delivery = Delivery.objects.get(pk=delivery_id)
    if not claimed:
        if delivery.state == Delivery.State.SENDING:
            raise StillSending(delivery.claimed_until)
        return delivery.state
    try:
        send_mail(
            delivery.subject,
            delivery.body,
            settings.DEFAULT_FROM_EMAIL,
            [delivery.recipient],
            fail_silently=False,
        )
    except Exception as exc:
        Delivery.objects.filter(pk=delivery_id, state=Delivery.State.SENDING).update(
            state=Delivery.State.PENDING, claimed_until=None, last_error=_describe(exc)
        )
        raise
    Delivery.objects.filter(pk=delivery_id).update(
        state=Delivery.State.SENT, sent_at=timezone.now(), claimed_until=None
    )
    return Delivery.State.SENT


def give_up(delivery_id: int, exc: BaseException) -> None:
    Delivery.objects.filter(pk=delivery_id).exclude(state=Delivery.State.SENT).update(
        state=Delivery.State.FAILED, claimed_until=None, last_error=_describe(exc)
    )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]

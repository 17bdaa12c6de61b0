"""Every event appended to a record's trail (submission, each review action, whoever writes
it) renders the record's PDF again once the transaction commits, so a download finds it ready."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from assessment.models import Event


@receiver(post_save, sender=Event, dispatch_uid="render_pdf_after_event")
def render_after_event(sender: type[Event], instance: Event, created: bool, **_: Any) -> None:
    from assessment import tasks

    if created:
        record_id = instance.record_id
        for for_reviewers in (False, True):  # the respondent's PDF and the reviewers'
            transaction.on_commit(partial(tasks.render_pdf.enqueue, record_id, for_reviewers))

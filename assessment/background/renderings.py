"""Stored PDF renderings: a download serves the one made for the record's current state.

A record's state, for its PDF, is its case revision (bumped by every review action) and its
last event (the PDF prints the trail). A rendering is stored under the state it was rendered
from, read in the same pass as the content, so a rendering never answers for a later state:
after a review event the download renders anew (or serves the rendering the task made).
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from assessment.models import Event, Record, Rendering
from assessment.pdf import render_record_pdf

State = tuple[int, int]


def current_state(record: Record) -> State:
    """(revision, last event id) of the record as it is now in the database."""
    last_event = Event.objects.filter(record_id=record.pk).order_by("-pk").values("pk").first()
    return record.revision, last_event["pk"] if last_event else 0


def _state_of_loaded(record: Record) -> State:
    # The events this rendering prints are the prefetched ones: the state is theirs.
    return record.revision, max((event.pk for event in record.events.all()), default=0)


def stored_pdf(record: Record, state: State, *, for_reviewers: bool) -> bytes | None:
    revision, last_event_id = state
    found = (
        Rendering.objects.filter(
            record=record,
            for_reviewers=for_reviewers,
            revision=revision,
            last_event_id=last_event_id,
        )
        .values_list("pdf", flat=True)
        .first()
    )
    return bytes(found) if found is not None else None


def render_and_store(record_id: int, *, for_reviewers: bool) -> tuple[State, bytes]:
    """Render the record as it is now and keep the rendering (idempotent per state)."""
    record = Record.objects.prefetch_related("events").get(pk=record_id)
    state = _state_of_loaded(record)
    existing = stored_pdf(record, state, for_reviewers=for_reviewers)
    if existing is not None:
        return state, existing
    pdf = render_record_pdf(record, for_reviewers=for_reviewers)
    store(record, state, pdf, for_reviewers=for_reviewers)
    return state, pdf


def store(record: Record, state: State, pdf: bytes, *, for_reviewers: bool) -> None:
    revision, last_event_id = state
    try:
        with transaction.atomic():
            Rendering.objects.create(
                record=record,
                for_reviewers=for_reviewers,
                revision=revision,
                last_event_id=last_event_id,
                pdf=pdf,
            )
    except IntegrityError:
        return  # another worker stored this state first: same content, keep theirs
    # Older states are never served again; a newer one (stored meanwhile) is kept.
    Rendering.objects.filter(record=record, for_reviewers=for_reviewers).filter(
        Q(last_event_id__lt=last_event_id) | Q(last_event_id=last_event_id, revision__lt=revision)
    ).delete()


# `stored_pdf(record, current_state(record), ...)` in one round trip: the rendering stored
# under the loaded record's revision and its trail's last event as the database has it now.
# Written out, as the API gate's chain check: a download is this query and the record's.
_CURRENT_RENDERING_SQL = """
SELECT r.pdf FROM assessment_rendering r
WHERE r.record_id = %s AND r.for_reviewers = %s AND r.revision = %s
  AND r.last_event_id = (SELECT MAX(e.id) FROM assessment_event e WHERE e.record_id = %s)
"""


def pdf_for_download(record: Record, *, for_reviewers: bool) -> bytes:
    """The stored rendering of the record's current state, rendered now if there is none."""
    with connection.cursor() as cursor:
        cursor.execute(
            _CURRENT_RENDERING_SQL, [record.pk, for_reviewers, record.revision, record.pk]
        )
        found = cursor.fetchone()
    if found is not None:
        return bytes(found[0])
    return render_and_store(record.pk, for_reviewers=for_reviewers)[1]


def pdf_for_export(record: Record) -> bytes:
    """For a record loaded with its events: the stored reviewers' rendering of that state, or
    a new one (exports are for reviewers and auditors)."""
    state = _state_of_loaded(record)
    pdf = stored_pdf(record, state, for_reviewers=True)
    if pdf is None:
        pdf = render_record_pdf(record, for_reviewers=True)
        store(record, state, pdf, for_reviewers=True)
    return pdf

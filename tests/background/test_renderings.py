"""PDFs are served from stored renderings of the record's current state, never an older one."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.background import renderings
from assessment.models import Record, Rendering
from assessment.services import review
from tests.factories import make_record
from tests.pdf.conftest import pdf_text, read_pdf, squashed
from tests.review_support import make_reviewer, sign_in

pytestmark = pytest.mark.django_db


def embedded_json(pdf: bytes, record) -> bytes:
    (attached,) = read_pdf(pdf).attachments[f"record-{record.reference}.json"]
    return attached


def refuse_to_render(monkeypatch) -> None:
    def fail(record, for_reviewers=False):
        raise AssertionError("rendered during the request")

    monkeypatch.setattr("assessment.background.renderings.render_record_pdf", fail)


def test_submission_renders_and_stores_the_pdf_in_the_background(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        record = make_record(kind="review")
    (rendering,) = Rendering.objects.filter(record=record, for_reviewers=False)
    assert Rendering.objects.filter(record=record, for_reviewers=True).count() == 1
    assert (rendering.revision, rendering.last_event_id) == renderings.current_state(record)
    assert hashlib.sha256(embedded_json(bytes(rendering.pdf), record)).hexdigest() == record.sha256


def test_a_download_serves_the_stored_rendering_without_rendering(client, monkeypatch):
    record = make_record(kind="permitted")
    _, pdf = renderings.render_and_store(record.pk, for_reviewers=False)
    refuse_to_render(monkeypatch)

    response = client.get(reverse("respondent_pdf", args=[record.token]))

    assert response.status_code == 200
    assert response.content == pdf


def test_a_pdf_asked_for_before_its_rendering_exists_is_rendered_stored_and_correct(client):
    record = make_record(kind="permitted")
    assert not Rendering.objects.exists()

    response = client.get(reverse("respondent_pdf", args=[record.token]))

    assert response.status_code == 200
    assert record.reference in pdf_text(read_pdf(response.content))
    assert hashlib.sha256(embedded_json(response.content, record)).hexdigest() == record.sha256
    (stored,) = Rendering.objects.filter(record=record, for_reviewers=False)
    assert bytes(stored.pdf) == response.content


def test_after_a_review_event_the_old_rendering_is_never_served(client, monkeypatch):
    record = make_record(kind="review")
    _, before = renderings.render_and_store(record.pk, for_reviewers=True)
    reviewer = make_reviewer()
    sign_in(client, reviewer)
    # The decision is saved; its rendering task has not run yet (callbacks not executed).
    review.assign_to_me(record=record, user=reviewer, expected_revision=0)

    response = client.get(reverse("review_pdf", args=[record.reference]))

    assert response.content != before
    text = squashed(pdf_text(read_pdf(response.content)))
    assert squashed(reviewer.get_username()) in text  # the new event, in the trail
    # The new state's rendering replaced the old one.
    (stored,) = Rendering.objects.filter(record=record, for_reviewers=True)
    assert (stored.revision, stored.last_event_id) == renderings.current_state(record)
    assert bytes(stored.pdf) == response.content

    refuse_to_render(monkeypatch)
    assert client.get(reverse("review_pdf", args=[record.reference])).content == response.content


def test_a_rendering_of_an_older_state_never_replaces_a_newer_one():
    record = make_record(kind="review")
    old_state = renderings.current_state(record)
    reviewer = make_reviewer()
    review.assign_to_me(record=record, user=reviewer, expected_revision=0)
    new_state, new_pdf = renderings.render_and_store(record.pk, for_reviewers=True)

    late = b"%PDF- a late task's rendering of the old state"
    renderings.store(record, old_state, late, for_reviewers=True)

    assert renderings.stored_pdf(record, new_state, for_reviewers=True) == new_pdf
    current = renderings.current_state(record)
    assert renderings.stored_pdf(record, current, for_reviewers=True) == new_pdf


def test_a_stored_download_is_two_reads(client, monkeypatch):
    # The record (by its private link), then its rendering for the state it is in now.
    record = make_record(kind="permitted")
    _, pdf = renderings.render_and_store(record.pk, for_reviewers=False)
    refuse_to_render(monkeypatch)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("respondent_pdf", args=[record.token]))
    assert response.content == pdf
    assert len(captured) == 2, [query["sql"] for query in captured.captured_queries]


def test_a_note_after_the_rendering_makes_it_stale(client):
    # A note moves no revision but adds an event the reviewers' PDF prints: not served stale.
    record = make_record(kind="review")
    _, before = renderings.render_and_store(record.pk, for_reviewers=True)
    reviewer = make_reviewer()
    sign_in(client, reviewer)
    review.add_note(record=record, user=reviewer, note="Asked the lab.", audience="internal")
    assert Record.objects.get(pk=record.pk).revision == record.revision

    response = client.get(reverse("review_pdf", args=[record.reference]))

    assert response.content != before
    assert squashed("Asked the lab.") in squashed(pdf_text(read_pdf(response.content)))

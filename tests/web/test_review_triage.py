"""Triage on the queue: ages, the SLA and its "overdue only" filter, "respondent replied",
filters kept on the record page with previous/next in the same order, bulk assignment, and
saved filters."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessment.demo.seed import seed_assessments
from assessment.forms.queue import queue_filters
from assessment.models import Event, EventAction, Record, SavedFilter, Status
from assessment.selectors.queue import SORTS, filter_queue, neighbours
from assessment.services import review
from tests.factories import make_record
from tests.review_support import make_outsider, make_reviewer, sign_in

pytestmark = pytest.mark.django_db
QUEUE = reverse("review:queue")


def _age(record: Record, days: int) -> None:
    """As if it was submitted `days` ago, its trail too."""
    then = timezone.now() - timedelta(days=days)
    Record.objects.filter(pk=record.pk).update(submitted_at=then)
    Event.objects.filter(record=record).update(created_at=then)


def _row(body: str, record: Record) -> str:
    match = re.search(rf'<tr data-reference="{record.reference}".*?</tr>', body, re.S)
    assert match, f"{record.reference} is not on the page"
    return match.group(0)


# ---------------------------------------------------------------- ages, SLA, replies


def test_each_row_shows_its_age_and_its_last_activity_as_times(signed_in, rita):
    record = make_record()
    _age(record, 9)
    review.add_note(record=record, user=rita, note="Looked at it.", audience="internal")
    Event.objects.filter(record=record, action=EventAction.NOTE_ADDED).update(
        created_at=timezone.now() - timedelta(days=2)
    )
    row = _row(signed_in.get(QUEUE).content.decode(), record)
    submitted = Record.objects.get(pk=record.pk).submitted_at
    assert f'<time datetime="{submitted:%Y-%m-%dT%H:%M:%S+0000}"' in row
    assert "1\xa0week ago</time>" in row  # 9 days, in its largest unit
    assert "2\xa0days ago</time>" in row  # the note


def test_open_records_older_than_the_sla_are_marked_overdue(signed_in, rita, settings):
    settings.ASSESSMENT_REVIEW_SLA_DAYS = 5
    late, recent, decided = make_record(), make_record(), make_record(kind="review")
    review.decide(record=decided, user=rita, expected_revision=0, outcome="prohibited")
    _age(late, 6)
    _age(recent, 4)
    _age(decided, 30)
    body = signed_in.get(QUEUE).content.decode()
    assert "Overdue" in _row(body, late) and "data-overdue" in _row(body, late)
    assert "Overdue" not in _row(body, recent)
    assert "Overdue" not in _row(body, decided)  # decided: nothing is waiting


def test_the_sla_comes_from_the_settings(signed_in, settings):
    record = make_record()
    _age(record, 3)
    settings.ASSESSMENT_REVIEW_SLA_DAYS = 2
    assert "data-overdue" in _row(signed_in.get(QUEUE).content.decode(), record)


def test_overdue_only_lists_the_overdue_records(rita, settings):
    settings.ASSESSMENT_REVIEW_SLA_DAYS = 5
    late, recent, closed = make_record(), make_record(), make_record(kind="permitted")
    review.confirm(record=closed, user=rita, expected_revision=0)
    for record, days in ((late, 8), (recent, 1), (closed, 8)):
        _age(record, days)
    found = filter_queue(user=rita, filters=queue_filters({"overdue": "1"}))
    assert [r.reference for r in found] == [late.reference]


def test_a_reply_newer_than_the_last_reviewer_action_is_marked(signed_in, rita):
    record = make_record(kind="review")
    review.request_information(record=record, user=rita, expected_revision=0, message="Which?")
    assert "Respondent replied" not in _row(signed_in.get(QUEUE).content.decode(), record)
    review.respondent_reply(record=record, message="This one.")
    row = _row(signed_in.get(QUEUE).content.decode(), record)
    assert "Respondent replied" in row and "data-replied" in row
    review.add_note(record=record, user=rita, note="Read it.", audience="internal")
    assert "Respondent replied" not in _row(signed_in.get(QUEUE).content.decode(), record)


# ---------------------------------------------------------------- record page: back, prev/next


@pytest.mark.parametrize("sort", list(SORTS))
def test_next_walks_the_filtered_queue_in_its_order_and_previous_walks_back(rita, sort):
    seed_assessments(count=40, seed=3)
    filters = queue_filters({"sort": sort, "outcome": "review"})
    order = list(filter_queue(user=rita, filters=filters))
    assert len(order) > 3
    for index, record in enumerate(order):
        before, after = neighbours(user=rita, filters=filters, record=record)
        assert before == (order[index - 1].reference if index else None)
        assert after == (order[index + 1].reference if index + 1 < len(order) else None)


def test_the_record_page_keeps_the_filters_in_its_links(signed_in):
    first, second = make_record(kind="review"), make_record(kind="review")
    make_record(kind="permitted")
    query = "outcome=review&sort=oldest"
    queue = signed_in.get(f"{QUEUE}?{query}").content.decode()
    assert f'href="/review/records/{first.reference}/?outcome=review&amp;sort=oldest"' in queue
    page = signed_in.get(f"/review/records/{first.reference}/?{query}").content.decode()
    assert f'href="{QUEUE}?outcome=review&amp;sort=oldest" class="back-link"' in page
    assert (
        f'href="/review/records/{second.reference}/?outcome=review&amp;sort=oldest" rel="next"'
        in page
    )
    assert 'rel="prev"' not in page


def test_an_action_comes_back_to_the_record_with_the_filters(signed_in, record, rita):
    response = signed_in.post(
        f"/review/records/{record.reference}/action/?status=new&submitted_to=bogus",
        {"action": "assign", "assign-revision": "0", "assign-assignee": rita.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/review/records/{record.reference}/?status=new"


# ---------------------------------------------------------------- bulk assignment


def _selected(*records: Record) -> list[str]:
    return [f"{r.reference}:{r.revision}" for r in records]


def test_bulk_assign_assigns_each_record_with_its_own_event_and_email(
    signed_in, django_capture_on_commit_callbacks
):
    bob = make_reviewer("bob", "bob@example.com")
    first, second, left = make_record(), make_record(), make_record()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            f"{reverse('review:bulk_assign')}?status=new",
            {"records": _selected(first, second), "assignee": bob.pk},
        )
    assert response["Location"] == f"{QUEUE}?status=new"
    for record in (first, second):
        record.refresh_from_db()
        assert record.assigned_to == bob and record.status == Status.IN_REVIEW
        assert (
            record.events.filter(action=EventAction.ASSIGNED, actor__username="rita").count() == 1
        )
    assert Record.objects.get(pk=left.pk).assigned_to is None
    assert sorted(m.to[0] for m in mail.outbox) == ["bob@example.com", "bob@example.com"]
    body = signed_in.get(response["Location"]).content.decode()
    assert f"Assigned 2 records to bob: {first.reference}, {second.reference}." in body


def test_bulk_assign_refuses_per_record_and_keeps_the_others(signed_in, rita):
    bob = make_reviewer("bob", "bob@example.com")
    fine, stale, held = make_record(), make_record(), make_record()
    shown_stale = _selected(stale)
    # Someone acted on it since the queue was shown.
    review.assign_to_me(record=stale, user=rita, expected_revision=0)
    review.unassign(record=stale, user=rita, expected_revision=1)
    carol = make_reviewer("carol", "carol@example.com")
    review.assign(record=held, user=carol, expected_revision=0, assignee=carol)
    held.refresh_from_db()
    response = signed_in.post(
        reverse("review:bulk_assign"),
        {"records": _selected(fine) + shown_stale + _selected(held), "assignee": bob.pk},
        follow=True,
    )
    body = response.content.decode()
    assert Record.objects.get(pk=fine.pk).assigned_to == bob
    assert Record.objects.get(pk=stale.pk).assigned_to is None
    assert Record.objects.get(pk=held.pk).assigned_to == carol
    assert f"{stale.reference} was not assigned: Someone else updated this record" in body
    assert f"{held.reference} was not assigned: Enter a note for bob" in body


def test_only_a_reviewer_can_be_chosen_as_assignee(signed_in):
    outsider = make_outsider()
    record = make_record()
    page = signed_in.get(QUEUE).content.decode()
    assert f'<option value="{outsider.pk}">' not in page
    response = signed_in.post(
        reverse("review:bulk_assign") + "?outcome=review",
        {"records": _selected(record), "assignee": outsider.pk},
    )
    assert response.status_code == 400  # the queue again, under the same filters
    body = response.content.decode()
    assert "<title>Error: Assessments queue" in body
    assert '<h2 id="error-summary-title" class="h4">Nothing was assigned</h2>' in body
    assert '<a href="#id_assignee">Choose a reviewer from the list</a>' in body
    # Beside the field, which points to it; the ticked record is still ticked.
    assert re.search(r'<select name="assignee"[^>]*aria-invalid="true"', body)
    assert '<div id="id_assignee_error" class="invalid-feedback">' in body
    ticked = rf'value="{record.reference}:\d+" id="select-{record.reference}" checked>'
    assert re.search(ticked, body)
    # This page is at /review/assign/: its status tabs still lead to /review/.
    assert 'href="/review/?outcome=review&amp;status=new"' in body
    assert Record.objects.get(pk=record.pk).assigned_to is None


def test_bulk_assign_needs_a_selection_and_a_csrf_token(rita):
    record = make_record()
    guarded = sign_in(Client(enforce_csrf_checks=True), rita)
    data = {"records": _selected(record), "assignee": rita.pk}
    assert guarded.post(reverse("review:bulk_assign"), data).status_code == 403
    assert Record.objects.get(pk=record.pk).assigned_to is None
    client = sign_in(Client(), rita)
    response = client.post(reverse("review:bulk_assign"), {"assignee": rita.pk})
    body = response.content.decode()
    assert response.status_code == 400
    # The table of checkboxes is the field: the summary links to it, its error stands above it.
    assert '<a href="#id_records">Select at least one record to assign</a>' in body
    assert '<p class="field-error mb-2" id="id_records_error">' in body
    assert 'id="id_records" aria-describedby="id_records_error"' in body


def test_bulk_assign_is_for_reviewers_only(client, record):
    sign_in(client, make_outsider())
    response = client.post(
        reverse("review:bulk_assign"), {"records": _selected(record), "assignee": 1}
    )
    assert response.status_code == 403


# ---------------------------------------------------------------- saved filters


def test_a_reviewer_saves_lists_opens_and_deletes_filters(signed_in, rita):
    response = signed_in.post(
        f"{reverse('review:save_filter')}?outcome=review&overdue=1&submitted_to=bad",
        {"name": "Late reviews"},
        follow=True,
    )
    body = response.content.decode()
    assert "Saved these filters as “Late reviews”." in body
    saved = SavedFilter.objects.get(user=rita)
    assert saved.query == "outcome=review&overdue=1"  # as parsed: the bad date left out
    assert (
        f'href="{QUEUE}?outcome=review&amp;overdue=1" aria-current="true">Late reviews</a>' in body
    )
    signed_in.post(reverse("review:save_filter") + "?status=new", {"name": "Late reviews"})
    assert SavedFilter.objects.get(user=rita).query == "status=new"  # same name: replaced
    signed_in.post(reverse("review:delete_filter", args=[saved.pk]))
    assert not SavedFilter.objects.filter(user=rita).exists()


def test_saved_filters_belong_to_their_reviewer(signed_in, rita):
    bob = make_reviewer("bob", "bob@example.com")
    theirs = SavedFilter.objects.create(user=bob, name="Bob's", query="status=new")
    assert "Bob&#x27;s" not in signed_in.get(QUEUE).content.decode()
    response = signed_in.post(reverse("review:delete_filter", args=[theirs.pk]))
    assert response.status_code == 404
    assert SavedFilter.objects.filter(pk=theirs.pk).exists()


def test_a_saved_filter_needs_a_name(signed_in, rita):
    response = signed_in.post(reverse("review:save_filter"), {"name": "  "})
    body = response.content.decode()
    assert response.status_code == 400
    assert '<h2 id="error-summary-title" class="h4">The filters were not saved</h2>' in body
    assert '<a href="#id_name">Enter a name for these filters</a>' in body
    assert '<div id="id_name_error" class="invalid-feedback">' in body
    assert not SavedFilter.objects.exists()


def test_an_email_in_the_queue_wraps_at_its_at_sign_and_dots_and_stays_escaped():
    from assessment.templatetags.triage import email_breaks

    assert email_breaks("ada.l@example.co.uk") == "ada.l@<wbr>example<wbr>.co<wbr>.uk"
    assert email_breaks('<b>"x"@y.z') == "&lt;b&gt;&quot;x&quot;@<wbr>y<wbr>.z"

"""The queue: filters, search, sorting, counts per status, and a fixed number of SQL queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.demo.seed import seed_assessments
from assessment.forms.queue import queue_filters
from assessment.models import Record, Status
from assessment.questionnaire import CURRENT_VERSION
from assessment.selectors.queue import filter_queue, queue_counts, queue_page
from assessment.services import review
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def _refs(user, **params) -> list[str]:
    return list(
        filter_queue(user=user, filters=queue_filters(params)).values_list("reference", flat=True)
    )


def _backdate(record: Record, days: int) -> None:
    Record.objects.filter(pk=record.pk).update(submitted_at=timezone.now() - timedelta(days=days))


def test_open_records_needing_review_come_first_the_longest_waiting_first(rita):
    permitted = make_record(kind="permitted")
    old_review = make_record(kind="review")
    new_review = make_record(kind="review")
    decided_review = make_record(kind="review")
    review.decide(record=decided_review, user=rita, expected_revision=0, outcome="prohibited")
    _backdate(old_review, 3)
    assert _refs(rita) == [
        old_review.reference,
        new_review.reference,
        permitted.reference,
        decided_review.reference,
    ]


def test_sorting_by_oldest_and_by_reference(rita):
    first, second = make_record(kind="permitted"), make_record(kind="review")
    _backdate(second, 5)
    assert _refs(rita, sort="oldest") == [second.reference, first.reference]
    assert _refs(rita, sort="reference") == sorted([first.reference, second.reference])
    assert _refs(rita, sort="nonsense") == _refs(rita)  # unknown sorts fall back


def test_filters_by_status_outcome_version_and_assignee(rita):
    mine = make_record(kind="review")
    other = make_record(kind="prohibited")
    review.assign_to_me(record=mine, user=rita, expected_revision=0)
    assert _refs(rita, status="in_review") == [mine.reference]
    assert _refs(rita, outcome="prohibited") == [other.reference]
    assert _refs(rita, mine="1") == [mine.reference]
    assert set(_refs(rita, version=CURRENT_VERSION)) == {mine.reference, other.reference}
    assert set(_refs(rita, status="bogus")) == {mine.reference, other.reference}


def test_the_outcome_filter_is_on_the_automatic_outcome(rita):
    record = make_record(kind="review")
    review.decide(record=record, user=rita, expected_revision=0, outcome="prohibited")
    assert _refs(rita, outcome="review") == [record.reference]
    assert _refs(rita, outcome="prohibited") == []


def test_the_category_filter_matches_one_outcome_id_exactly(rita):
    record = make_record(kind="prohibited")
    other = make_record(kind="permitted")
    outcome_id = record.outcome_ids.strip(";").split(";")[0]
    assert _refs(rita, category=outcome_id) == [record.reference]
    assert other.reference not in _refs(rita, category=outcome_id)


def test_the_date_range_includes_both_days(rita):
    today = make_record(kind="review")
    old = make_record(kind="review")
    _backdate(old, 10)
    day = timezone.localdate()
    assert _refs(rita, submitted_from=day.isoformat()) == [today.reference]
    assert _refs(rita, submitted_to=(day - timedelta(days=10)).isoformat()) == [old.reference]
    assert len(_refs(rita, submitted_from="not-a-date")) == 2


def test_search_matches_any_field_case_insensitively_and_every_word(rita):
    make_record(details={"respondent_name": "Grace Hopper", "organisation": "Navy Labs"})
    make_record(
        details={"respondent_email": "ken@unix.example", "project_description": "Log anomalies"}
    )
    target = make_record(details={"project_name": "Compass (sentiment)"})
    assert len(_refs(rita, q="hopper")) == 1
    assert len(_refs(rita, q="NAVY labs")) == 1
    assert len(_refs(rita, q="unix.example")) == 1
    assert len(_refs(rita, q="ANOMALIES")) == 1
    assert _refs(rita, q="compass") == [target.reference]
    assert _refs(rita, q=target.reference.lower()) == [target.reference]
    assert _refs(rita, q="hopper unix") == []


def test_search_treats_wildcards_as_text(rita):
    make_record(details={"organisation": "100% Organic"})
    make_record(details={"organisation": "Plain Ltd"})
    assert len(_refs(rita, q="100%")) == 1
    assert len(_refs(rita, q="%")) == 1
    assert len(_refs(rita, q="_")) == 0


def test_counts_per_status_follow_the_other_filters(rita):
    review_record = make_record(kind="review")
    make_record(kind="permitted")
    review.assign_to_me(record=review_record, user=rita, expected_revision=0)
    assert queue_counts(user=rita, filters=queue_filters({})).per_status == {
        "new": 1,
        "in_review": 1,
        "awaiting_respondent": 0,
        "pending_approval": 0,
        "decided": 0,
        "closed": 0,
    }
    counts = queue_counts(
        user=rita, filters=queue_filters({"outcome": "review", "status": "new"})
    ).per_status
    assert counts["in_review"] == 1 and counts["new"] == 0


def test_the_queue_page_lists_records_with_their_columns(signed_in):
    record = make_record(kind="prohibited", details={"organisation": "<b>Evil</b> Corp"})
    body = signed_in.get(reverse("review:queue")).content.decode()
    assert record.reference in body
    assert "Ada Lovelace" in body
    assert "&lt;b&gt;Evil&lt;/b&gt; Corp" in body  # user text is escaped
    assert "Prohibited" in body
    assert 'data-status-count="new">New <span class="count">(1)</span>' in body


def test_malformed_filters_are_reported_and_ignored(signed_in):
    make_record()
    response = signed_in.get(reverse("review:queue"), {"submitted_from": "yesterday"})
    body = response.content.decode()
    assert "<title>Error: Assessments queue" in body
    assert "Some filters were ignored" in body
    assert "Showing 1–1 of 1 record" in body


def test_the_queue_paginates_fifty_records_a_page(signed_in):
    seed_assessments(count=60)
    first = signed_in.get(reverse("review:queue")).content.decode()
    second = signed_in.get(reverse("review:queue"), {"page": "2"}).content.decode()
    assert "Showing 1–50 of 60 records" in first
    assert "Showing 51–60 of 60 records" in second
    assert "Page 2 of 2" in second


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_queue_runs_the_same_few_queries_for_3_or_30_records(signed_in):
    seed_assessments(count=3, seed=1)
    url = reverse("review:queue") + "?sort=newest"
    few = _queries(signed_in, url)
    seed_assessments(count=27, seed=2)
    assert Record.objects.exclude(assigned_to=None).exists()
    assert _queries(signed_in, url) == few
    assert _queries(signed_in, reverse("review:queue") + "?q=a&outcome=review") == few
    # session, user, the second-factor device (still there: a reset takes effect at once),
    # permissions (2), counts per status, page ids, page rows (with their last activity,
    # reviewer action and reply), the integrity panel (one query), the reviewers to assign
    # to, the saved filters
    assert few <= 11


def test_the_record_page_runs_the_same_few_queries_whatever_the_trail(signed_in, rita):
    quiet = make_record(kind="review")
    busy = make_record(kind="review")
    revision = 0
    for _ in range(10):
        review.request_information(record=busy, user=rita, expected_revision=revision, message="Q?")
        review.respondent_reply(record=busy, message="A.")
        revision = busy.revision
    seed_assessments(count=30)
    few = _queries(signed_in, reverse("review:record", args=[quiet.reference]))
    many = _queries(signed_in, reverse("review:record", args=[busy.reference]))
    assert few == many
    assert Record.objects.get(pk=busy.pk).status == Status.IN_REVIEW


@pytest.mark.parametrize("params", [{}, {"status": "decided"}, {"outcome": "review"}, {"q": "a"}])
def test_every_page_follows_the_queue_order_exactly(rita, params):
    seed_assessments(count=80, seed=5)
    filters = queue_filters(params)
    expected = list(filter_queue(user=rita, filters=filters).values_list("pk", flat=True))
    counts = queue_counts(user=rita, filters=filters)
    assert counts.matching == len(expected)
    pages = [
        [
            r.record.pk
            for r in queue_page(user=rita, filters=filters, counts=counts, offset=o, limit=7)
        ]
        for o in range(0, len(expected), 7)
    ]
    assert [pk for page in pages for pk in page] == expected


def test_the_last_day_a_date_picker_offers_is_a_valid_upper_bound(signed_in):
    # 9999-12-31 has no following day: it once overflowed into a 500.
    record = make_record()
    response = signed_in.get("/review/", {"submitted_to": "9999-12-31"})
    assert response.status_code == 200
    assert record.reference in response.content.decode()


def test_the_queue_page_shows_no_template_syntax(signed_in):
    # A Django comment {# ... #} spans one line only; a longer one is printed on the page.
    make_record()
    for response in (
        signed_in.get(reverse("review:queue")),
        signed_in.post(reverse("review:bulk_assign"), {}),  # refused: the queue again
    ):
        body = response.content.decode()
        assert "Assessments queue" in body
        assert "{#" not in body and "#}" not in body and "{%" not in body

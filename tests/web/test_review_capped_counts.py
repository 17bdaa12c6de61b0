"""More matches than the queue counts (ASSESSMENT_QUEUE_COUNT_LIMIT): the page says "more than",
never a guessed number, and still lists the first records in the queue's order."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.demo.seed import seed_assessments
from assessment.forms.queue import queue_filters
from assessment.models import Record
from assessment.selectors.queue import filter_queue, order_queue, queue_counts, queue_page
from assessment.services import review
from tests.factories import make_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_lovelaces(rita):
    """Five records that all match "lovelace" (the factory's respondent), one in review."""
    records = [make_record(kind="review") for _ in range(5)]
    review.assign_to_me(record=records[0], user=rita, expected_revision=0)
    return records


def test_past_the_limit_the_page_says_more_than_and_lists_the_first(
    signed_in, rita, settings, five_lovelaces
):
    settings.ASSESSMENT_QUEUE_COUNT_LIMIT = 3
    body = signed_in.get(reverse("review:queue"), {"q": "lovelace"}).content.decode()
    assert "Showing 1–3 of more than 3 records: only the first 3 are listed." in body
    assert 'All <span class="count">(more than 3)</span>' in body
    # The tabs' counts were not taken: no number rather than a wrong one.
    assert 'data-status-count="new">New</a>' in body
    listed = re.findall(r'<tr data-reference="([^"]+)"', body)
    first = filter_queue(user=rita, filters=queue_filters({"q": "lovelace"}))[:3]
    assert listed == [record.reference for record in first]

    # Within the limit everything is counted, as before.
    settings.ASSESSMENT_QUEUE_COUNT_LIMIT = 5
    body = signed_in.get(reverse("review:queue"), {"q": "lovelace"}).content.decode()
    assert "Showing 1–5 of 5 records" in body
    assert 'data-status-count="new">New <span class="count">(4)</span>' in body


def test_a_status_with_few_matches_is_still_counted_exactly(signed_in, settings, five_lovelaces):
    settings.ASSESSMENT_QUEUE_COUNT_LIMIT = 3
    url = reverse("review:queue")
    few = signed_in.get(url, {"q": "lovelace", "status": "in_review"}).content.decode()
    assert "Showing 1–1 of 1 record" in few
    assert 'data-status-count="in_review">In review <span class="count">(1)</span>' in few
    assert 'data-status-count="new">New</a>' in few  # beyond the limit overall: not counted
    many = signed_in.get(url, {"q": "lovelace", "status": "new"}).content.decode()
    assert "Showing 1–3 of more than 3 records" in many
    assert "Page" not in many  # one page of three: no pagination


def test_counting_past_the_limit_takes_no_extra_query(signed_in, settings, five_lovelaces):
    url = reverse("review:queue") + "?q=lovelace&status=new"

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(url).status_code == 200
        return len(captured)

    settings.ASSESSMENT_QUEUE_COUNT_LIMIT = 100
    counted = queries()
    settings.ASSESSMENT_QUEUE_COUNT_LIMIT = 3
    assert queries() == counted


@pytest.mark.parametrize(
    "params",
    [
        {"q": "a"},  # every group: the order comes from the priority index
        {"q": "a", "status": "decided"},  # one group: by date
        {"q": "a", "outcome": "review"},
        {"q": "a", "status": "new"},
        {"q": "a", "sort": "newest"},
        {"q": "a", "overdue": "1"},
    ],
)
def test_past_the_limit_the_pages_follow_the_queue_order_exactly(rita, settings, params):
    settings.ASSESSMENT_QUEUE_COUNT_LIMIT = 12
    seed_assessments(count=80, seed=5)
    filters = queue_filters(params)
    expected = list(filter_queue(user=rita, filters=filters).values_list("pk", flat=True))
    counts = queue_counts(user=rita, filters=filters)
    if len(expected) > 12:
        assert counts.matching is None and counts.groups is None and counts.listed == 12
    else:
        assert counts.matching == len(expected)
    pages = [
        [
            r.record.pk
            for r in queue_page(user=rita, filters=filters, counts=counts, offset=o, limit=5)
        ]
        for o in range(0, counts.listed, 5)
    ]
    assert [pk for page in pages for pk in page][: counts.listed] == expected[: counts.listed]


def test_the_test_data_reaches_past_the_limit_in_every_branch(rita, settings):
    """The parametrized test above means something only if its data crosses the limit."""
    settings.ASSESSMENT_QUEUE_COUNT_LIMIT = 12
    seed_assessments(count=80, seed=5)
    for params in ({"q": "a"}, {"q": "a", "status": "decided"}):
        assert queue_counts(user=rita, filters=queue_filters(params)).matching is None


@pytest.mark.postgres_only
def test_the_queue_order_is_read_from_its_index(rita):
    """Past the limit, a search's first page in the default order comes from the index on that
    very order (migration 0019): if the query's expression and the index's ever differ, the
    database can only sort, and this fails."""
    make_record(kind="review")
    queryset = order_queue(
        Record.objects.filter(search_text__contains="lovelace"), "priority"
    ).values_list("pk", flat=True)[:50]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "record_priority_order" in plan, plan

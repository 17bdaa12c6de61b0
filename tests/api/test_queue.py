"""GET /api/v1/assessments and /events: the reviewers' queue and audit trail, read:all only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.forms.queue import queue_filters
from assessment.selectors.queue import filter_queue
from assessment.services import review
from tests.api.conftest import bearer
from tests.factories import make_record

pytestmark = pytest.mark.django_db
URL = "/api/v1/assessments"


def all_pages(api, secret: str, query: str = "") -> list[dict]:
    items, url = [], f"{URL}?page_size=2{'&' + query if query else ''}"
    while url:
        body = api.get(url, **bearer(secret)).json()
        items.extend(body["results"])
        url = body["next"]
    return items


@pytest.mark.parametrize(
    "query",
    [
        "",
        "sort=newest",
        "sort=oldest",
        "sort=reference",
        "sort=status",
        "outcome=prohibited",
        "status=decided",
        "q=Ada",
        "rereview=1",
    ],
)
def test_the_queue_lists_what_the_review_page_lists_in_its_order(api, reviewer, all_token, query):
    records = [make_record(kind=kind) for kind in ("permitted", "review", "prohibited") * 2]
    review.confirm(record=records[0], user=reviewer, expected_revision=records[0].revision)
    params = dict(pair.split("=") for pair in query.split("&")) if query else {}
    expected = [r.reference for r in filter_queue(user=reviewer, filters=queue_filters(params))]
    assert [item["reference"] for item in all_pages(api, all_token, query)] == expected


def test_malformed_filters_are_a_400_naming_each_one(api, all_token):
    make_record()
    response = api.get(
        f"{URL}?category=nonsense&sort=bogus&submitted_to=31/12/2026&status=new",
        **bearer(all_token),
    )
    assert response.status_code == 400
    assert set(response.json()) == {"category", "sort", "submitted_to"}
    assert response.json()["submitted_to"] == ["Enter a date as YYYY-MM-DD, such as 2026-01-31"]


def test_the_last_day_a_date_picker_offers_is_a_valid_filter(api, all_token):
    record = make_record()
    response = api.get(f"{URL}?submitted_to=9999-12-31", **bearer(all_token))
    assert response.status_code == 200
    assert [item["reference"] for item in response.json()["results"]] == [record.reference]


def test_the_documented_filters_are_the_forms_filters():
    from assessment.api.serializers import QueueFilterErrorSerializer, QueueQuerySerializer
    from assessment.forms.queue import QueueFilterForm

    assert set(QueueQuerySerializer().fields) == set(QueueFilterForm().fields)
    assert set(QueueFilterErrorSerializer().fields) == set(QueueFilterForm().fields)


def test_mine_means_assigned_to_the_tokens_owner(api, reviewer, all_token):
    mine, _ = make_record(), make_record()
    review.assign_to_me(record=mine, user=reviewer, expected_revision=mine.revision)
    items = all_pages(api, all_token, "mine=1")
    assert [item["reference"] for item in items] == [mine.reference]
    assert items[0]["assigned_to"] == reviewer.get_username()


def test_a_queue_page_costs_the_same_queries_however_many_records(api, all_token):
    def queries_for_a_page() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"{URL}?page_size=3", **bearer(all_token))
        assert response.status_code == 200
        return len(captured)

    for _ in range(3):
        make_record()
    api.get(URL, **bearer(all_token))  # the token's last-used time is written once a minute
    few = queries_for_a_page()
    for _ in range(12):
        make_record()
    assert queries_for_a_page() == few


def test_the_queue_needs_a_read_all_token(api, own_token):
    assert api.get(URL, **bearer(own_token)).status_code == 403
    assert api.get(URL).status_code == 401


def test_the_audit_trail_lists_every_event_in_order(api, reviewer, all_token):
    record = make_record(kind="review")
    review.assign_to_me(record=record, user=reviewer, expected_revision=record.revision)
    response = api.get(f"{URL}/{record.reference}/events", **bearer(all_token))
    assert response.status_code == 200
    events = response.json()
    assert [e["action"] for e in events][:2] == ["submitted", "assigned"]
    assert all(e["matches_record"] and e["record_sha256"] == record.sha256 for e in events)


def test_the_audit_trail_is_403_for_read_own_even_on_their_own_record(api, submit, own_token):
    created = submit("permitted", own_token)
    response = api.get(f"{URL}/{created['reference']}/events", **bearer(own_token))
    assert response.status_code == 403


def test_the_audit_trail_of_an_unknown_reference_is_404(api, all_token):
    assert api.get(f"{URL}/AS-2099-00001/events", **bearer(all_token)).status_code == 404


def test_no_reviewer_decision_can_be_made_with_a_token(api, all_token):
    record = make_record(kind="review")
    for method in ("post", "put", "patch", "delete"):
        response = getattr(api, method)(f"{URL}/{record.reference}", {}, **bearer(all_token))
        assert response.status_code == 405
    record.refresh_from_db()
    assert record.decided_outcome is None and record.revision == 0

"""The queue's one parser (forms.queue.QueueFilterForm): what it accepts, what it reports, and
that the page, the exports and links built from its result agree."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from django.urls import reverse

from assessment.forms.queue import QueueFilterForm, queue_filters
from assessment.selectors.queue import QueueFilters
from tests.factories import make_record

pytestmark = pytest.mark.django_db


def test_a_query_string_becomes_typed_filters():
    filters = queue_filters(
        {"status": "new", "submitted_from": "2026-01-31", "mine": "1", "q": " García ", "sort": ""}
    )
    assert filters == QueueFilters(
        status="new", submitted_from=date(2026, 1, 31), mine=True, q="García"
    )


def test_links_carry_the_filters_as_parsed_and_parse_back_to_the_same():
    filters = QueueFilters(
        status="in_review", submitted_to=date(9999, 12, 31), rereview=True, q="a b", sort="oldest"
    )
    assert filters.query() == {
        "status": "in_review",
        "submitted_to": "9999-12-31",
        "rereview": "1",
        "q": "a b",
        "sort": "oldest",
    }
    assert queue_filters(filters.query()) == filters
    assert QueueFilters().querystring() == ""


def test_a_malformed_field_is_reported_and_left_out_the_others_apply():
    form = QueueFilterForm({"status": "bogus", "submitted_from": "31/01/2026", "outcome": "review"})
    assert form.filters() == QueueFilters(outcome="review")
    assert form.problems() == {
        "status": ["Choose a status from the list"],
        "submitted_from": ["Enter a date as YYYY-MM-DD, such as 2026-01-31"],
    }


@pytest.mark.parametrize(
    "params",
    [
        {"submitted_to": "9999-12-31"},
        {"submitted_from": "9999-12-31"},
        {"submitted_from": "0001-01-01", "submitted_to": "0001-01-01"},
        {"submitted_from": "2026-02-30"},
        {"submitted_to": "99999-01-01"},
        {"submitted_from": "-1"},
        {"q": "x" * 5000},
        {"sort": "priority'; drop table"},
        {"mine": "maybe", "rereview": "0"},
    ],
)
def test_no_input_makes_the_page_or_an_export_fail(signed_in, params):
    make_record()
    for name in ("review:queue", "review:export_csv", "review:export_json"):
        response = signed_in.get(reverse(name), params)
        assert response.status_code == 200, (name, params)


def test_errors_show_next_to_the_field_and_in_the_summary(signed_in):
    body = signed_in.get(reverse("review:queue"), {"submitted_from": "2026-13-01"}).content.decode()
    message = "Enter a date as YYYY-MM-DD, such as 2026-01-31"
    assert f'<a href="#id_submitted_from">Submitted from: {message}</a>' in body
    # Crispy draws the message right after the field it is about, which points to it.
    field = re.search(r"<input [^>]*id=\"id_submitted_from\"[^>]*>", body)
    assert field is not None
    assert 'aria-invalid="true"' in field[0]
    assert 'aria-describedby="id_submitted_from_error"' in field[0]
    after = body[field.end() :]
    assert re.match(
        rf'\s*<div id="id_submitted_from_error" class="invalid-feedback">\s*'
        rf'<span id="error_1_id_submitted_from"><strong>{message}</strong></span>',
        after,
    )


def test_an_export_under_a_malformed_filter_holds_what_the_page_shows(signed_in):
    permitted = make_record(kind="permitted")
    make_record(kind="review")
    params = {"outcome": "permitted", "submitted_to": "not a date"}
    page = signed_in.get(reverse("review:queue"), params).content.decode()
    assert "Showing 1–1 of 1 record" in page and permitted.reference in page
    exported = signed_in.get(reverse("review:export_csv"), params)
    rows = list(
        csv.DictReader(io.StringIO(b"".join(exported.streaming_content).decode("utf-8-sig")))
    )
    assert [row["reference"] for row in rows] == [permitted.reference]


def test_a_malformed_date_is_not_echoed_into_the_date_input(signed_in):
    # HTML allows only a real YYYY-MM-DD as an <input type=date> value (the Nu checker).
    body = signed_in.get("/review/?submitted_to=2026-13-45&submitted_from=2026-01-31").content
    page = body.decode()
    assert "2026-13-45" not in page
    assert 'value="2026-01-31"' in page
    assert "Enter a date as YYYY-MM-DD" in page

"""How many queries "Check your answers" and the result page take, so that a regression fails
here without timing anything (issue 15). The question page's GET and POST are pinned with the
service they call, in test_respondent_services.py."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Audience
from assessment.services import review, revisions, submission
from tests.factories import answers_for, make_draft, make_record
from tests.review_support import make_reviewer

pytestmark = pytest.mark.django_db


def _statements(captured) -> list[str]:
    return [query["sql"].split()[0].upper() for query in captured.captured_queries]


def test_the_check_page_takes_one_query(client, django_assert_num_queries):
    draft = make_draft(answers=answers_for("permitted"))
    url = reverse("check", args=[draft.token])
    client.get(url)  # the CSRF cookie is set once per browser
    with django_assert_num_queries(1):  # the draft
        assert client.get(url).status_code == 200


def test_a_result_page_takes_one_query(client, django_assert_num_queries):
    record = make_record(kind="review")
    url = reverse("result", args=[record.token])
    client.get(url)
    with django_assert_num_queries(1) as captured:  # the record with its conversation
        assert client.get(url).status_code == 200
    assert _statements(captured) == ["SELECT"]


def test_the_conversation_and_the_closing_reason_come_with_the_record(
    client, django_assert_num_queries
):
    record = make_record(kind="review")
    reviewer = make_reviewer()
    review.request_information(
        record=record, user=reviewer, expected_revision=0, message="Which dataset?"
    )
    record.refresh_from_db()
    review.close(
        record=record,
        user=reviewer,
        expected_revision=record.revision,
        reason="Withdrawn at the team's request.",
        ending="withdrawn",
        audience=Audience.RESPONDENT,
    )
    url = reverse("result", args=[record.token])
    with django_assert_num_queries(1):
        page = client.get(url).content.decode()
    assert "Which dataset?" in page
    assert "Withdrawn at the team&#x27;s request." in page


def test_a_reply_s_file_name_comes_with_the_record(
    client, settings, tmp_path, django_assert_num_queries
):
    settings.MEDIA_ROOT = tmp_path
    record = make_record(kind="review")
    review.request_information(
        record=record, user=make_reviewer(), expected_revision=0, message="Send the agreement."
    )
    pdf = SimpleUploadedFile("agreement.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    client.post(reverse("reply", args=[record.token]), {"message": "Here.", "attachment": pdf})
    with django_assert_num_queries(1):
        page = client.get(reverse("result", args=[record.token])).content.decode()
    assert "agreement.pdf" in page


def test_the_earlier_reference_of_a_revision_comes_with_the_record(
    client, django_assert_num_queries
):
    earlier = make_record(kind="review")
    draft = revisions.start_revision(record=earlier, client_address=None)
    record = submission.submit(draft=draft)
    with django_assert_num_queries(1):
        page = client.get(reverse("result", args=[record.token])).content.decode()
    assert earlier.reference in page

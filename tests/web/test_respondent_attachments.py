"""A respondent attaches a file to a message: checked by content, stored through the default
storage, downloadable by reviewers only, never served inline."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Attachment, EventAction
from assessment.services import review
from tests.factories import make_record
from tests.review_support import make_outsider, make_reviewer, sign_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def asked():
    record = make_record(kind="review")
    review.request_information(
        record=record, user=make_reviewer(), expected_revision=0, message="Send the agreement."
    )
    return record


def _send(client, record, content: bytes, name: str, content_type: str = "application/pdf"):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(
        reverse("reply", args=[record.token]),
        {"message": "Here it is.", "attachment": upload},
    )


def test_a_pdf_is_stored_with_the_message_under_a_random_name(client, asked, media):
    response = _send(client, asked, PDF, "../../agreement.pdf")
    assert response.status_code == 302
    stored = Attachment.objects.get()
    assert stored.event.action == EventAction.RESPONDENT_REPLIED
    assert (stored.name, stored.content_type, stored.size) == (
        "agreement.pdf",
        "application/pdf",
        len(PDF),
    )
    assert "agreement" not in stored.file.name
    assert (media / stored.file.name).read_bytes() == PDF
    page = client.get(reverse("result", args=[asked.token])).content.decode()
    assert "You attached" in page and "agreement.pdf" in page


@pytest.mark.parametrize(
    ("content", "name", "error"),
    [
        (b"<html><script>alert(1)</script></html>", "agreement.pdf", "must be a PDF, PNG or JPEG"),
        (b"MZ\x90\x00 an executable", "photo.png", "must be a PDF, PNG or JPEG"),
        (b"%PDF-" + b"x" * 2048, "big.pdf", "must be 0 MB or smaller"),
    ],
)
def test_a_file_of_the_wrong_type_or_size_is_refused_and_the_message_kept(
    client, asked, settings, content, name, error
):
    if name == "big.pdf":
        settings.ASSESSMENT_ATTACHMENT_MAX_BYTES = 1024
    response = _send(client, asked, content, name)
    body = response.content.decode()
    assert response.status_code == 200
    assert error in body
    assert "Here it is.</textarea>" in body  # what they typed is not lost
    assert not Attachment.objects.exists()
    assert not asked.events.filter(action=EventAction.RESPONDENT_REPLIED).exists()


def test_only_reviewers_download_it_and_always_as_a_download(client, asked):
    _send(client, asked, PDF, "agreement.pdf")
    stored = Attachment.objects.get()
    url = reverse("review:attachment", args=[asked.reference, stored.pk])
    assert client.get(url).status_code == 302  # anonymous: sent to sign in
    sign_in(client, make_outsider())
    assert client.get(url).status_code == 403
    sign_in(client, make_reviewer("sam", "sam@example.com"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF
    other = make_record(kind="review")
    wrong_record = reverse("review:attachment", args=[other.reference, stored.pk])
    assert client.get(wrong_record).status_code == 404
    page = client.get(reverse("review:record", args=[asked.reference])).content.decode()
    assert f'href="{url}"' in page

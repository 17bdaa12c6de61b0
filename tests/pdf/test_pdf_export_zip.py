"""Reviewers export the PDFs of a filtered queue as one ZIP."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from assessment.canonical import canonical_json
from tests.factories import make_record
from tests.pdf.conftest import read_pdf

pytestmark = pytest.mark.django_db


def zip_of(response) -> zipfile.ZipFile:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith('attachment; filename="assessments-')
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_zip_holds_one_valid_pdf_per_filtered_record(signed_in_reviewer):
    wanted = [make_record(kind="prohibited"), make_record(kind="prohibited")]
    make_record(kind="permitted")

    response = signed_in_reviewer.get(reverse("review_export_zip"), {"outcome": "prohibited"})
    archive = zip_of(response)

    pdfs = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    assert pdfs == sorted(f"{record.reference}.pdf" for record in wanted)
    for record in wanted:
        reader = read_pdf(archive.read(f"{record.reference}.pdf"))
        (attached,) = reader.attachments[f"record-{record.reference}.json"]
        assert attached == canonical_json(record.payload)
    assert response["X-Export-Count"] == "2"
    assert response["X-Export-Matching"] == "2"
    assert "2 of the 2 records" in archive.read("README.txt").decode()


def test_zip_is_capped_and_says_so(signed_in_reviewer, monkeypatch):
    monkeypatch.setattr("assessment.pdf.archive.MAX_PDFS_PER_ZIP", 2)
    for _ in range(3):
        make_record(kind="review")

    archive = zip_of(signed_in_reviewer.get(reverse("review_export_zip")))

    assert len([name for name in archive.namelist() if name.endswith(".pdf")]) == 2
    readme = archive.read("README.txt").decode()
    assert "2 of the 3 records" in readme
    assert "at most 2 PDFs" in readme


def test_empty_filter_gives_a_zip_that_says_nothing_matched(signed_in_reviewer):
    archive = zip_of(signed_in_reviewer.get(reverse("review_export_zip"), {"outcome": "permitted"}))
    assert archive.namelist() == ["README.txt"]
    assert "0 of the 0 records" in archive.read("README.txt").decode()

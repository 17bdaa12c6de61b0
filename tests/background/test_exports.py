"""ZIP exports of the filtered queue are built in the background, shown with their progress,
downloaded when ready, announced by email, and purged when they expire."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from assessment.models import Export, ExportChunk, Record
from assessment.questionnaire import CURRENT_VERSION
from tests.factories import make_record
from tests.pdf.conftest import read_pdf
from tests.review_support import make_reviewer, sign_in


def download(client, export: Export) -> zipfile.ZipFile:
    response = client.get(reverse("review:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def assert_pdfs_match_records(archive: zipfile.ZipFile, records: list[Record]) -> None:
    pdfs = sorted(name for name in archive.namelist() if name.endswith(".pdf"))
    assert pdfs == sorted(f"pdf/{record.reference}.pdf" for record in records)
    for record in records:
        reader = read_pdf(archive.read(f"pdf/{record.reference}.pdf"))
        (attached,) = reader.attachments[f"record-{record.reference}.json"]
        assert hashlib.sha256(attached).hexdigest() == record.sha256


@pytest.mark.django_db
def test_a_reviewer_asks_for_a_zip_and_it_is_built_in_the_background(
    client, django_capture_on_commit_callbacks
):
    wanted = [make_record(kind="prohibited"), make_record(kind="prohibited")]
    make_record(kind="permitted")
    reviewer = make_reviewer()
    sign_in(client, reviewer)

    # The request only queues the export: the build runs after commit, in a task.
    response = client.post(reverse("review:export_zip") + "?outcome=prohibited")
    export = Export.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("review:export", args=[export.pk])
    page = client.get(response["Location"]).content.decode()
    assert 'data-export-state="queued"' in page
    assert '<meta http-equiv="refresh" content="3">' in page  # refreshes itself, no script

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("review:export_zip") + "?outcome=prohibited")
    export = Export.objects.get(pk=response["Location"].split("/")[-2])
    assert (export.state, export.done, export.total) == (Export.State.READY, 2, 2)
    page = client.get(response["Location"]).content.decode()
    assert "http-equiv" not in page
    assert "2</span> of <span data-export-total>2" in page
    assert reverse("review:export_download", args=[export.pk]) in page

    archive = download(client, export)
    assert_pdfs_match_records(archive, wanted)
    written = archive.read("assessments.csv")
    assert written.startswith(b"reference,")  # UTF-8 without a byte order mark
    rows = list(csv.DictReader(io.StringIO(written.decode("utf-8"), newline="")))
    assert all(row["effective_outcome_code"] == "prohibited" for row in rows)
    assert any(column.startswith(f"{CURRENT_VERSION} capabilities: ") for column in rows[0])
    assert sorted(row["reference"] for row in rows) == sorted(r.reference for r in wanted)
    data = json.loads(archive.read("assessments.json"))
    assert sorted(r["reference"] for r in data["records"]) == sorted(r.reference for r in wanted)
    assert "2 records" in archive.read("README.txt").decode()

    [told] = [m for m in mail.outbox if m.subject == "Your export is ready"]
    assert told.to == [reviewer.email]
    assert reverse("review:export", args=[export.pk]) in told.body


@pytest.mark.django_db
def test_an_export_is_seen_by_its_requester_only(client, django_capture_on_commit_callbacks):
    make_record(kind="review")
    sign_in(client, make_reviewer("rita", "rita@example.com"))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:export_zip"))
    export = Export.objects.get()

    sign_in(client, make_reviewer("sam", "sam@example.com"))
    assert client.get(reverse("review:export", args=[export.pk])).status_code == 404
    assert client.get(reverse("review:export_download", args=[export.pk])).status_code == 404
    assert client.get(reverse("review:export", args=["not-a-uuid"])).status_code == 404


@pytest.mark.django_db
def test_asking_for_an_export_needs_a_post_with_csrf(client):
    client = type(client)(enforce_csrf_checks=True)
    sign_in(client, make_reviewer())
    assert client.get(reverse("review:export_zip")).status_code == 405
    assert client.post(reverse("review:export_zip")).status_code == 403
    assert not Export.objects.exists()


@pytest.mark.django_db
def test_expired_exports_are_purged(client, settings, django_capture_on_commit_callbacks):
    make_record(kind="review")
    sign_in(client, make_reviewer())
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("review:export_zip"))
        client.post(reverse("review:export_zip"))
    old, new = Export.objects.order_by("created_at")
    Export.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    out = io.StringIO()
    call_command("purge_exports", stdout=out)

    assert "Deleted 1 expired export" in out.getvalue()
    assert list(Export.objects.all()) == [new]
    assert not ExportChunk.objects.filter(export_id=old.pk).exists()
    assert ExportChunk.objects.filter(export=new).exists()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_an_export_of_a_thousand_records_holds_a_thousand_pdfs_matching_their_hashes(
    client, database_queue
):
    # Runs once per `make test` (the SQLite pass): 1,000 renderings take minutes on 2 cores.
    records = [make_record(kind="review") for _ in range(1000)]
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the submissions' own renderings: left to the export
    sign_in(client, make_reviewer())
    response = client.post(reverse("review:export_zip"))
    export = Export.objects.get()
    assert export.state == Export.State.QUEUED  # the request returned before any PDF

    from tests.background.conftest import run_worker

    run_worker()

    export.refresh_from_db()
    assert (export.state, export.done, export.total) == (Export.State.READY, 1000, 1000)
    assert response.status_code == 302
    assert_pdfs_match_records(download(client, export), records)

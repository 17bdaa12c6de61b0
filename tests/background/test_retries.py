"""A task that fails is retried, then ends failed with its error shown to staff."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from assessment.models import Rendering
from tests.background.conftest import run_worker
from tests.factories import make_record
from tests.review_support import make_reviewer, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failing_task_is_retried_then_ends_failed_with_its_error_on_the_staff_page(
    database_queue, monkeypatch, client
):
    make_record(kind="review")  # its submission queued the rendering of its PDF
    calls = []

    def broken(record, for_reviewers):
        calls.append(record.pk)
        raise RuntimeError("the fonts are missing")

    monkeypatch.setattr("assessment.background.renderings.render_record_pdf", broken)
    run_worker()

    # Two renderings (the respondent's and the reviewers'), each tried three times: the first
    # attempt and one per ASSESSMENT_TASK_RETRY_DELAYS.
    assert len(calls) == 6
    results = DBTaskResult.objects.filter(task_path="assessment.tasks.render_pdf")
    statuses = sorted(results.values_list("status", flat=True))
    # Attempts 1 and 2 end by scheduling the next one.
    assert statuses == ["FAILED"] * 2 + ["SUCCESSFUL"] * 4
    for failed in results.filter(status="FAILED"):
        assert failed.args_kwargs["kwargs"] == {"attempt": 3}
        assert "RuntimeError: the fonts are missing" in failed.traceback
    assert not Rendering.objects.exists()

    sign_in(client, make_reviewer())
    page = client.get(reverse("review:background")).content.decode()
    assert "render_pdf" in page
    assert "RuntimeError: the fonts are missing" in page


def test_a_task_that_succeeds_on_a_retry_ends_successful(database_queue, monkeypatch):
    record = make_record(kind="review")
    from assessment.background import renderings

    real = renderings.render_record_pdf
    failures = ["once"]

    def flaky(record, for_reviewers):
        if failures:
            failures.pop()
            raise OSError("temporary")
        return real(record, for_reviewers=for_reviewers)

    monkeypatch.setattr("assessment.background.renderings.render_record_pdf", flaky)
    run_worker()  # the rendering its submission queued

    assert Rendering.objects.filter(record=record).count() == 2  # both audiences
    assert not DBTaskResult.objects.failed().exists()

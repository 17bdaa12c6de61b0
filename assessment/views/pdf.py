"""PDF summaries: one for the respondent's private link, one per record and a ZIP for reviewers.

Rendering reads the record only; if it fails, the error is logged and the styled error page is
shown, and nothing stored changes.
"""

from __future__ import annotations

import logging
import tempfile

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from assessment import access
from assessment.models import Record
from assessment.pdf import pdf_filename, render_record_pdf
from assessment.pdf.archive import MAX_PDFS_PER_ZIP, write_pdf_zip
from assessment.selectors.queue import filter_queue
from assessment.views.errors import render_error
from assessment.views.review.decorators import reviewer_required

logger = logging.getLogger(__name__)
# A summary names the respondent and their answers: never kept by a browser or proxy cache.
CACHE_CONTROL = "private, no-store"
# The ZIP is spooled to disk beyond this size, so a large export does not sit in memory.
SPOOL_IN_MEMORY = 8 * 1024 * 1024


@require_GET
def respondent_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    # Only a submitted assessment has a record: a draft's link (or a bad token) is a 404.
    return _pdf_response(request, access.record_for_respondent(token), for_reviewers=False)


@require_GET
@reviewer_required
def review_pdf(request: HttpRequest, reference: str) -> HttpResponseBase:
    record = access.record_for_reviewer(request.user, reference)
    return _pdf_response(request, record, for_reviewers=True)


@require_GET
@reviewer_required
def review_export_zip(request: HttpRequest) -> HttpResponseBase:
    records = filter_queue(user=request.user, params=request.GET)
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)  # noqa: SIM115 (FileResponse closes it)
    try:
        contents = write_pdf_zip(records, spool)
    except Exception:  # any rendering failure: log it, show the error page, change nothing
        spool.close()
        logger.exception("Could not build the PDF export")
        return _already_logged(render_error(request, 500))
    spool.seek(0)
    response = FileResponse(
        spool,
        as_attachment=True,
        filename=f"assessments-{timezone.now():%Y%m%d-%H%M}.zip",
        content_type="application/zip",
    )
    response["Cache-Control"] = CACHE_CONTROL
    # Say what was left out, for scripts; the ZIP's README.txt says it for people.
    response["X-Export-Count"] = str(contents.included)
    response["X-Export-Matching"] = str(contents.matching)
    response["X-Export-Limit"] = str(MAX_PDFS_PER_ZIP)
    return response


def _pdf_response(request: HttpRequest, record: Record, *, for_reviewers: bool) -> HttpResponseBase:
    try:
        pdf = render_record_pdf(record, for_reviewers=for_reviewers)
    except Exception:  # any rendering failure: log it, show the error page, change nothing
        # The reference, not the token: private links stay out of the logs.
        logger.exception("Could not render the PDF summary of %s", record.reference)
        return _already_logged(render_error(request, 500))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=pdf_filename(record)
    )
    response["Cache-Control"] = CACHE_CONTROL
    return response


def _already_logged(response: HttpResponse) -> HttpResponse:
    # Django's request logger would log this 500 again with the request path, which for a
    # respondent is the private link; the line above already logged it, by reference.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response

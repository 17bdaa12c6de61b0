"""PDF summaries: one for the respondent's private link, one per record for reviewers.

A download serves the stored rendering of the record's current state (made by a background
task after each event); only when there is none yet is it rendered here, and stored. If that
fails, the error is logged and the styled error page is shown. ZIPs of many PDFs are built in
the background (views/review/exports.py).
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from assessment import access
from assessment.background import renderings
from assessment.models import Record
from assessment.pdf import pdf_filename
from assessment.views.errors import render_error
from assessment.views.review.decorators import reviewer_required

logger = logging.getLogger(__name__)
# A summary names the respondent and their answers: never kept by a browser or proxy cache.
CACHE_CONTROL = "private, no-store"


@require_GET
def respondent_pdf(request: HttpRequest, token: str) -> HttpResponseBase:
    # Only a submitted assessment has a record: a draft's link (or a bad token) is a 404.
    return _pdf_response(request, access.record_for_respondent(token), for_reviewers=False)


@require_GET
@reviewer_required
def review_pdf(request: HttpRequest, reference: str) -> HttpResponseBase:
    record = access.record_for_reviewer(request.user, reference)
    return _pdf_response(request, record, for_reviewers=True)


def _pdf_response(request: HttpRequest, record: Record, *, for_reviewers: bool) -> HttpResponseBase:
    try:
        pdf = renderings.pdf_for_download(record, for_reviewers=for_reviewers)
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

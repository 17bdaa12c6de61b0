"""A respondent's attached file, for reviewers only, always as a download (never inline)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from assessment.access import record_for_reviewer
from assessment.models import Attachment
from assessment.views.review.decorators import reviewer_required


@require_GET
@reviewer_required
def attachment(request: HttpRequest, reference: str, attachment_id: int) -> FileResponse:
    record = record_for_reviewer(request.user, reference)
    try:
        stored = Attachment.objects.get(pk=attachment_id, record=record)
    except Attachment.DoesNotExist:
        raise Http404 from None
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.name,
        content_type=stored.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser were asked to show it, it runs nothing and loads nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

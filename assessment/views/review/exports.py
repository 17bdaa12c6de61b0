"""Exports of the filtered queue: CSV and JSON streamed at once; the ZIP (PDFs + CSV + JSON +
README) built by a background task, with a status page that refreshes itself (no script)
until the download link appears."""

from collections.abc import Iterator

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from assessment import access, exports
from assessment.background import exports as zip_exports
from assessment.forms.queue import queue_filters
from assessment.models import Export
from assessment.selectors.queue import filter_queue
from assessment.views.review.decorators import reviewer_required

# How often the status page of an export being built reloads itself, in seconds.
REFRESH_SECONDS = 3


def _download(
    content: Iterator[str], *, content_type: str, extension: str
) -> StreamingHttpResponse:
    """A streamed attachment, named by when it was made, never kept by a cache."""
    response = StreamingHttpResponse(content, content_type=content_type)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    response["Content-Disposition"] = f'attachment; filename="assessments-{stamp}.{extension}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@reviewer_required
def export_csv(request: HttpRequest) -> StreamingHttpResponse:
    records = filter_queue(user=request.user, filters=queue_filters(request.GET))
    lines = exports.csv_lines(
        exports.rows(records, full_trail=False), versions=exports.answer_versions(records)
    )
    return _download(lines, content_type="text/csv; charset=utf-8", extension="csv")


@require_GET
@reviewer_required
def export_json(request: HttpRequest) -> StreamingHttpResponse:
    records = filter_queue(user=request.user, filters=queue_filters(request.GET))
    chunks = exports.json_chunks(exports.rows(records), exported_at=timezone.now())
    return _download(chunks, content_type="application/json", extension="json")


@require_POST
@reviewer_required
def export_zip(request: HttpRequest) -> HttpResponse:
    # The filters are the queue's query string, carried on the form's action URL.
    assert isinstance(request.user, User)  # reviewer_required let only a signed-in user in
    export = zip_exports.request_export(user=request.user, params=request.GET)
    return redirect("review:export", export.pk)


@require_GET
@reviewer_required
def export_status(request: HttpRequest, export_id: str) -> HttpResponse:
    export = access.export_for_reviewer(request.user, export_id)
    finished = export.state in (Export.State.READY, Export.State.FAILED)
    # Until it is finished the page reloads itself with a <meta> refresh: no script needed.
    response = render(
        request,
        "review/export.html",
        {"export": export, "finished": finished, "refresh": REFRESH_SECONDS},
    )
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@reviewer_required
def export_download(request: HttpRequest, export_id: str) -> HttpResponseBase:
    export = access.export_for_reviewer(request.user, export_id)
    if export.state != Export.State.READY:
        return redirect("review:export", export.pk)
    response = StreamingHttpResponse(zip_exports.chunks(export), content_type="application/zip")
    response["Content-Length"] = str(export.size)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "private, no-store"
    return response

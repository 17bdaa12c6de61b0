"""The latest signed checkpoint of the hash chain, as the JSON file an auditor keeps."""

import json

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from assessment.models import Checkpoint
from assessment.services import integrity
from assessment.views.errors import render_error
from assessment.views.review.decorators import reviewer_required


@require_GET
@reviewer_required
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = Checkpoint.objects.first()
    if latest is None:
        return render_error(request, 404)
    document = integrity.checkpoint_document(latest)
    response = HttpResponse(
        json.dumps(document, indent=2) + "\n", content_type="application/json; charset=utf-8"
    )
    name = f"checkpoint-{latest.created_at:%Y%m%dT%H%M%SZ}-{latest.length}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

"""Anyone holding a PDF can check it against the stored record, and learn nothing else."""

import hmac

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from assessment.forms.verify import VerifyForm
from assessment.models import Record
from assessment.services import integrity


def matching_record(*, reference: str, sha256: str) -> Record | None:
    """The record the PDF shows, if it exists, that hash is the one printed on the PDF, and the
    record is intact (its seal, keyed or legacy, and its place in the hash chain); else None.
    Every failure is the same answer, so it reveals nothing about which records exist."""
    record = Record.objects.filter(reference=reference).first()
    if record is None or not hmac.compare_digest(record.sha256, sha256):
        return None
    if integrity.record_problems(record):
        return None
    return record


def verdict(record: Record | None, state: str = "") -> str:
    """ "no-match" without a matching record. Past that, with the review state code printed on
    the PDF: "current" or "superseded" (the decision has changed since it was produced); without
    one (a PDF from before the codes): "match"."""
    if record is None:
        return "no-match"
    if not state:
        return "match"
    return "current" if hmac.compare_digest(record.review_state_code(), state) else "superseded"


@require_http_methods(["GET", "POST"])
# A verdict names a reference and whether its PDF is current: not for any cache to keep.
@cache_control(private=True, no_store=True)
def verify(request: HttpRequest) -> HttpResponse:
    # POST, so hashes and references stay out of URLs, browser history and access logs.
    form = VerifyForm(request.POST or None)
    answer, seal = None, None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            record = matching_record(reference=data["reference"], sha256=data["sha256"])
            answer = verdict(record, data.get("state", ""))
            # Which kind of seal the record carries is said only when it matches.
            if record is not None:
                seal = {"keyed": record.keyed_seal, "label": record.seal_label}
        else:
            status = 400
    context = {"form": form, "verdict": answer, "seal": seal}
    return render(request, "verify.html", context, status=status)

"""Anyone holding a PDF can check it against the stored record, and learn nothing else."""

import hmac

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_http_methods

from assessment.forms.verify import VerifyForm
from assessment.models import Record


def verdict_for(*, reference: str, sha256: str, state: str = "") -> str:
    """ "no-match" unless the record exists, its content still hashes to its stored hash, and
    that hash is the one printed on the PDF: every such case is the same answer, so it reveals
    nothing about which records exist. Past that, with the review state code printed on the
    PDF: "current" or "superseded" (the decision has changed since it was produced); without
    one (a PDF from before the codes): "match"."""
    record = Record.objects.filter(reference=reference).first()
    if record is None:
        return "no-match"
    if not hmac.compare_digest(record.sha256, sha256) or record.integrity_problems():
        return "no-match"
    if not state:
        return "match"
    return "current" if hmac.compare_digest(record.review_state_code(), state) else "superseded"


def pdf_matches_stored_record(*, reference: str, sha256: str) -> bool:
    return verdict_for(reference=reference, sha256=sha256) != "no-match"


@require_http_methods(["GET", "POST"])
# A verdict names a reference and whether its PDF is current: not for any cache to keep.
@cache_control(private=True, no_store=True)
def verify(request: HttpRequest) -> HttpResponse:
    # POST, so hashes and references stay out of URLs, browser history and access logs.
    form = VerifyForm(request.POST or None)
    verdict = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            verdict = verdict_for(**form.cleaned_data)
        else:
            status = 400
    return render(request, "verify.html", {"form": form, "verdict": verdict}, status=status)

"""Anyone holding a PDF can check it against the stored record, and learn nothing else."""

import hmac

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from assessment.forms.verify import VerifyForm
from assessment.models import Record


def pdf_matches_stored_record(*, reference: str, sha256: str) -> bool:
    """True only when the record exists, its content still hashes to its stored hash, and
    that hash is the one printed on the PDF. Every other case is the same "no match", so the
    answer reveals nothing about which records exist."""
    record = (
        Record.objects.filter(reference=reference)
        .only("reference", "questionnaire_version", "outcome", "payload", "sha256")
        .first()
    )
    if record is None:
        return False
    return hmac.compare_digest(record.sha256, sha256) and not record.integrity_problems()


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    # POST, so hashes and references stay out of URLs, browser history and access logs.
    form = VerifyForm(request.POST or None)
    verdict = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            matches = pdf_matches_stored_record(**form.cleaned_data)
            verdict = "match" if matches else "no-match"
        else:
            status = 400
    return render(request, "verify.html", {"form": form, "verdict": verdict}, status=status)

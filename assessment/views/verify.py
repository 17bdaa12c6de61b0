"""Anyone holding a PDF can check it against the stored record, and learn nothing else."""

import hmac

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from assessment.forms.verify import VerifyForm
from assessment.models import Record


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.POST or None)
    verdict = None
    if request.method == "POST" and form.is_valid():
        stored = (
            Record.objects.filter(reference=form.cleaned_data["reference"])
            .values_list("sha256", "payload")
            .first()
        )
        matches = False
        if stored is not None:
            from assessment.canonical import payload_sha256

            stored_hash, payload = stored
            # Both the stored hash and the content it covers must match what the PDF says.
            matches = hmac.compare_digest(stored_hash, form.cleaned_data["sha256"]) and (
                payload_sha256(payload) == stored_hash
            )
        verdict = "match" if matches else "no-match"
    status = 200 if request.method == "GET" or form.is_valid() else 400
    return render(request, "verify.html", {"form": form, "verdict": verdict}, status=status)

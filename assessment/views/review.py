from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
@permission_required("assessment.review_record", raise_exception=True)
def queue(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"title": "Queue", "message": ""})


@login_required
@permission_required("assessment.review_record", raise_exception=True)
def stats(request: HttpRequest) -> HttpResponse:
    return render(request, "error.html", {"title": "Statistics", "message": ""})

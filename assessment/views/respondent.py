from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST


@require_POST
def start(request: HttpRequest) -> HttpResponse:
    return redirect("home")

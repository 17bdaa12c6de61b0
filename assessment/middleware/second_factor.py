"""A page refused for want of a second factor sends the user to prove it, then back."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class SecondFactorMiddleware:
    """Maps `access.SecondFactorRequired`, raised wherever access is checked, to a redirect:
    to the second step, which sends an account without a device on to set one up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        # Imported here: the logging settings import this package before the apps (and models)
        # are loaded.
        from assessment.access import SecondFactorRequired

        if not isinstance(exception, SecondFactorRequired):
            return None
        # Only a page is worth coming back to; a refused POST comes back to nothing.
        after = request.get_full_path() if request.method == "GET" else ""
        query = f"?{urlencode({'next': after})}" if after else ""
        return HttpResponseRedirect(reverse("second_factor") + query)

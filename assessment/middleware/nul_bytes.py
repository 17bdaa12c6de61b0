"""NUL bytes refused before any view runs."""

from collections.abc import Callable

from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse, QueryDict


class RejectNulBytesMiddleware:
    """A NUL byte anywhere in the URL, query string or form is a 400, before any view runs.

    PostgreSQL refuses NUL in text and JSON, so a lookup by such a value (a private link, a
    reference, a search) or a save of it (a free-text answer) would fail with a DataError,
    i.e. a 500. No honest client sends one: browsers cannot type it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields = [request.GET]
        if request.method == "POST":
            fields.append(request.POST)  # parsed once; views and CSRF reuse it
        if "\x00" in request.path or any(_has_nul(query) for query in fields):
            raise SuspiciousOperation("NUL byte in the request")
        return self.get_response(request)


def _has_nul(query: QueryDict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values) for key, values in query.lists()
    )

"""`never_cache`, Django's decorator with its headers written once rather than per response."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponseBase

# What django.views.decorators.cache.never_cache sends, but with Expires a fixed date in the
# past rather than the response's own time: both mean "already expired", and HTTP/1.1 caches go
# by Cache-Control. Django's builds both headers on every response (it parses and re-sorts
# Cache-Control, and formats the date): 40 µs, a twentieth of a question page's answer on
# PostgreSQL (issue 15). tests/web/test_private_pages_not_cached.py holds the two equal.
NEVER_CACHE_HEADERS = (
    ("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private"),
    ("Expires", "Thu, 01 Jan 1970 00:00:00 GMT"),
)


_Response = TypeVar("_Response", bound=HttpResponseBase)


def never_cache(view: Callable[..., _Response]) -> Callable[..., _Response]:
    """The view's responses may be kept by no cache, shared or the browser's own."""

    @wraps(view)
    def not_cached(request: HttpRequest, *args: Any, **kwargs: Any) -> _Response:
        response = view(request, *args, **kwargs)
        for header, value in NEVER_CACHE_HEADERS:
            response.headers[header] = value
        return response

    return not_cached

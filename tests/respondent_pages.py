"""What the tests of the respondent's cached pages share (the question page, "Check your
answers", the result page): a request as a respondent's arrives, and a page rendered both through
its template and through its cache, the CSRF token hidden (it is masked afresh every time)."""

from __future__ import annotations

import re
from types import ModuleType
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

CSRF_VALUE = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def anonymous_request(path: str) -> Any:
    """A GET of `path` by nobody signed in."""
    request = RequestFactory().get(path)
    request.user = AnonymousUser()
    return request


def with_messages(request: Any) -> Any:
    """`request` with a session and an empty message store, as the middleware leaves it."""
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def without_csrf(page: str) -> str:
    return CSRF_VALUE.sub("csrf", page)


def slow_and_fast(page: ModuleType, context: dict[str, Any], path: str) -> tuple[str, str]:
    """`page` (a module with `render_page` and `render_cached`) drawn for `context` through its
    template and through its cache, each for a request of its own, CSRF token hidden."""
    slow = page.render_page(anonymous_request(path), context).content.decode()
    fast = page.render_cached(anonymous_request(path), context).content.decode()
    return without_csrf(slow), without_csrf(fast)

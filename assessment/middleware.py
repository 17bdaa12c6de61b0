"""Request plumbing: the client's address behind proxies, a request id for log correlation,
private data kept out of logs, the Permissions-Policy header, and NUL bytes refused."""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse, QueryDict


class TrustedProxyMiddleware:
    """Behind N trusted reverse proxies, the client's address is the Nth from the right of
    X-Forwarded-For (each proxy appends the address it received from), not the proxy's own.

    Set DJANGO_TRUSTED_PROXY_COUNT to the number of proxies in front of the app; 0 (the
    default) trusts no header. Everything per client uses REMOTE_ADDR afterwards: the
    drafts-per-hour limit and django-axes' sign-in lockout. Entries left of the Nth came from
    the client and are never trusted, so the limits cannot be dodged by sending the header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.count = settings.TRUSTED_PROXY_COUNT

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.count:
            forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            addresses = [address.strip() for address in forwarded if address.strip()]
            if len(addresses) >= self.count:
                request.META["REMOTE_ADDR"] = addresses[-self.count]
        return self.get_response(request)


def client_address(request: HttpRequest) -> str:
    """django-axes' client address (AXES_CLIENT_IP_CALLABLE): the same as every other limit's."""
    return request.META.get("REMOTE_ADDR", "")


_request_id: ContextVar[str] = ContextVar("request_id", default="-")
# A proxy's id is reused only when it looks like an id, so logs cannot be forged through it.
_SAFE_ID = re.compile(r"[A-Za-z0-9\-]{8,64}")


class RequestIdMiddleware:
    """Tags each request with an id, echoed in the X-Request-ID header and in every log line."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.fullmatch(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until the response is closed, not just until this returns: Django logs a
        # 4xx/5xx response ("Service Unavailable: /healthz") after the middleware chain.
        _request_id.set(request_id)
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


def _forget_request_id(**kwargs: Any) -> None:
    _request_id.set("-")


request_finished.connect(_forget_request_id, dispatch_uid="assessment.forget_request_id")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


# A private link's path segment, a bare token (43 URL-safe characters, as `new_token` makes
# them) and an email address: what must never reach a log line.
_PRIVATE_LINK = re.compile(r"/a/[^/?#\s'\"]+")
_BARE_TOKEN = re.compile(r"(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])")
_EMAIL = re.compile(r"[^@\s'\"<>(),;:]+@[^@\s'\"<>(),;:]+\.[A-Za-z]{2,}")


def mask_private_data(text: str) -> str:
    text = _PRIVATE_LINK.sub("/a/<token>", text)
    text = _BARE_TOKEN.sub("<token>", text)
    return _EMAIL.sub("<email>", text)


class PrivateDataFilter(logging.Filter):
    """Masks private links, tokens and email addresses in a log line and its traceback.

    Django logs the path of every failed request ("Internal Server Error: /a/<token>/...") and
    a database error's message may quote the values of a query.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_private_data(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_private_data(record.exc_text)
        return True


class PermissionsPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


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

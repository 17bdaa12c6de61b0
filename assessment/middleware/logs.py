"""Log plumbing: a request id for correlation, private data kept out of log lines."""

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.core.signals import request_finished
from django.http import HttpRequest, HttpResponse

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

"""Log plumbing: a request id for correlation, private data kept out of log lines, and control
characters from requests escaped so that no request can forge a line."""

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
        if traceback := _traceback_text(record):
            record.exc_text = mask_private_data(traceback)
        return True


def _traceback_text(record: logging.LogRecord) -> str:
    """The record's traceback as the formatter will print it (formatted once, then kept)."""
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    return record.exc_text or ""


# Line breaks, NUL, terminal escapes: in a logged value from a request (a path, a header) they
# would forge log lines or drive a terminal. Shown as Python writes them: \n, \x00, \u2028.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape_control_characters(text: str) -> str:
    return _CONTROL.sub(lambda match: match.group().encode("unicode_escape").decode(), text)


class ControlCharacterFilter(logging.Filter):
    """Escapes control characters in a log line's message, so every message is one line.

    A traceback keeps its own line breaks, but not those of its exceptions' messages (which may
    quote a request); every other control character in it is escaped.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = escape_control_characters(record.getMessage())
        record.args = None
        if text := _traceback_text(record):
            for message in _exception_messages(record.exc_info):
                text = text.replace(message, escape_control_characters(message))
            lines = text.split("\n")
            record.exc_text = "\n".join(escape_control_characters(line) for line in lines)
        return True


def _exception_messages(exc_info: Any) -> list[str]:
    """The messages in a traceback that hold line breaks: the exception's and its chain's."""
    messages = []
    seen = set()
    exception = exc_info[1] if exc_info else None
    while isinstance(exception, BaseException) and id(exception) not in seen:
        seen.add(id(exception))
        message = str(exception)
        if "\n" in message:
            messages.append(message)
        exception = exception.__cause__ or exception.__context__
    return messages

"""Plain, styled error pages: no stack trace, the right status, a way back."""

import sys

from django.contrib.auth.models import AnonymousUser
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.html import escape

_PAGES = {
    400: (
        "Sorry, there is a problem with your request",
        "The request could not be understood. Go back and try again.",
    ),
    403: (
        "You do not have access to this page",
        "If you are a reviewer, sign in with an account that has access.",
    ),
    404: (
        "Page not found",
        "If you typed the web address, check it is correct. Private links must be copied in full.",
    ),
    429: (
        "Too many requests",
        "You have made too many requests in a short time. Wait a while and try again.",
    ),
    500: (
        "Sorry, there is a problem with the service",
        "Try again later. Nothing you have already saved has been lost.",
    ),
    503: (
        "Sorry, the service is unavailable",
        "Try again in a few minutes. Nothing you have already saved has been lost.",
    ),
}
# Errors that mean "the database cannot be reached", not "the code is wrong".
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def render_error(request: HttpRequest, status: int) -> HttpResponse:
    title, message = _PAGES[status]
    context = {"status": status, "title": title, "message": message}
    if status == 503:
        # The layout asks for the signed-in user, which needs the session table: with the
        # database down, show the page as to a visitor rather than fail to render it.
        context.update({"user": AnonymousUser(), "perms": {}, "messages": []})
    body: str
    try:
        body = loader.render_to_string("error.html", context, request)
    except Exception:  # the error page must render even when templates or the DB fail
        title, message = escape(title), escape(message)
        body = (
            f"<!doctype html><html lang='en'><title>{title}</title>"
            f"<h1>{title}</h1><p>{message}</p></html>"
        )
    response = HttpResponse(body, status=status)
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its `except` block, so the exception is still at hand: an
    # unreachable database (in a view or in any middleware) is a 503, not a code fault.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return render_error(request, 503)
    return render_error(request, 500)

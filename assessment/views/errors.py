"""Plain, styled error pages: no stack trace, the right status, a way back."""

from django.http import HttpRequest, HttpResponse
from django.template import loader

_PAGES = {
    400: ("Sorry, there is a problem with your request", "The request could not be understood. Go back and try again."),
    403: ("You do not have access to this page", "If you are a reviewer, sign in with an account that has access."),
    404: ("Page not found", "If you typed the web address, check it is correct. Private links must be copied in full."),
    500: ("Sorry, there is a problem with the service", "Try again later. Nothing you have already saved has been lost."),
    503: ("Sorry, the service is unavailable", "Try again in a few minutes. Nothing you have already saved has been lost."),
}


def render_error(request: HttpRequest, status: int) -> HttpResponse:
    title, message = _PAGES[status]
    try:
        body = loader.render_to_string(
            "error.html", {"status": status, "title": title, "message": message}, request
        )
    except Exception:  # the error page must render even when templates or the DB fail
        body = f"<!doctype html><html lang='en'><title>{title}</title><h1>{title}</h1><p>{message}</p></html>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render_error(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render_error(request, 500)

"""The client's address behind trusted reverse proxies: one address for every per-client limit."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


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

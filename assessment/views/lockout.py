"""The sign-in lockout page (django-axes' AXES_LOCKOUT_CALLABLE), for both sign-in steps
(password or code: whichever failed last counts).

Axes' own page says how long the cool-off is, not how much of it is left, and sends no
`Retry-After`. The lock lifts at the last counted failure plus the cool-off; attempts made
while locked are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is off), so the
time shown only runs down.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from assessment.middleware import client_address


def time_left(request: HttpRequest, username: str) -> timedelta | None:
    """How long this username stays locked from this address, or None if no cool-off."""
    cool_off = get_cool_off(request)
    if cool_off is None:
        return None
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    last = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        last=Max("attempt_time")
    )["last"]
    if last is None:
        return cool_off
    return max(last + cool_off - timezone.now(), timedelta(seconds=1))


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    username = get_client_username(request, credentials) or ""
    left = time_left(request, username)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": username,
        "minutes_left": math.ceil(left.total_seconds() / 60) if left is not None else None,
    }
    response = render(request, "registration/locked_out.html", context, status=429)
    if left is not None:
        response["Retry-After"] = str(math.ceil(left.total_seconds()))
    return response

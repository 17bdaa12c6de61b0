"""django-axes' lockout page (AXES_LOCKOUT_CALLABLE), saying how long is left of the cool-off.

django-axes would only say how long the cool-off is. The lockout lifts when the last failure for
this username from this address is a cool-off old, whichever step failed (password or code).
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from assessment.middleware import client_address


def locked_out(
    request: HttpRequest, original_response: Any = None, credentials: dict | None = None
) -> HttpResponse:
    username = get_client_username(request, credentials) or ""
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    last = AccessAttempt.objects.filter(username=username, ip_address=address).aggregate(
        last=Max("attempt_time")
    )["last"]
    cool_off = settings.AXES_COOLOFF_TIME
    left = (last + cool_off - timezone.now()) if last else cool_off
    minutes = max(1, math.ceil(left.total_seconds() / 60))
    return render(
        request,
        "registration/locked_out.html",
        {
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "username": username,
            "minutes_left": minutes,
        },
        status=429,
    )

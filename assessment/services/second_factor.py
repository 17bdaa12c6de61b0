"""The second factor of sign-in: an authenticator app (TOTP) and single-use recovery codes.

Stored with django-otp's own models: one TOTPDevice per account (unconfirmed while it is being
set up, confirmed once a code from the app was entered) and one StaticDevice holding the
recovery codes. A code is checked against the account's devices only, each check is one
transaction that locks the device (django-otp's `for_verify`), and a TOTP code is refused once
used (django-otp keeps the last time step accepted).

Wrong codes count towards django-axes' sign-in lockout like wrong passwords
(`record_failure`), and a sign-in is a success only once the second factor is proved
(`record_success`, which resets the count: see AXES_RESET_ON_SUCCESS in the settings).
"""

from __future__ import annotations

import logging
import re
from base64 import b32encode
from dataclasses import dataclass
from datetime import datetime

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.signals import user_login_failed
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger("assessment.security")

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
# What a person may type around a code: spaces and hyphens (the codes are shown grouped).
_SEPARATORS = re.compile(r"[\s-]+")
_CODE_MAX = 32


def normalise(code: str) -> str:
    """The code as stored: without separators, lower case (recovery codes are base32 letters and
    digits in lower case; TOTP codes are digits)."""
    return _SEPARATORS.sub("", code or "").lower()[:_CODE_MAX]


def authenticator(user: AbstractBaseUser) -> TOTPDevice | None:
    """The account's confirmed authenticator app, if it set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def has_second_factor(user: AbstractBaseUser) -> bool:
    return authenticator(user) is not None


@transaction.atomic
def start_setup(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed authenticator being set up: the same secret on every visit to the set-up
    page until a code confirms it (so a reload does not invalidate the app already scanned).
    Refuses an account that has one already: replacing it would let a password alone take the
    account over; only an administrator resets it (`manage.py reset_second_factor`)."""
    if has_second_factor(user):
        raise AlreadySetUp
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


class AlreadySetUp(Exception):
    pass


@dataclass(frozen=True)
class Confirmed:
    device: TOTPDevice
    recovery_codes: list[str]


def confirm_setup(user: AbstractBaseUser, code: str) -> Confirmed | None:
    """Confirms the authenticator being set up with a code from it, and issues the first
    recovery codes. None for a wrong code (or nothing being set up)."""
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=user, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None or has_second_factor(user) or not _totp_accepts(device, code):
            return None
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        # Any other unconfirmed attempt is dead now.
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        codes = _replace_recovery_codes(user)
    logger.info("Second factor set up for user id %s", user.pk)
    return Confirmed(device=device, recovery_codes=codes)


def _totp_accepts(device: TOTPDevice, code: str) -> bool:
    code = normalise(code)
    return code.isdigit() and len(code) == device.digits and device.verify_token(code)


def throttled_until(device: Device | None) -> datetime | None:
    """When django-otp's throttling (after wrong codes) lets the device check the next code, or
    None if it may check one now."""
    if device is None:
        return None
    allowed, data = device.verify_is_allowed()
    if allowed or not data:
        return None
    return data.get("locked_until")


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret in base32, as authenticator apps take it when typed, in groups of four."""
    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def recovery_device(user: AbstractBaseUser) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, name=RECOVERY_NAME, confirmed=True).first()


def verify_authenticator(user: AbstractBaseUser, code: str) -> TOTPDevice | None:
    """The account's authenticator app if it accepts `code` (6 digits, not used before)."""
    code = normalise(code)
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is not None and _totp_accepts(device, code):
            return device
    return None


def verify_recovery_code(user: AbstractBaseUser, code: str) -> StaticDevice | None:
    """The account's recovery codes if `code` is one of them; the code is used up."""
    code = normalise(code)
    if not code:
        return None
    with transaction.atomic():
        device = (
            StaticDevice.objects.select_for_update()
            .filter(user=user, name=RECOVERY_NAME, confirmed=True)
            .first()
        )
        if device is not None and device.verify_token(code):
            logger.info(
                "Recovery code used by user id %s (%d left)", user.pk, device.token_set.count()
            )
            return device
    return None


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(
        device__user=user, device__name=RECOVERY_NAME, device__confirmed=True
    ).count()


@transaction.atomic
def new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replaces the account's recovery codes (every earlier one stops working)."""
    codes = _replace_recovery_codes(user)
    logger.info("Recovery codes renewed for user id %s", user.pk)
    return codes


def _replace_recovery_codes(user: AbstractBaseUser) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes: list[str] = []
    while len(codes) < settings.ASSESSMENT_RECOVERY_CODES:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes


@transaction.atomic
def reset(user: AbstractBaseUser) -> int:
    """Removes every second-factor device of the account (an administrator's action, for a lost
    phone without recovery codes) and signs the account out everywhere: a session that was open
    must not be the one that sets up the next authenticator. The next sign-in sets one up.
    Returns the number of devices removed."""
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        devices = model.objects.filter(user=user)
        removed += devices.count()
        devices.delete()  # with a StaticDevice, its codes
    _end_sessions(user)
    return removed


def _end_sessions(user: AbstractBaseUser) -> None:
    # Sessions live in the database and name their user only inside their encoded data; an
    # administrator's reset is rare, and sessions last a working day, so reading them is fine.
    user_id = str(user.pk)
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == user_id
    ]
    Session.objects.filter(pk__in=ended).delete()


# django-axes: the second step counts towards the same lockout as the password.


def _credentials(user: AbstractBaseUser) -> dict[str, str]:
    return {"username": user.get_username()}  # django-axes' AXES_USERNAME_FORM_FIELD default


def credentials_of(user: AbstractBaseUser) -> dict[str, str]:
    """What django-axes takes as the sign-in's credentials (for its lockout page)."""
    return _credentials(user)


def is_locked_out(request: HttpRequest, user: AbstractBaseUser) -> bool:
    return not AxesProxyHandler.is_allowed(request, _credentials(user))


def record_failure(request: HttpRequest, user: AbstractBaseUser) -> bool:
    """Counts a wrong code as a failed sign-in for (username, address), as a wrong password is.
    Returns True if this failure locked the sign-in out."""
    user_login_failed.send(sender=__name__, credentials=_credentials(user), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def record_success(request: HttpRequest, user: AbstractBaseUser) -> None:
    """Both factors proved: the failed attempts of this username from this address are forgotten,
    as a successful sign-in did before there was a second step."""
    AxesProxyHandler.update_request(request)
    AxesProxyHandler.get_implementation().reset_user_attempts(request, _credentials(user))

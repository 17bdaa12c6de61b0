"""Helpers for the reviewer-dashboard tests: accounts with and without the permission, and
signing them in with both factors."""

from __future__ import annotations

import time

from django.contrib.auth import get_user_model
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessment.services.accounts import create_reviewer


def make_reviewer(username: str = "rita", email: str = "rita@example.com"):
    user, _ = create_reviewer(
        username=username, email=email, password="correct horse battery", validate=False
    )
    return user


def make_outsider(username: str = "otto"):
    """Signed in, but not a reviewer."""
    return get_user_model().objects.create_user(username=username, password="not a reviewer 42")


def make_approver(username: str = "april", email: str = "april@example.com"):
    """A reviewer who may also approve another reviewer's decision (four eyes)."""
    user, _ = create_reviewer(
        username=username,
        email=email,
        password="correct horse battery",
        validate=False,
        approver=True,
    )
    return user


def authenticator_of(user) -> TOTPDevice:
    """The account's confirmed authenticator app, created (with a random secret) if it has none,
    as if the user had set one up."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    return device


def totp_code(device: TOTPDevice, *, at: float | None = None) -> str:
    """The code the authenticator app would show: computed from the device's secret with
    django-otp's own TOTP, for the first time step the device still accepts (a code is refused
    once used, so two sign-ins within 30 seconds take the next step's code, which the device's
    tolerance of one step accepts)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if at is None else at
    if totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user):
    """The test client signed in as `user` with both factors: the password step (force_login)
    and a verified authenticator app in the session, as the second step leaves it."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_of(user).persistent_id
    session.save()
    return client


def make_account_admin(username: str = "ada", email: str = "ada@example.com"):
    """Manages reviewer accounts (the "Reviewer administrators" group); not a reviewer."""
    from assessment.services.accounts import account_admins_group

    user = get_user_model().objects.create_user(
        username=username, email=email, password="correct horse battery"
    )
    user.groups.add(account_admins_group())
    return user

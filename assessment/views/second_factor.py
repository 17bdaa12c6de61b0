"""The second step of sign-in, its first-time set-up, and the recovery codes page.

After the password (or single sign-on) the account is signed in but not verified: every account
page refuses it (`access.ensure_signed_in`) and sends it here. An account with an authenticator
enters a code from it (or a recovery code); one without sets one up, and cannot do anything else
first. Wrong codes count towards django-axes' lockout; the lockout signs the session out.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree

import qrcode
import qrcode.image.svg
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.contrib.auth.views import LoginView, redirect_to_login
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.models import Device

from assessment import sso
from assessment.access import ensure_signed_in, second_factor_verified
from assessment.forms.second_factor import AuthenticatorCodeForm, RecoveryCodeForm
from assessment.services import second_factor
from assessment.views.caching import never_cache

# New recovery codes wait in the session between the POST that made them and the page that shows
# them, and are removed as they are shown (as new API tokens are).
NEW_CODES_KEY = "second_factor_new_codes"
WRONG_CODE = "The code is not right. Enter the code the app shows now (check the phone's clock)."
WRONG_RECOVERY_CODE = "That recovery code is not right, or it was used already."

View = Callable[..., HttpResponseBase]


def _after(request: HttpRequest) -> str:
    """Where to go once verified: `next` if it is a page of this site, else the queue."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, after: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': after})}"


def _signed_in_user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # signed in: checked by the caller
    return user


class SignInView(LoginView):
    """The first step (username and password), then straight on to the second, carrying
    `next`; django-axes checks and counts this step through its authentication backend."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso"] = sso.enabled()
        context["sso_name"] = settings.ASSESSMENT_OIDC_PROVIDER_NAME
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        return context

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        super().form_valid(form)  # signs the password in (django.contrib.auth.login)
        return HttpResponseRedirect(_with_next("second_factor", self.get_success_url()))


def password_signed_in(view: View) -> View:
    """The second-step pages: for a session signed in with its first factor (anonymous: to
    sign in; already verified: on to `next`)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if second_factor_verified(request.user):
            return HttpResponseRedirect(_after(request))
        return view(request, *args, **kwargs)

    return wrapper


def _locked_out(request: HttpRequest, user: User) -> HttpResponseBase:
    """django-axes' lockout page; the password-only session ends, so after the cool-off the
    sign-in starts again from the password."""
    credentials = second_factor.credentials_of(user)
    logout(request)
    return get_lockout_response(request, credentials=credentials)


def _verified(request: HttpRequest, user: User, device: Device) -> None:
    otp_login(request, device)
    # A new session key for the session's new privilege, as login() does for the password.
    request.session.cycle_key()
    second_factor.record_success(request, user)


def _throttle_message(device: Device | None) -> str | None:
    """django-otp makes the next try wait after a wrong code; a code sent before then is not
    checked (and does not count as a failure: nothing was guessed)."""
    until = second_factor.throttled_until(device)
    if until is None:
        return None
    seconds = max(1, int((until - timezone.now()).total_seconds()) + 1)
    return f"Too many wrong codes in a row: wait {seconds} seconds, then enter the code shown then."


def _check_code(
    request: HttpRequest,
    user: User,
    form: Form,
    device: Device | None,
    check: Callable[[str], object],
    wrong: str,
) -> object | HttpResponseBase | None:
    """Runs `check` on a valid form's code, counting a wrong one with django-axes. Returns what
    `check` accepted, the lockout response, or None (the form then carries the error)."""
    if second_factor.is_locked_out(request, user):
        return _locked_out(request, user)
    if not form.is_valid():
        return None
    throttled = _throttle_message(device)
    if throttled:
        form.add_error("code", throttled)
        return None
    accepted = check(form.cleaned_data["code"])
    if accepted:
        return accepted
    if second_factor.record_failure(request, user):
        return _locked_out(request, user)
    form.add_error("code", wrong)
    return None


@never_cache
@require_http_methods(["GET", "POST"])
@password_signed_in
def verify(request: HttpRequest) -> HttpResponseBase:
    return _verify(request, recovery=False)


@never_cache
@require_http_methods(["GET", "POST"])
@password_signed_in
def verify_recovery_code(request: HttpRequest) -> HttpResponseBase:
    return _verify(request, recovery=True)


def _verify(request: HttpRequest, *, recovery: bool) -> HttpResponseBase:
    user = _signed_in_user(request)
    after = _after(request)
    device = second_factor.authenticator(user)
    if device is None:
        return HttpResponseRedirect(_with_next("second_factor_setup", after))
    form_class = RecoveryCodeForm if recovery else AuthenticatorCodeForm
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if recovery:
            outcome = _check_code(
                request,
                user,
                form,
                second_factor.recovery_device(user),
                lambda code: second_factor.verify_recovery_code(user, code),
                WRONG_RECOVERY_CODE,
            )
        else:
            outcome = _check_code(
                request,
                user,
                form,
                device,
                lambda code: second_factor.verify_authenticator(user, code),
                WRONG_CODE,
            )
        if isinstance(outcome, HttpResponseBase):
            return outcome
        if isinstance(outcome, Device):
            _verified(request, user, outcome)
            if recovery:
                left = second_factor.recovery_codes_left(user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code: {left} left. "
                    "Make new ones on the recovery codes page if you are running out.",
                )
            return HttpResponseRedirect(after)
    return render(
        request,
        "registration/second_factor.html",
        {"form": form, "next": after, "recovery": recovery},
    )


@never_cache
@require_http_methods(["GET", "POST"])
@password_signed_in
def setup(request: HttpRequest) -> HttpResponseBase:
    """First sign-in: scan the QR code (or type the secret), enter a code to prove it works."""
    user = _signed_in_user(request)
    after = _after(request)
    try:
        device = second_factor.start_setup(user)
    except second_factor.AlreadySetUp:
        return HttpResponseRedirect(_with_next("second_factor", after))
    form = AuthenticatorCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        outcome = _check_code(
            request,
            user,
            form,
            device,
            lambda code: second_factor.confirm_setup(user, code),
            WRONG_CODE,
        )
        if isinstance(outcome, HttpResponseBase):
            return outcome
        if isinstance(outcome, second_factor.Confirmed):
            _verified(request, user, outcome.device)
            request.session[NEW_CODES_KEY] = outcome.recovery_codes
            return HttpResponseRedirect(_with_next("recovery_codes", after))
    return render(
        request,
        "registration/second_factor_setup.html",
        {
            "form": form,
            "next": after,
            "qr_svg": qr_svg(device.config_url),
            "secret": second_factor.secret_for_typing(device),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponseBase:
    """New codes once, right after they are made; otherwise how many are left, and a button to
    replace them all."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    ensure_signed_in(request.user)
    user = _signed_in_user(request)
    if request.method == "POST":
        request.session[NEW_CODES_KEY] = second_factor.new_recovery_codes(user)
        return HttpResponseRedirect(_with_next("recovery_codes", _after(request)))
    codes = request.session.pop(NEW_CODES_KEY, None)
    return render(
        request,
        "registration/recovery_codes.html",
        {
            "codes": [f"{code[:4]}-{code[4:]}" for code in codes or []],
            "left": second_factor.recovery_codes_left(user),
            "count": settings.ASSESSMENT_RECOVERY_CODES,
            "next": _after(request),
        },
    )


def qr_svg(data: str) -> str:
    """The QR code as an inline SVG element (no image request, no script), labelled for screen
    readers, which are pointed to the secret written out beside it."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    root = image.get_image()
    for attribute in ("width", "height", "version"):
        root.attrib.pop(attribute, None)
    root.set("role", "img")
    root.set("aria-label", "QR code to scan with your authenticator app")
    root.set("class", "qr-code")
    ElementTree.register_namespace("", "http://www.w3.org/2000/svg")
    return ElementTree.tostring(root, encoding="unicode")

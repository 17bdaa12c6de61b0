"""Single sign-on with OpenID Connect (mozilla-django-oidc), for organisations with an identity
provider. Off unless OIDC_RP_CLIENT_ID is set (see the settings and README "Single sign-on");
the local password sign-in is always there.

- An SSO account is its own account, named from the provider's `sub` (`sso-<sub>`), with no
  usable password; it is never matched to a local account by email, which the provider may let
  people choose.
- Its groups follow the provider's at every sign-in: a member of one of
  ASSESSMENT_OIDC_REVIEWER_GROUPS joins the reviewers' group, of ASSESSMENT_OIDC_APPROVER_GROUPS
  the approvers' (and the reviewers'). Anyone else is refused, and an existing SSO account that
  lost its mapping loses both groups (its open sessions lose access at the next request).
- The ID token's issuer and audience are checked (mozilla-django-oidc checks only the signature,
  expiry and nonce), and the userinfo's `sub` must be the ID token's.
- The second factor still applies, unless the provider asserts in the signed ID token that it
  did multi-factor authentication (`amr` or `acr` in ASSESSMENT_OIDC_TRUSTED_AMR / _ACR, both
  empty by default): then the session counts as verified by a device standing for the
  provider's assertion, which no code can ever verify.
"""

from __future__ import annotations

import hashlib
import logging
import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group, User
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django_otp.plugins.otp_static.models import StaticDevice
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from assessment.services.accounts import approvers_group, reviewers_group

logger = logging.getLogger("assessment.security")

USERNAME_PREFIX = "sso-"
# The device that stands for "the identity provider did multi-factor authentication".
PROVIDER_MFA_DEVICE = "Identity provider's multi-factor sign-in"
_SAFE_SUB = re.compile(r"^[\w.@+-]{1,100}$")


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_RP_CLIENT_ID", ""))


def username_for(sub: str) -> str:
    """The account name of the provider's subject: readable when short and plain, else hashed
    (Django's usernames hold 150 characters)."""
    if _SAFE_SUB.match(sub):
        return f"{USERNAME_PREFIX}{sub}"
    return f"{USERNAME_PREFIX}{hashlib.sha256(sub.encode()).hexdigest()[:40]}"


def mapped_groups(claims: dict[str, Any]) -> list[Group]:
    """The service's groups for the provider's groups claim: [] for an unmapped user."""
    value = claims.get(settings.ASSESSMENT_OIDC_GROUPS_CLAIM) or []
    provider_groups = {value} if isinstance(value, str) else {str(g) for g in value}
    approver = bool(provider_groups & set(settings.ASSESSMENT_OIDC_APPROVER_GROUPS))
    reviewer = approver or bool(provider_groups & set(settings.ASSESSMENT_OIDC_REVIEWER_GROUPS))
    groups = []
    if reviewer:
        groups.append(reviewers_group())
    if approver:
        groups.append(approvers_group())
    return groups


def provider_did_mfa(id_token_claims: dict[str, Any]) -> bool:
    """Whether the signed ID token says the provider did multi-factor authentication, in a way
    this service was configured to trust."""
    amr = id_token_claims.get("amr") or []
    amr_values = {amr} if isinstance(amr, str) else {str(v) for v in amr}
    if amr_values & set(settings.ASSESSMENT_OIDC_TRUSTED_AMR):
        return True
    acr = str(id_token_claims.get("acr") or "")
    return bool(acr) and acr in settings.ASSESSMENT_OIDC_TRUSTED_ACR


class SSOBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the rules above. Listed in AUTHENTICATION_BACKENDS
    always, it does nothing while SSO is not configured (its parent would refuse to start)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()
        self.active = enabled()
        if self.active:
            super().__init__(*args, **kwargs)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not self.active:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload: dict[str, Any] = super().verify_token(token, **kwargs)
        if payload.get("iss") != settings.OIDC_OP_ISSUER:
            raise SuspiciousOperation("The ID token was not issued by the configured provider.")
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if self.OIDC_RP_CLIENT_ID not in audiences or (
            len(audiences) > 1 and payload.get("azp") != self.OIDC_RP_CLIENT_ID
        ):
            raise SuspiciousOperation("The ID token is not meant for this service.")
        if not payload.get("sub"):
            raise SuspiciousOperation("The ID token names no subject.")
        return payload

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: dict[str, Any]
    ) -> User | None:
        user_info = self.get_userinfo(access_token, id_token, payload)
        if user_info.get("sub") != payload["sub"]:
            raise SuspiciousOperation("The userinfo is about another subject than the ID token.")
        claims = {**user_info, "sub": payload["sub"]}
        with transaction.atomic():
            user = self._account(claims)
            if user is None:
                return None
        if provider_did_mfa(payload):
            # django-otp's login signal marks the session verified with this device.
            user.otp_device = _provider_mfa_device(user)  # type: ignore[attr-defined]
        logger.info(
            "SSO sign-in of %s (groups: %s, provider MFA: %s)",
            user.get_username(),
            ", ".join(g.name for g in user.groups.all()) or "none",
            provider_did_mfa(payload),
        )
        return user

    def _account(self, claims: dict[str, Any]) -> User | None:
        username = username_for(str(claims["sub"]))
        groups = mapped_groups(claims)
        # An SSO account has no usable password: a local account is never taken over.
        existing: QuerySet[User] = self.UserModel.objects.filter(
            username=username, password__startswith=UNUSABLE_PASSWORD_PREFIX
        )
        user = existing.select_for_update().first()
        if user is None and not groups:
            logger.warning("SSO sign-in refused for %s: in no mapped group", username)
            return None
        if user is None:
            if self.UserModel.objects.filter(username=username).exists():
                raise SuspiciousOperation("A local account has the SSO account's name.")
            user = self.UserModel(username=username)
            user.set_unusable_password()
        user.email = str(claims.get("email") or "")[:254]
        user.first_name = str(claims.get("given_name") or claims.get("name") or "")[:150]
        user.last_name = str(claims.get("family_name") or "")[:150]
        user.save()
        managed = [reviewers_group(), approvers_group()]
        user.groups.remove(*[g for g in managed if g not in groups])
        user.groups.add(*groups)
        if not groups:
            logger.warning("SSO sign-in refused for %s: no longer in a mapped group", username)
            return None
        return user


def _provider_mfa_device(user: User) -> StaticDevice:
    """A confirmed device with no codes: it verifies nothing, it only names why the session
    counts as verified. Removed with the others by `reset_second_factor`."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=PROVIDER_MFA_DEVICE, defaults={"confirmed": True}
    )
    return device


def start(request: HttpRequest) -> HttpResponseBase:
    """To the provider's sign-in (with state, nonce and PKCE), or 404 while SSO is off."""
    if not enabled():
        raise Http404
    return OIDCAuthenticationRequestView.as_view()(request)


def callback(request: HttpRequest) -> HttpResponseBase:
    """Back from the provider: the code is exchanged, checked, and the account signed in."""
    if not enabled():
        raise Http404
    return OIDCAuthenticationCallbackView.as_view()(request)

"""API tokens: create one (its secret is returned once), revoke it, and authenticate a secret."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessment import compiled
from assessment.access import REVIEW_PERMISSION
from assessment.models import ApiToken, TokenScope

# "assessment token": recognisable in a leaked log or by a secret scanner.
SECRET_PREFIX = "ast_"  # noqa: S105 (a prefix, not a secret)
SECRET_MAX_LENGTH = 100
# last_used_at is written at most this often per token, so the gate stays a read.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def scopes_for(user: User) -> list[str]:
    """The scopes `user` may give a token: read:all is for reviewers only."""
    if user.has_perm(REVIEW_PERMISSION):
        return [TokenScope.READ_OWN, TokenScope.READ_ALL]
    return [TokenScope.READ_OWN]


@transaction.atomic
def create_token(*, user: User, name: str, scope: str, expires_at: datetime | None) -> NewToken:
    name = (name or "").strip()
    if not name:
        raise TokenError("Enter a name for the token.")
    if scope not in scopes_for(user):
        raise TokenError("Choose a scope your account may use.")
    if expires_at is not None and expires_at <= timezone.now():
        raise TokenError("The expiry date must be in the future.")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        scope=scope,
        prefix=secret[: len(SECRET_PREFIX) + 4],
        digest=digest(secret),
        expires_at=expires_at,
    )
    return NewToken(token=token, secret=secret)


@transaction.atomic
def revoke_token(*, user: User, token_id: int) -> ApiToken:
    """Revoke one of `user`'s tokens; someone else's token is "not found", like a missing one."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user).first()
    if token is None:
        raise TokenError("That token does not exist.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token


# The token and its user in one statement the ORM compiles once (assessment/compiled.py):
# building the joined query on every call was a fifth of the API gate's time (issue 13).
_BY_DIGEST = compiled.Lookup(
    lambda: ApiToken.objects.select_related("user").filter(digest="").order_by(),
    [""],
    ApiToken,
    get_user_model(),
)


def authenticate(secret: str) -> ApiToken | None:
    """The active token with this secret, its user loaded, or None (unknown, revoked, expired,
    or its user deactivated). Records when it was used, at most once a minute."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > SECRET_MAX_LENGTH:
        return None
    found = _BY_DIGEST.one(digest(secret))
    if found is None:
        return None
    token, user = found
    if not token.is_active or not user.is_active:
        return None
    token.user = user
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token

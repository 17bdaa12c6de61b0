"""`Authorization: Bearer <token>`: the API's only way to authenticate (no cookies, no CSRF)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from assessment.models import ApiToken
from assessment.services import tokens


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header:
            return None
        keyword, _, secret = header.partition(" ")
        if keyword.lower() != self.keyword.lower() or not secret.strip():
            raise exceptions.AuthenticationFailed(
                "Send the token as: Authorization: Bearer <token>."
            )
        token = tokens.authenticate(secret.strip())
        if token is None:
            # One answer for unknown, revoked and expired: it tells a guesser nothing.
            raise exceptions.AuthenticationFailed("The token is unknown, revoked or expired.")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes DRF answer 401 (not 403) when authentication is missing or wrong.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """Describes the scheme in the OpenAPI document, so the docs page can send a token."""

    target_class = BearerTokenAuthentication
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "An API token (ast_…)."}

"""The claims the test provider asserts: the user's groups, email and name, and `amr`."""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

# Members of this provider group signed in with a second factor at the provider (as an
# identity provider with MFA would say in `amr`).
MFA_GROUP = "signed-in-with-mfa"


class Validator(OAuth2Validator):
    oidc_claim_scope = None  # every claim below, whatever the scopes

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        groups = sorted(user.groups.values_list("name", flat=True))
        return {
            "email": user.email,
            "given_name": user.first_name,
            "family_name": user.last_name,
            "preferred_username": user.username,
            "groups": [g for g in groups if g != MFA_GROUP],
            "amr": ["pwd", "otp", "mfa"] if MFA_GROUP in groups else ["pwd"],
        }

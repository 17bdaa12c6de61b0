from django.contrib.auth import views as auth_views
from django.urls import include, path

from assessment import sso
from assessment.views import second_factor, tokens
from assessment.views.accounts import SetPasswordView, SignInView

# The second step of sign-in, its first-time set-up, and the recovery codes.
SECOND_FACTOR = [
    path("", second_factor.verify, name="second_factor"),
    path("recovery-code/", second_factor.verify_recovery_code, name="second_factor_recovery"),
    path("set-up/", second_factor.setup, name="second_factor_setup"),
    path("recovery-codes/", second_factor.recovery_codes, name="recovery_codes"),
]

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", include(SECOND_FACTOR)),
    # Single sign-on (OpenID Connect): 404 unless configured.
    path("sso/start/", sso.start, name="sso_start"),
    path("sso/callback/", sso.callback, name="sso_callback"),
    path("tokens/", tokens.api_tokens, name="api_tokens"),
    path("set-password/<uidb64>/<token>/", SetPasswordView.as_view(), name="set_password"),
    path("tokens/<int:token_id>/revoke/", tokens.revoke_api_token, name="revoke_api_token"),
]

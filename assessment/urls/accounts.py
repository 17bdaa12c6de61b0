from django.contrib.auth import views as auth_views
from django.urls import path

from assessment import sso
from assessment.views import second_factor, tokens
from assessment.views.accounts import SetPasswordView, SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # The second step of sign-in, its first-time set-up, and the recovery codes.
    path("second-factor/", second_factor.verify, name="second_factor"),
    path(
        "second-factor/recovery-code/",
        second_factor.verify_recovery_code,
        name="second_factor_recovery",
    ),
    path("second-factor/set-up/", second_factor.setup, name="second_factor_setup"),
    path("second-factor/recovery-codes/", second_factor.recovery_codes, name="recovery_codes"),
    # Single sign-on (OpenID Connect): 404 unless configured.
    path("sso/start/", sso.start, name="sso_start"),
    path("sso/callback/", sso.callback, name="sso_callback"),
    path("tokens/", tokens.api_tokens, name="api_tokens"),
    path("set-password/<uidb64>/<token>/", SetPasswordView.as_view(), name="set_password"),
    path("tokens/<int:token_id>/revoke/", tokens.revoke_api_token, name="revoke_api_token"),
]

from django.contrib.auth import views as auth_views
from django.urls import path

from assessment.views import tokens
from assessment.views.accounts import SetPasswordView, SignInView

urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", tokens.api_tokens, name="api_tokens"),
    path("set-password/<uidb64>/<token>/", SetPasswordView.as_view(), name="set_password"),
    path("tokens/<int:token_id>/revoke/", tokens.revoke_api_token, name="revoke_api_token"),
]

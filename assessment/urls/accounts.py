from django.contrib.auth import views as auth_views
from django.urls import path

from assessment.forms.accounts import SignInForm
from assessment.views import tokens

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tokens/", tokens.api_tokens, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", tokens.revoke_api_token, name="revoke_api_token"),
]

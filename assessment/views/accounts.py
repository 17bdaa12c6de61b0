"""Signing in, and choosing a password from an invitation's link (Django's own views)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import reverse, reverse_lazy

from assessment.forms.accounts import SignInForm
from assessment.roles import MANAGE_REVIEWERS_PERMISSION, REVIEW_PERMISSION
from assessment.views import second_factor


class SignInView(second_factor.SignInView):
    """The sign-in's first step (then the second factor); without a `next`, a reviewer
    administrator who does not review goes on to the accounts page instead of a queue they may
    not see."""

    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        user = self.request.user
        if not user.has_perm(REVIEW_PERMISSION) and user.has_perm(MANAGE_REVIEWERS_PERMISSION):
            return reverse("review:accounts")
        return super().get_default_redirect_url()


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Django's own view: the token is checked, moved into the session and out of the URL,
    and stops working once the password is set. A deactivated account's link is refused,
    as an expired one is."""

    template_name = "registration/set_password.html"
    success_url = reverse_lazy("login")
    post_reset_login = False

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, "Your password is set: sign in with it.")
        return response

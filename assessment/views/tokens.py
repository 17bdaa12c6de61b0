"""The account's API tokens: create one (its secret shown once), see them, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessment.forms.tokens import TokenForm
from assessment.services import tokens
from assessment.views.caching import never_cache
from assessment.views.review.decorators import account_required

# The new secret waits in the session between the POST and the page it redirects to, and is
# removed as it is shown: it is never stored anywhere else.
NEW_SECRET_KEY = "api_token_secret"  # noqa: S105 (a session key's name)


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # account_required ran first
    return user


@never_cache
@account_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    user = _signed_in(request)
    if request.method == "POST":
        form = TokenForm(request.POST, user=user)
        if form.is_valid():
            try:
                created = tokens.create_token(
                    user=user,
                    name=form.cleaned_data["name"],
                    scope=form.cleaned_data["scope"],
                    expires_at=form.expires_at(),
                )
            except tokens.TokenError as error:
                form.add_error(None, error.message)
            else:
                request.session[NEW_SECRET_KEY] = {
                    "name": created.token.name,
                    "secret": created.secret,
                }
                return redirect("api_tokens")
    else:
        form = TokenForm(user=user)
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "new_token": request.session.pop(NEW_SECRET_KEY, None),
            "tokens": user.api_tokens.all(),
        },
    )


@account_required
@require_POST
def revoke_api_token(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = tokens.revoke_token(user=_signed_in(request), token_id=token_id)
    except tokens.TokenError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The token “{token.name}” is revoked.")
    return redirect("api_tokens")

"""Reviewer accounts, for an administrator: invite by email, set the role, deactivate (after a
confirmation page) and reactivate. Plain forms and redirects: no JavaScript needed."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from django.contrib import messages
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessment import access
from assessment.forms.accounts import InviteReviewerForm, RoleForm
from assessment.roles import ROLE_LABELS
from assessment.selectors.accounts import reviewer_accounts
from assessment.services import accounts
from assessment.views.caching import never_cache
from assessment.views.review.decorators import account_admin_required


def _admin(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # account_admin_required let only a signed-in user in
    return user


@never_cache
@account_admin_required
@require_http_methods(["GET", "POST"])
def accounts_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = InviteReviewerForm(request.POST)
        if form.is_valid():
            try:
                invited = accounts.invite_reviewer(by=_admin(request), **form.cleaned_data)
            except accounts.AccountError as error:
                form.add_error("email", error.message)
            else:
                role = ROLE_LABELS[form.cleaned_data["role"]].lower()
                messages.success(
                    request,
                    f"{invited.email} is invited as {role}: they have been emailed a link to "
                    f"choose their password.",
                )
                return redirect("review:accounts")
    else:
        form = InviteReviewerForm()
    return render(
        request,
        "review/accounts.html",
        {
            "form": form,
            "accounts": [
                (account, RoleForm.for_account(account)) for account in reviewer_accounts()
            ],
            "me": request.user.pk,
        },
    )


@account_admin_required
@require_POST
def account_role(request: HttpRequest, account_id: int) -> HttpResponse:
    user = access.reviewer_account(request.user, account_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"Choose a role for {user.get_username()}.")
        return redirect("review:accounts")
    role = form.cleaned_data["role"]
    done = f"{user.get_username()} is now {ROLE_LABELS[role].lower()}."
    return _act_on(request, user, partial(accounts.set_role, role=role), done)


def _act_on(
    request: HttpRequest, user: User, act: Callable[..., object], done: str
) -> HttpResponse:
    """Run one account service on `user` (`by` the administrator), say how it went, and go
    back to the accounts page: a refusal is in the service's own words."""
    try:
        act(by=_admin(request), user=user)
    except accounts.AccountError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("review:accounts")


@never_cache
@account_admin_required
@require_http_methods(["GET", "POST"])
def account_deactivate(request: HttpRequest, account_id: int) -> HttpResponse:
    """GET: the confirmation page. POST: deactivate."""
    user = access.reviewer_account(request.user, account_id)
    if request.method == "POST":
        return _act_on(request, user, accounts.deactivate, f"{user.get_username()} is deactivated.")
    return render(request, "review/account_deactivate.html", {"account": user})


@account_admin_required
@require_POST
def account_reactivate(request: HttpRequest, account_id: int) -> HttpResponse:
    user = access.reviewer_account(request.user, account_id)
    return _act_on(request, user, accounts.reactivate, f"{user.get_username()} is active again.")


@account_admin_required
@require_POST
def account_resend(request: HttpRequest, account_id: int) -> HttpResponse:
    user = access.reviewer_account(request.user, account_id)
    done = f"The invitation is sent to {user.email} again."
    return _act_on(request, user, accounts.resend_invitation, done)

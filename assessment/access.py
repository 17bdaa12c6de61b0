"""The one place that loads a draft or record for a caller.

A respondent reaches their assessment only through its private link's token; a reviewer
reaches a record only with the review permission, in a session that proved a second factor.
Every view goes through these functions, so guessed ids have exactly one place to be refused.
"""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet
from django.http import Http404

from assessment import compiled
from assessment.models import ApiToken, Draft, Export, Record, TokenScope
from assessment.roles import (
    APPROVERS_GROUP,
    MANAGE_REVIEWERS_PERMISSION,
    REVIEW_PERMISSION,
    REVIEWERS_GROUP,
)

_TOKEN_MAX = 64
_M = TypeVar("_M", bound=models.Model)


def _by_token_lookup(model: type[models.Model], for_update: bool) -> compiled.Lookup:
    """`model.objects.get(token=...)`, compiled once (assessment/compiled.py): building it from
    the queryset took about a fifth of a question page's time, and RawQuerySet's set-up on each
    call (column order, converters) as much again for a record's many columns (issue 15).
    Compiled on first use, inside the caller's transaction when locking (Django refuses to
    compile SELECT ... FOR UPDATE outside one)."""

    def build() -> QuerySet[Any]:
        queryset = model._default_manager.filter(token="").order_by()
        return queryset.select_for_update() if for_update else queryset

    return compiled.Lookup(build, [""], model)


_BY_TOKEN: dict[tuple[type[models.Model], bool], compiled.Lookup] = {
    (model, for_update): _by_token_lookup(model, for_update)
    for model in (Draft, Record)
    for for_update in (False, True)
}


def _refuse_impossible(token: str) -> None:
    """404 before any query for a token no row can have (empty, or longer than the column)."""
    if not token or len(token) > _TOKEN_MAX:
        raise Http404


def _by_token(model: type[_M], token: str, *, for_update: bool = False) -> _M:
    """The row whose private-link token this is (the column is unique), or 404."""
    _refuse_impossible(token)
    found = _BY_TOKEN[model, for_update].one(token)
    if found is None:
        raise Http404
    instance: _M = found[0]
    return instance


def draft_for_respondent(token: str, *, for_update: bool = False) -> Draft:
    return _by_token(Draft, token, for_update=for_update)


def record_for_respondent(token: str) -> Record:
    return _by_token(Record, token)


def record_row_for_respondent(
    token: str, lookup: compiled.Lookup, params: tuple[str | int, ...]
) -> tuple[Any, ...]:
    """The record, as `record_for_respondent`, read by `lookup`: a compiled lookup of `Record`
    by this same token (in `params`) that also selects annotations (the result page's
    conversation, issue 15). The record, then the annotations' values; 404 if none."""
    _refuse_impossible(token)
    found = lookup.one(*params)
    if found is None:
        raise Http404
    return found


class SecondFactorRequired(PermissionDenied):
    """Signed in with a password only: the page needs the second factor first.

    A PermissionDenied, so any code that does not know about it still refuses;
    `SecondFactorMiddleware` turns it into a redirect to the second step (or its set-up)."""


def second_factor_verified(user: object) -> bool:
    """Whether this request's session proved a second factor (django-otp's OTPMiddleware sets
    `is_verified` on request.user). A user object that did not come through the middleware has
    no `is_verified` and counts as not verified."""
    is_verified = getattr(user, "is_verified", None)
    return bool(
        getattr(user, "is_authenticated", False) and callable(is_verified) and is_verified()
    )


def ensure_signed_in(user: User | AnonymousUser) -> None:
    """Any account page (reviewer pages, API tokens, the admin): a password is not enough, every
    account proves a second factor first. The API's bearer tokens do not come through here."""
    if not user.is_authenticated:
        raise PermissionDenied
    if not second_factor_verified(user):
        raise SecondFactorRequired


def ensure_reviewer(user: User | AnonymousUser) -> None:
    ensure_signed_in(user)
    if not user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied


def ensure_account_admin(user: User | AnonymousUser) -> None:
    """Who may manage reviewer accounts: the Reviewer administrators group, or a superuser, in
    a session that proved a second factor."""
    ensure_signed_in(user)
    if not user.has_perm(MANAGE_REVIEWERS_PERMISSION):
        raise PermissionDenied


def reviewer_account(user: User | AnonymousUser, account_id: int) -> User:
    """A reviewer or approver account, for an administrator; 404 for any other account."""
    ensure_account_admin(user)
    try:
        return (
            User.objects.filter(groups__name__in=[REVIEWERS_GROUP, APPROVERS_GROUP])
            .distinct()
            .get(pk=account_id)
        )
    except User.DoesNotExist:
        raise Http404 from None


def record_for_reviewer(user: User | AnonymousUser, reference: str) -> Record:
    ensure_reviewer(user)
    try:
        return Record.objects.select_related(
            "assigned_to", "decided_by", "approved_by", "closed_by", "proposed_by"
        ).get(reference=reference)
    except Record.DoesNotExist:
        raise Http404 from None


def export_for_reviewer(user: User | AnonymousUser, export_id: str) -> Export:
    """A ZIP export, for the reviewer who asked for it only (it holds their filtered queue)."""
    ensure_reviewer(user)
    try:
        return Export.objects.get(pk=uuid.UUID(str(export_id)), requested_by_id=user.pk)
    except (ValueError, Export.DoesNotExist):
        raise Http404 from None


def token_reads_all(token: ApiToken) -> bool:
    """A read:all token counts only while its owner is still a reviewer."""
    return token.scope == TokenScope.READ_ALL and token.user.has_perm(REVIEW_PERMISSION)


def ensure_token_reads_all(token: ApiToken) -> None:
    if not token_reads_all(token):
        raise PermissionDenied


# What an API token may read: every record (read:all), or the records its owner submitted
# through the API (read:own). One of them by reference, compiled once (assessment/compiled.py):
# the API gate runs it on every call.
_RECORD_FOR_ALL = compiled.Lookup(
    lambda: Record.objects.filter(reference="").order_by(), [""], Record
)
_RECORD_FOR_OWNER = compiled.Lookup(
    lambda: Record.objects.filter(reference="").filter(api_submission__user=0).order_by(),
    ["", 0],
    Record,
)


def record_for_token(token: ApiToken, reference: str) -> Record:
    """One record for an API token; a record it may not see is the same 404 as none at all."""
    if not reference or len(reference) > _TOKEN_MAX:
        raise Http404
    if token_reads_all(token):
        found = _RECORD_FOR_ALL.one(reference)
    else:
        found = _RECORD_FOR_OWNER.one(reference, token.user_id)
    if found is None:
        raise Http404
    return found[0]

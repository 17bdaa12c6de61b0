"""The one place that loads a draft or record for a caller.

A respondent reaches their assessment only through its private link's token; a reviewer
reaches a record only with the review permission. Every view goes through these functions,
so guessed ids have exactly one place to be refused.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import Http404

from assessment.models import Draft, Record
from assessment.roles import REVIEW_PERMISSION

_TOKEN_MAX = 64


def draft_for_respondent(token: str, *, for_update: bool = False) -> Draft:
    if not token or len(token) > _TOKEN_MAX:
        raise Http404
    queryset = Draft.objects.select_for_update() if for_update else Draft.objects
    try:
        return queryset.get(token=token)
    except Draft.DoesNotExist:
        raise Http404 from None


def record_for_respondent(token: str) -> Record:
    if not token or len(token) > _TOKEN_MAX:
        raise Http404
    try:
        return Record.objects.get(token=token)
    except Record.DoesNotExist:
        raise Http404 from None


def ensure_reviewer(user: User | AnonymousUser) -> None:
    if not user.is_authenticated or not user.has_perm(REVIEW_PERMISSION):
        raise PermissionDenied


def record_for_reviewer(user: User | AnonymousUser, reference: str) -> Record:
    ensure_reviewer(user)
    try:
        return Record.objects.select_related(
            "assigned_to", "decided_by", "approved_by", "closed_by", "proposed_by"
        ).get(reference=reference)
    except Record.DoesNotExist:
        raise Http404 from None

"""Reads for the reviewer accounts page: every account in the reviewers' or approvers' group,
with its role and state, in two queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User

from assessment.roles import APPROVER, APPROVERS_GROUP, REVIEWER, REVIEWERS_GROUP, ROLE_LABELS


@dataclass(frozen=True)
class ReviewerAccount:
    user: User
    role: str  # REVIEWER or APPROVER
    role_label: str
    active: bool
    # Invited, and the set-password link not used yet.
    invited: bool
    last_login: datetime | None

    @property
    def state_label(self) -> str:
        if not self.active:
            return "Deactivated"
        return "Invited (no password yet)" if self.invited else "Active"


def reviewer_accounts() -> list[ReviewerAccount]:
    users = (
        get_user_model()
        .objects.filter(groups__name__in=[REVIEWERS_GROUP, APPROVERS_GROUP])
        .distinct()
        .order_by("username")
        .prefetch_related("groups")
    )
    accounts = []
    for user in users:
        role = APPROVER if any(g.name == APPROVERS_GROUP for g in user.groups.all()) else REVIEWER
        accounts.append(
            ReviewerAccount(
                user=user,
                role=role,
                role_label=ROLE_LABELS[role],
                active=user.is_active,
                invited=not user.has_usable_password(),
                last_login=user.last_login,
            )
        )
    return accounts

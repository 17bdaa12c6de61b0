"""Reviewer accounts: the groups a reviewer belongs to, creating (or resetting) one from the
command line, and what an administrator does on /review/accounts/: invite a reviewer by email,
set the role (reviewer or approver), deactivate and reactivate.

Accounts are never deleted: events, decisions and approvals name the users who made them.
Every change an administrator makes is written to Django's admin log (who, when, what).
"""

from __future__ import annotations

from functools import partial

from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from assessment import notifications
from assessment.roles import (
    ACCOUNT_ADMIN_PERMISSIONS,
    ACCOUNT_ADMINS_GROUP,
    APPROVER,
    APPROVER_PERMISSIONS,
    APPROVERS_GROUP,
    MANAGE_REVIEWERS_PERMISSION,
    REVIEWER,
    REVIEWER_PERMISSIONS,
    REVIEWERS_GROUP,
)


def _group(name: str, codenames: tuple[str, ...]) -> Group:
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.set(
            Permission.objects.filter(content_type__app_label="assessment", codename__in=codenames)
        )
    return group


def reviewers_group() -> Group:
    """The group migration 0002 created; recreated with the same permissions if it is missing
    (a flushed test database, or someone deleted it in the admin)."""
    return _group(REVIEWERS_GROUP, REVIEWER_PERMISSIONS)


def approvers_group() -> Group:
    """The group migration 0007 created (reviewers who may approve decisions), recreated the
    same way if missing."""
    return _group(APPROVERS_GROUP, APPROVER_PERMISSIONS)


def account_admins_group() -> Group:
    """The group migration 0014 created (who may manage reviewer accounts), recreated the same
    way if missing."""
    return _group(ACCOUNT_ADMINS_GROUP, ACCOUNT_ADMIN_PERMISSIONS)


@transaction.atomic
def create_reviewer(
    *,
    username: str,
    email: str,
    password: str | None,
    validate: bool = True,
    approver: bool = False,
) -> tuple[User, bool]:
    """Create the reviewer or reset an existing user's email and password; add to the group.

    Returns (user, created). `password=None` leaves the account without a usable password
    (demo reviewers who only appear in seeded trails). Raises ValidationError for a weak
    password when `validate` is on. `approver` also adds the account to the approvers group.
    """
    user, created = get_user_model().objects.get_or_create(username=username)
    user.email = email
    if password is None:
        user.set_unusable_password()
    else:
        if validate:
            validate_password(password, user)
        user.set_password(password)
    user.is_active = True
    user.save()
    user.groups.add(reviewers_group())
    if approver:
        user.groups.add(approvers_group())
    return user, created


# --- Administered on /review/accounts/ -------------------------------------------------------


class AccountError(Exception):
    """An account change was refused; `message` says why, in words an administrator can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def can_manage(user: User | AnonymousUser) -> bool:
    return user.is_authenticated and user.has_perm(MANAGE_REVIEWERS_PERMISSION)


def _log(*, by: User, user: User, flag: int, message: str) -> LogEntry:
    return LogEntry.objects.create(
        user_id=by.pk,
        content_type_id=ContentType.objects.get_for_model(user).pk,
        object_id=str(user.pk),
        object_repr=user.get_username()[:200],
        action_flag=flag,
        change_message=message,
    )


def _check_may_change(*, by: User, user: User) -> None:
    if not can_manage(by):
        raise AccountError("You may not manage reviewer accounts.")
    if user.is_superuser and not by.is_superuser:
        raise AccountError("Only a superuser can change a superuser's account.")


def _set_groups(user: User, role: str) -> None:
    if role not in (REVIEWER, APPROVER):
        raise AccountError("Choose a role: reviewer or approver.")
    user.groups.add(reviewers_group())
    if role == APPROVER:
        user.groups.add(approvers_group())
    else:
        user.groups.remove(approvers_group())


@transaction.atomic
def invite_reviewer(*, by: User, email: str, first_name: str, last_name: str, role: str) -> User:
    """Create a reviewer account for `email` (also its username) without a usable password,
    and email them a link to set one (Django's password reset token: it expires after
    PASSWORD_RESET_TIMEOUT and stops working once used). Refuses an address already in use."""
    if not can_manage(by):
        raise AccountError("You may not manage reviewer accounts.")
    email = get_user_model().objects.normalize_email(email.strip())
    users = get_user_model().objects
    if users.filter(email__iexact=email).exists() or users.filter(username__iexact=email).exists():
        raise AccountError(
            f"An account with the email {email} already exists: change its role or reactivate "
            f"it in the list instead."
        )
    user = users.create_user(
        username=email.lower(),
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        password=None,  # unusable until they set one through the emailed link
    )
    _set_groups(user, role)
    logged = _log(by=by, user=user, flag=ADDITION, message=f"Invited as {role}.")
    transaction.on_commit(partial(notifications.reviewer_invited, user.pk, by.pk, logged.pk))
    return user


@transaction.atomic
def resend_invitation(*, by: User, user: User) -> None:
    """Email a fresh set-password link to an invited reviewer who has not set a password yet."""
    _check_may_change(by=by, user=user)
    if user.has_usable_password():
        raise AccountError(f"{user.get_username()} has already set a password.")
    if not user.is_active:
        raise AccountError(f"{user.get_username()} is deactivated: reactivate the account first.")
    logged = _log(by=by, user=user, flag=CHANGE, message="Invitation sent again.")
    transaction.on_commit(partial(notifications.reviewer_invited, user.pk, by.pk, logged.pk))


@transaction.atomic
def set_role(*, by: User, user: User, role: str) -> None:
    _check_may_change(by=by, user=user)
    _set_groups(user, role)
    _log(by=by, user=user, flag=CHANGE, message=f"Role set to {role}.")


@transaction.atomic
def deactivate(*, by: User, user: User) -> None:
    """The account can no longer sign in nor use its API tokens, and gets no more emails; it
    stays, because the trail names it. Records it holds stay assigned (others can take them
    over). An administrator cannot deactivate their own account (nobody would be left to
    undo it)."""
    _check_may_change(by=by, user=user)
    if user.pk == by.pk:
        raise AccountError("You cannot deactivate your own account.")
    if not user.is_active:
        raise AccountError(f"{user.get_username()} is already deactivated.")
    user.is_active = False
    user.save(update_fields=["is_active"])
    _log(by=by, user=user, flag=CHANGE, message="Deactivated.")


@transaction.atomic
def reactivate(*, by: User, user: User) -> None:
    _check_may_change(by=by, user=user)
    if user.is_active:
        raise AccountError(f"{user.get_username()} is already active.")
    user.is_active = True
    user.save(update_fields=["is_active"])
    _log(by=by, user=user, flag=CHANGE, message="Reactivated.")

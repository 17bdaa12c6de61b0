"""Reviewer accounts: the group a reviewer belongs to, and creating (or resetting) one."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission, User
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from assessment.roles import (
    APPROVER_PERMISSIONS,
    APPROVERS_GROUP,
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

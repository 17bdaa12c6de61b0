"""Helpers for the reviewer-dashboard tests: accounts with and without the permission."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from assessment.services.accounts import create_reviewer


def make_reviewer(username: str = "rita", email: str = "rita@example.com"):
    user, _ = create_reviewer(
        username=username, email=email, password="correct horse battery", validate=False
    )
    return user


def make_outsider(username: str = "otto"):
    """Signed in, but not a reviewer."""
    return get_user_model().objects.create_user(username=username, password="not a reviewer 42")


def make_approver(username: str = "april", email: str = "april@example.com"):
    """A reviewer who may also approve another reviewer's decision (four eyes)."""
    user, _ = create_reviewer(
        username=username,
        email=email,
        password="correct horse battery",
        validate=False,
        approver=True,
    )
    return user


def make_account_admin(username: str = "ada", email: str = "ada@example.com"):
    """Manages reviewer accounts (the "Reviewer administrators" group); not a reviewer."""
    from assessment.services.accounts import account_admins_group

    user = get_user_model().objects.create_user(
        username=username, email=email, password="correct horse battery"
    )
    user.groups.add(account_admins_group())
    return user

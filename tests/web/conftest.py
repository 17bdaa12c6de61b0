"""Fixtures shared by the web tests: a reviewer, signed in, and a record to review."""

import pytest

from tests.factories import make_record
from tests.review_support import make_account_admin, make_reviewer, sign_in


@pytest.fixture
def rita():
    """A reviewer (in the reviewers' group)."""
    return make_reviewer()


@pytest.fixture
def signed_in(client, rita):
    """The test client, signed in as the reviewer rita."""
    sign_in(client, rita)
    return client


@pytest.fixture
def record():
    """A submitted record whose outcome needs review."""
    return make_record(kind="review")


@pytest.fixture
def account_admin():
    """Manages reviewer accounts (the "Reviewer administrators" group), without reviewing."""
    return make_account_admin()


@pytest.fixture
def admin_signed_in(client, account_admin):
    """The test client, signed in (both factors) as the reviewer administrator ada."""
    sign_in(client, account_admin)
    return client

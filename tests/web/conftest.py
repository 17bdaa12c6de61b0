"""Fixtures shared by the web tests: a reviewer, signed in, and a record to review."""

import pytest

from tests.factories import make_record
from tests.review_support import make_reviewer, sign_in


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

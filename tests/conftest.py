"""Shared fixtures. Browser fixtures live in tests/browser/conftest.py."""

import os
from typing import NoReturn

import pytest
from hypothesis import settings

# Property tests assert behaviour, not speed: a loaded CI machine must not fail them on time.
settings.register_profile("suite", deadline=None, print_blob=True)
settings.load_profile("suite")

IN_CI = os.environ.get("CI", "").lower() == "true"


def skip_or_fail(reason: str) -> NoReturn:
    """Locally a missing tool skips with its reason; in CI (CI=true) nothing may skip."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


ON_POSTGRES = os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))
# The slow tests run in one pass of `make test` only (the SQLite one sets RUN_SLOW_TESTS=1).
RUN_SLOW = os.environ.get("RUN_SLOW_TESTS") == "1"


def pytest_collection_modifyitems(config, items):
    """postgres_only tests belong to the PostgreSQL pass, slow ones to the pass that asks for
    them: elsewhere they are deselected, not skipped (in CI nothing may skip)."""
    keep, drop = [], []
    for item in items:
        unwanted = (item.get_closest_marker("postgres_only") and not ON_POSTGRES) or (
            item.get_closest_marker("slow") and not RUN_SLOW
        )
        (drop if unwanted else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's admin_client, signed in with both factors as every account must be."""
    from tests.review_support import sign_in

    return sign_in(client, admin_user)


@pytest.fixture(autouse=True)
def _stored_counts_start_empty(request):
    """A transactional test starts with the tables of counts empty, as a new database has them.
    On SQLite, Django's flush after the previous transactional test may delete the records after
    those tables, and the records' delete triggers then leave -1 rows behind (PostgreSQL's flush
    truncates, which fires no trigger). The app never deletes records: only tests do."""
    if "transactional_db" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from assessment.models import EventDay, RecordCount, SubmissionDay

    for model in (RecordCount, SubmissionDay, EventDay):
        model.objects.all().delete()

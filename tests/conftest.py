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

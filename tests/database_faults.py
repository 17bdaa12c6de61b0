"""A database that refuses every new query, for the outage tests."""

from __future__ import annotations

import pytest
from django.db import OperationalError, connections


def refuse_queries(monkeypatch: pytest.MonkeyPatch, message: str) -> None:
    """From now on, every cursor the default database hands out fails with `message`, as if
    the server had gone away: Django's own, and on PostgreSQL the backend's prepared one
    (config/postgresql), which the respondent's pages read through."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OperationalError(message)

    backend = type(connections["default"])
    for name in ("cursor", "prepared_cursor"):
        if hasattr(backend, name):
            monkeypatch.setattr(backend, name, refuse)

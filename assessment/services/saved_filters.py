"""A reviewer's saved queue filters: name the current filters, list them, delete one."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from assessment.models import SavedFilter
from assessment.selectors.queue import QueueFilters


def saved_filters(user: User) -> QuerySet[SavedFilter]:
    return SavedFilter.objects.filter(user=user).order_by("name", "pk")


def save_filter(*, user: User, name: str, filters: QueueFilters) -> SavedFilter:
    """Keep `filters` under `name`; saving again under a name the reviewer already uses
    replaces what it held (names are per reviewer)."""
    saved, _ = SavedFilter.objects.update_or_create(
        user=user, name=name.strip(), defaults={"query": filters.querystring()}
    )
    return saved


def delete_filter(*, user: User, filter_id: int) -> None:
    """Only the reviewer's own: anyone else's is a 404, as if it did not exist."""
    get_object_or_404(SavedFilter, pk=filter_id, user=user).delete()

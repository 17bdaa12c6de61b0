"""A reviewer's named queue filters."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedFilter(models.Model):
    """A set of queue filters a reviewer named, kept as the query string the queue's form
    parses (`QueueFilters.querystring()`), so opening it goes through the one parser again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.name}"

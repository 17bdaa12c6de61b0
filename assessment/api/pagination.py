"""Cursor pagination of the queue, in the queue's own orders.

DRF's cursor holds the last row's value of the first ordering field (plus an offset among rows
sharing it), so a page costs one query however deep it is, and rows submitted meanwhile do not
shift the pages. The priority order is annotated as a rank so it can lead the ordering.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from rest_framework.pagination import CursorPagination

from assessment.models import queue_priority
from assessment.selectors.queue import SORTS, QueueFilters


class QueueCursorPagination(CursorPagination):
    page_size = settings.ASSESSMENT_API_PAGE_SIZE
    max_page_size = 200
    page_size_query_param = "page_size"

    def paginate_queue(
        self, queryset: QuerySet[Any], filters: QueueFilters, request: Any, view: Any
    ) -> list[Any] | None:
        if filters.sort == "priority":
            queryset = queryset.annotate(queue_rank=queue_priority())
        # The queue's own orders, defined once (SORTS); "queue_rank" is the priority group.
        self.ordering = SORTS[filters.sort][1]
        return self.paginate_queryset(queryset, request, view)

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> tuple[str, ...]:
        return self.ordering

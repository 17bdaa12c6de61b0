from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from assessment.charts import bar_chart
from assessment.models import DECISION_LABELS, DECISION_VALUES
from assessment.selectors.queue import QueueFilters
from assessment.selectors.stats import statistics
from assessment.views.review.decorators import reviewer_required


def _duration(value: timedelta | None) -> str:
    if value is None:
        return "No decisions yet"
    days, seconds = value.days, value.seconds
    hours, minutes = seconds // 3600, seconds % 3600 // 60
    if days:
        return f"{days} day{'s' * (days != 1)} {hours} hour{'s' * (hours != 1)}"
    if hours:
        return f"{hours} hour{'s' * (hours != 1)} {minutes} minute{'s' * (minutes != 1)}"
    return f"{minutes} minute{'s' * (minutes != 1)}"


def queue_url(params: dict[str, str]) -> str:
    """The queue filtered by the queue's own query-string parameters; "" when there are none
    (a figure no queue filter selects gets no link)."""
    return f"{reverse('review:queue')}?{urlencode(params)}" if params else ""


def _linked(
    rows: list[tuple[str, str, int]], filters: Callable[[str], QueueFilters]
) -> list[tuple[str, str, int, str]]:
    return [(value, label, n, queue_url(filters(value).query())) for value, label, n in rows]


def _bars(rows: list[tuple[str, str, int]]) -> list[tuple[str, int]]:
    return [(label, n) for _, label, n in rows]


@require_GET
@reviewer_required
def stats(request: HttpRequest) -> HttpResponse:
    figures = statistics()
    weeks = figures.weeks
    return render(
        request,
        "review/stats.html",
        {
            "stats": figures,
            "overdue_url": queue_url(figures.overdue.params),
            "sla_days": settings.ASSESSMENT_REVIEW_SLA_DAYS,
            "median": _duration(figures.median_decision),
            "by_outcome": _linked(figures.by_outcome, lambda v: QueueFilters(outcome=v)),
            "by_status": _linked(figures.by_status, lambda v: QueueFilters(status=v)),
            "by_category": _linked(figures.by_category, lambda v: QueueFilters(category=v)),
            "decision_labels": [DECISION_LABELS[value] for value in DECISION_VALUES],
            "weeks": [(week, queue_url(week.params)) for week in weeks],
            "backlog": [
                (row, [(cell, queue_url(cell.params)) for cell in row.per_status])
                for row in figures.backlog
            ],
            "charts": {
                key: bar_chart(
                    chart_id=f"chart-{key.replace('_', '-')}",
                    title=title,
                    rows=rows,
                    css_class="bar-chart-alt" if alt else "",
                )
                for key, title, rows, alt in (
                    ("outcome", "Records by automatic outcome", _bars(figures.by_outcome), False),
                    ("status", "Records by status", _bars(figures.by_status), False),
                    ("category", "Records by category", _bars(figures.by_category), False),
                    (
                        "submissions",
                        "Submissions per week",
                        [(week.label, week.submissions) for week in weeks],
                        False,
                    ),
                    # Figures of what reviewers did, drawn in the other colour.
                    (
                        "decisions",
                        "Decisions per week, as they happened",
                        [(week.label, week.decisions) for week in weeks],
                        True,
                    ),
                    (
                        "decided_outcome",
                        "Decisions by decided outcome",
                        [(figure.label, figure.count) for figure in figures.by_decision],
                        True,
                    ),
                    (
                        "backlog",
                        "Open records by age since submission",
                        [(row.label, row.total) for row in figures.backlog],
                        False,
                    ),
                )
            },
        },
    )

from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

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
                "outcome": bar_chart(
                    chart_id="chart-outcome",
                    title="Records by automatic outcome",
                    rows=[(label, n) for _, label, n in figures.by_outcome],
                ),
                "status": bar_chart(
                    chart_id="chart-status",
                    title="Records by status",
                    rows=[(label, n) for _, label, n in figures.by_status],
                ),
                "category": bar_chart(
                    chart_id="chart-category",
                    title="Records by category",
                    rows=[(label, n) for _, label, n in figures.by_category],
                ),
                "submissions": bar_chart(
                    chart_id="chart-submissions",
                    title="Submissions per week",
                    rows=[(week.label, week.submissions) for week in weeks],
                ),
                "decisions": bar_chart(
                    chart_id="chart-decisions",
                    title="Decisions per week, as they happened",
                    rows=[(week.label, week.decisions) for week in weeks],
                    css_class="bar-chart-alt",
                ),
                "decided_outcome": bar_chart(
                    chart_id="chart-decided-outcome",
                    title="Decisions by decided outcome",
                    rows=[(figure.label, figure.count) for figure in figures.by_decision],
                    css_class="bar-chart-alt",
                ),
                "backlog": bar_chart(
                    chart_id="chart-backlog",
                    title="Open records by age since submission",
                    rows=[(row.label, row.total) for row in figures.backlog],
                ),
            },
        },
    )

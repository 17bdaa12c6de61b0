from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessment.charts import bar_chart
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
                    title="Decisions per week",
                    rows=[(week.label, week.decisions) for week in weeks],
                    css_class="bar-chart-alt",
                ),
            },
        },
    )

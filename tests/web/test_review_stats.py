"""Statistics: counts by outcome, status and category, weekly activity, median time to decision."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from assessment.charts import bar_chart
from assessment.models import Record
from assessment.selectors.stats import statistics
from assessment.services import review
from tests.factories import make_record
from tests.review_support import make_reviewer

pytestmark = pytest.mark.django_db


def _decide_after(record: Record, user, hours: int) -> None:
    review.decide(record=record, user=user, expected_revision=record.revision, outcome="prohibited")
    Record.objects.filter(pk=record.pk).update(
        decided_at=record.submitted_at + timedelta(hours=hours)
    )


def test_counts_by_outcome_status_and_category():
    rita = make_reviewer()
    make_record(kind="permitted")
    make_record(kind="review")
    prohibited = make_record(kind="prohibited")
    review.confirm(record=prohibited, user=rita, expected_revision=0)
    stats = statistics()
    assert stats.total == 3
    assert {value: n for value, _, n in stats.by_outcome} == {
        "permitted": 1,
        "review": 1,
        "prohibited": 1,
    }
    assert {value: n for value, _, n in stats.by_status}["decided"] == 1
    assert {value: n for value, _, n in stats.by_status}["new"] == 2
    categories = {oid: n for oid, _, n in stats.by_category}
    for record in Record.objects.all():
        for oid in filter(None, record.outcome_ids.split(";")):
            assert categories[oid] >= 1
    assert sum(categories.values()) == sum(
        len(list(filter(None, r.outcome_ids.split(";")))) for r in Record.objects.all()
    )


def test_submissions_and_decisions_are_counted_per_iso_week():
    rita = make_reviewer()
    this_week = make_record()
    last_week = make_record()
    Record.objects.filter(pk=last_week.pk).update(submitted_at=timezone.now() - timedelta(weeks=1))
    review.decide(record=this_week, user=rita, expected_revision=0, outcome="prohibited")
    weeks = statistics().weeks
    assert len(weeks) == 12
    assert (weeks[-1].submissions, weeks[-1].decisions) == (1, 1)
    assert weeks[-2].submissions == 1
    year, week, _ = timezone.localdate().isocalendar()
    assert weeks[-1].label == f"{year}-W{week:02d}"
    assert weeks[-1].start.weekday() == 0


@pytest.mark.parametrize(("hours", "median"), [([2, 4, 30], 4), ([2, 4, 30, 50], 17)])
def test_the_median_time_to_decision(hours, median):
    rita = make_reviewer()
    for h in hours:
        _decide_after(make_record(), rita, h)
    make_record()  # undecided: not counted
    stats = statistics()
    assert stats.decided == len(hours)
    assert stats.median_decision == timedelta(hours=median)


def test_no_decisions_means_no_median():
    make_record()
    assert statistics().median_decision is None


def test_the_stats_page_shows_each_chart_with_its_table(signed_in):
    make_record(kind="prohibited")
    body = signed_in.get(reverse("review:stats")).content.decode()
    assert body.count('role="img"') == 7
    assert body.count("<table") == 7  # the by-reviewer table only once someone decided
    assert "Records by automatic outcome" in body
    assert '<title id="chart-outcome-title">' in body


def test_chart_labels_are_escaped_and_values_are_in_the_description():
    svg = str(bar_chart(chart_id="c", title="T <x>", rows=[("<script>", 3), ("B & C", 0)]))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "B &amp; C: 0" in svg
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg

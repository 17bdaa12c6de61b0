"""Statistics from the event trail: decisions and overrides per week as they happened, by
decided outcome and by reviewer, approvals and send-backs, the backlog by age; every figure
the queue can filter on links to exactly those records.

The trail below is built through the review services, then its events are moved to the weeks
they would have happened in. The expected figures are computed here from the Event rows with
plain Python, independently of the selector's SQL, and some are also known by hand."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessment.forms.queue import QueueFilterForm
from assessment.models import OPEN_STATUSES, Event, Record
from assessment.selectors.stats import AGE_BUCKETS, STATS_WEEKS, statistics
from assessment.services import review
from tests.factories import make_record
from tests.review_support import make_approver, make_reviewer, sign_in

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
MONDAY = TODAY - timedelta(days=TODAY.weekday())
FIRST_WEEK = MONDAY - timedelta(weeks=STATS_WEEKS - 1)
JUSTIFICATION = "The respondent's written agreement covers this use."

EFFECTIVE = {"confirmed", "decided", "overridden", "approved", "closed"}


def _in_week(weeks_ago: int, hour: int = 10) -> datetime:
    """A moment on the Tuesday of the week `weeks_ago` weeks before this one."""
    day = MONDAY - timedelta(weeks=weeks_ago) + timedelta(days=1)
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _at(event: Event, when: datetime) -> Event:
    Event.objects.filter(pk=event.pk).update(created_at=when)
    return event


def _submitted(record: Record, when: datetime) -> Record:
    Record.objects.filter(pk=record.pk).update(submitted_at=when)
    record.events.filter(action="submitted").update(created_at=when)
    record.submitted_at = when
    return record


def _trail():
    """Four reviewers, two of them approvers, a morning's worth of work over several weeks."""
    rosa, sam = make_reviewer("rosa", "rosa@example.com"), make_reviewer("sam", "sam@example.com")
    april, bob = make_approver("april", "april@example.com"), make_approver("bob", "bob@ex.com")

    # A confirmed "prohibited", revised to permitted weeks later (a revision, so four eyes).
    revised = _submitted(make_record(kind="prohibited"), _in_week(6))
    _at(review.confirm(record=revised, user=rosa, expected_revision=0), _in_week(5))
    _at(
        review.override(
            record=revised,
            user=rosa,
            expected_revision=revised.revision,
            outcome="permitted",
            justification=JUSTIFICATION,
        ),
        _in_week(2),
    )
    _at(review.approve(record=revised, user=april, expected_revision=revised.revision), _in_week(1))

    # An automatic "permitted" confirmed as it stands.
    confirmed = _submitted(make_record(kind="permitted"), _in_week(4))
    _at(review.confirm(record=confirmed, user=sam, expected_revision=0), _in_week(3))

    # "Needs review": a permitted decision sent back, then prohibited (no four eyes).
    sent_back = _submitted(make_record(kind="review"), _in_week(5))
    _at(
        review.decide(record=sent_back, user=rosa, expected_revision=0, outcome="permitted"),
        _in_week(4),
    )
    _at(
        review.reject(
            record=sent_back, user=bob, expected_revision=sent_back.revision, note="Not yet."
        ),
        _in_week(4, hour=15),
    )
    _at(
        review.decide(
            record=sent_back, user=rosa, expected_revision=sent_back.revision, outcome="prohibited"
        ),
        _in_week(3),
    )

    # An override of an automatic "prohibited", sent back: no decision, the case stays open.
    rejected = _submitted(make_record(kind="prohibited"), _in_week(3))
    _at(
        review.override(
            record=rejected,
            user=sam,
            expected_revision=0,
            outcome="permitted",
            justification=JUSTIFICATION,
        ),
        _in_week(2),
    )
    _at(
        review.reject(
            record=rejected, user=april, expected_revision=rejected.revision, note="No agreement."
        ),
        _in_week(2, hour=16),
    )

    # A named ending.
    withdrawn = _submitted(make_record(kind="review"), _in_week(2))
    _at(
        review.close(
            record=withdrawn,
            user=sam,
            expected_revision=0,
            reason="The respondent withdrew.",
            ending="withdrawn",
        ),
        _in_week(1),
    )

    # This week: a "needs review" decided permitted, approved by a second reviewer (not an
    # override: nothing definite was replaced).
    approved = make_record(kind="review")
    review.decide(record=approved, user=bob, expected_revision=0, outcome="permitted")
    review.approve(record=approved, user=april, expected_revision=approved.revision)

    # Before the charted weeks: not counted.
    old = _submitted(make_record(kind="permitted"), _in_week(STATS_WEEKS + 2))
    _at(review.confirm(record=old, user=rosa, expected_revision=0), _in_week(STATS_WEEKS + 1))

    # The open backlog, of every age.
    _submitted(make_record(kind="review"), _in_week(0) - timedelta(days=40))
    waiting = _submitted(make_record(kind="review"), _in_week(0) - timedelta(days=100))
    review.request_information(record=waiting, user=sam, expected_revision=0, message="Which?")
    make_record(kind="permitted")
    return {"rosa": rosa, "sam": sam, "april": april, "bob": bob}


def _expected_from_events():
    """The weekly figures and per-reviewer figures, from the Event rows in plain Python."""
    events = list(Event.objects.order_by("pk"))
    weeks: dict[int, Counter] = defaultdict(Counter)
    reviewers: dict[int | None, Counter] = defaultdict(Counter)
    last_proposer: dict[int, int | None] = {}
    for event in events:
        if event.action == "proposed":
            last_proposer[event.record_id] = event.actor_id
        day = timezone.localtime(event.created_at).date()
        if day < FIRST_WEEK:
            continue
        week = (day - FIRST_WEEK).days // 7
        took_effect = event.action in EFFECTIVE and event.decision != ""
        override = event.action == "overridden" or (
            event.action == "approved"
            and event.from_outcome in ("permitted", "prohibited")
            and event.decision != event.from_outcome
        )
        if took_effect:
            weeks[week]["decisions"] += 1
            weeks[week][event.decision] += 1
            decider = (
                last_proposer.get(event.record_id) if event.action == "approved" else event.actor_id
            )
            reviewers[decider]["decided"] += 1
            if override:
                weeks[week]["overrides"] += 1
                reviewers[decider]["overrides"] += 1
        if event.action == "approved":
            weeks[week]["approvals"] += 1
        if event.action == "rejected":
            weeks[week]["rejections"] += 1
        if event.action in ("proposed", "approved", "rejected"):
            reviewers[event.actor_id][event.action] += 1
    return weeks, reviewers


@pytest.mark.parametrize("zone", ["UTC", "America/New_York"])
def test_decisions_are_counted_from_the_trail_as_they_happened(settings, zone):
    # UTC: from the stored events per day (EventDay); another zone: from the events themselves.
    settings.TIME_ZONE = zone
    users = _trail()
    stats = statistics()
    weeks, reviewers = _expected_from_events()

    for index, week in enumerate(stats.weeks):
        expected = weeks[index]
        assert week.decisions == expected["decisions"], week.label
        assert week.by_decision == (
            expected["permitted"],
            expected["prohibited"],
            expected["withdrawn"],
            expected["not_assessable"],
        ), week.label
        assert (week.overrides, week.approvals, week.rejections) == (
            expected["overrides"],
            expected["approvals"],
            expected["rejections"],
        ), week.label

    names = {user.pk: review.actor_label(user) for user in users.values()}
    assert {
        row.label: (row.decided, row.overrides, row.proposed, row.approved, row.rejected)
        for row in stats.by_reviewer
    } == {
        names[pk]: (c["decided"], c["overrides"], c["proposed"], c["approved"], c["rejected"])
        for pk, c in reviewers.items()
    }

    # And by hand: the revised record's first decision stays in its week, the revision counts
    # in its own; the decision before the charted weeks is left out.
    last = STATS_WEEKS - 1
    assert stats.weeks[last - 5].by_decision == (0, 1, 0, 0)  # rosa's confirmed prohibited
    assert stats.weeks[last - 1].by_decision == (1, 0, 1, 0)  # approved revision, withdrawn
    assert stats.weeks[last - 1].overrides == 1
    assert stats.decisions == 6
    assert (stats.overrides, stats.approvals, stats.rejections) == (1, 2, 2)
    assert [(f.label, f.count) for f in stats.by_decision] == [
        ("Permitted", 3),
        ("Prohibited", 2),
        ("Withdrawn by the respondent", 1),
        ("Not assessable", 0),
    ]
    by_reviewer = {row.label: row for row in stats.by_reviewer}
    assert (by_reviewer["rosa"].decided, by_reviewer["rosa"].overrides) == (3, 1)
    assert (by_reviewer["april"].approved, by_reviewer["bob"].rejected) == (2, 1)
    # The current state would say otherwise: 7 records decided or closed, one of them before.
    assert stats.decided == Record.objects.filter(decided_at__isnull=False).count() == 6


def test_the_backlog_by_age_counts_open_records_by_days_since_submission():
    _trail()
    stats = statistics()
    expected: Counter = Counter()
    for record in Record.objects.filter(status__in=OPEN_STATUSES):
        age = (TODAY - timezone.localtime(record.submitted_at).date()).days
        bucket = next(
            i for i, (first, last, _) in enumerate(AGE_BUCKETS) if last is None or age <= last
        )
        assert age >= AGE_BUCKETS[bucket][0]
        expected[bucket, record.status] += 1
    for index, row in enumerate(stats.backlog):
        for status, cell in zip(OPEN_STATUSES, row.per_status, strict=True):
            assert cell.count == expected[index, status], (row.label, status)
    assert (
        sum(row.total for row in stats.backlog)
        == Record.objects.filter(status__in=OPEN_STATUSES).count()
    )
    assert stats.backlog[2].total == 1 and stats.backlog[3].total == 1


def _links(body: str, attribute: str) -> dict[str, tuple[str, int]]:
    found = re.findall(rf'<a href="([^"]+)" {attribute}="([^"]+)">(\d+)<', body)
    return {key: (url.replace("&amp;", "&"), int(n)) for url, key, n in found}


def _queue_references(client, url: str) -> set[str]:
    body = client.get(url).content.decode()
    return set(re.findall(r'<tr data-reference="([^"]+)"', body))  # markers may follow


def test_every_linked_figure_opens_the_queue_on_exactly_its_records(client):
    _trail()
    sign_in(client, make_reviewer("vera", "vera@example.com"))
    body = client.get(reverse("review:stats")).content.decode()

    backlog = _links(body, "data-backlog")
    assert len(backlog) == len(AGE_BUCKETS) * len(OPEN_STATUSES)
    figures = {**backlog, **_links(body, "data-figure"), **_links(body, "data-week")}
    assert any(n for _, n in figures.values())
    for key, (url, count) in figures.items():
        query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
        assert urlsplit(url).path == reverse("review:queue")
        form = QueueFilterForm(query)  # only the queue's own filters, all valid
        assert form.is_valid() and form.filters().query() == query, url
        shown = _queue_references(client, url)
        assert len(shown) == count, (key, url)

    # The backlog cells hold exactly the open records of their age and status.
    for bucket, (first, last, _) in enumerate(AGE_BUCKETS):
        for status in OPEN_STATUSES:
            url, _ = backlog[f"{bucket}-{status}"]
            expected = {
                r.reference
                for r in Record.objects.filter(status=status)
                if first
                <= (TODAY - timezone.localtime(r.submitted_at).date()).days
                <= (last if last is not None else 10**6)
            }
            assert _queue_references(client, url) == expected, url


def test_the_page_costs_the_same_queries_whatever_the_trail(signed_in):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(reverse("review:stats")).status_code == 200
        return len(captured)

    _trail()
    small = queries()
    # More records, decisions, reviewers and proposals: the same number of queries.
    for n in range(5):
        reviewer = make_reviewer(f"extra{n}", f"extra{n}@example.com")
        record = make_record(kind="review")
        review.decide(record=record, user=reviewer, expected_revision=0, outcome="prohibited")
        proposed = make_record(kind="prohibited")
        review.override(
            record=proposed,
            user=reviewer,
            expected_revision=0,
            outcome="permitted",
            justification=JUSTIFICATION,
        )
    assert queries() == small


def test_the_page_shows_decisions_per_week_and_per_reviewer(signed_in):
    _trail()
    body = signed_in.get(reverse("review:stats")).content.decode()
    assert '<dd data-stat="decisions">6</dd>' in body
    assert '<dd data-stat="overrides">1</dd>' in body
    assert 'data-table="by-reviewer"' in body and ">april<" in body


def test_a_figure_beyond_the_first_week_is_dated_by_iso_week():
    assert date.fromisoformat(statistics().weeks[0].params["submitted_from"]) == FIRST_WEEK


def test_the_overdue_figure_counts_open_records_past_the_sla(signed_in, settings):
    settings.ASSESSMENT_REVIEW_SLA_DAYS = 10
    _trail()
    cutoff = timezone.now() - timedelta(days=10)
    expected = {
        r.reference
        for r in Record.objects.all()
        if r.status in OPEN_STATUSES and r.submitted_at < cutoff
    }
    assert expected and statistics().overdue.count == len(expected)
    body = signed_in.get(reverse("review:stats")).content.decode()
    url, count = _links(body, "data-figure")["overdue"]
    assert count == len(expected)
    assert _queue_references(signed_in, url) == expected

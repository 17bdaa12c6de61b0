"""The result page drawn from parts is the template's page, byte for byte, on every kind of route
and in every state a record can be shown in; a new state of the case is a new page; and the parts
step aside whenever the page differs (a message, a signed-in user, a reply form with errors)."""

from __future__ import annotations

import collections
import itertools
from datetime import UTC, datetime

import pytest
from django.template import Context, Template
from django.urls import reverse

from assessment import engine
from assessment.forms.reply import ReplyForm
from assessment.models import Audience, Record
from assessment.questionnaire import available_versions, load
from assessment.selectors.respondent import result_page, when
from assessment.services import drafts, review, revisions, submission
from assessment.views.respondent import markers, result_cache
from tests.factories import make_record
from tests.respondent_pages import anonymous_request, slow_and_fast, with_messages, without_csrf
from tests.review_support import make_reviewer

pytestmark = pytest.mark.django_db

PATH = "/a/tok/result/"
_SECRET = markers._NONCE
# The page's markers as someone who does not know the per-process secret could write them:
# without it, and with another one. What people wrote is part of the cached page, so only the
# secret keeps such text from being filled in (text holding a real marker would be: nobody outside
# the process can know it).
FORGED = [
    real.replace(_SECRET, secret)
    for real in (markers.marker("csrf"), markers.marker("link"), markers.marker("token"))
    for secret in ("", "0" * len(_SECRET))
]
# Escaping, template syntax, a format string, and forged markers (never filled in).
HOSTILE = '<b>"Tom\'s" & co</b> {{ x }} %s \\ é ' + " ".join(FORGED)


def _both(record: Record) -> tuple[str, str]:
    record = Record.objects.get(pk=record.pk)
    context = {
        "token": record.token,
        "private_link": f"http://testserver/a/{record.token}/&'\"",
        "page": result_page(record),
        "form": ReplyForm(),
    }
    slow, fast = slow_and_fast(result_cache, context, PATH)
    again = result_cache.render_cached(anonymous_request(PATH), context)  # from the cache
    assert without_csrf(again.content.decode()) == fast
    return slow, fast


@pytest.mark.parametrize("version", available_versions())
@pytest.mark.parametrize("kind", ["permitted", "review", "prohibited"])
def test_the_cached_page_is_the_templates_page_for_each_outcome(version, kind):
    record = make_record(kind=kind, version=version, details={"respondent_name": HOSTILE})
    slow, fast = _both(record)
    assert fast == slow


def _routes(version: str, per_kind: int) -> list[dict]:
    """The first `per_kind` routes of each outcome among the version's first 20,000, in turn,
    every typed answer hostile text of its own."""
    questionnaire = load(version)
    by_kind: dict[str, list[dict]] = collections.defaultdict(list)
    for path in itertools.islice(engine.enumerate_paths(questionnaire), 20_000):
        if path.result is not None and len(by_kind[path.result.kind]) < per_kind:
            by_kind[path.result.kind].append(path.answers)
    routes = [r for r in itertools.chain(*itertools.zip_longest(*by_kind.values())) if r]
    return [
        {
            question: f"{HOSTILE} {number}" if questionnaire.questions[question].is_text else value
            for question, value in answers.items()
        }
        for number, answers in enumerate(routes)
    ]


@pytest.mark.parametrize("version", available_versions())
def test_records_on_many_routes_share_frames_and_parts_and_each_shows_its_own(version):
    result_cache._frame.cache_clear()
    details = [
        {"respondent_name": f"{HOSTILE} A", "organisation": ""},
        {"respondent_name": "Bo", "organisation": HOSTILE, "project_description": HOSTILE},
    ]
    routes = _routes(version, per_kind=6)
    records = [
        make_record(answers=answers, version=version, details=details[number % 2])
        for number, answers in enumerate(routes)
    ]
    for record in records:
        slow, fast = _both(record)
        assert fast == slow
    assert {"permitted", "review", "prohibited"} <= {record.outcome for record in records}
    # Shared: a frame per outcome, categories, status and details given, not one per record.
    assert result_cache._frame.cache_info().currsize < len(records)


def test_a_revision_shows_the_record_it_revises():
    earlier = make_record(kind="review", details={"project_name": HOSTILE})
    draft = revisions.start_revision(record=earlier, client_address=None)
    record = submission.submit(draft=drafts.open_draft(draft.token))
    slow, fast = _both(record)
    assert fast == slow
    assert earlier.reference in fast


def test_the_cached_page_is_the_templates_page_through_a_case(client):
    record = make_record(kind="review", details={"project_description": HOSTILE})
    reviewer = make_reviewer()
    review.request_information(
        record=record, user=reviewer, expected_revision=0, message=f"Which dataset? {HOSTILE}"
    )
    slow, fast = _both(record)
    assert fast == slow
    assert "Send reply" in fast  # the reply form is part of the cached page
    client.post(reverse("reply", args=[record.token]), {"message": "The public one."})
    slow, fast = _both(record)
    assert fast == slow
    record.refresh_from_db()
    review.close(
        record=record,
        user=reviewer,
        expected_revision=record.revision,
        reason="Withdrawn, as asked.",
        ending="withdrawn",
        audience=Audience.RESPONDENT,
    )
    slow, fast = _both(record)
    assert fast == slow


def test_a_new_state_of_the_case_is_a_new_page(client):
    record = make_record(kind="review")
    url = reverse("result", args=[record.token])
    assert "Which dataset?" not in client.get(url).content.decode()
    review.request_information(
        record=record, user=make_reviewer(), expected_revision=0, message="Which dataset?"
    )
    page = client.get(url).content.decode()
    assert "Which dataset?" in page
    assert 'data-status="awaiting_respondent"' in page


def test_the_private_link_and_csrf_token_are_this_request_s(client):
    record = make_record(kind="review")
    url = reverse("result", args=[record.token])
    client.get(url)
    other = make_record(kind="review")
    page = client.get(reverse("result", args=[other.token])).content.decode()
    assert other.token in page and record.token not in page


def test_a_message_or_a_signed_in_user_takes_the_template(django_user_model):
    """(A refused reply takes it too: tests/web/test_respondent_result.py shows its errors.)"""
    request = with_messages(anonymous_request(PATH))
    assert result_cache.can_use_cache(request)
    request._messages.add(20, "Your message has been sent to the reviewers.")
    assert not result_cache.can_use_cache(request)
    signed_in = anonymous_request(PATH)
    signed_in.user = django_user_model.objects.create_user("reviewer")
    assert not result_cache.can_use_cache(signed_in)


@pytest.mark.parametrize("zone", ["UTC", "Europe/Paris", "America/St_Johns"])
def test_the_time_of_submission_reads_as_the_date_filter_writes_it(zone, settings):
    settings.TIME_ZONE = zone
    moments = [
        datetime(2026, month, day, hour, minute, tzinfo=UTC)
        for month, day, hour, minute in [
            (1, 1, 0, 0),
            (3, 29, 1, 30),
            (7, 4, 9, 5),
            (12, 31, 23, 59),
        ]
    ]
    template = Template('{{ moment|date:"j F Y, H:i e" }}')
    for moment in moments:
        assert when(moment) == template.render(Context({"moment": moment}))
    assert when(None) == ""

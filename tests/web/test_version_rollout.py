"""Reviewers roll a new questionnaire version out: versions, comparison, impact, re-review,
invitations; respondents start a new assessment from a submitted one's answers."""

from __future__ import annotations

import csv
import io

import pytest
from django.core import mail
from django.urls import reverse

from assessment.models import Draft, Event, EventAction, Record
from assessment.questionnaire import CURRENT_VERSION, load
from tests.engine.v2_support import plan
from tests.factories import make_record
from tests.respondent_steps import submit
from tests.review_support import make_outsider, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def v1_records():
    """Rolling the current version out: two v1 records and a v2 record, all of which need new
    answers (every v1 record from v3, which asks more of a team that trains no model on Claude's
    outputs; every older record from v4, which asks the deciding facts directly, one statement
    at a time, before the list of capabilities: `model_facts`)."""
    return {
        "v2": make_record(version="v2", answers=plan(does=("sentiment",))),
        "model": make_record(kind="permitted", version="v1"),
        "prohibited": make_record(kind="prohibited", version="v1"),
    }


def impact_url(query: str = "") -> str:
    return reverse("review:version_impact", args=[CURRENT_VERSION]) + query


def test_the_versions_page_shows_current_and_retired_versions_with_counts(signed_in, v1_records):
    make_record(kind="permitted")
    page = signed_in.get(reverse("review:versions")).content.decode()
    current = f'data-version="{CURRENT_VERSION}"'
    assert f"<tr {current}>" in page and '<tr data-version="v1">' in page
    current_row = page[page.index(current) : page.index('data-version="v2"')]
    v2_row = page[page.index('data-version="v2"') : page.index('data-version="v1"')]
    v1_row = page[page.index('data-version="v1"') :]
    assert 'data-status="current"' in current_row
    assert '<td data-count="records">1</td>' in current_row
    assert 'data-status="retired"' in v2_row and '<td data-count="records">1</td>' in v2_row
    assert 'data-status="retired"' in v1_row and '<td data-count="records">2</td>' in v1_row


def test_the_comparison_page_lists_changes_in_words(signed_in):
    response = signed_in.get(reverse("review:version_compare") + "?old=v1&new=v2")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Added question “What will the model do when it is used?” (capabilities)." in page
    assert 'data-change="removed"' in page


def test_an_unknown_version_is_404(signed_in):
    assert signed_in.get(reverse("review:version_impact", args=["v9"])).status_code == 404
    assert signed_in.get(reverse("review:version_compare") + "?old=x").status_code == 404


@pytest.mark.parametrize(
    "name", ["review:versions", "review:version_compare", "review:version_impact"]
)
def test_rollout_pages_are_for_reviewers_only(client, name):
    url = reverse(name, args=[CURRENT_VERSION] if name == "review:version_impact" else [])
    assert client.get(url).status_code == 302  # to sign in
    sign_in(client, make_outsider())
    assert client.get(url).status_code == 403
    assert (
        client.post(reverse("review:version_rereview", args=[CURRENT_VERSION])).status_code == 403
    )


def test_the_impact_page_lists_the_records_that_need_re_answer_with_their_question(
    signed_in, v1_records
):
    page = signed_in.get(impact_url()).content.decode()
    assert f'data-reference="{v1_records["model"].reference}" data-impact="needs_reanswer"' in page
    assert v1_records["prohibited"].reference in page
    assert f'data-reference="{v1_records["v2"].reference}" data-impact="needs_reanswer"' in page
    current = load(CURRENT_VERSION).questions
    assert current["model_facts"].text in page  # the question every older record stops at


def test_the_impact_filters_narrow_the_list(signed_in, v1_records):
    changed_only = signed_in.get(impact_url("?show=changed")).content.decode()
    assert v1_records["model"].reference not in changed_only
    reanswer = signed_in.get(impact_url("?show=needs_reanswer&from=v1")).content.decode()
    assert v1_records["model"].reference in reanswer


def test_the_version_forms_show_what_was_understood_and_drop_unknown_filters(signed_in, v1_records):
    compare_page = signed_in.get(
        reverse("review:version_compare") + "?old=v1&new=v2"
    ).content.decode()
    assert '<option value="v1" selected>v1</option>' in compare_page.split('name="new"')[0]
    # An unknown filter value lists every affected record and shows no filter chosen.
    response = signed_in.get(impact_url("?show=bogus&from=v9"))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("data-reference=") == 3
    assert '<option value="all" selected>Every affected record</option>' in page
    assert '<option value="" selected>Any older version</option>' in page
    narrowed = signed_in.get(impact_url("?show=changed&from=v1")).content.decode()
    assert '<option value="changed" selected>Would get another outcome</option>' in narrowed
    assert '<option value="v1" selected>v1</option>' in narrowed


def test_the_impact_csv_has_one_row_per_affected_record(signed_in, v1_records):
    response = signed_in.get(reverse("review:version_impact_csv", args=[CURRENT_VERSION]))
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {row["reference"] for row in rows} == {
        record.reference for record in v1_records.values()
    }
    assert {row["impact"] for row in rows} == {"needs_reanswer"}
    needs = {row["reference"]: row["first_question_to_answer"] for row in rows}
    facts = load(CURRENT_VERSION).questions["model_facts"].text
    assert needs[v1_records["model"].reference] == facts
    assert needs[v1_records["v2"].reference] == facts
    assert all(needs.values())


def test_opening_a_re_review_appends_one_event_per_affected_record_and_never_edits_them(
    signed_in, v1_records
):
    before = {r.reference: r.sha256 for r in Record.objects.all()}
    for _ in range(2):  # repeating the action opens nothing twice
        signed_in.post(reverse("review:version_rereview", args=[CURRENT_VERSION]), {"show": "all"})
    events = Event.objects.filter(action=EventAction.REREVIEW_OPENED)
    assert {e.record.reference for e in events} == {r.reference for r in v1_records.values()}
    assert events.count() == 3
    assert events[0].note.startswith(
        f"Re-review under questionnaire {CURRENT_VERSION}: it needs new answers"
    )
    for record in Record.objects.all():
        assert record.sha256 == before[record.reference]
        assert record.integrity_problems() == []


def test_a_re_review_covers_only_the_records_under_the_filters_shown(signed_in, v1_records):
    signed_in.post(
        reverse("review:version_rereview", args=[CURRENT_VERSION]),
        {"show": "changed", "from": "v1"},
    )
    assert not Event.objects.filter(action=EventAction.REREVIEW_OPENED).exists()


def test_the_queue_filters_records_with_a_re_review_opened(signed_in, v1_records):
    current = make_record(kind="permitted")
    signed_in.post(reverse("review:version_rereview", args=[CURRENT_VERSION]), {"show": "all"})
    page = signed_in.get(reverse("review:queue") + "?rereview=1").content.decode()
    assert v1_records["prohibited"].reference in page
    assert v1_records["model"].reference in page
    assert v1_records["v2"].reference in page
    assert current.reference not in page


def test_inviting_respondents_emails_a_pre_filled_draft_that_revises_their_record(
    signed_in, v1_records, django_capture_on_commit_callbacks
):
    record = v1_records["model"]
    for _ in range(2):  # repeating the action invites nobody twice
        with django_capture_on_commit_callbacks(execute=True):
            signed_in.post(
                reverse("review:version_invite", args=[CURRENT_VERSION]),
                {"show": "needs_reanswer", "from": "v1"},
            )
    draft = Draft.objects.get(revises=record)
    assert draft.questionnaire_version == CURRENT_VERSION
    # The facts come first: the answers after them wait to be filled in as the respondent goes.
    assert "model_facts" not in draft.answers and "capabilities" not in draft.answers
    assert draft.set_aside["capabilities"] and "serves" not in draft.set_aside
    assert draft.respondent_email == record.respondent_email
    assert len(mail.outbox) == 2  # the two records the current version needs new answers for
    (message,) = [m for m in mail.outbox if reverse("resume", args=[draft.token]) in m.body]
    assert message.to == [record.respondent_email]
    assert Event.objects.filter(record=record, action=EventAction.RESPONDENT_INVITED).exists()


def test_a_respondent_starts_a_new_assessment_from_a_submitted_one(client):
    old = make_record(answers=plan(does=("support_chatbot",)))
    response = client.post(reverse("revise", args=[old.token]))
    draft = Draft.objects.exclude(pk=old.draft_id).get()
    assert response["Location"] == reverse("resume", args=[draft.token])
    assert draft.answers == old.answers and draft.revises == old
    # Declare the written agreement, then submit: the new record links to the old one.
    client.post(reverse("question", args=[draft.token, "agreement"]), {"answer": "yes"})
    client.post(reverse("question", args=[draft.token, "agreement_ref"]), {"answer": "AGR-7"})
    submit(client, draft)
    new = Record.objects.get(draft=draft)
    assert new.revises == old and new.answers["agreement_ref"] == "AGR-7"
    assert Record.objects.get(pk=old.pk).sha256 == old.sha256


def test_reviewers_see_both_records_of_a_revision(signed_in):
    old = make_record(kind="prohibited")
    signed_in.post(reverse("revise", args=[old.token]))
    draft = Draft.objects.get(revises=old)
    new_record = submit(signed_in, draft) and Record.objects.get(draft=draft)
    old_page = signed_in.get(reverse("review:record", args=[old.reference])).content.decode()
    new_page = signed_in.get(reverse("review:record", args=[new_record.reference])).content.decode()
    assert f">{new_record.reference}</a>" in old_page and "Revised by" in old_page
    assert f">{old.reference}</a>" in new_page and "Revises" in new_page


def test_the_result_page_offers_a_new_assessment_and_names_the_triggering_answers(client):
    record = make_record(answers=plan(does=("categorization", "narrow_writer")))
    page = client.get(reverse("result", args=[record.token])).content.decode()
    assert "Start a new assessment from these answers" in page
    assert "Because you answered:" in page
    writer = load(CURRENT_VERSION).questions["capabilities"].option("narrow_writer")
    assert writer.label in page


def test_a_revision_from_an_older_record_fills_in_its_answers_after_the_new_facts(client):
    """A v2 record starts again under the current version: the facts come first (never
    answered), and the record's later answers are filled in as the respondent reaches them."""
    old = make_record(version="v2", answers=plan(does=("sentiment",)))
    client.post(reverse("revise", args=[old.token]))
    draft = Draft.objects.exclude(pk=old.draft_id).get()
    assert draft.set_aside["capabilities"] == ["sentiment"]
    facts = load(CURRENT_VERSION).questions["model_facts"]
    every_no = [f"{s.value}:no" for s in facts.statements]
    response = client.post(
        reverse("question", args=[draft.token, "model_facts"]), {"answer": every_no}
    )
    assert response["Location"] == reverse("question", args=[draft.token, "capabilities"])
    page = client.get(response["Location"]).content.decode()
    assert 'value="sentiment" checked' in page

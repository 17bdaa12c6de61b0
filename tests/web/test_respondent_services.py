"""The respondent's writes live in services: one lock, one "already submitted" guard, the
engine checking an answer once per POST, and a fixed number of queries per question page."""

from __future__ import annotations

import pytest

from assessment import engine
from assessment.models import Draft, Record
from assessment.services import drafts, submission
from tests.factories import DETAILS, answers_for, make_draft
from tests.respondent_steps import question_url, steps_for

pytestmark = pytest.mark.django_db


def test_an_answer_is_saved_by_the_service_without_an_http_request():
    draft = make_draft()
    first = steps_for("permitted")[0]
    saved = drafts.answer_question(
        token=draft.token, question_id=first.question.id, raw=first.value
    )
    draft.refresh_from_db()
    assert draft.answers == {first.question.id: first.value}
    assert saved.evaluation.next_question == steps_for("permitted")[1].question


def test_the_engine_checks_the_posted_answer_once_per_post(client, monkeypatch):
    draft = make_draft(answers={})
    first = steps_for("permitted")[0]
    checked: list[str] = []
    real_normalize = engine.normalize

    def counting(question, raw):
        checked.append(question.id)
        return real_normalize(question, raw)

    monkeypatch.setattr(engine, "normalize", counting)
    response = client.post(question_url(draft, first.question.id), {"answer": first.value})
    assert response.status_code == 302
    assert checked == [first.question.id]


def test_a_change_deep_in_the_path_checks_the_new_answer_once_and_keeps_the_rest(monkeypatch):
    answers = answers_for("permitted")
    draft = make_draft(answers=answers)
    last = steps_for("permitted")[-1]
    checked: list[str] = []
    real_normalize = engine.normalize

    def counting(question, raw):
        checked.append(question.id)
        return real_normalize(question, raw)

    monkeypatch.setattr(engine, "normalize", counting)
    saved = drafts.answer_question(
        token=draft.token, question_id=last.question.id, raw=answers[last.question.id]
    )
    assert checked.count(last.question.id) == 2  # once read back from the draft, once as sent
    assert saved.evaluation.answers == answers
    assert saved.evaluation.result == engine.evaluate(engine_questionnaire(), answers).result


def engine_questionnaire():
    from assessment.questionnaire import load

    return load()


def test_an_answer_to_a_submitted_draft_raises_and_changes_nothing():
    answers = answers_for("permitted")
    draft = make_draft(answers=answers)
    submission.submit(draft=draft)
    with pytest.raises(drafts.DraftAlreadySubmitted):
        drafts.answer_question(token=draft.token, question_id="training_use", raw="yes")
    draft.refresh_from_db()
    assert draft.answers == answers


def test_an_answer_off_the_path_raises_and_saves_nothing():
    draft = make_draft(answers={"training_use": "no"})
    with pytest.raises(drafts.QuestionNotOnPath):
        drafts.answer_question(token=draft.token, question_id="describe_model", raw="Sneaked in")
    draft.refresh_from_db()
    assert draft.answers == {"training_use": "no"}
    assert draft.pending is None


def test_a_refused_answer_is_kept_on_the_draft_until_a_valid_one_is_saved():
    draft = make_draft()
    with pytest.raises(drafts.InvalidAnswer) as refused:
        drafts.answer_question(token=draft.token, question_id="training_use", raw=None)
    assert not refused.value.forged
    draft.refresh_from_db()
    assert drafts.pending_for(draft, "training_use") == (None, "Select an option")
    assert drafts.pending_for(draft, "another_question") is None
    drafts.answer_question(token=draft.token, question_id="training_use", raw="no")
    draft.refresh_from_db()
    assert draft.pending is None


def test_a_forged_option_is_refused_and_not_kept():
    draft = make_draft()
    with pytest.raises(drafts.InvalidAnswer) as refused:
        drafts.answer_question(token=draft.token, question_id="training_use", raw="maybe")
    assert refused.value.forged
    draft.refresh_from_db()
    assert draft.pending is None


def test_submitting_twice_raises_already_submitted_and_keeps_one_record():
    draft = make_draft(answers=answers_for("review"))
    record = submission.submit(draft=draft)
    with pytest.raises(drafts.DraftAlreadySubmitted):
        submission.submit(draft=draft)
    assert list(Record.objects.all()) == [record]


def test_a_stale_fingerprint_submits_nothing():
    draft = make_draft(answers=answers_for("review"))
    shown = submission.fingerprint(draft)
    drafts.save_details(token=draft.token, details={**DETAILS, "project_name": "Renamed"})
    with pytest.raises(submission.StaleCheckPage):
        submission.submit(draft=draft, shown_digest=shown)
    assert not Record.objects.exists()
    assert not Draft.objects.get(pk=draft.pk).is_submitted


def test_the_current_fingerprint_submits():
    draft = make_draft(answers=answers_for("review"))
    record = submission.submit(draft=draft, shown_digest=submission.fingerprint(draft))
    assert record.outcome == "review"


def test_a_question_page_get_takes_one_query(client, django_assert_num_queries):
    draft = make_draft(answers={})
    url = question_url(draft, steps_for("permitted")[0].question.id)
    client.get(url)  # the CSRF cookie is set once per browser
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_a_valid_answer_post_takes_one_read_and_one_conditional_update(
    client, django_assert_num_queries
):
    draft = make_draft(answers={})
    first = steps_for("permitted")[0]
    url = question_url(draft, first.question.id)
    client.get(url)
    # No transaction and no lock (issue 15): the read of the draft, then an UPDATE that writes
    # only if the draft is still as it was read and unsubmitted.
    with django_assert_num_queries(2) as captured:
        assert client.post(url, {"answer": first.value}).status_code == 302
    read, update = (query["sql"] for query in captured.captured_queries)
    assert read.startswith("SELECT")
    assert update.startswith("UPDATE") and '"updated_at" =' in update.split("WHERE")[1]
    assert '"submitted_at" IS NULL' in update


def _write_between_read_and_write(monkeypatch, write):
    """Runs `write` once, after the service has read the draft and before it writes."""
    real_answer = engine.answer
    pending = [write]

    def answer_then_interfere(*args, **kwargs):
        evaluation = real_answer(*args, **kwargs)
        if pending:
            pending.pop()()
        return evaluation

    monkeypatch.setattr(engine, "answer", answer_then_interfere)


def test_an_answer_whose_draft_changed_since_it_was_read_is_judged_again_on_the_new_draft(
    monkeypatch,
):
    steps = steps_for("permitted")
    first, second = steps[0], steps[1]
    assert first.value != "no"  # "no" ends the path at the first question
    draft = make_draft(answers={first.question.id: first.value})
    # Another tab answers "no" to the first question while the second's answer is judged:
    # the second question is then off the path, and its answer must not be written over it.
    _write_between_read_and_write(
        monkeypatch,
        lambda: drafts.answer_question(token=draft.token, question_id=first.question.id, raw="no"),
    )
    with pytest.raises(drafts.QuestionNotOnPath):
        drafts.answer_question(token=draft.token, question_id=second.question.id, raw=second.value)
    draft.refresh_from_db()
    assert draft.answers == {first.question.id: "no"}


def test_an_answer_is_written_once_the_draft_stops_changing(monkeypatch):
    steps = steps_for("permitted")
    draft = make_draft(answers={steps[0].question.id: steps[0].value})
    renamed = {**DETAILS, "project_name": "Renamed elsewhere"}
    _write_between_read_and_write(
        monkeypatch, lambda: drafts.save_details(token=draft.token, details=renamed)
    )
    saved = drafts.answer_question(
        token=draft.token, question_id=steps[1].question.id, raw=steps[1].value
    )
    draft.refresh_from_db()
    assert draft.project_name == "Renamed elsewhere"
    assert draft.answers == {
        steps[0].question.id: steps[0].value,
        steps[1].question.id: steps[1].value,
    }
    assert saved.draft.project_name == "Renamed elsewhere"  # judged on the draft as it now is


def test_a_draft_submitted_while_an_answer_was_judged_keeps_its_answers(monkeypatch):
    answers = answers_for("permitted")
    draft = make_draft(answers=answers)
    first = steps_for("permitted")[0]
    assert first.value != "no"  # "no" would drop every later answer

    def submit_elsewhere():
        submission.submit(draft=Draft.objects.get(pk=draft.pk))

    _write_between_read_and_write(monkeypatch, submit_elsewhere)
    with pytest.raises(drafts.DraftAlreadySubmitted):
        drafts.answer_question(token=draft.token, question_id=first.question.id, raw="no")
    draft.refresh_from_db()
    assert draft.answers == answers
    assert draft.pending is None


def test_a_respondent_post_enters_the_engine_once(client, monkeypatch):
    """Issue 16: one `engine.answer` per POST (which walks the draft's answers once inside it),
    and no other evaluation of the draft by the view or the service around it."""
    draft = make_draft(answers={})
    first = steps_for("permitted")[0]
    calls: list[str] = []
    inside_answer = [False]
    real_answer, real_evaluate = engine.answer, engine.evaluate

    def answer(*args, **kwargs):
        calls.append("answer")
        inside_answer[0] = True
        try:
            return real_answer(*args, **kwargs)
        finally:
            inside_answer[0] = False

    def evaluate(*args, **kwargs):
        calls.append("evaluate within answer" if inside_answer[0] else "evaluate")
        return real_evaluate(*args, **kwargs)

    monkeypatch.setattr(engine, "answer", answer)
    monkeypatch.setattr(engine, "evaluate", evaluate)
    response = client.post(question_url(draft, first.question.id), {"answer": first.value})
    assert response.status_code == 302
    assert calls == ["answer", "evaluate within answer"]


def test_a_draft_that_keeps_changing_is_answered_under_its_lock(monkeypatch):
    draft = make_draft(answers={})
    first = steps_for("permitted")[0]
    tries: list[str] = []

    def always_changed(draft, fields):
        tries.append(draft.token)
        return False

    monkeypatch.setattr(drafts, "_save_if_unchanged", always_changed)
    saved = drafts.answer_question(
        token=draft.token, question_id=first.question.id, raw=first.value
    )
    assert len(tries) == 3
    draft.refresh_from_db()
    assert draft.answers == {first.question.id: first.value} == saved.draft.answers

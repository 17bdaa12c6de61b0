"""The cached question page is the template's page, byte for byte, for every question of every
version, whatever is ticked or typed; and the cache steps aside whenever the page differs."""

from __future__ import annotations

import pytest

from assessment.forms.questions import QuestionForm
from assessment.questionnaire import available_versions, load
from assessment.views.respondent import markers, question_page
from tests.factories import make_draft
from tests.respondent_pages import anonymous_request, slow_and_fast, with_messages
from tests.respondent_steps import question_url

# Escaping, template syntax, a format string, and the cache's own markers, secret and all
# (typed text is a value: it is never taken for a marker and replaced in its turn).
HOSTILE = (
    '<b>"Tom\'s" & co</b> {{ x }} %s \\ é '
    f"{markers.marker('csrf')} {markers.marker('link')} {markers.marker('text')}"
)

# The form's action is this path, a value too: its query string holds markers.
PATH = f"/a/tok/q/x/?return=check&next=<x>&m={markers.marker('csrf')}&l={markers.marker('link')}"


def _sent_variants(question):
    """Nothing, each option on its own, every non-exclusive option together, hostile text."""
    if question.is_text:
        return [None, "A plain answer", HOSTILE]
    variants = [None, *([option.value] for option in question.options)]
    if question.kind == "multiple":
        variants.append([o.value for o in question.options if not o.exclusive])
    return variants


def _both(question, version, sent):
    context = {
        "token": "tok",
        "private_link": "http://testserver/a/tok&'\"/",
        "version": version,
        "form": QuestionForm(question, sent=sent),
        "question": question,
        "number": 7,
        "back_url": "/a/tok/check/?a=1&b=<2>",
        "action": anonymous_request(PATH).get_full_path(),
    }
    return slow_and_fast(question_page, context, PATH)


CASES = [
    (version, question_id)
    for version in available_versions()
    for question_id in load(version).questions
]


@pytest.mark.parametrize(("version", "question_id"), CASES)
def test_the_cached_page_is_the_templates_page(version, question_id):
    question = load(version).questions[question_id]
    for sent in _sent_variants(question):
        slow, fast = _both(question, version, sent)
        assert fast == slow, f"{version}/{question_id} with {sent!r}"


@pytest.mark.django_db
def test_a_page_with_an_error_a_message_or_a_signed_in_user_takes_the_template(
    django_user_model,
):
    draft = make_draft()
    url = question_url(draft, load().first)
    request = with_messages(anonymous_request(url))
    question = load().questions[load().first]
    assert question_page.can_use_cache(request, QuestionForm(question))
    assert not question_page.can_use_cache(request, QuestionForm(question, refusal="Select"))
    request._messages.add(20, "A message")
    assert not question_page.can_use_cache(request, QuestionForm(question))
    request = with_messages(anonymous_request(url))
    request.user = django_user_model.objects.create_user("reviewer", password="x" * 20)
    assert not question_page.can_use_cache(request, QuestionForm(question))

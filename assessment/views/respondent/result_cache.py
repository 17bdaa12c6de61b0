"""The result page, drawn from parts: the frame once per kind of page, each finding, line of the
trace and answer once for every page that shows it, then the record's own values filled in.

Most respondents see their result once, straight after submitting, on a route nobody took
before them: a cache of whole pages helped only a page seen again, and drawing the template
was most of a first view's time (issue 15). So the page is cut where it differs:

- the frame (the banner, the case, the conversation, the respondent's details) is the template
  drawn with a marker (`markers.py`) in place of each value of the record's own (its reference,
  hash, time of submission, the respondent's details and typed answers, the private link and
  the CSRF token), and one stand-in item where each list of parts goes; it is keyed by
  everything else it shows, so records of the same outcome, status and version share one;
- the parts are their own templates (`respondent/includes/result_*.html`), which the page's
  template includes too: a finding, a line of the trace, an answer (typed text as a marker),
  each drawn once and kept by its content.

A message, a signed-in reviewer or a reply form with errors takes the template. Every cache is
per process, bounded, and keyed by content, so several processes and hosts never disagree.
tests/web/test_respondent_result_cache.py compares both renderings.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

from assessment.context_processors import product
from assessment.forms.reply import ReplyForm
from assessment.records.reader import Answer, Finding, Reason
from assessment.selectors.respondent import ResultPage
from assessment.services.drafts import DETAIL_FIELDS
from assessment.views.respondent.markers import fill, marker

TEMPLATE = "respondent/result.html"
FINDING = "respondent/includes/result_finding.html"
REASON = "respondent/includes/result_reason.html"
ANSWER = "respondent/includes/result_answer.html"
LINK_KEY = marker("token")
PRIVATE_LINK = marker("link")
CSRF = marker("csrf")
REFERENCE = marker("reference")
SHA256 = marker("sha")
SUBMITTED = marker("submitted")
REVISES = marker("revises")
# Where each list of parts goes in a frame: the frame is drawn with one stand-in part in each
# list, whose markup is then replaced by the list's marker.
FINDINGS = marker("findings")
REASONS = marker("reasons")
ANSWERS = marker("answers")
_STAND_IN_FINDING = Finding(
    id="", title=FINDINGS, kind="", kind_label="", category="", explanation="", clauses=(),
    next_steps=(), because=(),
)  # fmt: skip
_STAND_IN_REASON = Reason(
    question_id="", question=REASONS, answer=(), outcome_id="", kind="", kind_label="",
    category="", clause_ids=(),
)  # fmt: skip
_STAND_IN_ANSWER = Answer(question_id="", question=ANSWERS, kind="", value="", labels=())
_DETAILS = {field: marker(field.replace("_", "")) for field in DETAIL_FIELDS}


@cache  # one per step of the longest route
def _text_marker(index: int) -> str:
    return marker(f"text{index}")


@dataclasses.dataclass(frozen=True)
class _RecordShown:
    """What the page's template reads of the record, as the frame is drawn: the record's own
    values as markers, the rest (shared by many records) as they are."""

    reference: str
    sha256: str
    status: str
    decided_outcome: str | None
    decided_at: datetime | None
    questionnaire_version: str
    respondent_name: str
    respondent_email: str
    organisation: str
    project_name: str
    project_description: str


def can_use_cache(request: HttpRequest) -> bool:
    """The parts fit an empty reply form, if no message is to be shown and nobody is signed in
    (a refused reply, with its errors, takes the template)."""
    return not get_messages(request) and not request.user.is_authenticated


def render_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The page through the template: every case, and the reference the parts are tested on."""
    return render(request, TEMPLATE, context)


@lru_cache(maxsize=4096)
def _finding(finding: Finding, number: int, decided: bool) -> str:
    return render_to_string(FINDING, {"finding": finding, "number": number, "decided": decided})


@lru_cache(maxsize=4096)
def _reason(reason: Reason) -> str:
    return render_to_string(REASON, {"reason": reason})


@lru_cache(maxsize=4096)
def _answer(answer: Answer) -> str:
    return render_to_string(ANSWER, {"answer": answer})


# About 10 kB a frame. A frame is shared by every record with the same outcome, status,
# version and details given; a case with a decision or a conversation has one of its own.
@lru_cache(maxsize=256)
def _frame(frame: ResultPage) -> str:
    """`frame` (a page whose record's own values are markers and whose lists hold one stand-in
    each, or none) drawn, each list's stand-in replaced by the list's marker."""
    context = {
        **product(None),  # reads settings only
        "token": LINK_KEY,
        "private_link": PRIVATE_LINK,
        "csrf_token": CSRF,
        "page": frame,
        "form": ReplyForm(),
    }
    drawn: str = render_to_string(TEMPLATE, context)
    stand_ins = (
        (frame.findings, _finding(_STAND_IN_FINDING, 1, frame.decided_by_reviewer), FINDINGS),
        (frame.reasons, _reason(_STAND_IN_REASON), REASONS),
        (frame.answers, _answer(_STAND_IN_ANSWER), ANSWERS),
    )
    for shown, stand_in, list_marker in stand_ins:
        if shown:
            before, found, after = drawn.partition(stand_in)
            if not found or stand_in in after:
                raise AssertionError(f"the result page shows {list_marker} other than once")
            drawn = before + list_marker + after
    return drawn


def _masked(page: ResultPage) -> tuple[ResultPage, dict[str, str], tuple[Answer, ...]]:
    """`page` as its frame is drawn, the values its markers stand for, and its answers with
    typed text as markers."""
    record = page.record
    values = {REFERENCE: record.reference, SHA256: record.sha256, SUBMITTED: page.submitted}
    details = {}
    for field, detail in _DETAILS.items():
        given = getattr(record, field)
        # An empty detail stays empty: the template shows "Not given" instead.
        details[field] = detail if given else ""
        values[detail] = given
    answers = []
    for index, answer in enumerate(page.answers):
        if answer.is_text:
            text = _text_marker(index)
            values[text] = "".join(answer.labels)
            answer = dataclasses.replace(answer, value="", labels=(text,))
        answers.append(answer)
    if page.revises_reference:
        values[REVISES] = page.revises_reference
    shown = _RecordShown(
        reference=REFERENCE,
        sha256=SHA256,
        status=record.status,
        decided_outcome=record.decided_outcome,
        decided_at=record.decided_at,
        questionnaire_version=record.questionnaire_version,
        **details,
    )
    frame = dataclasses.replace(
        page,
        record=shown,  # type: ignore[arg-type]  # the template reads these attributes only
        submitted=SUBMITTED,
        revises_reference=REVISES if page.revises_reference else "",
        findings=(_STAND_IN_FINDING,) if page.findings else (),
        reasons=(_STAND_IN_REASON,) if page.reasons else (),
        answers=(_STAND_IN_ANSWER,) if page.answers else (),
    )
    return frame, values, tuple(answers)


def render_cached(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    page: ResultPage = context["page"]
    frame, values, answers = _masked(page)
    decided = page.decided_by_reviewer
    lists = {
        FINDINGS: "".join(
            _finding(finding, number, decided)
            for number, finding in enumerate(page.findings, start=1)
        ),
        REASONS: "".join(map(_reason, page.reasons)),
        ANSWERS: "".join(map(_answer, answers)),
    }
    drawn = _frame(frame)
    for list_marker, markup in lists.items():
        drawn = drawn.replace(list_marker, markup, 1)
    values |= {
        LINK_KEY: context["token"],
        PRIVATE_LINK: context["private_link"],
        CSRF: get_token(request),
    }
    return HttpResponse(fill(drawn, values))


__all__ = ["can_use_cache", "render_cached", "render_page"]

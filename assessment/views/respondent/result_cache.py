"""The result page, drawn once per state of a record: a respondent comes back to it to follow the
review, and between two changes of the case it is the same page every time.

The page shows a stored record, which never changes, and the case around it (status, decision,
conversation), which changes only when someone acts on it. `render_cached` keeps the page as
the template drew it, keyed by everything it shows: every column of the record the page can read
(the hashed content, the case's columns), and the `ResultPage` read from it (the findings,
answers and conversation, so an altered payload or a new message is a new page). Only the
private link, its token (in the PDF, revise and reply links) and the CSRF token differ between
two views of one state: they are markers (`markers.py`), filled in one pass. Rendering the
template was most of the page's time (issue 15); a first view still pays it. A message, a
signed-in reviewer or a reply form with errors takes the template. The cache is per process,
bounded, and keyed by content, so several processes and hosts never disagree: a changed record
is a new key.
tests/web/test_respondent_result_cache.py compares both renderings.
"""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

from django.contrib.messages import get_messages
from django.db.models import JSONField
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

from assessment.context_processors import product
from assessment.forms.reply import ReplyForm
from assessment.models import Record
from assessment.selectors.respondent import ResultPage
from assessment.views.respondent.markers import fill, marker

TEMPLATE = "respondent/result.html"
LINK_KEY = marker("token")
PRIVATE_LINK = marker("link")
CSRF = marker("csrf")
# About 25 kB a page: a few megabytes per process at most.
_MAX_PAGES = 128
_pages: OrderedDict[Hashable, str] = OrderedDict()
_lock = threading.Lock()  # gunicorn may run threads (GUNICORN_THREADS)

# The record's columns as the page may read them; the JSON ones (payload, answers, categories)
# are not hashable, and what the page shows of them is in the ResultPage part of the key.
_COLUMNS = tuple(
    field.attname for field in Record._meta.concrete_fields if not isinstance(field, JSONField)
)

_PAGE_FIELDS = tuple(field for field in dataclasses.fields(ResultPage) if field.name != "record")


def _key(page: ResultPage) -> Hashable:
    record = page.record
    return (
        tuple(getattr(record, column) for column in _COLUMNS),
        # A model instance hashes by its primary key only: the page's other values instead.
        tuple(getattr(page, field.name) for field in _PAGE_FIELDS),
    )


def can_use_cache(request: HttpRequest, form: ReplyForm) -> bool:
    """The cached markup fits: an empty reply form, no message, nobody signed in."""
    return not form.is_bound and not get_messages(request) and not request.user.is_authenticated


def render_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """The page through the template: every case, and the reference the cache is tested on."""
    return render(request, TEMPLATE, context)


def _draw(page: ResultPage) -> str:
    context = {
        **product(None),  # reads settings only
        "token": LINK_KEY,
        "private_link": PRIVATE_LINK,
        "csrf_token": CSRF,
        "page": page,
        "form": ReplyForm(),
    }
    return render_to_string(TEMPLATE, context)


def render_cached(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    page: ResultPage = context["page"]
    key = _key(page)
    with _lock:
        drawn = _pages.get(key)
        if drawn is not None:
            _pages.move_to_end(key)
    if drawn is None:
        drawn = _draw(page)
        with _lock:
            _pages[key] = drawn
            while len(_pages) > _MAX_PAGES:
                _pages.popitem(last=False)
    values = {
        LINK_KEY: context["token"],
        PRIVATE_LINK: context["private_link"],
        CSRF: get_token(request),
    }
    return HttpResponse(fill(drawn, values))


__all__ = ["can_use_cache", "render_cached", "render_page"]

"""The queue's search text: accents, capitals and compatibility forms folded away in Python, so
"garcia" finds "García" and SQLite and PostgreSQL give the same results (neither database's
own case or accent rules are involved: both compare already-folded text).

`Record.search_text` is filled at submission (`services.submission.new_record`) and, for
records stored before it existed, by migration 0013; a query is folded the same way.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any

from assessment.questionnaire.schema import TEXT_KINDS

RESPONDENT_FIELDS = ("name", "email", "organisation", "project_name", "project_description")


def fold(text: str) -> str:
    """NFKD (é -> e + accent, ﬁ -> fi), drop the combining marks, then casefold (ß -> ss)."""
    if text.isascii():
        # The same result, much faster (most text): ASCII is its own NFKD form, has no
        # combining marks, and its casefold is its lower case.
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def record_search_text(payload: Mapping[str, Any]) -> str:
    """What the search reads, from the hashed payload: the reference, the respondent's details
    and every free-text answer (a model description, an agreement reference). One line each,
    so a search word, which holds no whitespace, never matches across two fields."""
    respondent = payload.get("respondent") or {}
    parts = [str(payload.get("reference") or "")]
    parts += [str(respondent.get(name) or "") for name in RESPONDENT_FIELDS]
    parts += [
        answer["value"]
        for answer in payload.get("answers") or []
        if answer.get("kind") in TEXT_KINDS and isinstance(answer.get("value"), str)
    ]
    return "\n".join(fold(part) for part in parts if part)

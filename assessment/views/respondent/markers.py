"""Markers for the respondent's pages drawn once and filled in per request (the question page,
"Check your answers", the result page: issue 15).

A cached page is the ordinary template rendered with a marker in place of each value that
differs between requests; `fill` puts the values in, escaped as the template escapes them, in
one pass, so a value that holds a marker's letters is never taken for a marker in its turn.
What people wrote can be part of a cached page (the result page's conversation), so every
marker carries a secret drawn per process: no text can contain one and have it replaced (say,
by the CSRF token). Markers are lower-case letters and digits, so escaping and URLs leave them
as they are.
"""

from __future__ import annotations

import re
import secrets

from django.utils.html import escape

_NONCE = secrets.token_hex(8)
_ANY = re.compile(f"qzmarker{_NONCE}[a-z0-9]+qz")


def marker(name: str) -> str:
    """The marker for `name` (lower-case letters and digits)."""
    return f"qzmarker{_NONCE}{name}qz"


def fill(page: str, values: dict[str, str]) -> str:
    """Every marker of `values` replaced by its value, escaped, in one pass over `page`."""
    escaped = {name: escape(value) for name, value in values.items()}
    return _ANY.sub(lambda found: escaped.get(found.group(), found.group()), page)

"""Template filters for the reviewers' triage."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def age(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in its largest unit ("12 days", "3 hours"): a queue scanned by age
    needs one number per cell, not "1 week, 5 days"."""
    if value is None:
        return ""
    return timesince(value, now, depth=1)


@register.filter
def email_breaks(value: str) -> SafeString:
    """An email address that may wrap after its "@" and before each dot, so a narrow column
    breaks it where a reader expects ("name@<wbr>example<wbr>.com"), not mid-word."""
    text = str(escape(value))
    local, at, domain = text.partition("@")
    return mark_safe(local + (at + "<wbr>" if at else "") + domain.replace(".", "<wbr>."))

"""Template filters for the reviewers' triage."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def age(value: datetime | None, now: datetime | None = None) -> str:
    """How long ago, in its largest unit ("12 days", "3 hours"): a queue scanned by age
    needs one number per cell, not "1 week, 5 days"."""
    if value is None:
        return ""
    return timesince(value, now, depth=1)

"""Drafts being answered (mutable until submitted) and the per-year reference counter."""

from __future__ import annotations

import secrets

from django.db import models


def new_token() -> str:
    """The private link's secret: 256 bits, so a record cannot be reached by guessing."""
    return secrets.token_urlsafe(32)


class Draft(models.Model):
    """An assessment being answered. Answers are stored as the engine takes them."""

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    questionnaire_version = models.CharField(max_length=20)
    answers = models.JSONField(default=dict, blank=True)
    respondent_name = models.CharField(max_length=200, blank=True)
    respondent_email = models.EmailField(max_length=254, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    project_name = models.CharField(max_length=200, blank=True)
    project_description = models.TextField(max_length=2000, blank=True)
    # A keyed hash of the client's address, only for the drafts-per-hour limit.
    client_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Not indexed: every answer writes it, and an indexed column changed by an UPDATE rules out
    # PostgreSQL's heap-only update, so each answer wrote an entry into each of the table's
    # eight indexes (issue 15). Retention finds stale drafts through `draft_unsubmitted_created`.
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The last answer the engine refused, with its message ({"question_id", "raw", "message"}),
    # so the question page shows it again after redirecting: Back never meets a POST.
    pending = models.JSONField(null=True, blank=True, default=None)
    # Answers that a changed earlier answer took off the path ({question id: value}), kept aside
    # so that a question coming back onto the path shows its old answer again: Back, a change and
    # a change back lose nothing typed. Never assessed or submitted: only `answers` is. At most
    # one value per question of the version.
    set_aside = models.JSONField(default=dict, blank=True)
    # Started from a submitted record's answers ("Start a new assessment from these answers");
    # the record made from this draft links to it.
    revises = models.ForeignKey(
        "assessment.Record",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revising_drafts",
    )

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # Retention's candidates (services/retention.py): a draft untouched since a cutoff
            # was created before it. Partial, so a submitted draft never enters it.
            models.Index(
                fields=["created_at"],
                condition=models.Q(submitted_at__isnull=True),
                name="draft_unsubmitted_created",
            ),
        ]

    def __str__(self) -> str:
        return f"Draft {self.pk} ({self.questionnaire_version})"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def has_details(self) -> bool:
        return bool(self.respondent_name and self.respondent_email and self.project_name)


class ReferenceCounter(models.Model):
    """The last reference number issued per year, so references read AS-2026-00042."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"

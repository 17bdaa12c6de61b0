"""API tokens, and which records were submitted through the API by whom.

A token's secret is shown once, when it is created; only its SHA-256 is stored, so a copy of
the database cannot be used to call the API. The secret has 256 bits of entropy, so an
unsalted fast hash is enough: there is nothing to brute-force.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from assessment.models.records import Record


class TokenScope(models.TextChoices):
    READ_OWN = "read:own", "read:own – the assessments submitted with this account's tokens"
    READ_ALL = "read:all", "read:all – every assessment, the queue and audit trails (reviewers)"


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=20, choices=TokenScope.choices)
    # The first characters of the secret, shown so a user can tell their tokens apart.
    prefix = models.CharField(max_length=12)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(scope__in=TokenScope.values), name="api_token_scope_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired


class ApiSubmission(models.Model):
    """A record submitted through the API with a token: what `read:own` may read back."""

    record = models.OneToOneField(Record, on_delete=models.PROTECT, related_name="api_submission")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_submissions"
    )
    token = models.ForeignKey(ApiToken, on_delete=models.SET_NULL, null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.record_id} by {self.user_id}"

"""The Django admin, for superusers: records and their trail are read-only, drafts viewable.

Case changes go through the review services (which write the audit trail), never the admin.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from assessment.models import Delivery, Draft, Event, Export, Record


class ReadOnly:
    """View only: no add, change or delete (for a model admin, no bulk delete action either)."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnly, admin.ModelAdmin):
    pass


class EventInline(ReadOnly, admin.TabularInline):
    model = Event
    extra = 0
    can_delete = False
    fields = ("created_at", "actor_label", "action", "from_status", "to_status", "note")
    readonly_fields = fields


@admin.register(Record)
class RecordAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "submitted_at",
        "outcome",
        "status",
        "decided_outcome",
        "assigned_to",
    )
    list_filter = ("status", "outcome", "questionnaire_version")
    search_fields = ("reference", "respondent_email", "organisation", "project_name")
    date_hierarchy = "submitted_at"
    list_select_related = ("assigned_to",)
    inlines = (EventInline,)


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "record", "action", "actor_label", "from_status", "to_status")
    list_filter = ("action",)
    search_fields = ("record__reference", "actor_label")
    list_select_related = ("record",)


@admin.register(Draft)
class DraftAdmin(ReadOnlyAdmin):
    list_display = ("pk", "created_at", "updated_at", "questionnaire_version", "submitted_at")
    list_filter = ("questionnaire_version",)
    # The token is the private link's secret: never shown, even to superusers.
    exclude = ("token", "client_key")


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "reference", "subject", "state", "attempts", "sent_at")
    list_filter = ("state",)
    search_fields = ("reference", "key")
    readonly_fields = ("last_error",)


@admin.register(Export)
class ExportAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "requested_by", "state", "done", "total", "size", "expires_at")
    list_filter = ("state",)

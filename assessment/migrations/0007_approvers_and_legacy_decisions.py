"""The "Compliance approvers" group (assessment.roles), and the decision each legacy
confirm/override event made copied into its new `decision` column, so statistics count them.

Its own migration (so its own transaction on PostgreSQL): rows are updated after 0006 altered
the tables.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPROVERS_GROUP = "Compliance approvers"
APPROVER_PERMISSIONS = [
    ("record", "review_record"),
    ("record", "view_record"),
    ("event", "view_event"),
    ("record", "approve_decision"),
]


def forwards(apps, schema_editor):
    Event = apps.get_model("assessment", "Event")
    for outcome in ("permitted", "prohibited"):
        Event.objects.filter(action__in=["confirmed", "overridden"], to_outcome=outcome).update(
            decision=outcome
        )

    # Permissions are normally created after all migrations (post_migrate): create them now.
    app_config = apps.get_app_config("assessment")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=APPROVERS_GROUP)
    for model, codename in APPROVER_PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label="assessment",
                content_type__model=model,
                codename=codename,
            )
        )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=APPROVERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0006_review_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

"""The permission to manage reviewer accounts (`manage_reviewers`), and the "Reviewer
administrators" group that holds it (assessment.roles). Superusers have it anyway."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACCOUNT_ADMINS_GROUP = "Reviewer administrators"


def forwards(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate): create them now.
    app_config = apps.get_app_config("assessment")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=ACCOUNT_ADMINS_GROUP)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="assessment",
            content_type__model="record",
            codename="manage_reviewers",
        )
    )


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ACCOUNT_ADMINS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0013_triage"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="record",
            options={
                "ordering": ["-submitted_at"],
                "permissions": [
                    ("review_record", "Can review records (queue, decisions, exports)"),
                    ("approve_decision", "Can approve another reviewer's decision (four eyes)"),
                    (
                        "manage_reviewers",
                        "Can invite reviewers, set their role and deactivate them",
                    ),
                ],
            },
        ),
        migrations.RunPython(forwards, backwards),
    ]

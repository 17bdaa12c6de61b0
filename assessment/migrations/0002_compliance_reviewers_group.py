"""The "Compliance reviewers" group, with what a reviewer needs and nothing more."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Compliance reviewers"
PERMISSIONS = [("record", "review_record"), ("record", "view_record"), ("event", "view_event")]


def create_group(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them now
    # so the group can hold them on a fresh database.
    app_config = apps.get_app_config("assessment")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    for model, codename in PERMISSIONS:
        group.permissions.add(
            Permission.objects.get(
                content_type__app_label="assessment",
                content_type__model=model,
                codename=codename,
            )
        )


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]

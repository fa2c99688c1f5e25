"""Creates the roles of brief §4 as groups with their model permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_roles(apps, schema_editor):
    from parkadmin.roles import sync_roles

    # Permissions are normally created after all migrations; make them now so the groups can hold them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    from parkadmin.roles import ROLE_RULES

    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_RULES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("enterprises", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]

"""`ReportExport` as it came from `parkadmin`: the table already exists (renamed by `parkadmin.0004`), so only the
state is created here, and the content type is handed over so permissions and admin log entries stay attached."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ["reportexport"]


def take_over_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not content_type.objects.using(db).filter(app_label="reports", model=model).exists():
            content_type.objects.using(db).filter(app_label="parkadmin", model=model).update(app_label="reports")


def give_back_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    content_type.objects.using(db).filter(app_label="reports", model__in=MODELS).update(app_label="parkadmin")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("parkadmin", "0004_reportexport_moves_to_reports"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReportExport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("report", models.CharField(default="annual", max_length=32, verbose_name="report")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="year")),
                        (
                            "park_code",
                            models.CharField(
                                blank=True, help_text="Empty for the whole zone.", max_length=32, verbose_name="park"
                            ),
                        ),
                        (
                            "format",
                            models.CharField(
                                choices=[("xlsx", "XLSX"), ("pdf", "PDF")], max_length=8, verbose_name="format"
                            ),
                        ),
                        (
                            "via",
                            models.CharField(
                                choices=[("web", "Reports page"), ("command", "Command line")],
                                default="web",
                                max_length=8,
                                verbose_name="made through",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="exported at"),
                        ),
                        ("file_name", models.CharField(blank=True, max_length=255, verbose_name="file name")),
                        ("size_bytes", models.PositiveIntegerField(default=0, verbose_name="size (bytes)")),
                        ("duration_ms", models.PositiveIntegerField(default=0, verbose_name="generation time (ms)")),
                        (
                            "user",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="user",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "report export",
                        "verbose_name_plural": "report exports",
                        "ordering": ["-created_at", "-pk"],
                    },
                ),
            ],
        ),
        migrations.RunPython(take_over_content_types, give_back_content_types),
    ]

"""Projects point at the parks and clusters of the `parks` app: the state only; the tables and their foreign
keys are unchanged (the referenced tables were renamed by `enterprises.0005`)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("parks", "0001_initial"),
        ("projects", "0004_dates_not_in_future"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalproject",
                    name="cluster",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="parks.industrycluster",
                        verbose_name="industry cluster",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalproject",
                    name="park",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="cluster",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="projects",
                        to="parks.industrycluster",
                        verbose_name="industry cluster",
                    ),
                ),
                migrations.AlterField(
                    model_name="project",
                    name="park",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="projects",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
            ],
        ),
    ]

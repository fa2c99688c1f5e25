"""Parks and industry clusters leave this app's state (the `parks` app has them now): the state only; nothing in
the database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0005_parks_tables_renamed"),
        ("indicators", "0004_parks_app"),
        ("parks", "0001_initial"),
        ("projects", "0005_parks_app"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name="historicalpark",
                    name="history_user",
                ),
                migrations.RemoveField(
                    model_name="historicalpark",
                    name="parent",
                ),
                migrations.AlterField(
                    model_name="enterprise",
                    name="cluster",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="enterprises",
                        to="parks.industrycluster",
                        verbose_name="industry cluster",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicalenterprise",
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
                migrations.RemoveField(
                    model_name="park",
                    name="parent",
                ),
                migrations.AlterField(
                    model_name="historicalenterprise",
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
                    model_name="historicalincubator",
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
                    model_name="incubator",
                    name="park",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="incubators",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
                migrations.AlterField(
                    model_name="enterprise",
                    name="park",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="enterprises",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
                migrations.DeleteModel(
                    name="HistoricalIndustryCluster",
                ),
                migrations.DeleteModel(
                    name="HistoricalPark",
                ),
                migrations.DeleteModel(
                    name="IndustryCluster",
                ),
                migrations.DeleteModel(
                    name="Park",
                ),
            ],
        ),
    ]

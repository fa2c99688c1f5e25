"""Values and targets point at the parks of the `parks` app: the state only; the tables and their foreign keys
are unchanged (the referenced tables were renamed by `enterprises.0005`)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0003_indicator_order_index"),
        ("parks", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalindicatorvalue",
                    name="park",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Empty for the whole zone.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
                migrations.AlterField(
                    model_name="historicaltarget",
                    name="park",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Empty for the whole zone.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
                migrations.AlterField(
                    model_name="indicatorvalue",
                    name="park",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Empty for the whole zone.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="indicator_values",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
                migrations.AlterField(
                    model_name="target",
                    name="park",
                    field=models.ForeignKey(
                        blank=True,
                        help_text="Empty for the whole zone.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="targets",
                        to="parks.park",
                        verbose_name="park",
                    ),
                ),
            ],
        ),
    ]

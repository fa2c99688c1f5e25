"""`ReportExport` moves to the `reports` app: its table is renamed here and the model leaves this app's state;
`reports.0001_initial` takes it over, with its content type (so its permissions and admin log entries stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("parkadmin", "0003_reportexport"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("reportexport", "reports_reportexport")],
            state_operations=[migrations.DeleteModel("reportexport")],
        ),
    ]

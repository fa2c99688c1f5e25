"""Parks and industry clusters move to the `parks` app. Their tables (and their history tables) take the new app's
names here; `parks.0001_initial` then takes the models over without touching the database, and
`enterprises.0006_parks_leave` drops them from this app's state. No row is copied, so none can be lost."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("enterprises", "0004_list_indexes"),
    ]

    operations = [
        migrations.AlterModelTable("park", "parks_park"),
        migrations.AlterModelTable("historicalpark", "parks_historicalpark"),
        migrations.AlterModelTable("industrycluster", "parks_industrycluster"),
        migrations.AlterModelTable("historicalindustrycluster", "parks_historicalindustrycluster"),
    ]

"""Parks and industry clusters as they came from the `enterprises` app: their tables exist already (renamed by
`enterprises.0005`), so only the state is created; their content types are handed over, so permissions, groups
and admin log entries stay attached."""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

MODELS = ["park", "historicalpark", "industrycluster", "historicalindustrycluster"]


def take_over_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for model in MODELS:
        if not content_type.objects.using(db).filter(app_label="parks", model=model).exists():
            content_type.objects.using(db).filter(app_label="enterprises", model=model).update(app_label="parks")


def give_back_content_types(apps, schema_editor):
    content_type = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    content_type.objects.using(db).filter(app_label="parks", model__in=MODELS).update(app_label="enterprises")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('enterprises', '0005_parks_tables_renamed'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='IndustryCluster',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('code', models.CharField(max_length=16, unique=True, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9][A-Za-z0-9_-]*$', "Use letters, digits, '-' and '_' only, starting with a letter or digit.")], verbose_name='code')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                        ('name_en', models.CharField(blank=True, max_length=150, verbose_name='English name')),
                        ('role', models.CharField(choices=[('main', 'Main'), ('auxiliary', 'Auxiliary'), ('featured', 'Featured')], default='main', max_length=16, verbose_name='role')),
                        ('color', models.CharField(default='#1f77b4', max_length=7, validators=[django.core.validators.RegexValidator('^#[0-9A-Fa-f]{6}$', 'Give a colour as #RRGGBB.')], verbose_name='chart colour')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('source', models.CharField(blank=True, max_length=255, verbose_name='source')),
                    ],
                    options={
                        'verbose_name': 'industry cluster',
                        'verbose_name_plural': 'industry clusters',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalIndustryCluster',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('code', models.CharField(db_index=True, max_length=16, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9][A-Za-z0-9_-]*$', "Use letters, digits, '-' and '_' only, starting with a letter or digit.")], verbose_name='code')),
                        ('name', models.CharField(db_index=True, max_length=100, verbose_name='name')),
                        ('name_en', models.CharField(blank=True, max_length=150, verbose_name='English name')),
                        ('role', models.CharField(choices=[('main', 'Main'), ('auxiliary', 'Auxiliary'), ('featured', 'Featured')], default='main', max_length=16, verbose_name='role')),
                        ('color', models.CharField(default='#1f77b4', max_length=7, validators=[django.core.validators.RegexValidator('^#[0-9A-Fa-f]{6}$', 'Give a colour as #RRGGBB.')], verbose_name='chart colour')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('source', models.CharField(blank=True, max_length=255, verbose_name='source')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'historical industry cluster',
                        'verbose_name_plural': 'historical industry clusters',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
                migrations.CreateModel(
                    name='Park',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('code', models.CharField(max_length=32, unique=True, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9][A-Za-z0-9_-]*$', "Use letters, digits, '-' and '_' only, starting with a letter or digit.")], verbose_name='code')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('name_en', models.CharField(blank=True, max_length=150, verbose_name='English name')),
                        ('kind', models.CharField(choices=[('zone', 'Zone'), ('core', 'Core area'), ('sub_park', 'Sub-park'), ('specialised', 'Specialised park')], default='sub_park', max_length=16, verbose_name='kind')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('source', models.CharField(blank=True, max_length=255, verbose_name='source')),
                        ('parent', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='children', to='parks.park', verbose_name='parent park')),
                    ],
                    options={
                        'verbose_name': 'park',
                        'verbose_name_plural': 'parks',
                        'ordering': ['code'],
                    },
                ),
                migrations.CreateModel(
                    name='HistoricalPark',
                    fields=[
                        ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                        ('version', models.PositiveIntegerField(default=1, editable=False, verbose_name='version')),
                        ('code', models.CharField(db_index=True, max_length=32, validators=[django.core.validators.RegexValidator('^[A-Za-z0-9][A-Za-z0-9_-]*$', "Use letters, digits, '-' and '_' only, starting with a letter or digit.")], verbose_name='code')),
                        ('name', models.CharField(max_length=100, verbose_name='name')),
                        ('name_en', models.CharField(blank=True, max_length=150, verbose_name='English name')),
                        ('kind', models.CharField(choices=[('zone', 'Zone'), ('core', 'Core area'), ('sub_park', 'Sub-park'), ('specialised', 'Specialised park')], default='sub_park', max_length=16, verbose_name='kind')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                        ('source', models.CharField(blank=True, max_length=255, verbose_name='source')),
                        ('history_id', models.AutoField(primary_key=True, serialize=False)),
                        ('history_date', models.DateTimeField(db_index=True)),
                        ('history_change_reason', models.CharField(max_length=100, null=True)),
                        ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                        ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('parent', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='parks.park', verbose_name='parent park')),
                    ],
                    options={
                        'verbose_name': 'historical park',
                        'verbose_name_plural': 'historical parks',
                        'ordering': ('-history_date', '-history_id'),
                        'get_latest_by': ('history_date', 'history_id'),
                    },
                    bases=(simple_history.models.HistoricalChanges, models.Model),
                ),
            ],
        ),
        migrations.RunPython(take_over_content_types, give_back_content_types),
    ]

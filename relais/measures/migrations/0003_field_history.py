# Field history (issue 20, docs/history.md), with a baseline row per existing record.

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


def baseline(models_of: list[tuple[str, str]]):
    """One row per record that exists before the history starts: the state the first change is
    compared with (marked "baseline", never shown as a change itself)."""

    def run(apps, schema_editor) -> None:
        from django.utils import timezone

        now = timezone.now()
        for app_label, name in models_of:
            model = apps.get_model(app_label, name)
            historical = apps.get_model(app_label, f"Historical{name}")
            names = [f.attname for f in historical._meta.fields
                     if not f.name.startswith("history_")]
            rows = (historical(history_date=now, history_type="+",
                               history_change_reason="baseline",
                               **{n: getattr(obj, n) for n in names})
                    for obj in model._base_manager.iterator(chunk_size=2000))
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 2000:
                    historical.objects.bulk_create(batch)
                    batch = []
            historical.objects.bulk_create(batch)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0007_invitation_second_factor_reset'),
        ('cases', '0005_field_history'),
        ('measures', '0002_texts_as_codes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalDetention',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('arrest', 'Arrest (deprivation of liberty, at most 48 hours)'), ('arrest_warrant', 'Arrest warrant / pre-trial detention'), ('sentence', 'Serving a prison sentence'), ('other', 'Other deprivation of liberty')], max_length=16, verbose_name='kind')),
                ('since', models.DateTimeField(verbose_name='since')),
                ('place', models.CharField(blank=True, max_length=200, verbose_name='prison or place')),
                ('expected_release_on', models.DateField(blank=True, null=True, verbose_name='expected release')),
                ('conditions', models.JSONField(blank=True, default=list, verbose_name='conditions')),
                ('conditions_note', models.CharField(blank=True, max_length=500, verbose_name='conditions, in words')),
                ('released_at', models.DateTimeField(blank=True, null=True, verbose_name='released')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.case')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.person', verbose_name='person detained')),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('recorded_by_agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.agency')),
                ('release_recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('release_zone', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.agency', verbose_name='police zone warned of the release')),
            ],
            options={
                'verbose_name': 'historical detention',
                'verbose_name_plural': 'historical detentions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalResidenceBan',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('starts_at', models.DateTimeField(verbose_name='starts')),
                ('ends_at', models.DateTimeField(verbose_name='ends')),
                ('ordered_ends_at', models.DateTimeField(verbose_name='end as ordered')),
                ('conditions', models.JSONField(default=dict, verbose_name='legal conditions checked')),
                ('rules_version', models.PositiveIntegerField(verbose_name='version of the rules')),
                ('grounds', models.TextField(max_length=2000, verbose_name='facts and circumstances')),
                ('perpetrator_stays_at', models.CharField(blank=True, help_text='Seen by the police and justice only; never printed on any document.', max_length=300, verbose_name='where he will stay')),
                ('served_at', models.DateTimeField(blank=True, null=True, verbose_name='served')),
                ('lifted_at', models.DateTimeField(blank=True, null=True, verbose_name='lifted')),
                ('lift_reason', models.CharField(blank=True, max_length=300, verbose_name='why it was lifted')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('case', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.case')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('lifted_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('monitor_agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.agency', verbose_name='monitored by')),
                ('ordered_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='ordered by')),
                ('ordered_by_agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.agency', verbose_name="prosecutor's office")),
                ('perpetrator', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.person', verbose_name='person who must leave')),
                ('served_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('serving_agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.agency', verbose_name='police zone serving the notice')),
            ],
            options={
                'verbose_name': 'historical residence ban',
                'verbose_name_plural': 'historical residence bans',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(baseline([('measures', 'ResidenceBan'), ('measures', 'Detention')]), migrations.RunPython.noop),
    ]

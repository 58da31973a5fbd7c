# Field history (issue 20, docs/history.md), with a baseline row per existing record.

import django.db.models.deletion
import relais.accounts.models
import relais.cases.models
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
        ('cases', '0004_texts_as_codes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalAddress',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('street', models.CharField(max_length=200, verbose_name='street and number')),
                ('postcode', models.CharField(max_length=4, verbose_name='postcode')),
                ('municipality', models.CharField(max_length=5, validators=[relais.accounts.models.validate_refnis], verbose_name='municipality (REFNIS)')),
                ('confidential', models.BooleanField(default=False, help_text='A shelter or hiding address: seen only by the agency that keeps it and by explicit shares of the confidential-location scope.', verbose_name='confidential')),
                ('current', models.BooleanField(default=True, verbose_name='current address')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('keeper_agency', models.ForeignKey(blank=True, db_constraint=False, help_text='The agency that recorded this address (the hosting shelter for a shelter address).', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.agency')),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.person')),
            ],
            options={
                'verbose_name': 'historical address',
                'verbose_name_plural': 'historical addresses',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalCase',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('reference', models.CharField(db_index=True, max_length=20, verbose_name='reference')),
                ('opened_at', models.DateTimeField(blank=True, editable=False, verbose_name='opened')),
                ('situation', models.CharField(choices=[('couple', 'Couple'), ('ex_couple', 'Former couple'), ('household', 'Household (intrafamily)')], max_length=12, verbose_name='situation')),
                ('municipality', models.CharField(help_text='Where the household lives or the facts took place; decides the judicial district.', max_length=5, validators=[relais.accounts.models.validate_refnis], verbose_name='municipality (REFNIS)')),
                ('status', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed'), ('merged', 'Merged into another case')], default='open', max_length=8, verbose_name='status')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('merged_into', models.ForeignKey(blank=True, db_constraint=False, help_text='The case of the same household this one was regrouped into.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.case', verbose_name='merged into')),
                ('opened_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('owner_agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.agency')),
            ],
            options={
                'verbose_name': 'historical case',
                'verbose_name_plural': 'historical cases',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPerson',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('first_name', models.CharField(max_length=100, verbose_name='first name')),
                ('last_name', models.CharField(max_length=100, verbose_name='last name')),
                ('birth_date', models.DateField(blank=True, null=True, verbose_name='date of birth')),
                ('sex', models.CharField(choices=[('F', 'Female'), ('M', 'Male'), ('X', 'Other / intersex'), ('U', 'Unknown')], default='U', max_length=1, verbose_name='sex')),
                ('gender', models.CharField(blank=True, max_length=60, verbose_name='gender identity')),
                ('languages', models.JSONField(blank=True, default=list, validators=[relais.cases.models.validate_language_list], verbose_name='languages spoken')),
                ('file_language', models.CharField(blank=True, choices=[('fr', 'French'), ('nl', 'Dutch'), ('de', 'German'), ('en', 'English')], max_length=2, verbose_name='language of the administrative file')),
                ('national_number', models.CharField(blank=True, max_length=11, validators=[relais.cases.models.validate_national_number], verbose_name='national number')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('recorded_by_agency', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.agency')),
            ],
            options={
                'verbose_name': 'historical person',
                'verbose_name_plural': 'historical persons',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalPhoneNumber',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('number', models.CharField(max_length=20, verbose_name='phone number')),
                ('label', models.CharField(blank=True, max_length=60, verbose_name='label')),
                ('safe', models.BooleanField(default=False, help_text='She chose this number as a safe way to reach her.', verbose_name='safe to call')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.person')),
            ],
            options={
                'verbose_name': 'historical phone number',
                'verbose_name_plural': 'historical phone numbers',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSafeContactInstructions',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('channel', models.CharField(choices=[('phone', 'Phone call'), ('sms', 'Text message'), ('email', 'E-mail'), ('in_person', 'In person at the service'), ('through_service', 'Through her support service')], max_length=16, verbose_name='channel')),
                ('hours', models.CharField(blank=True, max_length=120, verbose_name='hours')),
                ('can_speak_freely', models.CharField(choices=[('yes', 'Yes'), ('no', 'No'), ('unknown', 'Unknown')], default='unknown', max_length=8, verbose_name='can speak freely')),
                ('never', models.JSONField(blank=True, default=list, verbose_name='never do')),
                ('notes', models.CharField(blank=True, max_length=500, verbose_name='notes')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.person')),
            ],
            options={
                'verbose_name': 'historical safe-contact instructions',
                'verbose_name_plural': 'historical safe-contact instructionss',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSpecificNeed',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('kind', models.CharField(choices=[('interpreter', 'Interpreter'), ('disability', 'Disability and accessibility'), ('residence_status', 'Residence status'), ('addiction', 'Addiction'), ('homelessness', 'Homelessness'), ('mental_health', 'Mental health'), ('pregnancy', 'Pregnancy or recent birth'), ('other', 'Other')], max_length=20, verbose_name='need')),
                ('detail', models.CharField(blank=True, help_text="e.g. the interpreter's language, ramp needed, card F since 2024...", max_length=300, verbose_name='detail')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('person', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='cases.person')),
            ],
            options={
                'verbose_name': 'historical specific need',
                'verbose_name_plural': 'historical specific needs',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(baseline([('cases', 'Case'), ('cases', 'Person'), ('cases', 'Address'), ('cases', 'PhoneNumber'), ('cases', 'SafeContactInstructions'), ('cases', 'SpecificNeed')]), migrations.RunPython.noop),
    ]

# Field history (issue 20, docs/history.md), with a baseline row per existing record.

import django.core.validators
import django.db.models.deletion
import relais.accounts.models
import relais.directory.models
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
        ('directory', '0002_safeguards_pharmacy_relay'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalService',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('code', models.SlugField(max_length=80, verbose_name='code')),
                ('name', models.CharField(max_length=200, verbose_name='name')),
                ('type', models.CharField(choices=[('shelter', 'Shelter'), ('victim_support', 'Victim support'), ('police_victim_assistance', 'Police victim assistance (SAPV)'), ('eva_unit', 'EVA unit'), ('sexual_violence_centre', 'Sexual-violence care centre (CPVS/ZSG)'), ('cpas', 'CPAS / OCMW'), ('legal_aid', 'Legal aid'), ('perpetrator_programme', 'Perpetrator programme'), ('perpetrator_accommodation', 'Accommodation for perpetrators'), ('helpline', 'Helpline'), ('youth_aid', 'Youth aid (SAJ/SPJ)'), ('early_childhood', 'Early childhood (ONE / Kind & Gezin)'), ('school_centre', 'School centre (CPMS/CLB)'), ('health', 'Health'), ('mental_health', 'Mental health'), ('interpreters', 'Interpreters'), ('migration_advice', 'Residence and migration advice'), ('housing', 'Housing'), ('house_of_justice', 'House of justice'), ('platform', 'Multi-agency platform'), ('pharmacy_relay', 'Pharmacy relay')], max_length=32, verbose_name='type')),
                ('descriptions', models.JSONField(blank=True, default=dict, help_text='One short text per language (fr, nl, en, de).', verbose_name='what it does')),
                ('target_groups', models.JSONField(default=list, validators=[relais.directory.models.validate_target_groups], verbose_name='for whom')),
                ('languages', models.JSONField(default=list, validators=[relais.directory.models.validate_language_codes], verbose_name='languages')),
                ('street', models.CharField(blank=True, max_length=200, verbose_name='street and number')),
                ('postcode', models.CharField(blank=True, max_length=4, verbose_name='postcode')),
                ('municipality', models.CharField(blank=True, max_length=5, validators=[relais.accounts.models.validate_refnis], verbose_name='municipality (REFNIS)')),
                ('address_confidential', models.BooleanField(default=False, help_text="A shelter's address: seen only by its own staff. Everyone else sees the intake phone.", verbose_name='confidential address')),
                ('intake_phone', models.CharField(blank=True, max_length=30, verbose_name='intake phone')),
                ('latitude', models.DecimalField(blank=True, decimal_places=5, max_digits=8, null=True, validators=[django.core.validators.MinValueValidator(49), django.core.validators.MaxValueValidator(52)], verbose_name='latitude')),
                ('longitude', models.DecimalField(blank=True, decimal_places=5, max_digits=8, null=True, validators=[django.core.validators.MinValueValidator(2), django.core.validators.MaxValueValidator(7)], verbose_name='longitude')),
                ('phone', models.CharField(blank=True, max_length=30, verbose_name='phone')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail')),
                ('website', models.URLField(blank=True, verbose_name='website')),
                ('contact_person', models.CharField(blank=True, max_length=120, verbose_name='contact person for professionals')),
                ('contact_phone', models.CharField(blank=True, max_length=30, verbose_name="contact person's phone")),
                ('contact_email', models.EmailField(blank=True, max_length=254, verbose_name="contact person's e-mail")),
                ('always_open', models.BooleanField(default=False, verbose_name='open 24/7')),
                ('closed_on_public_holidays', models.BooleanField(default=True, verbose_name='closed on public holidays')),
                ('accessibility', models.JSONField(blank=True, default=list, validators=[relais.directory.models.validate_accessibility], verbose_name='accessibility')),
                ('requires_income', models.BooleanField(default=False, verbose_name='income required')),
                ('requires_residence_status', models.BooleanField(default=False, verbose_name='legal residence required')),
                ('accepts_undocumented', models.BooleanField(default=False, verbose_name='accepts undocumented people')),
                ('accepts_men', models.BooleanField(default=True, verbose_name='accepts men')),
                ('accepts_children', models.BooleanField(default=True, verbose_name='accepts children')),
                ('accepts_pets', models.BooleanField(default=False, verbose_name='accepts pets')),
                ('free_places', models.IntegerField(blank=True, help_text='Empty when the service has no places.', null=True, verbose_name='free places')),
                ('waiting_days', models.IntegerField(blank=True, null=True, verbose_name='waiting time (days)')),
                ('crisis_status', models.CharField(choices=[('open', 'Open'), ('reduced', 'Reduced service'), ('closed', 'Closed')], default='open', max_length=8, verbose_name='status in a crisis')),
                ('is_public', models.BooleanField(default=True, verbose_name='shown on the public finder')),
                ('is_fictitious', models.BooleanField(default=False, help_text='Demo entries are invented and say so on every screen.', verbose_name='fictitious (demo)')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('agency', models.ForeignKey(blank=True, db_constraint=False, help_text='The agency using Relais that keeps this entry current and receives its referrals. Empty for services that do not use Relais.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.agency')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical service',
                'verbose_name_plural': 'historical services',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.RunPython(baseline([('directory', 'Service')]), migrations.RunPython.noop),
    ]

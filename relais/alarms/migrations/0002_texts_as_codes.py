# Texts Relais wrote on the timeline (the harassment alarm's steps) become codes shown in the reader's language
# (relais.core.texts); a text no template gives stays as written (docs/architecture.md, "Texts
# Relais writes").

from django.db import migrations

from relais.core.texts_legacy import by_codes, by_kind, migrate_rows, restore_rows

KINDS = {
    "alarm_requested": by_codes("alarms.requested"),
    "alarm_decided": by_codes("alarms.granted", "alarms.refused"),
    "alarm_assigned": by_codes("alarms.paired"),
    "alarm_ended": by_codes("alarms.ended"),
    "alarm_activated": by_codes("alarms.pressed"),
}
TIMELINE = by_kind(KINDS)


def forwards(apps, schema_editor):
    migrate_rows(apps.get_model("cases", "TimelineEntry"), text_field="summary",
                 codes_field="summary_codes", convert=TIMELINE, kind__in=list(KINDS))


def backwards(apps, schema_editor):
    restore_rows(apps.get_model("cases", "TimelineEntry"), text_field="summary",
                 codes_field="summary_codes", max_length=300, kind__in=list(KINDS))


class Migration(migrations.Migration):

    dependencies = [
        ("alarms", "0001_initial"),
        ("cases", "0004_texts_as_codes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

# Texts Relais wrote on the timeline (a programme file's status, e.g. "En cours (groupe)") become codes shown in the reader's language
# (relais.core.texts); a text no template gives stays as written (docs/architecture.md, "Texts
# Relais writes").

from django.db import migrations

from relais.core.texts_legacy import by_codes, by_kind, migrate_rows, restore_rows

KINDS = {"programme_status": by_codes("programmes.status",
                                     choices={"status": "programmes.file_status"})}
TIMELINE = by_kind(KINDS)


def forwards(apps, schema_editor):
    migrate_rows(apps.get_model("cases", "TimelineEntry"), text_field="summary",
                 codes_field="summary_codes", convert=TIMELINE, kind__in=list(KINDS))


def backwards(apps, schema_editor):
    restore_rows(apps.get_model("cases", "TimelineEntry"), text_field="summary",
                 codes_field="summary_codes", max_length=300, kind__in=list(KINDS))


class Migration(migrations.Migration):

    dependencies = [
        ("programmes", "0001_initial"),
        ("cases", "0004_texts_as_codes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

# Texts Relais wrote on the timeline (residence bans, detention and release) become codes shown in the reader's language
# (relais.core.texts); a text no template gives stays as written (docs/architecture.md, "Texts
# Relais writes").

from django.db import migrations

from relais.core.texts import text
from relais.core.texts_legacy import (
    by_choice,
    by_codes,
    by_kind,
    match,
    migrate_rows,
    restore_rows,
)

KINDS = {
    "ban_ordered": by_codes("measures.ban_ordered"),
    "ban_served": by_codes("measures.ban_served"),
    "ban_extended": by_codes("measures.ban_extended"),
    "ban_lifted": by_codes("measures.ban_lifted"),
    "ban_breached": by_choice("measures.breach_kind"),
    "detention_recorded": by_choice("measures.detention_kind"),
    "release_recorded": lambda written, row: (
        by_codes("measures.release", choice_lists={"conditions": "measures.release_condition"})(
            written, row)
        or _release_without_condition(written)),
}
TIMELINE = by_kind(KINDS)


def _release_without_condition(written):
    found = match(written, codes=["measures.release"])
    if not found or not match(found[0][1]["conditions"], codes=["measures.no_condition"]):
        return None
    return text("measures.release", when=found[0][1]["when"],
                conditions=text("measures.no_condition"))


def forwards(apps, schema_editor):
    migrate_rows(apps.get_model("cases", "TimelineEntry"), text_field="summary",
                 codes_field="summary_codes", convert=TIMELINE, kind__in=list(KINDS))


def backwards(apps, schema_editor):
    restore_rows(apps.get_model("cases", "TimelineEntry"), text_field="summary",
                 codes_field="summary_codes", max_length=300, kind__in=list(KINDS))


class Migration(migrations.Migration):

    dependencies = [
        ("measures", "0001_initial"),
        ("cases", "0004_texts_as_codes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

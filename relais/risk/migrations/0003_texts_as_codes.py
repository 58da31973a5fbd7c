# Texts Relais wrote on the timeline (an assessment's instrument and level) become codes shown in the reader's language
# (relais.core.texts); a text no template gives stays as written (docs/architecture.md, "Texts
# Relais writes").

from django.db import migrations

from relais.core.texts import text
from relais.core.texts_legacy import LEGACY_LANGUAGES, by_kind, migrate_rows, restore_rows

def _level(instrument, written):
    """The code of the level of ``instrument`` whose label, in any language, is ``written``."""
    for level in instrument.levels:
        if any(level.label_in(language) == written for language in LEGACY_LANGUAGES):
            return level.code
    return None


def _assessed(code, apps):
    def convert(written, row):
        from relais.risk.instruments import instrument_get

        Assessment = apps.get_model("risk", "RiskAssessment")
        if row.source_type != "risk.riskassessment" or not row.source_id.isdigit():
            return None
        assessment = Assessment.objects.filter(pk=int(row.source_id)).first()
        if assessment is None:
            return None
        try:
            instrument = instrument_get(assessment.instrument_code,
                                        assessment.instrument_version)
        except KeyError:
            return None
        level = _level(instrument, written.rpartition(": ")[2].strip())
        if level is None:
            return None
        return text(code, instrument=instrument.code, version=instrument.version, level=level)
    return convert


KINDS = {"risk_assessed": "risk.assessed", "risk_override_confirmed": "risk.level"}


def forwards(apps, schema_editor):
    timeline = by_kind({kind: _assessed(code, apps) for kind, code in KINDS.items()})
    migrate_rows(apps.get_model("cases", "TimelineEntry"), text_field="summary",
                 codes_field="summary_codes", convert=timeline, kind__in=list(KINDS))


def backwards(apps, schema_editor):
    restore_rows(apps.get_model("cases", "TimelineEntry"), text_field="summary",
                 codes_field="summary_codes", max_length=300, kind__in=list(KINDS))


class Migration(migrations.Migration):

    dependencies = [
        ("risk", "0002_superseded"),
        ("cases", "0004_texts_as_codes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]

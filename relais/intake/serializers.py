"""What the intake API reads and writes: the same fields as the intake form."""

from __future__ import annotations

from rest_framework import serializers

from relais.cases.models import SafeContactInstructions
from relais.core.questions import api_fields
from relais.intake.models import Report
from relais.intake.services import QUESTIONS, REPORT_FIELDS

# What an officer types, in the form's order of the model.
TYPED = [f.name for f in Report._meta.fields if f.name in REPORT_FIELDS]


class SafeContactIn(serializers.ModelSerializer):
    """How to reach the victim safely (optional): replaces what the case held."""

    class Meta:
        model = SafeContactInstructions
        fields = ["channel", "hours", "can_speak_freely", "never", "notes"]


class ReportIn(serializers.ModelSerializer):
    """A record, as the intake form takes it. ``checklist`` answers the counter checklist
    (each question's code: "yes", "no" or "unknown"); the service checks every rule and
    answers all faults at once, field by field. The optional questions later parts ask about
    the victim (``residence_permit``: ``card_a``, ``card_f`` or ``pending`` when her residence
    depends on the partner) come from ``relais.core.questions``."""

    victim_id = serializers.IntegerField(min_value=1)
    perpetrator_id = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    checklist = serializers.DictField(child=serializers.CharField(max_length=20),
                                      allow_empty=True)
    safe_contact = SafeContactIn(required=False, allow_null=True)

    class Meta:
        model = Report
        fields = ["victim_id", "perpetrator_id", *TYPED, "checklist", "safe_contact"]

    def get_fields(self) -> dict[str, serializers.Field]:
        return {**super().get_fields(), **api_fields(QUESTIONS)}


class ReportOut(serializers.ModelSerializer):
    """A record as its readers (the judicial narrative scope) see it on the screen."""

    case_id = serializers.IntegerField()
    victim_id = serializers.IntegerField()
    perpetrator_id = serializers.IntegerField(allow_null=True)
    agency = serializers.CharField(source="agency.name")
    officer = serializers.CharField(source="officer.get_full_name")
    forms_labels = serializers.ListField(child=serializers.CharField())
    forwarded_to = serializers.CharField(source="forwarded_to.name", allow_null=True,
                                         default=None)

    class Meta:
        model = Report
        fields = ["id", "case_id", "victim_id", "perpetrator_id", "agency", "officer",
                  *TYPED, "district", "is_intimate_partner", "forms_labels", "forwarded_to",
                  "forwarded_at"]


class ReportSummaryOut(serializers.ModelSerializer):
    """A line of a case's records (the narrative fields are on the record itself)."""

    case_id = serializers.IntegerField()

    class Meta:
        model = Report
        fields = ["id", "case_id", "kind", "pv_number", "source", "offence_at", "recorded_on",
                  "postcode", "municipality", "forms", "forwarded_at"]


class ReportFilters(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Report._meta.get_field("kind").choices,
                                   required=False)


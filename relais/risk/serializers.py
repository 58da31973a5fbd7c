"""What the risk API reads and writes."""

from __future__ import annotations

from rest_framework import serializers


class AssessmentIn(serializers.Serializer):
    """A complete set of answers to an instrument offered to the caller's agency. Each
    question's code answered "yes", "no" or "unknown" (unknown is not no)."""

    person_id = serializers.IntegerField(min_value=1)
    instrument_code = serializers.CharField(max_length=60)
    answers = serializers.DictField(child=serializers.CharField(max_length=20))
    final_level = serializers.CharField(max_length=30, required=False, allow_blank=True,
                                        default="")
    justification = serializers.CharField(max_length=3000, required=False, allow_blank=True,
                                          default="")


class AssessmentSummaryOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    person_id = serializers.IntegerField()
    instrument_code = serializers.CharField()
    instrument_title = serializers.CharField()
    scope = serializers.CharField()
    assessed_at = serializers.DateTimeField()
    agency = serializers.CharField()
    level_in_force = serializers.CharField()
    level_label = serializers.CharField()
    awaiting_confirmation = serializers.BooleanField()
    next_reassessment = serializers.DateField(allow_null=True)
    superseded = serializers.BooleanField()


class ItemOut(serializers.Serializer):
    code = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()


class ActionOut(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    label = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    decision = serializers.CharField()


class AssessmentOut(AssessmentSummaryOut):
    """One assessment as the screen explains it, in the reader's language."""

    instrument_version = serializers.IntegerField()
    score = serializers.FloatField()
    max_score = serializers.FloatField()
    computed_level = serializers.CharField()
    final_level = serializers.CharField()
    justification = serializers.CharField()
    lowered = serializers.BooleanField()
    critical_signals = ItemOut(many=True)
    unknown_items = ItemOut(many=True)
    answers = ItemOut(many=True)
    actions = ActionOut(many=True)


class AssessmentFilters(serializers.Serializer):
    instrument_code = serializers.CharField(max_length=60, required=False)
    current = serializers.BooleanField(required=False, help_text="true: only assessments not "
                                       "superseded by a newer one")



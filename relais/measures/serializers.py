"""What the measures API reads."""

from __future__ import annotations

from rest_framework import serializers

from relais.measures.models import BanStatus, DetentionStatus


class BanOut(serializers.Serializer):
    """A residence ban (ITR / tijdelijk huisverbod) as the list of measures shows it."""

    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField()
    perpetrator = serializers.CharField()
    status = serializers.ChoiceField(choices=BanStatus.choices)
    status_label = serializers.CharField()
    ordered_by_agency = serializers.CharField()
    ordered_at = serializers.DateTimeField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    served_at = serializers.DateTimeField(allow_null=True)
    lifted_at = serializers.DateTimeField(allow_null=True)
    monitor_agency = serializers.CharField(allow_null=True)


class ConditionOut(serializers.Serializer):
    label = serializers.CharField()
    checked = serializers.BooleanField()
    required = serializers.BooleanField()


class ExtensionOut(serializers.Serializer):
    previous_ends_at = serializers.DateTimeField()
    new_ends_at = serializers.DateTimeField()
    decided_on = serializers.DateField()
    court = serializers.CharField()


class BreachOut(serializers.Serializer):
    occurred_at = serializers.DateTimeField()
    recorded_by_agency = serializers.CharField(allow_null=True)


class BanDetailOut(BanOut):
    grounds = serializers.CharField()
    protected_persons = serializers.ListField(child=serializers.CharField())
    conditions = ConditionOut(many=True)
    extensions = ExtensionOut(many=True)
    breaches = BreachOut(many=True)
    lift_reason = serializers.CharField()


class DetentionOut(serializers.Serializer):
    id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField()
    person = serializers.CharField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    status = serializers.ChoiceField(choices=DetentionStatus.choices)
    status_label = serializers.CharField()
    since = serializers.DateTimeField()
    expected_release_on = serializers.DateField(allow_null=True)
    released_at = serializers.DateTimeField(allow_null=True)


class DetentionDetailOut(DetentionOut):
    place = serializers.CharField()
    conditions_note = serializers.CharField()
    release_zone = serializers.CharField(allow_null=True, help_text="null while not known, "
                                         "or when naming it would tell where she lives")


class BanFilters(serializers.Serializer):
    current = serializers.BooleanField(
        required=False, default=True,
        help_text="true (default): in force, ordered, or ended in the last 7 days, as the "
                  "list of measures; false: every ban")


class DetentionFilters(serializers.Serializer):
    current = serializers.BooleanField(
        required=False, default=True,
        help_text="true (default): in detention, or released in the last 30 days; false: all")

"""What the perpetrator-programme API reads."""

from __future__ import annotations

from rest_framework import serializers

from relais.programmes.models import FileStatus


class FileOut(serializers.Serializer):
    """A programme file as its counsellors' list shows it."""

    id = serializers.IntegerField()
    participant = serializers.CharField()
    route = serializers.CharField()
    judicial_measure = serializers.CharField()
    status = serializers.ChoiceField(choices=FileStatus.choices)
    status_label = serializers.CharField()
    status_at = serializers.DateTimeField()
    requested_on = serializers.DateField()
    started_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    waiting_days = serializers.IntegerField()
    group = serializers.CharField(allow_null=True)
    hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    threshold = serializers.DecimalField(max_digits=7, decimal_places=2)
    interviews = serializers.IntegerField()


class ActivityOut(serializers.Serializer):
    kind = serializers.CharField()
    occurred_on = serializers.DateField()
    attendance = serializers.CharField()
    scheduled_hours = serializers.DecimalField(max_digits=7, decimal_places=2)
    attended_hours = serializers.DecimalField(max_digits=7, decimal_places=2)


class ChangeOut(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    at = serializers.DateTimeField()
    reason = serializers.CharField()


class FactOut(serializers.Serializer):
    kind = serializers.CharField()
    pv_number = serializers.CharField()
    offence_at = serializers.DateTimeField()
    forms = serializers.ListField(child=serializers.CharField())


class FileDetailOut(FileOut):
    """One file: the mandate, the activities, the status history and — when the judicial
    scope is open on its case — the dates and forms of the facts."""

    mandate_reference = serializers.CharField()
    judicial_district = serializers.CharField()
    interruption_reason = serializers.CharField()
    case_id = serializers.IntegerField(allow_null=True, help_text="null unless the programme "
                                       "may open the case")
    activities = ActivityOut(many=True)
    changes = ChangeOut(many=True)
    facts = FactOut(many=True)
    next_statuses = serializers.ListField(child=serializers.CharField())


class FileFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=FileStatus.choices, required=False)

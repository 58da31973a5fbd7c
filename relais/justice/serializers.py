"""What the prosecution-tracking API reads."""

from __future__ import annotations

from rest_framework import serializers

from relais.justice.selectors import STATUSES


class EntryOut(serializers.Serializer):
    """A line of the office's table: a forwarded report and the decision it waits for."""

    id = serializers.IntegerField()
    report_id = serializers.IntegerField()
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField()
    pv_number = serializers.CharField()
    offence_at = serializers.DateTimeField()
    from_agency = serializers.CharField()
    received_at = serializers.DateTimeField()
    section = serializers.CharField(allow_null=True)
    reader = serializers.CharField(allow_null=True)
    due_on = serializers.DateField()
    overdue_days = serializers.IntegerField()
    decision = serializers.CharField()
    decision_label = serializers.CharField()
    measures = serializers.ListField(child=serializers.CharField())
    decided_at = serializers.DateTimeField(allow_null=True)


class EventOut(serializers.Serializer):
    at = serializers.DateTimeField()
    by = serializers.CharField(allow_null=True)
    kind = serializers.CharField()
    detail = serializers.CharField()


class EntryDetailOut(EntryOut):
    other_measure = serializers.CharField()
    note = serializers.CharField()
    decided_by = serializers.CharField(allow_null=True)
    events = EventOut(many=True)


class EntryFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUSES, default="to_decide")
    section_id = serializers.IntegerField(min_value=1, required=False)
    reader = serializers.CharField(max_length=20, required=False, default="",
                                   help_text='"mine", "none" or a reader\'s user id')



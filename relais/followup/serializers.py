"""What the follow-up API reads and writes."""

from __future__ import annotations

from rest_framework import serializers

from relais.followup.models import TaskKind, TaskStatus
from relais.followup.selectors import QUEUES


class TaskOut(serializers.Serializer):
    """A task as the work queue shows it."""

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=TaskKind.choices)
    kind_label = serializers.CharField()
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    case_id = serializers.IntegerField()
    case_reference = serializers.CharField()
    person_id = serializers.IntegerField(allow_null=True)
    person = serializers.CharField(allow_null=True)
    for_role = serializers.CharField()
    assignee = serializers.CharField(allow_null=True)
    due_at = serializers.DateTimeField()
    overdue = serializers.BooleanField()
    priority = serializers.IntegerField()
    why = serializers.CharField()


class TaskPhoneOut(serializers.Serializer):
    number = serializers.CharField()
    label = serializers.CharField()
    safe = serializers.BooleanField()


class TaskSafeContactOut(serializers.Serializer):
    channel = serializers.CharField()
    hours = serializers.CharField()
    can_speak_freely = serializers.CharField()
    never = serializers.ListField(child=serializers.CharField())


class AttemptOut(serializers.Serializer):
    at = serializers.DateTimeField()
    could_speak = serializers.CharField()
    outcome = serializers.CharField()


class TaskDetailOut(TaskOut):
    """One task with what is needed to contact her safely: her safe-contact instructions and
    numbers only with the contact scope on her (null otherwise)."""

    outcome = serializers.CharField()
    outcome_note = serializers.CharField()
    cancel_reason = serializers.CharField()
    attempts = AttemptOut(many=True)
    safe_contact = TaskSafeContactOut(allow_null=True)
    phones = TaskPhoneOut(many=True, allow_null=True)
    may_cancel = serializers.BooleanField()


class TaskFilters(serializers.Serializer):
    queue = serializers.ChoiceField(choices=QUEUES, default="mine")
    status = serializers.ChoiceField(choices=TaskStatus.choices, default=TaskStatus.OPEN)
    kind = serializers.ChoiceField(choices=TaskKind.choices, required=False)

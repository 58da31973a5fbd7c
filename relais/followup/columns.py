"""The work queue's columns: the screen's table head and its export (relais.core.exports) read
this one list, so both hold the same columns."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from relais.core.exports import Column
from relais.followup.models import Task


def _assigned(task: Task) -> str:
    if task.assignee:
        return task.assignee.get_full_name()
    if task.unit:
        return task.unit.name
    if task.for_role:
        return str(task.get_for_role_display())
    return ""


QUEUE_COLUMNS: list[Column[Task]] = [
    Column("due", gettext_lazy("Due"), lambda task: task.due_at),
    Column("task", gettext_lazy("Task"), lambda task: str(task.get_kind_display())),
    Column("case", gettext_lazy("Case"), lambda task: task.case.reference),
    Column("person", gettext_lazy("Person"), lambda task: str(task.person or "")),
    Column("assigned", gettext_lazy("Assigned to"), _assigned),
    Column("attempts", gettext_lazy("Attempts"), lambda task: task.attempts),
]

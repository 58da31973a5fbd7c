"""The follow-up tasks a measure makes, moves and cancels (relais.followup).

Creating goes through the follow-up's public ``task_create_from_spec``. Moving a task's due
time and cancelling the open tasks of a lifted ban have no public service in relais.followup
yet: the two functions below are the only places that reach further (``_cancel``), and are
meant to be replaced by public follow-up services (see docs/measures.md).
"""

from __future__ import annotations

from datetime import datetime

from django.db import models

from relais.accounts.models import Agency
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case
from relais.core.actor import Actor
from relais.followup.models import Priority, Task, TaskStatus
from relais.followup.rules import TaskSpec
from relais.followup.services import _cancel, case_priorities, task_create_from_spec


def case_priority(case: Case) -> int:
    return case_priorities([case.pk]).get(case.pk, Priority.NORMAL)


def task_make(*, actor: Actor, spec: TaskSpec, case: Case, agency: Agency, source: models.Model,
              basis: str, priority: int | None = None) -> Task | None:
    """Create the task once (its origin key), and audit it; None if it already exists."""
    task = task_create_from_spec(
        spec=spec, case=case, agency=agency,
        priority=case_priority(case) if priority is None else priority,
        created_by=actor.user, source=source)
    if task is not None:
        audit_record(actor=actor, action=Action.CREATE, target=task, case_id=case.pk,
                     basis=basis)
    return task


def open_tasks_of(source: models.Model, *, kinds: tuple[str, ...] = ()) -> list[Task]:
    qs = Task.objects.select_for_update().filter(
        source_type=source._meta.label_lower, source_id=str(source.pk), status=TaskStatus.OPEN)
    if kinds:
        qs = qs.filter(kind__in=kinds)
    return list(qs.order_by("pk"))


def task_move(*, actor: Actor, task: Task, due_at: datetime, note: str, basis: str) -> None:
    """Move an open task to a new due time (e.g. the expiry after an extension)."""
    task.due_at = due_at
    task.note = note[:300]
    task.reminded_at = None
    task.save(update_fields=["due_at", "note", "reminded_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                 basis=basis)


def tasks_cancel_for(*, actor: Actor, source: models.Model, reason: str, basis: str) -> int:
    """Cancel, with a reason, every open task the measure made (whichever agency holds it)."""
    tasks = open_tasks_of(source)
    for task in tasks:
        _cancel(task, reason=reason, actor=actor)
        audit_record(actor=actor, action=Action.UPDATE, target=task, case_id=task.case_id,
                     basis=basis)
    return len(tasks)

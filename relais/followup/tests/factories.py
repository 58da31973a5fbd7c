"""Building follow-up situations with the real services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from relais.conftest import Cast, actor
from relais.followup.models import Task
from relais.intake import services as intake_services
from relais.intake.examples import report_arguments
from relais.intake.models import Report


def record_report(cast: Cast, *, official: bool = True, **overrides: Any) -> Report:
    """A report by zone A's officer on the cast case, through ``report_record``."""
    return intake_services.report_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk,
        **report_arguments(victim_id=cast.victim_id, official=official, **overrides))


def task_of(report: Report, kind: str) -> Task:
    return Task.objects.get(source_id=str(report.pk), kind=kind)


def move_due(task: Task, due_at: datetime) -> Task:
    Task.objects.filter(pk=task.pk).update(due_at=due_at)
    task.refresh_from_db()
    return task

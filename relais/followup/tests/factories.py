"""Building follow-up situations with the real services."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from relais.cases import services as case_services
from relais.cases.models import Case, ParticipantRole
from relais.conftest import Cast, actor
from relais.followup.models import Task
from relais.intake import services as intake_services
from relais.intake.examples import report_arguments
from relais.intake.models import Report


def record_report(cast: Cast, *, official: bool = True, case: Case | None = None,
                  victim_id: int | None = None, **overrides: Any) -> Report:
    """A report by zone A's officer on the cast case (or ``case``), through ``report_record``."""
    return intake_services.report_record(
        actor=actor(cast.officer_a), case_id=(case or cast.case).pk,
        **report_arguments(victim_id=victim_id or cast.victim_id, official=official,
                           **overrides))


def another_case(cast: Cast, first_name: str = "Dana") -> tuple[Case, int]:
    """Another case of zone A with its victim (a second report on the same case joins the
    tasks already open there)."""
    officer = actor(cast.officer_a)
    case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
    victim = case_services.person_add_to_case(
        actor=officer, case_id=case.pk, role=ParticipantRole.VICTIM, first_name=first_name,
        last_name="Exemple").person_id
    return case, victim


def task_of(report: Report, kind: str) -> Task:
    return Task.objects.get(source_id=str(report.pk), kind=kind)


def move_due(task: Task, due_at: datetime) -> Task:
    Task.objects.filter(pk=task.pk).update(due_at=due_at)
    task.refresh_from_db()
    return task

"""The periodic pass: idempotent, reassessments when due, reminders once, closed cases."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from relais.audit.models import AuditEvent
from relais.cases.models import Case
from relais.conftest import actor, run_mail_queue
from relais.core.singleton import single_instance
from relais.followup.models import Priority, Task, TaskKind, TaskStatus
from relais.followup.tests.factories import move_due, record_report, task_of
from relais.followup.tick import followup_tick
from relais.intake.examples import grid_answers
from relais.risk import services as risk_services
from relais.risk.models import RiskAssessment


def grid(cast, **answers):
    return risk_services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers("police_grid", **answers))


def test_a_reassessment_is_created_when_due_once_and_closed_by_the_next_assessment(cast):
    assessment = grid(cast, threats_to_kill="yes", strangulation="yes")
    assert followup_tick().reassessments_created == 0  # not due yet

    later = timezone.now() + timedelta(days=(assessment.next_reassessment
                                             - timezone.localdate()).days)
    report = followup_tick(now=later)
    assert report.reassessments_created == 1
    task = Task.objects.get(kind=TaskKind.REASSESSMENT)
    assert task.assignee == cast.officer_a and task.agency == cast.zone_a
    assert task.priority == Priority.URGENT
    assert timezone.localdate(task.due_at) == assessment.next_reassessment
    assert AuditEvent.objects.filter(object_id=str(task.pk),
                                     basis="follow-up tick: reassessment").exists()
    assert followup_tick(now=later).reassessments_created == 0  # idempotent

    grid(cast)  # reassessed
    assert followup_tick(now=later).reassessments_closed == 1
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_a_screening_never_hides_a_due_full_assessment(cast):
    record_report(cast)  # the counter checklist, low
    full = grid(cast, threats_to_kill="yes", strangulation="yes")
    RiskAssessment.objects.filter(pk=full.pk).update(
        next_reassessment=timezone.localdate() - timedelta(days=1))
    followup_tick()
    assert Task.objects.get(kind=TaskKind.REASSESSMENT).source_id == str(full.pk)


def test_overdue_tasks_are_reminded_once_without_personal_data(cast, mailoutbox):
    cast.sapv_a.email = "sapv@zone-a.example"
    cast.sapv_a.save()
    cast.zone_a.languages = ["en"]  # the e-mail is written in the zone's language
    cast.zone_a.save()
    task = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    move_due(task, timezone.now() - timedelta(hours=1))
    run_mail_queue()  # the announcement of the new task
    mail.outbox.clear()

    assert followup_tick().reminded == 1
    assert followup_tick().reminded == 0
    run_mail_queue()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sapv@zone-a.example"] and "1 follow-up task is overdue" in \
        message.subject
    assert "Alice" not in message.body and cast.case.reference not in message.body


def test_open_tasks_of_a_case_closed_elsewhere_are_cancelled(cast):
    record_report(cast)
    Case.objects.filter(pk=cast.case.pk).update(status="closed")  # e.g. by an import
    assert followup_tick().cancelled == 3
    assert followup_tick().cancelled == 0
    assert set(Task.objects.values_list("status", flat=True)) == {TaskStatus.CANCELLED}


def test_a_second_tick_while_one_runs_does_nothing_and_says_so(cast):
    case = cast.case
    record_report(cast)  # three open tasks
    Case.objects.filter(pk=case.pk).update(status="closed")
    holding, release = threading.Event(), threading.Event()

    def running_tick() -> None:  # another process, as far as the lock is concerned
        try:
            with single_instance("followup_tick") as mine:
                assert mine
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    other = threading.Thread(target=running_tick)
    other.start()
    try:
        assert holding.wait(10)
        report = followup_tick()
        assert report.skipped and report.cancelled == 0
        out = StringIO()
        call_command("followup_tick", stdout=out)
        assert "another followup_tick is running: nothing done" in out.getvalue()
        assert Task.objects.filter(case=case, status=TaskStatus.OPEN).exists()
    finally:
        release.set()
        other.join()
    assert followup_tick().cancelled == 3  # once it is free, the next tick does the work

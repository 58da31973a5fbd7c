"""Writes of the follow-up that used to leave no trace."""

from __future__ import annotations

from relais.audit.models import AuditEvent
from relais.followup.models import Priority, Task, TaskStatus
from relais.followup.tests.factories import record_report
from relais.followup.tests.test_services import high_risk


def test_a_new_risk_level_audits_each_open_task_whose_priority_it_moves(cast):
    record_report(cast)
    open_tasks = set(Task.objects.filter(case=cast.case, status=TaskStatus.OPEN)
                     .exclude(priority=Priority.URGENT).values_list("pk", flat=True))
    assert open_tasks

    high_risk(cast)

    assert set(Task.objects.filter(pk__in=open_tasks).values_list("priority", flat=True)) == {
        Priority.URGENT}
    events = AuditEvent.objects.filter(object_type="followup.task", action="update",
                                       basis__startswith="priority urgent after risk assessment")
    assert {int(e.object_id) for e in events} == open_tasks
    assert {(e.case_id, e.user_id) for e in events} == {(cast.case.pk, cast.officer_a.pk)}

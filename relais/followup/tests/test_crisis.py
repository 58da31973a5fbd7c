"""Crisis re-contact: preview, create across teams by risk, undo."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from relais.accounts.models import Role, Unit, UnitKind
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.models import ParticipantRole
from relais.conftest import actor, make_user
from relais.followup import crisis, services
from relais.followup.models import Priority, Task, TaskKind, TaskStatus
from relais.followup.tests.factories import record_report
from relais.intake import services as intake_services
from relais.intake.examples import grid_answers, report_arguments
from relais.risk import services as risk_services


@pytest.fixture
def zone(cast):
    """Zone A with two contact teams and a second, high-risk case."""
    for kind, name in ((UnitKind.VICTIM_ASSISTANCE, "SAPV"), (UnitKind.NEIGHBOURHOOD, "Quartier")):
        unit = Unit.objects.create(agency=cast.zone_a, kind=kind, name=name)
        member = make_user(f"member_{kind}", cast.zone_a, Role.VICTIM_ASSISTANCE_WORKER)
        member.unit = unit
        member.save()
    officer = actor(cast.officer_a)
    record_report(cast, day2_contact_agreed=False)
    case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
    victim = case_services.person_add_to_case(actor=officer, case_id=case.pk,
                                              role=ParticipantRole.VICTIM, first_name="Dora",
                                              last_name="Fictive").person_id
    intake_services.report_record(actor=officer, case_id=case.pk, **report_arguments(
        victim_id=victim, official=False, day2_contact_agreed=False))
    risk_services.assessment_record(actor=officer, case_id=case.pk, person_id=victim,
                                    instrument_code="police_grid", answers=grid_answers(
                                        "police_grid", threats_to_kill="yes",
                                        strangulation="yes"))
    # The revisits the reports planned are done: a crisis re-contact comes on top.
    Task.objects.filter(kind=TaskKind.REVISIT).update(status=TaskStatus.CANCELLED,
                                                      cancel_reason="test")
    return case


def test_only_the_reference_officer_coordinates(cast, zone):
    for someone in (cast.officer_a, cast.sapv_a, cast.officer_b, cast.admin_a):
        with pytest.raises(Http404):
            crisis.crisis_preview(actor=actor(someone))


def test_the_preview_lists_the_most_dangerous_first_across_teams_and_creates_nothing(cast,
                                                                                      zone):
    plan = crisis.crisis_preview(actor=actor(cast.reference_a), months=6)

    assert [row.case.pk for row in plan.rows] == [zone.pk, cast.case.pk]
    assert plan.rows[0].priority == Priority.URGENT
    assert {row.unit.name for row in plan.rows} == {"SAPV", "Quartier"}
    assert not Task.objects.filter(kind=TaskKind.CRISIS_RECONTACT).exists()
    assert AuditEvent.objects.filter(user_id=cast.reference_a.pk, action="read",
                                     basis__startswith="crisis re-contact preview").exists()


def test_create_then_undo_keeps_what_was_done(cast, zone):
    coordinator = actor(cast.reference_a)
    batch = crisis.crisis_create(actor=coordinator, months=6)
    tasks = list(Task.objects.filter(batch=batch).order_by("-priority"))
    assert batch.task_count == 2 == len(tasks)
    assert all(t.kind == TaskKind.CRISIS_RECONTACT and t.status == TaskStatus.OPEN
               for t in tasks)
    assert tasks[0].due_at < tasks[1].due_at  # the urgent one first
    # A second preview leaves out the victims already planned.
    assert crisis.crisis_preview(actor=coordinator).rows == []
    with pytest.raises(ValidationError):
        crisis.crisis_create(actor=coordinator)

    services.task_record_contact(actor=coordinator, task_id=tasks[0].pk,
                                 could_speak_freely="yes", outcome="done")
    assert crisis.crisis_undo(actor=coordinator, batch_id=batch.pk) == 1
    statuses = dict(Task.objects.filter(batch=batch).values_list("pk", "status"))
    assert statuses == {tasks[0].pk: TaskStatus.DONE, tasks[1].pk: TaskStatus.CANCELLED}
    with pytest.raises(ValidationError):
        crisis.crisis_undo(actor=coordinator, batch_id=batch.pk)
    assert AuditEvent.objects.filter(object_type="followup.crisisbatch", action="update").exists()


def test_months_out_of_range_are_refused(cast, zone):
    with pytest.raises(ValidationError):
        crisis.crisis_preview(actor=actor(cast.reference_a), months=0)

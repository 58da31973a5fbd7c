"""Tasks made by reports, and what happens on each try at a task."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.access.followup import task_scope
from relais.accounts.models import Role, Unit, UnitKind
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.conftest import actor, make_user
from relais.followup import services
from relais.followup.models import (
    ContactAttempt,
    Neighbourhood,
    Outcome,
    Priority,
    Task,
    TaskKind,
    TaskStatus,
    ZonePolicy,
)
from relais.followup.tests.factories import move_due, record_report, task_of
from relais.intake.examples import grid_answers
from relais.notifications.models import Notice, NoticeKind
from relais.risk import services as risk_services


def high_risk(cast) -> None:
    risk_services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers(
            "police_grid", threats_to_kill="yes", strangulation="yes", recent_separation="yes"))


def test_an_official_report_plans_the_victims_contacts_once_and_audits_each(cast):
    report = record_report(cast)

    kinds = set(Task.objects.filter(case=cast.case).values_list("kind", flat=True))
    assert kinds == {TaskKind.VICTIM_ASSISTANCE_CONTACT, TaskKind.DAY2_CONTACT, TaskKind.REVISIT}
    assert AuditEvent.objects.filter(object_type="followup.task", action="create",
                                     basis="follow-up of a report").count() == 3
    # Running the rules again (a retried save, a replay) creates nothing twice.
    assert services.tasks_for_report(actor=actor(cast.officer_a), report=report) == []
    assert Task.objects.filter(case=cast.case).count() == 3
    day2 = task_of(report, TaskKind.DAY2_CONTACT)
    assert day2.person_id == cast.victim_id and day2.agency == cast.zone_a


def test_the_revisit_goes_to_a_named_neighbourhood_officer_who_then_sees_the_case(cast):
    report = record_report(cast)

    revisit = task_of(report, TaskKind.REVISIT)
    assert revisit.assignee == cast.neighbourhood_a
    assert revisit.policy["revisit_by"] == "neighbourhood_officer"
    # She sees only cases assigned to her: the revisit assigned the case to her.
    mine = task_scope(actor(cast.neighbourhood_a)).filter(assignee=cast.neighbourhood_a)
    assert list(mine.values_list("pk", flat=True)) == [revisit.pk]


def test_an_information_report_goes_to_the_eva_representative_of_its_neighbourhood(cast):
    eva_1 = make_user("eva_one", cast.zone_a, Role.EVA_OFFICER)
    eva_2 = make_user("eva_two", cast.zone_a, Role.EVA_OFFICER)
    Neighbourhood.objects.create(agency=cast.zone_a, name="Ixelles", postcodes=["1050"],
                                 eva_officer=eva_2)
    report = record_report(cast, official=False, postcode="1050", municipality="21009")

    callback = task_of(report, TaskKind.EVA_CALLBACK)
    assert callback.assignee == eva_2 and callback.assignee != eva_1
    assert callback.for_role == Role.EVA_OFFICER


def test_when_it_becomes_a_complaint_the_call_back_is_due_at_once(cast):
    make_user("eva_a", cast.zone_a, Role.EVA_OFFICER)
    information = record_report(cast, official=False)
    callback = task_of(information, TaskKind.EVA_CALLBACK)
    assert callback.due_at > timezone.now() + timedelta(hours=12)

    record_report(cast)
    callback.refresh_from_db()
    assert callback.due_at <= timezone.now()
    assert "without delay" in callback.why


def test_a_second_report_on_the_case_makes_no_second_task_of_a_kind_already_open(cast):
    first = record_report(cast)
    day2 = task_of(first, TaskKind.DAY2_CONTACT)
    due = day2.due_at
    second = record_report(cast)

    open_tasks = Task.objects.filter(case=cast.case, status=TaskStatus.OPEN)
    kinds = list(open_tasks.values_list("kind", flat=True))
    assert sorted(kinds) == sorted({TaskKind.VICTIM_ASSISTANCE_CONTACT, TaskKind.DAY2_CONTACT,
                                    TaskKind.REVISIT})
    day2.refresh_from_db()
    assert day2.due_at == due  # never later
    assert "Also for the report of" in day2.why
    assert AuditEvent.objects.filter(object_type="followup.task", object_id=str(day2.pk),
                                     basis="follow-up of a report: task already open").exists()
    assert not Task.objects.filter(source_id=str(second.pk)).exists()
    # Replaying the second report changes nothing more.
    assert services.tasks_for_report(actor=actor(cast.officer_a), report=second) == []
    day2.refresh_from_db()
    assert day2.why.count("Also for the report of") == 1


def test_a_new_report_may_bring_an_open_task_forward_never_back(cast):
    first = record_report(cast)
    later = timezone.now() + timedelta(days=30)
    revisit = move_due(task_of(first, TaskKind.REVISIT), later)
    record_report(cast)

    revisit.refresh_from_db()
    assert revisit.due_at < later  # the second report's revisit is due sooner: it holds
    # A closed task does not hold: the next report plans its kind again.
    contact = task_of(first, TaskKind.VICTIM_ASSISTANCE_CONTACT)
    services.task_record_contact(actor=actor(cast.sapv_a), task_id=contact.pk,
                                 could_speak_freely="yes", outcome="done")
    third = record_report(cast)
    assert task_of(third, TaskKind.VICTIM_ASSISTANCE_CONTACT).status == TaskStatus.OPEN


def test_she_could_not_speak_freely_reschedules_never_closes(cast):
    task = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    before = timezone.now()

    result = services.task_record_contact(actor=actor(cast.sapv_a), task_id=task.pk,
                                          could_speak_freely="no", outcome="done")

    task.refresh_from_db()
    assert result.rescheduled and task.status == TaskStatus.OPEN and task.outcome == ""
    assert task.attempts == 1
    policy = ZonePolicy.objects.get(agency=cast.zone_a)
    assert task.due_at >= before + timedelta(hours=policy.retry_after_hours)
    # Within the hours she gave ("9-12").
    assert 9 <= timezone.localtime(task.due_at).hour < 12
    attempt = ContactAttempt.objects.get(task=task)
    assert attempt.outcome == Outcome.NOT_FREE and attempt.rescheduled_to == task.due_at
    assert AuditEvent.objects.filter(object_type="followup.task", object_id=str(task.pk),
                                     action="update", basis="follow-up: not_free").exists()


def test_unreachable_is_retried_at_the_time_chosen(cast):
    task = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    retry = timezone.now() + timedelta(days=1, hours=2)

    services.task_record_contact(actor=actor(cast.sapv_a), task_id=task.pk,
                                 could_speak_freely="not_reached", outcome="unreachable",
                                 reschedule_to=retry)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.due_at == retry


def test_bad_answers_are_refused_and_nothing_is_recorded(cast):
    task = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    sapv = actor(cast.sapv_a)

    with pytest.raises(ValidationError) as error:
        services.task_record_contact(actor=sapv, task_id=task.pk, could_speak_freely="yes",
                                     outcome="would_endanger", note="  ")
    assert "note" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.task_record_contact(actor=sapv, task_id=task.pk, could_speak_freely="",
                                     outcome="done")
    assert "could_speak_freely" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.task_record_contact(actor=sapv, task_id=task.pk,
                                     could_speak_freely="not_reached", outcome="done")
    assert "outcome" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.task_record_contact(actor=sapv, task_id=task.pk, could_speak_freely="no",
                                     outcome="", reschedule_to=timezone.now() - timedelta(hours=1))
    assert "reschedule_to" in error.value.message_dict
    task.refresh_from_db()
    assert task.attempts == 0 and task.status == TaskStatus.OPEN
    assert not ContactAttempt.objects.exists()


def test_not_done_because_it_would_endanger_her_keeps_the_reason(cast):
    task = task_of(record_report(cast), TaskKind.REVISIT)
    services.task_record_contact(actor=actor(cast.neighbourhood_a), task_id=task.pk,
                                 could_speak_freely="not_reached", outcome="would_endanger",
                                 note="He has moved back in; a visit would alert him.")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.outcome == Outcome.WOULD_ENDANGER
    assert task.outcome_note.startswith("He has moved back in")


def test_two_people_closing_the_same_task_one_wins_the_other_is_told(cast):
    other_sapv = make_user("sapv_two", cast.zone_a, Role.VICTIM_ASSISTANCE_WORKER)
    task = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    services.task_record_contact(actor=actor(cast.sapv_a), task_id=task.pk,
                                 could_speak_freely="yes", outcome="done", expected_attempts=0)

    with pytest.raises(ValidationError) as error:
        services.task_record_contact(actor=actor(other_sapv), task_id=task.pk,
                                     could_speak_freely="yes", outcome="declined",
                                     expected_attempts=0)
    assert error.value.code == "closed"
    assert "Sapv Test already closed this task" in error.value.messages[0]
    task.refresh_from_db()
    assert task.outcome == Outcome.DONE and task.completed_by == cast.sapv_a
    assert ContactAttempt.objects.filter(task=task).count() == 1


def test_an_attempt_recorded_meanwhile_is_not_overwritten(cast):
    task = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    services.task_record_contact(actor=actor(cast.sapv_a), task_id=task.pk,
                                 could_speak_freely="no", outcome="", expected_attempts=0)
    with pytest.raises(ValidationError) as error:
        services.task_record_contact(actor=actor(cast.sapv_a), task_id=task.pk,
                                     could_speak_freely="yes", outcome="done",
                                     expected_attempts=0)
    assert error.value.code == "changed"


def test_everything_is_fine_on_a_high_risk_case_plans_a_further_contact(cast):
    high_risk(cast)
    task = task_of(record_report(cast), TaskKind.DAY2_CONTACT)
    assert task.priority == Priority.URGENT

    result = services.task_record_contact(
        actor=actor(cast.sapv_a), task_id=task.pk, could_speak_freely="yes", outcome="done",
        all_fine=True, checklist=["explain_framework", "housing_income"])

    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.checklist == {"explain_framework": True, "prepare_hearing": False,
                              "housing_income": True}
    further = result.further
    assert further is not None and further.kind == TaskKind.FURTHER_CONTACT
    assert further.follows_id == task.pk and further.status == TaskStatus.OPEN
    assert further.due_at.date() >= (timezone.now() + timedelta(days=6)).date()


def test_everything_is_fine_on_a_low_risk_case_just_closes(cast):
    task = task_of(record_report(cast), TaskKind.DAY2_CONTACT)
    assert task.priority < Priority.HIGH
    result = services.task_record_contact(actor=actor(cast.sapv_a), task_id=task.pk,
                                          could_speak_freely="yes", outcome="done",
                                          all_fine=True)
    assert result.further is None


def test_a_revisit_is_notified_to_the_sapv_when_the_zone_asks(cast):
    ZonePolicy.objects.create(agency=cast.zone_a, notify_sapv_of_revisit=True)
    task = task_of(record_report(cast), TaskKind.REVISIT)
    services.task_record_contact(actor=actor(cast.neighbourhood_a), task_id=task.pk,
                                 could_speak_freely="yes", outcome="done")
    notice = Notice.objects.get(kind=NoticeKind.REVISIT_DONE)
    assert notice.for_role == Role.VICTIM_ASSISTANCE_WORKER and notice.agency == cast.zone_a


def test_closing_the_case_cancels_its_tasks_with_the_reason(cast):
    report = record_report(cast)
    case_services.case_close(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             reason="declined", acknowledged=True)

    tasks = Task.objects.filter(case=cast.case)
    assert {t.status for t in tasks} == {TaskStatus.CANCELLED}
    assert {t.cancel_text for t in tasks} == {"The case was closed."}
    with pytest.raises(ValidationError) as error:
        services.task_record_contact(actor=actor(cast.sapv_a),
                                     task_id=task_of(report, TaskKind.DAY2_CONTACT).pk,
                                     could_speak_freely="yes", outcome="done")
    assert error.value.code == "closed"


def test_another_agency_cannot_touch_a_task(cast):
    task = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    for outsider in (cast.officer_b, cast.shelter_worker, cast.analyst_a):
        with pytest.raises(Http404):
            services.task_record_contact(actor=actor(outsider), task_id=task.pk,
                                         could_speak_freely="yes", outcome="done")


def test_taking_and_cancelling(cast):
    task = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    services.task_take(actor=actor(cast.sapv_a), task_id=task.pk)
    task.refresh_from_db()
    assert task.assignee == cast.sapv_a
    with pytest.raises(ValidationError):
        services.task_cancel(actor=actor(cast.sapv_a), task_id=task.pk, reason=" ")
    services.task_cancel(actor=actor(cast.sapv_a), task_id=task.pk,
                         reason="Recorded twice by mistake")
    task.refresh_from_db()
    assert task.status == TaskStatus.CANCELLED
    assert AuditEvent.objects.filter(object_id=str(task.pk), basis="task cancelled").exists()


def test_the_task_follows_the_case_risk_level(cast):
    task = task_of(record_report(cast), TaskKind.REVISIT)
    assert task.priority < Priority.URGENT
    high_risk(cast)
    task.refresh_from_db()
    assert task.priority == Priority.URGENT


def test_only_the_zone_administrator_sets_the_policy_and_each_change_is_versioned(cast):
    unit = Unit.objects.create(agency=cast.zone_a, kind=UnitKind.OTHER, name="Cellule VIF")
    with pytest.raises(Http404):
        services.policy_update(actor=actor(cast.officer_a), revisit_delay_days=7)
    with pytest.raises(ValidationError) as error:
        services.policy_update(actor=actor(cast.admin_a), revisit_by="specific_unit")
    assert "revisit_unit" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.policy_update(actor=actor(cast.admin_a), revisit_delay_days=0)

    first = services.policy_update(actor=actor(cast.admin_a), revisit_by="specific_unit",
                                   revisit_unit=unit, revisit_format="home_visit")
    second = services.policy_update(actor=actor(cast.admin_a), revisit_delay_days=10)
    assert second.pk == first.pk and second.version == first.version + 1
    assert AuditEvent.objects.filter(object_type="followup.zonepolicy",
                                     basis=f"follow-up policy v{second.version}").exists()
    revisit = task_of(record_report(cast), TaskKind.REVISIT)
    assert revisit.unit == unit and revisit.for_role == ""
    assert revisit.policy["revisit_unit"] == "Cellule VIF"
    assert (timezone.localdate(revisit.due_at) - timezone.localdate()).days == 10


def test_late_tasks_never_vanish_from_the_queue(cast):
    task = task_of(record_report(cast), TaskKind.VICTIM_ASSISTANCE_CONTACT)
    move_due(task, timezone.now() - timedelta(days=3))
    assert task_scope(actor(cast.sapv_a)).filter(pk=task.pk,
                                                          status=TaskStatus.OPEN).exists()

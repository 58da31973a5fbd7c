"""Request, decision, devices, assignment, review and return of the harassment alarm."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.accounts.models import User
from relais.alarms import services
from relais.alarms.models import AlarmAssignment, DeviceStatus, RequestStatus
from relais.alarms.rules import alarm_rules
from relais.alarms.tests.factories import (
    add_device,
    all_yes,
    assess,
    assign,
    forward,
    grant,
    live_alarm,
    request_alarm,
)
from relais.audit.models import Action, AuditEvent
from relais.cases.measures import measures_in_force
from relais.cases.models import TimelineEntry
from relais.conftest import actor, run_mail_queue
from relais.followup.models import Task, TaskKind
from relais.notifications.models import Notice, NoticeKind


def audited(target, action: str) -> AuditEvent:
    return AuditEvent.objects.get(object_type=target._meta.label_lower,
                                  object_id=str(target.pk), action=action)


# --- The request ------------------------------------------------------------------------------

def test_a_request_attaches_the_latest_assessment_and_waits_at_the_prosecutor(cast):
    User.objects.filter(pk=cast.magistrate.pk).update(email="magistrate@example.org")
    forward(cast)
    older = assess(cast, stalking="yes")
    latest = assess(cast)
    request = request_alarm(cast)
    assert not mail.outbox  # queued, sent after the answer
    run_mail_queue()
    assert request.assessment == latest != older
    assert request.prosecutor_office == cast.prosecutor
    assert request.victim_id == cast.victim_id and request.perpetrator_id == cast.perpetrator_id
    assert request.criteria_version == alarm_rules().version
    assert request.status == RequestStatus.REQUESTED
    assert audited(request, Action.CREATE).case_id == cast.case.pk
    notices = Notice.objects.filter(kind=NoticeKind.ALARM_REQUESTED, agency=cast.prosecutor)
    assert {n.for_role for n in notices} == {"magistrate", "legal_advisor"}
    assert TimelineEntry.objects.filter(case=cast.case, kind="alarm_requested").exists()
    sent = [m for m in mail.outbox if m.to == ["magistrate@example.org"]]
    assert sent and cast.case.reference in sent[0].subject
    assert "Alice" not in sent[0].body and "Exemple" not in sent[0].body


def test_a_request_without_a_risk_assessment_is_refused_with_a_clear_error(cast):
    forward(cast)
    with pytest.raises(ValidationError) as error:
        request_alarm(cast)
    assert "no risk assessment" in error.value.message_dict["assessment"][0]


def test_a_screening_checklist_alone_is_not_the_risk_analysis(cast):
    from relais.risk.instruments import instrument_get
    from relais.risk.services import assessment_record

    checklist = instrument_get("counter_checklist")
    assessment_record(actor=actor(cast.officer_a), case_id=cast.case.pk,
                      person_id=cast.victim_id, instrument_code="counter_checklist",
                      answers={item.code: "yes" for item in checklist.items})
    with pytest.raises(ValidationError) as error:
        request_alarm(cast)
    assert "assessment" in error.value.message_dict


def test_required_criteria_must_be_answered_yes_and_each_is_named(cast):
    assess(cast)
    criteria = all_yes() | {"victim_agrees": "no"}
    del criteria["compatible_smartphone"]
    with pytest.raises(ValidationError) as error:
        request_alarm(cast, criteria=criteria)
    errors = error.value.message_dict
    assert "cannot be requested unless" in errors["criterion_victim_agrees"][0]
    assert "yes, no or unknown" in errors["criterion_compatible_smartphone"][0]


def test_optional_criteria_may_be_no_or_unknown(cast):
    assess(cast)
    request = request_alarm(cast, criteria=all_yes() | {"can_use_app": "unknown",
                                                        "support_accepted": "no"})
    assert request.criteria["can_use_app"] == "unknown"


def test_without_forwarding_the_request_is_recorded_and_joins_the_office_later(cast):
    assess(cast)
    request = request_alarm(cast)
    assert request.prosecutor_office is None
    assert not Notice.objects.filter(kind=NoticeKind.ALARM_REQUESTED).exists()
    forward(cast)  # report_forwarded hook
    request.refresh_from_db()
    assert request.prosecutor_office == cast.prosecutor
    assert Notice.objects.filter(kind=NoticeKind.ALARM_REQUESTED,
                                 agency=cast.prosecutor).count() == 2


def test_only_the_owning_zones_officers_request(cast):
    assess(cast)
    with pytest.raises(Http404):
        services.alarm_request_create(actor=actor(cast.officer_b), case_id=cast.case.pk,
                                      criteria=all_yes())
    with pytest.raises(Http404):
        services.alarm_request_create(actor=actor(cast.dispatcher_a), case_id=cast.case.pk,
                                      criteria=all_yes())


def test_one_open_request_per_case(cast):
    assess(cast)
    request_alarm(cast)
    with pytest.raises(ValidationError):
        request_alarm(cast)


# --- The decision -------------------------------------------------------------------------------

def test_the_magistrate_grants_with_reasons_and_the_zone_is_told(cast):
    forward(cast)
    assess(cast)
    request = grant(cast, request_alarm(cast))
    assert request.status == RequestStatus.GRANTED and request.decided_by == cast.magistrate
    assert audited(request, Action.UPDATE).basis.startswith("judicial forwarding")
    assert Notice.objects.filter(kind=NoticeKind.ALARM_DECIDED, agency=cast.zone_a,
                                 for_role="ipv_reference_officer").exists()


def test_a_decision_without_reasons_is_an_error(cast):
    forward(cast)
    assess(cast)
    request = request_alarm(cast)
    with pytest.raises(ValidationError) as error:
        services.alarm_request_decide(actor=actor(cast.legal_advisor), request_id=request.pk,
                                      grant=False, reasons="  ")
    assert "reasons" in error.value.message_dict
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED


def test_a_refusal_is_recorded_with_its_reasons(cast):
    forward(cast)
    assess(cast)
    request = services.alarm_request_decide(
        actor=actor(cast.legal_advisor), request_id=request_alarm(cast).pk, grant=False,
        reasons="No stalking established.")
    assert request.status == RequestStatus.REFUSED


def test_the_zone_cannot_decide_and_a_decision_is_made_once(cast):
    forward(cast)
    assess(cast)
    request = request_alarm(cast)
    with pytest.raises(Http404):
        services.alarm_request_decide(actor=actor(cast.reference_a), request_id=request.pk,
                                      grant=True, reasons="x")
    grant(cast, request)
    with pytest.raises(ValidationError):
        grant(cast, request)


# --- Devices, assignment, review, return ---------------------------------------------------

def test_devices_have_unique_serials_and_belong_to_the_zone(cast):
    device = add_device(cast)
    assert device.agency == cast.zone_a and device.status == DeviceStatus.IN_STOCK
    assert audited(device, Action.CREATE)
    with pytest.raises(ValidationError) as error:
        services.device_add(actor=actor(cast.admin_a), serial="BTN-A-0001")
    assert "already registered" in error.value.message_dict["serial"][0]
    with pytest.raises(Http404):
        services.device_add(actor=actor(cast.officer_a), serial="BTN-X")


def test_assignment_pairs_the_device_and_plans_the_review(cast):
    assignment = live_alarm(cast)
    assert assignment.device.status == DeviceStatus.ASSIGNED
    months = alarm_rules().review_every_months
    assert assignment.review_due == services.add_months(assignment.paired_on, months)
    task = Task.objects.get(kind=TaskKind.ALARM_REVIEW, case=cast.case)
    assert task.person_id == cast.victim_id and task.for_role == alarm_rules().task_role
    assert task.due_at.date() == assignment.review_due
    assert audited(assignment, Action.CREATE)
    line = [m for m in measures_in_force(__import__("relais.access.cases", fromlist=["x"])
                                         .case_access(actor=actor(cast.officer_a),
                                                      case_id=cast.case.pk))
            if m.kind == "harassment_alarm"]
    assert line and "BTN-A-0001" in line[0].label


def test_assignment_needs_a_granted_request_a_device_in_stock_and_a_pairing_date(cast):
    forward(cast)
    assess(cast)
    request = request_alarm(cast)
    device = add_device(cast)
    with pytest.raises(ValidationError):
        assign(cast, request, device)  # not granted yet
    grant(cast, request)
    with pytest.raises(ValidationError) as error:
        services.alarm_assign(actor=actor(cast.reference_a), request_id=request.pk,
                              device_id=device.pk,
                              paired_on=timezone.localdate() + timedelta(days=2))
    assert "future" in error.value.message_dict["paired_on"][0]
    services.device_set_status(actor=actor(cast.admin_a), device_id=device.pk,
                               status=DeviceStatus.OUT_OF_SERVICE)
    with pytest.raises(ValidationError) as error:
        assign(cast, request, device)
    assert "not in stock" in error.value.message_dict["device"][0]


def test_the_review_plans_the_next_one(cast):
    assignment = live_alarm(cast)
    services.alarm_review_record(actor=actor(cast.reference_a), request_id=assignment.request_id)
    assignment.refresh_from_db()
    assert assignment.reviewed_at is not None
    assert assignment.review_due == services.add_months(timezone.localdate(),
                                                        alarm_rules().review_every_months)
    assert Task.objects.filter(kind=TaskKind.ALARM_REVIEW, case=cast.case).count() in (1, 2)


def test_ending_the_alarm_plans_the_return_and_the_device_comes_back_to_stock(cast):
    assignment = live_alarm(cast)
    with pytest.raises(ValidationError):
        services.alarm_end(actor=actor(cast.reference_a), request_id=assignment.request_id,
                           reason=" ")
    request = services.alarm_end(actor=actor(cast.reference_a),
                                 request_id=assignment.request_id,
                                 reason="She moved abroad.")
    assert request.status == RequestStatus.ENDED
    device = assignment.device
    device.refresh_from_db()
    assert device.status == DeviceStatus.RETURNED
    task = Task.objects.get(kind=TaskKind.ALARM_RETURN, case=cast.case)
    assert task.due_at.date() == timezone.localdate() + timedelta(
        days=alarm_rules().return_within_days)
    with pytest.raises(ValidationError):  # assigned devices are not moved from the inventory
        services.device_set_status(actor=actor(cast.admin_a), device_id=device.pk,
                                   status=DeviceStatus.ASSIGNED)
    services.device_set_status(actor=actor(cast.admin_a), device_id=device.pk,
                               status=DeviceStatus.IN_STOCK, note="Battery replaced")
    device.refresh_from_db()
    assert device.status == DeviceStatus.IN_STOCK
    assert AlarmAssignment.objects.get(pk=assignment.pk).returned_at is not None


def test_an_assigned_device_cannot_be_put_out_of_service(cast):
    assignment = live_alarm(cast)
    with pytest.raises(ValidationError) as error:
        services.device_set_status(actor=actor(cast.admin_a), device_id=assignment.device_id,
                                   status=DeviceStatus.OUT_OF_SERVICE)
    assert "end the alarm first" in error.value.message_dict["status"][0]


def test_another_zone_cannot_touch_the_device(cast):
    from relais.accounts.models import Role
    from relais.conftest import make_user

    device = add_device(cast)
    admin_b = make_user("admin_b", cast.zone_b, Role.ADMINISTRATOR)
    with pytest.raises(Http404):
        services.device_set_status(actor=actor(admin_b), device_id=device.pk,
                                   status=DeviceStatus.OUT_OF_SERVICE)


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert services.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert services.add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)

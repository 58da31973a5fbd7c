"""Every write of the harassment alarm (COL 3/2023): the request and the prosecutor's decision,
the zone's devices and their assignment, review and return, and the activations.

Each service runs in one transaction, checks access through the policy, validates, and writes
its audit event; notices and e-mails leave after commit and name no person.
"""

from __future__ import annotations

import calendar
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relais.access import alarms as alarm_policy
from relais.access.agency import own_agency_object
from relais.access.cases import CaseAccess, case_access, owner_case_access
from relais.access.models import Share, ShareKind, active_share_q
from relais.access.scopes import Scope
from relais.accounts.models import Agency, AgencyKind, Role
from relais.alarms.models import (
    AlarmActivation,
    AlarmAssignment,
    AlarmDevice,
    AlarmRequest,
    Anomaly,
    DeviceStatus,
    RequestStatus,
)
from relais.alarms.rules import ANSWERS, YES, alarm_rules
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant, ParticipantRole
from relais.cases.timeline import timeline_add
from relais.core.actor import Actor
from relais.core.links import public_url
from relais.core.texts import text
from relais.notifications.mail import mail_queue
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send, staff_emails
from relais.risk.models import RiskAssessment

logger = logging.getLogger("relais.alarms")

ACTIVATION_BASIS = "harassment-alarm activation"
# Timeline entries of the alarm are about reaching and finding her: the contact scope, which a
# perpetrator programme never gets (relais.access.scopes.PERPETRATOR_PROGRAMME_WITHHELD).
ALARM_TIMELINE_SCOPE = Scope.CONTACT
CRITERION_FIELD = "criterion_{}"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the last day of the month when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _create_task(*, kind: str, origin_key: str, due_on: date, request: AlarmRequest,
                 actor: Actor, source: object) -> None:
    from relais.followup.rules import TaskSpec, at_local
    from relais.followup.services import policy_for, task_create_for

    zone = request.agency
    spec = TaskSpec(kind=kind, origin_key=origin_key,
                    due_at=at_local(due_on, policy_for(zone).day_ends_at),
                    person_id=request.victim_id, for_role=alarm_rules().task_role)
    task_create_for(actor=actor, spec=spec, case=request.case, agency=zone, source=source,
                    basis="harassment alarm")


# --- Request and decision -----------------------------------------------------------------

def latest_assessment(access: CaseAccess) -> RiskAssessment | None:
    """The case's newest full risk assessment the reader may see (a screening checklist at the
    counter is not the risk analysis an alarm needs)."""
    from relais.risk.instruments import instrument_get

    for assessment in RiskAssessment.objects.filter(case=access.case).order_by("-assessed_at",
                                                                               "-id"):
        if assessment.scope not in access.scopes:
            continue
        try:
            screening = instrument_get(assessment.instrument_code,
                                       assessment.instrument_version).screening
        except KeyError:
            continue
        if not screening:
            return assessment
    return None


def prosecutor_office_of(case_id: int) -> Agency | None:
    """The prosecutor's office the case was forwarded to (judicial forwarding share)."""
    share = (Share.objects.filter(active_share_q(), case_id=case_id,
                                  kind=ShareKind.JUDICIAL_FORWARDING,
                                  recipient_agency__kind=AgencyKind.PROSECUTOR)
             .select_related("recipient_agency").order_by("-granted_at").first())
    return share.recipient_agency if share else None


def _tell_office(actor: Actor, request: AlarmRequest) -> None:
    for role in (Role.MAGISTRATE, Role.LEGAL_ADVISOR):
        notice_send(actor=actor, agency=request.prosecutor_office, for_role=role,
                    case=request.case, kind=NoticeKind.ALARM_REQUESTED, source=request)


def criteria_errors(criteria: dict[str, str]) -> dict[str, list[str]]:
    rules = alarm_rules()
    errors: dict[str, list[str]] = {}
    for criterion in rules.criteria:
        answer = criteria.get(criterion.code, "")
        field = CRITERION_FIELD.format(criterion.code)
        if answer not in ANSWERS:
            errors[field] = [_("Answer yes, no or unknown.")]
        elif criterion.required and answer != YES:
            errors[field] = [_("The alarm cannot be requested unless this is answered yes.")]
    return errors


@transaction.atomic
def alarm_request_create(*, actor: Actor, case_id: int, criteria: dict[str, str],
                         motivation: str = "") -> AlarmRequest:
    """The police zone asks the prosecutor's office for a harassment alarm for the victim of
    the case, with the case's latest risk assessment attached."""
    access = owner_case_access(actor=actor, case_id=case_id)
    if not alarm_policy.may_request(actor):
        raise Http404
    case = access.case
    persons = dict(CaseParticipant.objects.filter(
        case=case, role__in=[ParticipantRole.VICTIM, ParticipantRole.ALLEGED_PERPETRATOR])
        .order_by("-id").values_list("role", "person_id"))
    victim_id = persons.get(ParticipantRole.VICTIM)
    errors = criteria_errors(criteria)
    if victim_id is None:
        errors["victim"] = [_("Record the victim on the case first.")]
    assessment = latest_assessment(access)
    if assessment is None:
        errors["assessment"] = [_(
            "This case has no risk assessment: an alarm is requested after a risk analysis. "
            "Assess the risk first (the police risk grid), then request the alarm.")]
    if AlarmRequest.objects.filter(case=case, status__in=[RequestStatus.REQUESTED,
                                                          RequestStatus.GRANTED]).exists():
        errors["__all__"] = [_("An alarm is already requested or granted on this case.")]
    if errors:
        raise ValidationError(errors)
    rules = alarm_rules()
    request = AlarmRequest(
        case=case, victim_id=victim_id,
        perpetrator_id=persons.get(ParticipantRole.ALLEGED_PERPETRATOR),
        agency=actor.agency, requested_by=actor.user, assessment=assessment,
        criteria_version=rules.version,
        criteria={c.code: criteria[c.code] for c in rules.criteria},
        motivation=motivation.strip(), prosecutor_office=prosecutor_office_of(case.pk))
    request.full_clean()
    request.save()
    timeline_add(case=case, kind="alarm_requested", agency_id=actor.agency_id,
                 scope=ALARM_TIMELINE_SCOPE, text=text("alarms.requested"),
                 source=request)
    audit_record(actor=actor, action=Action.CREATE, target=request, case_id=case.pk,
                 scopes=[Scope.JUDICIAL], basis=access.basis)
    if request.prosecutor_office is not None:
        _tell_office(actor, request)
    return request


def request_for_office(*, actor: Actor, report: object) -> None:
    """Hook ``report_forwarded``: a request made before the report reached the prosecutor's
    office now waits there."""
    waiting = (AlarmRequest.objects.select_for_update()
               .filter(case_id=report.case_id, status=RequestStatus.REQUESTED,
                       prosecutor_office__isnull=True).select_related("case"))
    for request in waiting:
        office = prosecutor_office_of(request.case_id)
        if office is None:
            return
        request.prosecutor_office = office
        request.save(update_fields=["prosecutor_office"])
        audit_record(actor=actor, action=Action.UPDATE, target=request,
                     case_id=request.case_id, basis="judicial forwarding")
        _tell_office(actor, request)


@transaction.atomic
def alarm_request_decide(*, actor: Actor, request_id: int, grant: bool | None,
                         reasons: str) -> AlarmRequest:
    """The prosecutor's office grants or refuses the alarm, always with its reasons."""
    request = (AlarmRequest.objects.select_for_update().select_related("case", "agency")
               .filter(pk=request_id).first())
    if request is None:
        raise Http404
    access = case_access(actor=actor, case_id=request.case_id)
    if not alarm_policy.may_decide(actor, request):
        raise Http404
    errors: dict[str, list[str]] = {}
    if request.status != RequestStatus.REQUESTED:
        raise ValidationError(_("This request is already decided."))
    if grant is None:
        errors["decision"] = [_("Grant or refuse the alarm.")]
    if not reasons.strip():
        errors["reasons"] = [_("Give the reasons for the decision: the zone and the victim "
                               "are told why.")]
    if errors:
        raise ValidationError(errors)
    request.status = RequestStatus.GRANTED if grant else RequestStatus.REFUSED
    request.decided_by = actor.user
    request.decided_at = timezone.now()
    request.decision_reasons = reasons.strip()
    request.full_clean()
    request.save()
    timeline_add(case=request.case, kind="alarm_decided", agency_id=actor.agency_id,
                 scope=ALARM_TIMELINE_SCOPE,
                 text=text("alarms.granted" if grant else "alarms.refused"), source=request)
    audit_record(actor=actor, action=Action.UPDATE, target=request, case_id=request.case_id,
                 scopes=[Scope.JUDICIAL], basis=access.basis)
    notice_send(actor=actor, agency=request.agency, for_role=Role.IPV_REFERENCE_OFFICER,
                case=request.case, kind=NoticeKind.ALARM_DECIDED, source=request)
    return request


# --- Devices, assignment, review, return -------------------------------------------------

def _zone_admin(actor: Actor) -> Agency:
    if not alarm_policy.may_keep_inventory(actor):
        raise Http404
    return actor.agency


@transaction.atomic
def device_add(*, actor: Actor, serial: str, model: str = "", note: str = "") -> AlarmDevice:
    """A new button in the zone's stock."""
    agency = _zone_admin(actor)
    serial = serial.strip()
    if AlarmDevice.objects.filter(serial=serial).exists():
        raise ValidationError({"serial": [_("This serial number is already registered.")]})
    device = AlarmDevice(agency=agency, serial=serial, model=model.strip(), note=note.strip())
    device.full_clean()
    device.save()
    audit_record(actor=actor, action=Action.CREATE, target=device, basis="alarm inventory")
    return device


def _zone_device(actor: Actor, device_id: int) -> AlarmDevice:
    return own_agency_object(AlarmDevice.objects.select_for_update(), actor=actor,
                             pk=device_id, allowed=True)


# Status changes made on the inventory screen (assignment and the end of an alarm have their
# own services, because they concern a person).
DEVICE_MOVES = {
    DeviceStatus.IN_STOCK: {DeviceStatus.OUT_OF_SERVICE},
    DeviceStatus.OUT_OF_SERVICE: {DeviceStatus.IN_STOCK},
    DeviceStatus.RETURNED: {DeviceStatus.IN_STOCK, DeviceStatus.OUT_OF_SERVICE},
    DeviceStatus.ASSIGNED: set(),
}


@transaction.atomic
def device_set_status(*, actor: Actor, device_id: int, status: str,
                      note: str = "") -> AlarmDevice:
    """Out of service, back in service, or a returned device checked back into stock."""
    _zone_admin(actor)
    device = _zone_device(actor, device_id)
    if status not in DEVICE_MOVES.get(device.status, set()):
        if device.status == DeviceStatus.ASSIGNED:
            message = _("This device is with a victim: end the alarm first.")
        else:
            message = _("A device %(now)s cannot be set to %(then)s.") % {
                "now": device.get_status_display().lower(),
                "then": str(DeviceStatus(status).label).lower()
                if status in DeviceStatus.values else status}
        raise ValidationError({"status": [message]})
    case_id = None
    if device.status == DeviceStatus.RETURNED:
        assignment = (AlarmAssignment.objects.select_for_update()
                      .filter(device=device, returned_at__isnull=True).first())
        if assignment is not None:
            assignment.returned_at = timezone.now()
            assignment.returned_by = actor.user
            assignment.save(update_fields=["returned_at", "returned_by"])
            case_id = assignment.case_id
    device.status = status
    if note.strip():
        device.note = note.strip()
    device.full_clean()
    device.save()
    audit_record(actor=actor, action=Action.UPDATE, target=device, case_id=case_id,
                 basis="alarm inventory")
    return device


def _managed_request(actor: Actor, request_id: int) -> tuple[AlarmRequest, CaseAccess]:
    request = (AlarmRequest.objects.select_for_update().select_related("case", "agency")
               .filter(pk=request_id).first())
    if request is None:
        raise Http404
    access = owner_case_access(actor=actor, case_id=request.case_id)
    if not alarm_policy.may_manage(access, request):
        raise Http404
    return request, access


@transaction.atomic
def alarm_assign(*, actor: Actor, request_id: int, device_id: int | None,
                 paired_on: date | None) -> AlarmAssignment:
    """Hand a device of the zone's stock to the victim of a granted request; the periodic
    review is planned (ALARM_REVIEW task)."""
    request, access = _managed_request(actor, request_id)
    if request.status != RequestStatus.GRANTED:
        raise ValidationError(_("Only a granted alarm gets a device."))
    if AlarmAssignment.objects.filter(request=request, returned_at__isnull=True).exists():
        raise ValidationError(_("A device is already assigned for this alarm."))
    errors: dict[str, list[str]] = {}
    device = None
    if device_id is not None:
        device = (AlarmDevice.objects.select_for_update()
                  .filter(pk=device_id, agency_id=actor.agency_id).first())
    if device is None:
        errors["device"] = [_("Choose a device of your zone.")]
    elif device.status != DeviceStatus.IN_STOCK:
        errors["device"] = [_("This device is not in stock.")]
    today = timezone.localdate()
    if paired_on is None:
        errors["paired_on"] = [_("Give the date the device was paired with her phone.")]
    elif paired_on > today:
        errors["paired_on"] = [_("The pairing date cannot be in the future.")]
    if errors:
        raise ValidationError(errors)
    rules = alarm_rules()
    assignment = AlarmAssignment(
        device=device, request=request, case=request.case, assigned_by=actor.user,
        paired_on=paired_on, review_due=add_months(paired_on, rules.review_every_months))
    assignment.full_clean()
    assignment.save()
    device.status = DeviceStatus.ASSIGNED
    device.save(update_fields=["status", "updated_at"])
    timeline_add(case=request.case, kind="alarm_assigned", agency_id=actor.agency_id,
                 scope=ALARM_TIMELINE_SCOPE, text=text("alarms.paired"),
                 source=assignment)
    audit_record(actor=actor, action=Action.CREATE, target=assignment,
                 case_id=request.case_id, scopes=[Scope.JUDICIAL], basis=access.basis)
    _create_task(kind="alarm_review", request=request, actor=actor, source=assignment,
                 origin_key=f"alarm-review:{assignment.pk}:{assignment.review_due.isoformat()}",
                 due_on=assignment.review_due)
    return assignment


@transaction.atomic
def alarm_review_record(*, actor: Actor, request_id: int) -> AlarmAssignment:
    """The periodic review was made and the alarm goes on: the next one is planned."""
    request, access = _managed_request(actor, request_id)
    assignment = (AlarmAssignment.objects.select_for_update()
                  .filter(request=request, returned_at__isnull=True).first())
    if request.status != RequestStatus.GRANTED or assignment is None:
        raise ValidationError(_("Only an alarm in use is reviewed."))
    assignment.reviewed_at = timezone.now()
    assignment.review_due = add_months(timezone.localdate(), alarm_rules().review_every_months)
    assignment.save(update_fields=["reviewed_at", "review_due"])
    audit_record(actor=actor, action=Action.UPDATE, target=assignment,
                 case_id=request.case_id, scopes=[Scope.JUDICIAL], basis=access.basis)
    _create_task(kind="alarm_review", request=request, actor=actor, source=assignment,
                 origin_key=f"alarm-review:{assignment.pk}:{assignment.review_due.isoformat()}",
                 due_on=assignment.review_due)
    return assignment


@transaction.atomic
def alarm_end(*, actor: Actor, request_id: int, reason: str) -> AlarmRequest:
    """The alarm ends (review, the victim's wish, the prosecutor's decision...): the device
    is to be collected (ALARM_RETURN task) and checked back into stock."""
    request, access = _managed_request(actor, request_id)
    if request.status != RequestStatus.GRANTED:
        raise ValidationError(_("Only a granted alarm can end."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the alarm ends.")]})
    request.status = RequestStatus.ENDED
    request.ended_at = timezone.now()
    request.end_reason = reason.strip()
    request.full_clean()
    request.save()
    assignment = (AlarmAssignment.objects.select_for_update().select_related("device")
                  .filter(request=request, returned_at__isnull=True).first())
    if assignment is not None:
        assignment.device.status = DeviceStatus.RETURNED
        assignment.device.save(update_fields=["status", "updated_at"])
        _create_task(kind="alarm_return", request=request, actor=actor, source=assignment,
                     origin_key=f"alarm-return:{assignment.pk}",
                     due_on=timezone.localdate() + timedelta(
                         days=alarm_rules().return_within_days))
    timeline_add(case=request.case, kind="alarm_ended", agency_id=actor.agency_id,
                 scope=ALARM_TIMELINE_SCOPE, text=text("alarms.ended"), source=request)
    audit_record(actor=actor, action=Action.UPDATE, target=request, case_id=request.case_id,
                 scopes=[Scope.JUDICIAL], basis=access.basis)
    return request


# --- Activations ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Received:
    activation: AlarmActivation
    created: bool  # False: the same press was already received (idempotent replay)


def _anomaly_for(actor: Actor, device: AlarmDevice | None) -> str:
    if device is None:
        return Anomaly.UNKNOWN_DEVICE
    if device.agency_id != actor.agency_id:
        return Anomaly.OTHER_ZONE
    return {DeviceStatus.RETURNED: Anomaly.RETURNED_DEVICE,
            DeviceStatus.IN_STOCK: Anomaly.NOT_ASSIGNED,
            DeviceStatus.OUT_OF_SERVICE: Anomaly.OUT_OF_SERVICE}.get(device.status, "")


def _alert_anomaly(activation: AlarmActivation, zones: list[Agency]) -> None:
    """Never silently dropped: logged (no personal data) and e-mailed to the dispatchers and
    the IPV reference officer of the zones concerned (queued with the activation)."""
    logger.warning("harassment-alarm activation %s: anomaly %s (zone %s, received from %s)",
                   activation.pk, activation.anomaly, activation.agency.code,
                   activation.received_from.code)
    url = public_url(reverse("alarms:board"))
    for zone in zones:
        recipients = sorted({*staff_emails(agency_id=zone.pk, role=Role.DISPATCHER),
                             *staff_emails(agency_id=zone.pk, role=Role.IPV_REFERENCE_OFFICER)})
        if not recipients:
            continue

        with translation.override(zone.languages[0] if zone.languages else "fr"):
            label = str(Anomaly(activation.anomaly).label)
            subject = _("Relais: harassment-alarm anomaly (%(what)s)") % {"what": label}
            message = _("A harassment-alarm activation (no. %(id)s) arrived with an "
                        "anomaly: %(what)s. Check it on the dispatch board: %(url)s") % {
                "id": activation.pk, "what": label, "url": url}
        mail_queue(subject=subject, message=message, recipients=recipients)


def activation_receive(*, actor: Actor, serial: str, occurred_at: datetime,
                       latitude: Decimal | None = None, longitude: Decimal | None = None,
                       accuracy_m: int | None = None, idempotency_key: str = "") -> Received:
    """A press of an alarm button, from the zone's dispatch service account. Always stored:
    an unknown, returned or foreign device is kept with its anomaly and alerted."""
    if not alarm_policy.may_receive_activations(actor):
        raise Http404
    zone = actor.agency
    key = idempotency_key.strip()[:100]
    prior = _prior(zone, key, serial, occurred_at)
    if prior is not None:
        return Received(prior, False)
    device = AlarmDevice.objects.select_related("agency").filter(serial=serial).first()
    assignment = None
    if device is not None:
        assignment = (AlarmAssignment.objects.select_related("case", "request")
                      .filter(device=device, returned_at__isnull=True).first())
    anomaly = _anomaly_for(actor, device)
    activation = AlarmActivation(
        serial=serial, device=device, assignment=assignment,
        case=assignment.case if assignment else None,
        agency=device.agency if device else zone, received_from=zone, received_by=actor.user,
        occurred_at=occurred_at, latitude=latitude, longitude=longitude, accuracy_m=accuracy_m,
        anomaly=anomaly, idempotency_key=key)
    try:
        with transaction.atomic():
            activation.save(force_insert=True)
            _after_receive(actor, activation, device, assignment)
    except IntegrityError:
        prior = _prior(zone, key, serial, occurred_at)
        if prior is None:
            raise
        return Received(prior, False)
    return Received(activation, True)


def _prior(zone: Agency, key: str, serial: str, occurred_at: datetime) -> AlarmActivation | None:
    found = AlarmActivation.objects.filter(serial=serial, occurred_at=occurred_at)
    if key:
        found = AlarmActivation.objects.filter(received_from=zone, idempotency_key=key)
    return found.first()


def _after_receive(actor: Actor, activation: AlarmActivation, device: AlarmDevice | None,
                   assignment: AlarmAssignment | None) -> None:
    case = activation.case
    audit_record(actor=actor, action=Action.CREATE, target=activation,
                 case_id=case.pk if case else None, basis=ACTIVATION_BASIS)
    in_use = (assignment is not None and device is not None
              and device.status == DeviceStatus.ASSIGNED)
    if in_use:
        timeline_add(case=case, kind="alarm_activated", agency_id=device.agency_id,
                     occurred_at=activation.occurred_at, scope=ALARM_TIMELINE_SCOPE,
                     text=text("alarms.pressed"), source=activation)
        notice_send(actor=actor, agency=device.agency, for_role=Role.DISPATCHER, case=case,
                    kind=NoticeKind.ALARM_ACTIVATED, source=activation)
    if activation.anomaly:
        zones = [activation.agency]
        if activation.received_from_id != activation.agency_id:
            zones.append(activation.received_from)
        _alert_anomaly(activation, zones)


@transaction.atomic
def activation_handle(*, actor: Actor, activation_id: int) -> AlarmActivation:
    """A dispatcher marks the activation handled (it leaves the top of the board)."""
    activation = (AlarmActivation.objects.select_for_update()
                  .filter(pk=activation_id).first())
    if not alarm_policy.may_handle(actor, activation):
        raise Http404
    if activation.handled_at is None:
        activation.handled_at = timezone.now()
        activation.handled_by = actor.user
        activation.save(update_fields=["handled_at", "handled_by"])
        audit_record(actor=actor, action=Action.UPDATE, target=activation,
                     case_id=activation.case_id, basis=ACTIVATION_BASIS + " handled")
    return activation

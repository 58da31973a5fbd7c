"""Reads of the harassment alarm, within the access policy: the dispatcher's one-screen summary
of an activation, the dispatch board, the zone's inventory and the requests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.conf import settings
from django.db.models import Case as When_
from django.db.models import IntegerField, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.access import alarms as alarm_policy
from relais.access.agency import own_agency_object
from relais.access.alarms import (
    ALARM_SUMMARY_SCOPES,
    AlarmSummaryAccess,
    alarm_summary_access,
    is_dispatcher,
    may_keep_inventory,
)
from relais.access.cases import CaseAccess, case_access
from relais.access.scopes import Scope
from relais.alarms.models import (
    AlarmActivation,
    AlarmAssignment,
    AlarmDevice,
    AlarmRequest,
    DeviceStatus,
    RequestStatus,
)
from relais.alarms.rules import YES, alarm_rules
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.measures import MeasureLine, measures_in_force
from relais.cases.models import (
    CaseParticipant,
    ParticipantRole,
    PhoneNumber,
    TimelineEntry,
)
from relais.cases.timeline import kind_label
from relais.core.actor import Actor
from relais.intake.models import Report
from relais.risk.instruments import instrument_get
from relais.risk.models import RiskAssessment
from relais.risk.selectors import CaseRisk, assessment_lines

BOARD_SIZE = 50
LAST_EVENTS = 5
# Events the dispatcher must see however many others came after: he came back to the home.
# The newest few of these kinds are always among the "last events".
ALWAYS_SHOWN_EVENTS = ("ban_breached",)
ALWAYS_SHOWN_COUNT = 3


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month,
                                                                  birth_date.day))


# --- The dispatcher's one-screen summary --------------------------------------------------

@dataclass(frozen=True)
class PersonLine:
    person_id: int
    name: str
    role: str
    age: int | None = None
    phones: tuple[str, ...] = ()


@dataclass(frozen=True)
class SafeContact:
    channel: str
    hours: str
    can_speak_freely: str
    never: tuple[str, ...]
    notes: str


@dataclass(frozen=True)
class EventLine:
    occurred_at: datetime
    kind: str
    label: str
    summary: str


@dataclass(frozen=True)
class ActivationSummary:
    """What the dispatcher sees when a victim presses her alarm: one screen, nothing more."""

    activation: AlarmActivation
    access: AlarmSummaryAccess
    level_code: str
    level_label: str
    level_rank: int  # 0 = the lowest level of its instrument
    assessed_at: datetime | None
    instrument_title: str
    critical_signals: list[str]
    measures: list[MeasureLine]
    victim: PersonLine | None
    safe_contact: SafeContact | None
    perpetrator: PersonLine | None
    children: list[PersonLine]
    weapons: list[str]
    events: list[EventLine]
    alarm_ended: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def case(self):
        return self.access.case

    @property
    def map_url(self) -> str:
        a = self.activation
        if a.latitude is None or a.longitude is None:
            return ""
        return settings.RELAIS_ALARM_MAP_URL.format(lat=a.latitude, lon=a.longitude)

    @property
    def map_points(self) -> list[dict]:
        """The location on Relais's own map, when no outside map site is set (the default)."""
        a = self.activation
        if self.map_url or a.latitude is None or a.longitude is None:
            return []
        return [{"lat": float(a.latitude), "lng": float(a.longitude),
                 "name": _("Where the alarm was pressed")}]


def _activation(activation_id: int) -> AlarmActivation | None:
    # Only what the summary reads: the access rule uses the zones' ids, not the zones; neither
    # the summary nor its page shows the device (each join costs planning: bench/README.md).
    return (AlarmActivation.objects.select_related("case", "assignment__request")
            .filter(pk=activation_id).first())


def _persons(access: CaseAccess, today: date) -> tuple[PersonLine | None, SafeContact | None,
                                                       PersonLine | None, list[PersonLine]]:
    wanted = [ParticipantRole.VICTIM, ParticipantRole.ALLEGED_PERPETRATOR, ParticipantRole.CHILD]
    phones = Prefetch("person__phones", queryset=PhoneNumber.objects.order_by("-safe", "id"))
    participants = (CaseParticipant.objects.filter(case=access.case, role__in=wanted)
                    .select_related("person", "person__safe_contact")
                    .prefetch_related(phones).order_by("id"))
    victim = safe = perpetrator = None
    children: list[PersonLine] = []
    for participant in participants:
        person = participant.person
        role = participant.role
        contact = Scope.CONTACT in access.person_scopes(role, person.pk)
        line = PersonLine(
            person_id=person.pk, name=str(person), role=role,
            age=age_on(person.birth_date, today),
            phones=tuple(p.formatted for p in person.phones.all()) if contact else ())
        if role == ParticipantRole.VICTIM and victim is None:
            victim = line
            instructions = getattr(person, "safe_contact", None)
            if contact and instructions is not None:
                safe = SafeContact(
                    channel=instructions.get_channel_display(), hours=instructions.hours,
                    can_speak_freely=instructions.get_can_speak_freely_display(),
                    never=tuple(instructions.never_labels()), notes=instructions.notes)
        elif role == ParticipantRole.ALLEGED_PERPETRATOR and perpetrator is None:
            perpetrator = line
        elif role == ParticipantRole.CHILD:
            children.append(PersonLine(person_id=person.pk, name=str(person), role=role,
                                       age=line.age))
    return victim, safe, perpetrator, children


def _risk(access: CaseAccess, language: str) -> tuple[RiskAssessment | None, CaseRisk]:
    assessments = [a for a in RiskAssessment.objects.filter(case=access.case)
                   .order_by("-assessed_at", "-id") if a.scope in access.scopes]
    risk = CaseRisk(points=assessment_lines(assessments, language))
    return (risk.latest.assessment if risk.latest else None), risk


def _weapons(access: CaseAccess, assessment: RiskAssessment | None, language: str) -> list[str]:
    lines: list[str] = []
    if Scope.JUDICIAL in access.scopes:
        lines += [text for text in Report.objects.filter(case=access.case)
                  .exclude(risk_weapons="").order_by("-created_at", "-id")
                  .values_list("risk_weapons", flat=True)[:5]]
    if assessment is not None:
        instrument = instrument_get(assessment.instrument_code, assessment.instrument_version)
        lines += [_("Risk assessment, answered yes: %(question)s")
                  % {"question": item.question_in(language)} for item in instrument.items
                  if "weapon" in item.code and assessment.answers.get(item.code) == YES]
    return lines


def _last_events(access: CaseAccess) -> list[EventLine]:
    """The newest entries of the case's timeline the reader sees, with the newest breaches of
    a residence ban always among them (two queries)."""
    visible = TimelineEntry.objects.filter(case=access.case, scope__in=access.timeline_scopes)
    newest = list(visible.order_by("-occurred_at", "-id")[:LAST_EVENTS])
    pinned = list(visible.filter(kind__in=ALWAYS_SHOWN_EVENTS)
                  .order_by("-occurred_at", "-id")[:ALWAYS_SHOWN_COUNT])
    entries = {entry.pk: entry for entry in [*newest, *pinned]}.values()
    return [EventLine(occurred_at=e.occurred_at, kind=e.kind, label=kind_label(e.kind),
                      summary=e.summary_text)
            for e in sorted(entries, key=lambda e: (e.occurred_at, e.pk), reverse=True)]


def activation_summary(*, actor: Actor, activation_id: int) -> ActivationSummary:
    """The one-screen summary of an activation for a dispatcher of the zone (else 404);
    each read is audited. A fixed number of queries, whatever the size of the database."""
    return received_summary(actor=actor, activation=_activation(activation_id))


def received_summary(*, actor: Actor, activation: AlarmActivation | None) -> ActivationSummary:
    """The same summary of an activation already read with its case, assignment and request
    (the one just received: the activation API answers it with the press)."""
    access = alarm_summary_access(actor=actor, activation=activation)
    language = get_language()
    today = timezone.localdate()
    victim, safe, perpetrator, children = _persons(access, today)
    assessment, risk = _risk(access, language)
    point = risk.latest
    critical: list[str] = []
    if assessment is not None:
        instrument = instrument_get(assessment.instrument_code, assessment.instrument_version)
        codes = {item.code for item in instrument.items}
        critical = [instrument.item(code).question_in(language)
                    for code in assessment.critical_signals if code in codes]
    events = _last_events(access)
    request = activation.assignment.request if activation.assignment else None
    summary = ActivationSummary(
        activation=activation, access=access,
        level_code=assessment.level_in_force if assessment else "",
        level_label=point.level_label if point else "",
        level_rank=point.rank if point else 0,
        assessed_at=assessment.assessed_at if assessment else None,
        instrument_title=point.instrument_title if point else "",
        critical_signals=critical, measures=measures_in_force(access),
        victim=victim, safe_contact=safe, perpetrator=perpetrator, children=children,
        weapons=_weapons(access, assessment, language), events=events,
        alarm_ended=request is not None and request.status != RequestStatus.GRANTED)
    audit_record(actor=actor, action=Action.READ, target=activation, case_id=access.case.pk,
                 scopes=sorted(ALARM_SUMMARY_SCOPES), basis=access.basis)
    return summary


def summary_data(summary: ActivationSummary) -> dict:
    """The summary as JSON-ready data (the API answers the same selector as the screen)."""
    a = summary.activation

    def person(line: PersonLine | None) -> dict | None:
        if line is None:
            return None
        return {"id": line.person_id, "name": line.name, "age": line.age,
                "phones": list(line.phones)}

    return {
        "activation": {
            # In UTC as read back from the database, also in the answer to the press itself.
            "id": a.pk, "device": a.serial, "pressed_at": a.occurred_at.astimezone(UTC),
            "received_at": a.received_at, "anomaly": a.anomaly or None,
            "handled": a.handled_at is not None,
            "location": None if a.latitude is None else {
                "latitude": a.latitude, "longitude": a.longitude, "accuracy_m": a.accuracy_m,
                "map_url": summary.map_url},
        },
        "case": {"id": summary.case.pk, "reference": summary.case.reference},
        "alarm_ended": summary.alarm_ended,
        "risk": {"level": summary.level_code or None, "label": summary.level_label or None,
                 "instrument": summary.instrument_title or None,
                 "assessed_at": summary.assessed_at,
                 "critical_signals": summary.critical_signals},
        "measures": [{"kind": m.kind, "label": m.label, "since": m.since, "until": m.until,
                      "detail": m.detail} for m in summary.measures],
        "victim": person(summary.victim),
        "safe_contact": None if summary.safe_contact is None else {
            "channel": summary.safe_contact.channel, "hours": summary.safe_contact.hours,
            "can_speak_freely": summary.safe_contact.can_speak_freely,
            "never": list(summary.safe_contact.never), "notes": summary.safe_contact.notes},
        "perpetrator": person(summary.perpetrator),
        "children": [{"name": c.name, "age": c.age} for c in summary.children],
        "weapons": summary.weapons,
        "events": [{"occurred_at": e.occurred_at, "kind": e.kind, "label": e.label,
                    "summary": e.summary} for e in summary.events],
        "basis": summary.access.basis,
    }


# --- The dispatch board ---------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    activation: AlarmActivation
    summary_open: bool  # the dispatcher may open its summary (the device's zone, a case)

    @property
    def alert(self) -> bool:
        return bool(self.activation.anomaly) and self.activation.handled_at is None


def activation_board(*, actor: Actor) -> list[BoardRow]:
    """The zone's activations, newest first, unhandled anomalies on top. No personal data:
    the serial, the time, the case reference; the summary is one click away (and audited)."""
    if not is_dispatcher(actor):
        raise Http404
    rank = When_(When(~Q(anomaly="") & Q(handled_at__isnull=True), then=0),
                 When(handled_at__isnull=True, then=1), default=2,
                 output_field=IntegerField())
    rows = (alarm_policy.board_scope(actor).select_related("case", "handled_by")
            .annotate(rank=rank).order_by("rank", "-received_at", "-id")[:BOARD_SIZE])
    out = []
    for activation in rows:
        try:
            alarm_summary_access(actor=actor, activation=activation)
            summary_open = True
        except Http404:
            summary_open = False
        out.append(BoardRow(activation=activation, summary_open=summary_open))
    return out


def unhandled_count(*, actor: Actor) -> int:
    if not is_dispatcher(actor):
        return 0
    return alarm_policy.board_scope(actor).filter(handled_at__isnull=True).count()


# --- Inventory --------------------------------------------------------------------------------

@dataclass(frozen=True)
class DeviceRow:
    device: AlarmDevice
    assignment: AlarmAssignment | None
    show_case: bool  # the reader may see which case it is with (never the administrator)

    @property
    def review_overdue(self) -> bool:
        return (self.assignment is not None and self.assignment.review_due is not None
                and self.assignment.review_due < timezone.localdate())


def device_list(*, actor: Actor) -> list[DeviceRow]:
    """The zone's devices. Whom a device is with is not shown here: the reference officer
    follows the case reference to the request; the administrator sees none of it."""
    if not may_keep_inventory(actor):
        raise Http404
    active = Prefetch("assignments", queryset=AlarmAssignment.objects.filter(
        returned_at__isnull=True).select_related("case"), to_attr="active")
    show_case = alarm_policy.shows_device_case(actor)
    rows = []
    for device in AlarmDevice.objects.filter(agency_id=actor.agency_id).prefetch_related(active):
        rows.append(DeviceRow(device=device, assignment=device.active[0] if device.active
                              else None, show_case=show_case))
    return rows


def device_get(*, actor: Actor, device_id: int) -> AlarmDevice:
    return own_agency_object(AlarmDevice.objects.all(), actor=actor, pk=device_id,
                             allowed=may_keep_inventory(actor))


def devices_in_stock(*, actor: Actor) -> QuerySet[AlarmDevice]:
    return AlarmDevice.objects.filter(agency_id=actor.agency_id, status=DeviceStatus.IN_STOCK)


# --- Requests -------------------------------------------------------------------------------

def request_list(*, actor: Actor, limit: int = 200) -> list[AlarmRequest]:
    """The zone's requests, or those waiting at (or decided by) the prosecutor's office, on the
    cases the reader sees; the requests to decide first."""
    qs = alarm_policy.request_scope(actor)
    waiting = When_(When(status=RequestStatus.REQUESTED, then=0), default=1,
                    output_field=IntegerField())
    return list(qs.select_related("case", "agency", "prosecutor_office", "requested_by")
                .annotate(waiting=waiting).order_by("waiting", "-requested_at")[:limit])


def waiting_count(*, actor: Actor) -> int:
    """Requests waiting for this prosecutor's office's decision."""
    if not alarm_policy.is_decider(actor):
        return 0
    return AlarmRequest.objects.filter(prosecutor_office_id=actor.agency_id,
                                       status=RequestStatus.REQUESTED).count()


@dataclass(frozen=True)
class CriterionLine:
    code: str
    question: str
    answer: str
    required: bool


@dataclass(frozen=True)
class RequestView:
    request: AlarmRequest
    access: CaseAccess
    criteria: list[CriterionLine]
    assessment_label: str
    assessment_title: str
    critical_signals: list[str]
    assignment: AlarmAssignment | None
    history: list[AlarmAssignment]
    referrals: list  # ReferralRow of the victim and the perpetrator (relais.referrals)

    @property
    def can_decide(self) -> bool:
        return (self.request.status == RequestStatus.REQUESTED
                and alarm_policy.may_decide(self.access.actor, self.request))

    @property
    def can_manage(self) -> bool:
        return alarm_policy.may_manage(self.access, self.request)

    @property
    def can_refer(self) -> bool:
        return alarm_policy.may_refer(self.access)

    def referrals_of(self, person_id: int | None) -> list:
        return [row for row in self.referrals if row.referral.person_id == person_id]

    @property
    def victim_referrals(self) -> list:
        return self.referrals_of(self.request.victim_id)

    @property
    def perpetrator_referrals(self) -> list:
        return self.referrals_of(self.request.perpetrator_id)


def criterion_lines(request: AlarmRequest, language: str) -> list[CriterionLine]:
    rules = alarm_rules()
    lines = []
    for code, answer in request.criteria.items():
        criterion = rules.criterion(code)
        lines.append(CriterionLine(
            code=code, question=criterion.question_in(language) if criterion else code,
            answer=answer, required=bool(criterion and criterion.required)))
    return lines


def request_get(*, actor: Actor, request_id: int) -> RequestView:
    """One request, for the zone that made it and the prosecutor's office (else 404); audited."""
    from relais.referrals.selectors import case_referrals

    request = (AlarmRequest.objects
               .select_related("case", "agency", "prosecutor_office", "requested_by",
                               "decided_by", "victim", "perpetrator", "assessment")
               .filter(pk=request_id).first())
    if request is None:
        raise Http404
    access = case_access(actor=actor, case_id=request.case_id)
    if not alarm_policy.may_open_request(access, request):
        raise Http404
    language = get_language()
    assessment = request.assessment
    instrument = instrument_get(assessment.instrument_code, assessment.instrument_version)
    assignments = list(AlarmAssignment.objects.filter(request=request)
                       .select_related("device", "assigned_by").order_by("-assigned_at"))
    active = next((a for a in assignments if a.returned_at is None), None)
    referrals = [row for row in case_referrals(access=access)
                 if row.referral.person_id in (request.victim_id, request.perpetrator_id)]
    audit_record(actor=actor, action=Action.READ, target=request, case_id=request.case_id,
                 scopes=[Scope.JUDICIAL], basis=access.basis)
    return RequestView(
        request=request, access=access, criteria=criterion_lines(request, language),
        assessment_label=instrument.level(assessment.level_in_force).label_in(language),
        assessment_title=instrument.title_in(language),
        critical_signals=[instrument.item(c).question_in(language)
                          for c in assessment.critical_signals],
        assignment=active, history=assignments, referrals=referrals)


def case_requests(access: CaseAccess) -> list[AlarmRequest] | None:
    """The case page's panel: the alarm requests, for the zone and the prosecutor's office
    (part of the case read, which the case page audits)."""
    if not alarm_policy.sees_case_requests(access):
        return None
    return list(AlarmRequest.objects.filter(case=access.case)
                .select_related("prosecutor_office").prefetch_related(
                    Prefetch("assignments", queryset=AlarmAssignment.objects.filter(
                        returned_at__isnull=True).select_related("device"), to_attr="active"))
                .order_by("-requested_at"))


def alarm_measures(access: CaseAccess) -> list[MeasureLine]:
    """Provider of ``relais.cases.measures``: the harassment alarm in use on the case. Not for
    perpetrator programmes (the perpetrator must not learn she carries one)."""
    if Scope.CONTACT not in access.timeline_scopes:  # withheld from perpetrator programmes
        return []
    lines = []
    for assignment in (AlarmAssignment.objects.filter(case=access.case,
                                                      returned_at__isnull=True,
                                                      request__status=RequestStatus.GRANTED)
                       .select_related("device")):
        paired = datetime.combine(assignment.paired_on, datetime.min.time(),
                                  tzinfo=timezone.get_current_timezone())
        lines.append(MeasureLine(
            kind="harassment_alarm",
            label=_("Harassment alarm (COL 3/2023), device %(serial)s") % {
                "serial": assignment.device.serial},
            since=paired,
            detail=_("Next review on %(day)s") % {
                "day": assignment.review_due.strftime("%d/%m/%Y")}))
    return lines

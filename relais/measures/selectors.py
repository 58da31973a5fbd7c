"""Reading the protective measures: one ban, one detention, the choices of the order form,
the case-page panel, the measures in force (for ``relais.cases.measures``) and the list of the
menu entry.

Measures are read by the police zones, prosecutor's offices and houses of justice that see the
case with its judicial scope; everything else answers 404. Every read of personal data is
audited here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.access import measures as measure_policy
from relais.access.cases import CaseAccess, visible_cases
from relais.access.history import ban_history_access, detention_history_access
from relais.access.measures import may_detain, may_order, measures_access, sees_measures
from relais.access.models import Share, active_share_q
from relais.access.risk import readable_scopes
from relais.access.scopes import Scope
from relais.accounts.models import municipality_name
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.measures import MeasureLine
from relais.cases.models import Address, CaseParticipant, ParticipantRole, Person
from relais.core.actor import Actor
from relais.core.history import HistoryPage, history_read
from relais.followup.models import Task
from relais.measures.models import (
    ACTIVE_STATUSES,
    BanStatus,
    Detention,
    DetentionStatus,
    ReleaseCondition,
    ResidenceBan,
)
from relais.measures.rules import ban_rules
from relais.measures.services import (
    PROTECTED_ROLES,
    bans_binding,
    binds_home,
    overlap_message,
    zone_is_discreet,
)
from relais.risk.models import RiskAssessment
from relais.risk.selectors import TrendPoint, assessment_lines

ENDED_SHOWN_DAYS = 7  # the list keeps an ended ban this long
RELEASED_SHOWN_DAYS = 30  # and a release this long
LIST_LIMIT = 200
PERPETRATOR_ACCOMMODATION_NEED = "perpetrator_accommodation"  # relais/directory/data/needs.yaml


def accommodation_search_url(municipality: str) -> str:
    """The directory search for perpetrator accommodation around the case's municipality (a
    place only: no person, no case in the URL)."""
    query = {"need": PERPETRATOR_ACCOMMODATION_NEED}
    name = municipality_name(municipality, (get_language() or "fr")[:2]) if municipality else ""
    if name and name != municipality:
        query["where"] = name
    return f"{reverse('directory:search')}?{urlencode(query)}"


# --- The order form -----------------------------------------------------------------------------

@dataclass(frozen=True)
class AddressChoice:
    address: Address
    person: Person
    role: str

    @property
    def label(self) -> str:
        current = "" if self.address.current else " — " + _("former address")
        return (f"{self.address.street}, {self.address.postcode} "
                f"{self.address.municipality_label} ({self.person}){current}")


@dataclass
class OrderChoices:
    access: CaseAccess
    perpetrators: list[Person]
    protected: list[tuple[Person, str]]
    addresses: list[AddressChoice]
    confidential_withheld: bool
    default_protected: list[int] = field(default_factory=list)
    default_addresses: list[int] = field(default_factory=list)
    # Conditions a risk assessment in the file supports: condition code -> the assessment.
    supported_conditions: dict[str, TrendPoint] = field(default_factory=dict)
    # Bans that already bind his perpetrator(s), with what the office is told of each.
    bans_binding: list[tuple[ResidenceBan, str]] = field(default_factory=list)


def supporting_assessments(access: CaseAccess) -> dict[str, TrendPoint]:
    """For each legal condition that a risk instrument supports (``supported_by`` in the rules
    file), the newest such assessment of the case that the reader may see."""
    rules = ban_rules()
    wanted = {code for c in rules.conditions for code in c.supported_by}
    if not wanted:
        return {}
    scopes = readable_scopes(access)
    newest: dict[str, RiskAssessment] = {}
    for assessment in (RiskAssessment.objects.filter(case=access.case, instrument_code__in=wanted)
                       .order_by("-assessed_at", "-id")):
        if assessment.scope in scopes(assessment.person_id):
            newest.setdefault(assessment.instrument_code, assessment)
    points = {point.assessment.instrument_code: point
              for point in assessment_lines(list(newest.values()), get_language())}
    found: dict[str, TrendPoint] = {}
    for condition in rules.conditions:
        candidates = [points[code] for code in condition.supported_by if code in points]
        if candidates:
            found[condition.code] = max(candidates, key=lambda p: p.assessment.assessed_at)
    return found


def order_choices(*, actor: Actor, case_id: int) -> OrderChoices:
    """What the office chooses from: the alleged perpetrator(s), the persons to protect, and
    the case's addresses that are not confidential. Audited (the addresses are read)."""
    access = measures_access(actor=actor, case_id=case_id)
    participants = list(CaseParticipant.objects.filter(case=access.case)
                        .select_related("person").order_by("pk"))
    roles = {p.person_id: p.role for p in participants}
    perpetrators = [p.person for p in participants
                    if p.role == ParticipantRole.ALLEGED_PERPETRATOR]
    protected = [(p.person, p.get_role_display()) for p in participants
                 if p.role in PROTECTED_ROLES]
    people = {p.person_id: p.person for p in participants}
    addresses, withheld = [], False
    for address in Address.objects.filter(person_id__in=list(people)).order_by("-current", "pk"):
        if address.confidential:
            withheld = True
            continue
        if access.address_visible(address, roles[address.person_id]):
            addresses.append(AddressChoice(address=address, person=people[address.person_id],
                                           role=roles[address.person_id]))
    victims = [p.person_id for p in participants if p.role == ParticipantRole.VICTIM]
    homes = [choice.address for choice in addresses]
    binding = [ban for ban in bans_binding(actor=actor,
                                           perpetrator_ids=[p.pk for p in perpetrators])
               if binds_home(ban, homes)]
    audit_record(actor=actor, action=Action.READ, case_id=access.case.pk,
                 scopes=[Scope.JUDICIAL, Scope.CONTACT],
                 basis=f"{access.basis}; residence-ban order form")
    return OrderChoices(
        access=access, perpetrators=perpetrators, protected=protected, addresses=addresses,
        confidential_withheld=withheld,
        default_protected=[person.pk for person, _role in protected
                           if roles[person.pk] in (ParticipantRole.VICTIM, ParticipantRole.CHILD)],
        default_addresses=[c.address.pk for c in addresses
                           if c.person.pk in victims and c.address.current][:1],
        supported_conditions=supporting_assessments(access),
        bans_binding=[(ban, overlap_message(ban)) for ban in binding])


def detention_choices(*, actor: Actor, case_id: int) -> tuple[CaseAccess, list[Person]]:
    access = measures_access(actor=actor, case_id=case_id)
    people = [p.person for p in CaseParticipant.objects.filter(
        case=access.case, role=ParticipantRole.ALLEGED_PERPETRATOR).select_related("person")]
    return access, people


# --- One ban, one detention -----------------------------------------------------------------

@dataclass(frozen=True)
class ConditionLine:
    label: str
    checked: bool  # as the office checked it in the order
    required: bool
    in_file: TrendPoint | None = None  # the risk assessment in the file that supports it


@dataclass
class BanView:
    ban: ResidenceBan
    access: CaseAccess
    status: str
    protected: list[Person]
    addresses: list
    extensions: list
    breaches: list
    tasks: list[Task]
    may_serve: bool
    may_change: bool
    may_breach: bool
    may_note_stay: bool
    directory_url: str
    latest_extended_end: datetime | None = None
    conditions: list[ConditionLine] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return str(BanStatus(self.status).label)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE_STATUSES


def _ban_queryset():
    return ResidenceBan.objects.select_related(
        "case", "perpetrator", "ordered_by_agency", "ordered_by", "serving_agency",
        "monitor_agency", "served_by", "lifted_by")


def _visible_ban(actor: Actor, ban_id: int) -> tuple[ResidenceBan, CaseAccess]:
    ban = _ban_queryset().filter(pk=ban_id, case__in=visible_cases(actor)).first()
    if ban is None:
        raise Http404
    return ban, measures_access(actor=actor, case_id=ban.case_id)


def _measure_tasks(source) -> list[Task]:
    return list(Task.objects.filter(source_type=source._meta.label_lower,
                                    source_id=str(source.pk))
                .select_related("agency", "assignee").order_by("due_at", "pk"))


def ban_get(*, actor: Actor, ban_id: int) -> BanView:
    """One ban with its homes, persons, extensions, breaches and the tasks it made. Audited."""
    ban, access = _visible_ban(actor, ban_id)
    now = timezone.now()
    status = ban.status_at(now)
    active = status in ACTIVE_STATUSES
    office = measure_policy.may_change_ban(actor, ban)
    rules = ban_rules()
    language = (get_language() or "en")[:2]
    supported = supporting_assessments(access)
    conditions = [ConditionLine(
        label=rules.condition(code).label_in(language) if code in
        {c.code for c in rules.conditions} else code, checked=checked,
        required=code in rules.required_codes, in_file=supported.get(code))
        for code, checked in ban.conditions.items()]
    view = BanView(
        ban=ban, access=access, status=status,
        protected=list(ban.protected_persons.order_by("pk")),
        addresses=list(ban.addresses.order_by("pk")),
        extensions=list(ban.extensions.select_related("recorded_by")),
        breaches=list(ban.breaches.select_related("recorded_by", "recorded_by_agency")),
        tasks=_measure_tasks(ban),
        may_serve=measure_policy.may_serve(actor) and status == BanStatus.ORDERED,
        may_change=office and active,
        may_breach=measure_policy.may_record_breach(actor, ban),
        may_note_stay=measure_policy.may_note_stay(actor) and active,
        directory_url=accommodation_search_url(ban.case.municipality),
        latest_extended_end=rules.latest_extended_end(ban.starts_at),
        conditions=conditions)
    audit_record(actor=actor, action=Action.READ, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL], basis=f"{access.basis}; residence ban")
    return view


def ban_for_notice(*, actor: Actor, ban_id: int, language: str) -> ResidenceBan:
    """The ban, to print its notice (audited: the notice names him and the banned home)."""
    ban, access = _visible_ban(actor, ban_id)
    audit_record(actor=actor, action=Action.READ, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL],
                 basis=f"{access.basis}; residence-ban notice ({language})")
    return ban


@dataclass
class DetentionView:
    detention: Detention
    access: CaseAccess
    status: str
    tasks: list[Task]
    may_release: bool
    # Zones named from a confidential address the reader may not see: shown without a name.
    discreet_zones: set[int] = field(default_factory=set)

    @property
    def status_label(self) -> str:
        return str(DetentionStatus(self.status).label)

    @property
    def release_zone_shown(self) -> bool:
        return self.detention.release_zone_id not in self.discreet_zones


def detention_get(*, actor: Actor, detention_id: int) -> DetentionView:
    detention = (Detention.objects.select_related("case", "person", "recorded_by",
                                                  "recorded_by_agency", "release_zone",
                                                  "release_recorded_by")
                 .filter(pk=detention_id, case__in=visible_cases(actor)).first())
    if detention is None:
        raise Http404
    access = measures_access(actor=actor, case_id=detention.case_id)
    tasks = _measure_tasks(detention)
    discreet = {task.agency_id for task in tasks if task.person_id and zone_is_discreet(
        actor=actor, case=detention.case, person_id=task.person_id, zone=task.agency)}
    view = DetentionView(detention=detention, access=access, status=detention.status,
                         tasks=tasks, discreet_zones=discreet,
                         may_release=may_detain(actor)
                         and detention.released_at is None)
    audit_record(actor=actor, action=Action.READ, target=detention, case_id=detention.case_id,
                 scopes=[Scope.JUDICIAL], basis=f"{access.basis}; detention")
    return view


# --- The case page ------------------------------------------------------------------------------

def measure_lines(access: CaseAccess) -> list[MeasureLine]:
    """The measures in force, for ``relais.cases.measures`` (no whereabouts, ever)."""
    if Scope.JUDICIAL not in access.scopes:
        return []
    now = timezone.now()
    lines: list[MeasureLine] = []
    for ban in ResidenceBan.objects.filter(case=access.case, lifted_at__isnull=True,
                                           ends_at__gt=now):
        status = ban.status_at(now)
        lines.append(MeasureLine(
            kind="residence_ban", since=ban.starts_at, until=ban.ends_at,
            label=_("Residence ban (ITR) until %(end)s") % {
                "end": timezone.localtime(ban.ends_at).strftime("%d/%m/%Y %H:%M")},
            detail=str(BanStatus(status).label)))
    recent = now - timedelta(days=RELEASED_SHOWN_DAYS)
    for detention in Detention.objects.filter(case=access.case).filter(
            Q(released_at__isnull=True) | Q(released_at__gte=recent)):
        status = detention.status_at(now)
        if status == DetentionStatus.DETAINED:
            detail = str(detention.get_kind_display())
            if detention.expected_release_on:
                detail += "; " + _("expected release %(day)s") % {
                    "day": detention.expected_release_on.strftime("%d/%m/%Y")}
            lines.append(MeasureLine(kind="detention", since=detention.since, label=_(
                "In detention since %(since)s") % {
                "since": timezone.localtime(detention.since).strftime("%d/%m/%Y")},
                detail=detail))
        elif detention.conditions or status == DetentionStatus.RELEASE_PLANNED:
            label = (_("Release planned on %(when)s") if status == DetentionStatus.RELEASE_PLANNED
                     else _("Released on %(when)s")) % {
                "when": timezone.localtime(detention.released_at).strftime("%d/%m/%Y %H:%M")}
            lines.append(MeasureLine(
                kind="release_conditions", since=detention.released_at, label=label,
                detail=", ".join(detention.condition_labels()) or _("no conditions")))
    return lines


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    """The bans and detentions of the case, for readers of its judicial part."""
    if Scope.JUDICIAL not in access.scopes:
        return {}
    return {"bans": ResidenceBan.objects.filter(case=access.case),
            "detentions": Detention.objects.filter(case=access.case)}


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict | None:
    """The case page's measures: full for police and justice, the lines in force for others
    who see the judicial part; nothing otherwise (part of the audited case read). ``found``:
    which of ``case_panel_rows`` have rows."""
    if not sees_measures(access):
        lines = measure_lines(access) if found else []
        return {"lines": lines, "full": False} if lines else None
    bans = list(ResidenceBan.objects.filter(case=access.case).select_related("perpetrator")
                .prefetch_related("addresses").order_by("-starts_at", "-pk")[:20]
                ) if "bans" in found else []
    detentions = list(Detention.objects.filter(case=access.case).select_related("person")
                      .order_by("-since", "-pk")[:20]) if "detentions" in found else []
    now = timezone.now()
    for ban in bans:
        ban.current_status = ban.status_at(now)
        ban.current_status_label = str(BanStatus(ban.current_status).label)
    for detention in detentions:
        detention.current_status_label = str(DetentionStatus(detention.status_at(now)).label)
    actor = access.actor
    return {"full": True, "bans": bans, "detentions": detentions,
            "may_order": may_order(actor), "may_detain": may_detain(actor),
            "directory_url": accommodation_search_url(access.case.municipality)}


# --- The menu entry: measures to watch ---------------------------------------------------------

@dataclass(frozen=True)
class MeasuresPage:
    bans: list[ResidenceBan]
    detentions: list[Detention]
    expiring_within: timedelta


def _judicial_cases(actor: Actor) -> Q:
    """Of the visible cases, those the actor sees with the judicial scope: its agency's own,
    and those shared with it (or her) with the judicial scope (one query)."""
    shared = Share.objects.filter(active_share_q()).filter(
        Q(recipient_agency_id=actor.agency_id) | Q(recipient_user_id=actor.user_id))
    judicial = sorted({case_id for case_id, scopes in shared.values_list("case_id", "scopes")
                       if Scope.JUDICIAL in (scopes or [])})
    return Q(case__owner_agency_id=actor.agency_id) | Q(case_id__in=judicial)


def ban_rows(*, actor: Actor) -> QuerySet[ResidenceBan]:
    """Every ban on the cases the actor sees with the judicial scope; 404 for who does not
    watch measures. Not audited: the list and the API audit each page they show."""
    if not measure_policy.may_list(actor):
        raise Http404
    return ResidenceBan.objects.filter(case__in=visible_cases(actor)).filter(
        _judicial_cases(actor))


def detention_rows(*, actor: Actor) -> QuerySet[Detention]:
    """Every detention on the cases the actor sees with the judicial scope (as ``ban_rows``)."""
    if not measure_policy.may_list(actor):
        raise Http404
    return Detention.objects.filter(case__in=visible_cases(actor)).filter(
        _judicial_cases(actor))


def measures_list(*, actor: Actor) -> MeasuresPage:
    """Bans in force or ending (and just ended), detentions and recent releases, on the cases
    the actor sees with the judicial scope; soonest end first. A constant number of queries;
    audited as one read."""
    now = timezone.now()
    bans = list(ban_rows(actor=actor)
                .filter(ends_at__gt=now - timedelta(days=ENDED_SHOWN_DAYS))
                .select_related("case", "case__owner_agency", "perpetrator", "monitor_agency")
                .order_by("ends_at", "pk")[:LIST_LIMIT])
    detentions = list(detention_rows(actor=actor)
                      .filter(Q(released_at__isnull=True)
                              | Q(released_at__gte=now - timedelta(days=RELEASED_SHOWN_DAYS)))
                      .select_related("case", "person")
                      .order_by("released_at", "-since", "pk")[:LIST_LIMIT])
    expiring = timedelta(days=ban_rules().expiry_notice_days)
    for ban in bans:
        ban.current_status = ban.status_at(now)
        ban.current_status_label = str(BanStatus(ban.current_status).label)
        ban.expiring = (ban.current_status in ACTIVE_STATUSES
                        and ban.ends_at - now <= expiring)
    for detention in detentions:
        detention.current_status_label = str(DetentionStatus(detention.status_at(now)).label)
    bans.sort(key=lambda b: (b.current_status not in ACTIVE_STATUSES, b.ends_at))
    audit_record(actor=actor, action=Action.READ,
                 basis=f"measures list ({len(bans)} bans, {len(detentions)} detentions)")
    return MeasuresPage(bans=bans, detentions=detentions, expiring_within=expiring)


# --- Field history (docs/history.md) ---

def ban_history(*, actor: Actor, ban_id: int) -> HistoryPage:
    """The ban's fields, change by change, for whoever reads the measure (audited)."""
    reader = ban_history_access(actor=actor, ban_id=ban_id)
    language = (get_language() or "en")[:2]
    conditions = {c.code: c.label_in(language) for c in ban_rules().conditions}
    found = history_read(reader=reader, sources=[ResidenceBan.history.filter(id=ban_id)],
                         list_labels={"conditions": conditions})
    return HistoryPage(title=_("History of the residence ban"),
                       subject=reader.target.case.reference,
                       back_url=reverse("measures:ban", args=[ban_id]), changes=found)


def detention_history(*, actor: Actor, detention_id: int) -> HistoryPage:
    """The detention's fields (and its release), change by change (audited)."""
    reader = detention_history_access(actor=actor, detention_id=detention_id)
    found = history_read(reader=reader, sources=[Detention.history.filter(id=detention_id)],
                         list_labels={"conditions": dict(ReleaseCondition.choices)})
    return HistoryPage(title=_("History of the detention"),
                       subject=reader.target.case.reference,
                       back_url=reverse("measures:detention", args=[detention_id]),
                       changes=found)

"""Reading a perpetrator programme: its files (the waiting list with waiting times), one file
with its activities and hours, its groups, the referrals waiting for a file, and the read-only
panel the justice assistant and the mandating office see on the case page.

A programme's files are read by its counsellors only; everyone else gets 404. What the
programme reads of a case is the participant (the alleged perpetrator) and, when the judicial
scope is open to it, the dates and forms of the facts — never another person's contact
details or whereabouts, and never the place of the facts.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

import belgica
from django.db.models import Case as Case_
from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language

from relais.access.agency import own_agency_object
from relais.access.cases import CaseAccess, access_for_case, visible_cases
from relais.access.programmes import (
    file_scope,
    followed_files,
    follows_files,
    is_counsellor,
    may_set_rules,
    panel_files,
    require_counsellor,
)
from relais.access.scopes import Scope
from relais.accounts.models import Agency, AgencyKind
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant, ParticipantRole, PhoneNumber
from relais.core.actor import Actor
from relais.programmes.models import (
    CLOSED_STATUSES,
    Activity,
    ActivityKind,
    Attendance,
    FileStatus,
    Group,
    GroupFormat,
    InterruptionReason,
    Participant,
    ProgrammeFile,
    ProgrammeSettings,
    Route,
    StatusChange,
)
from relais.programmes.services import (
    ZERO,
    next_statuses,
    settings_for,
    size_warning,
)
from relais.referrals.models import OPEN_STATUSES as REFERRAL_OPEN
from relais.referrals.models import Referral, ReferralStatus

TABS = ("active", "waiting", "referrals", "closed")
ACTIVE = (FileStatus.PREPARATORY, FileStatus.IN_PROGRESS)


def _with_hours(qs: QuerySet[ProgrammeFile], rules: ProgrammeSettings) -> QuerySet:
    """Each file's attended hours that count, and its individual interviews attended."""
    return qs.annotate(
        hours=Sum("activities__attended_hours",
                  filter=Q(activities__kind__in=rules.counted_kinds)),
        interviews=Count("activities", filter=Q(activities__kind=ActivityKind.INTERVIEW,
                                                activities__attendance=Attendance.ATTENDED)))


@dataclass(frozen=True)
class FileRow:
    file: ProgrammeFile
    hours: Decimal
    interviews: int
    threshold: Decimal

    @property
    def waiting_days(self) -> int:
        """Days from the request to the start (to today while he waits)."""
        end = self.file.started_on or self.file.closed_on or timezone.localdate()
        return max((end - self.file.requested_on).days, 0)

    @property
    def reached(self) -> bool:
        return self.hours >= self.threshold

    @property
    def missing(self) -> Decimal:
        return max(self.threshold - self.hours, ZERO)


def file_row(file: ProgrammeFile, rules: ProgrammeSettings) -> FileRow:
    """A file read with its hours (``_with_hours``), against the programme's threshold."""
    return FileRow(file=file, hours=file.hours or ZERO, interviews=file.interviews,
                   threshold=rules.completion_hours)


def _rows(files, rules: ProgrammeSettings) -> list[FileRow]:
    return [file_row(f, rules) for f in files]


@dataclass(frozen=True)
class FileList:
    tab: str
    rows: list[FileRow]
    counts: dict[str, int]
    referrals: list[Referral]
    median_wait: int | None
    rules: ProgrammeSettings


def _incoming_referrals(actor: Actor) -> QuerySet[Referral]:
    """Referrals of an alleged perpetrator to the programme, still open, without a file, on
    cases the programme may open."""
    perpetrator = CaseParticipant.objects.filter(case=OuterRef("case"), person=OuterRef("person"),
                                                 role=ParticipantRole.ALLEGED_PERPETRATOR)
    return (Referral.objects.filter(to_agency_id=actor.agency_id, status__in=REFERRAL_OPEN,
                                    programme_file__isnull=True,
                                    case__in=visible_cases(actor))
            .exclude(status=ReferralStatus.PROPOSED).filter(Exists(perpetrator)))


def _tab_files(scope: QuerySet[ProgrammeFile], rules: ProgrammeSettings,
               tab: str) -> QuerySet:
    """One tab's files in its order: the waiting list longest wait first, the files in
    progress by name, the ended ones newest first."""
    qs = _with_hours(scope, rules).select_related("participant", "group", "case")
    if tab == "waiting":
        return qs.filter(status=FileStatus.WAITING).order_by("requested_on", "pk")
    if tab == "active":
        return qs.filter(status__in=ACTIVE).order_by("participant__last_name", "pk")
    return qs.filter(status__in=CLOSED_STATUSES).order_by("-closed_on", "-pk")


def file_tab_rows(*, actor: Actor, tab: str, chunk_size: int = 500) -> Iterator:
    """Every row of one tab (``file_list`` without its limit): ``FileRow``s, or the referrals
    waiting for a file; read in chunks by a server-side cursor (the export;
    ``relais.core.exports.export_response`` audits it)."""
    require_counsellor(actor)
    if tab not in TABS:
        raise Http404
    if tab == "referrals":
        referrals = _incoming_referrals(actor).select_related(
            "person", "case", "from_agency", "service").order_by("created_at", "pk")
        return referrals.iterator(chunk_size=chunk_size)
    rules = settings_for(actor.agency)
    files = _tab_files(file_scope(actor), rules, tab)
    return (FileRow(file=f, hours=f.hours or ZERO, interviews=f.interviews,
                    threshold=rules.completion_hours)
            for f in files.iterator(chunk_size=chunk_size))
def file_rows(*, actor: Actor) -> QuerySet[ProgrammeFile]:
    """The programme's files with their hours counted (404 but for its counsellors). Not
    audited: the API audits each page it shows."""
    require_counsellor(actor)
    return _with_hours(file_scope(actor), settings_for(actor.agency))


def file_list(*, actor: Actor, tab: str = "active", limit: int = 300) -> FileList:
    """One tab of the programme's files: in progress, the waiting list (longest wait first),
    the referrals received that wait for a file, or the files ended. A constant number of
    queries; audited as one read."""
    require_counsellor(actor)
    if tab not in TABS:
        raise Http404
    rules = settings_for(actor.agency)
    scope = file_scope(actor)
    counts = scope.aggregate(
        active=Count("pk", filter=Q(status__in=ACTIVE)),
        waiting=Count("pk", filter=Q(status=FileStatus.WAITING)),
        closed=Count("pk", filter=Q(status__in=CLOSED_STATUSES)))
    referrals = list(_incoming_referrals(actor).select_related(
        "person", "case", "from_agency", "service").order_by("created_at")[:limit])
    counts["referrals"] = len(referrals)
    rows: list[FileRow] = []
    if tab != "referrals":
        rows = _rows(_tab_files(scope, rules, tab)[:limit], rules)
    year_ago = timezone.localdate() - timedelta(days=365)
    waits = [(started - requested).days for requested, started in scope.filter(
        started_on__gte=year_ago).values_list("requested_on", "started_on")]
    audit_record(actor=actor, action=Action.READ,
                 basis=f"programme files {tab} ({len(rows) or len(referrals)})")
    return FileList(tab=tab, rows=rows, counts=counts,
                    referrals=referrals if tab == "referrals" else [],
                    median_wait=round(statistics.median(waits)) if waits else None,
                    rules=rules)


def referral_for_file(*, actor: Actor, referral_id: int) -> Referral:
    """A referral the programme may open a file from (audited with the form's read)."""
    require_counsellor(actor)
    referral = (_incoming_referrals(actor).select_related("person", "case", "from_agency",
                                                          "service")
                .filter(pk=referral_id).first())
    if referral is None:
        raise Http404
    audit_record(actor=actor, action=Action.READ, target=referral, case_id=referral.case_id,
                 basis="programme: referral received")
    return referral


def mandate_hints(referral: Referral) -> dict:
    """What a referral suggests for the file's form: the judicial route when it rests on a
    judicial mandate, the office the case was forwarded to, and the district."""
    from relais.intake.models import Report
    from relais.referrals.models import ReferralBasis

    office_id = (Report.objects.filter(case_id=referral.case_id, forwarded_to__isnull=False)
                 .order_by("-created_at").values_list("forwarded_to_id", flat=True).first())
    hints: dict = {"requested_on": timezone.localdate(referral.created_at)}
    if referral.basis == ReferralBasis.JUDICIAL_MANDATE:
        hints["route"] = Route.JUDICIAL
    elif referral.from_agency.kind == AgencyKind.POLICE_ZONE:  # not access: the route hint
        hints["route"] = Route.POLICE_INFORMATION
    if office_id:
        hints["prosecutor_office"] = office_id
        district = Agency.objects.filter(pk=office_id).values_list("arrondissement",
                                                                   flat=True).first()
        house = Agency.objects.filter(kind=AgencyKind.HOUSE_OF_JUSTICE,
                                      arrondissement=district).order_by("pk").first() \
            if district else None
        if house is not None:
            hints["house_of_justice"] = house.pk
    return hints


@dataclass(frozen=True)
class JudicialFact:
    kind: str
    pv_number: str
    offence_at: object
    forms: list[str]


@dataclass
class FileView:
    file: ProgrammeFile
    row: FileRow
    rules: ProgrammeSettings
    activities: list[Activity]
    changes: list[StatusChange]
    next_statuses: tuple[str, ...]
    case_visible: bool = False
    facts: list[JudicialFact] = field(default_factory=list)
    other_files: list[ProgrammeFile] = field(default_factory=list)
    group_warning: str = ""
    # His numbers in the case, when the referral shares how to reach him.
    phones: list[PhoneNumber] = field(default_factory=list)

    @property
    def can_join_group(self) -> bool:
        return self.file.status == FileStatus.PREPARATORY

    @property
    def district_name(self) -> str:
        record = belgica.get_arrondissement(self.file.judicial_district) \
            if self.file.judicial_district else None
        if not record:
            return self.file.judicial_district
        names = record["name"]
        return names.get((get_language() or "fr")[:2]) or names.get("fr") or record["id"]


def file_get(*, actor: Actor, file_id: int) -> FileView:
    """One file: the participant, the mandate, the activities, the hours towards completion,
    the status history and — when the judicial scope is open — the dates and forms of the facts
    of its case. Audited."""
    require_counsellor(actor)
    rules = settings_for(actor.agency)
    file = (_with_hours(file_scope(actor), rules)
            .select_related("participant", "case", "group", "group__format", "referral",
                            "referral__from_agency", "prosecutor_office", "house_of_justice",
                            "justice_assistant", "created_by")
            .filter(pk=file_id).first())
    if file is None:
        raise Http404
    row = _rows([file], rules)[0]
    view = FileView(file=file, row=row, rules=rules,
                    activities=list(file.activities.select_related("group", "recorded_by")
                                    .order_by("-occurred_on", "-pk")),
                    changes=list(file.status_changes.select_related("by").order_by("-at", "-pk")),
                    next_statuses=next_statuses(file),
                    other_files=list(file.participant.files.exclude(pk=file.pk)
                                     .order_by("-requested_on")))
    scopes: list[str] = []
    if file.case_id is not None:
        case = visible_cases(actor).filter(pk=file.case_id).first()
        if case is not None:
            view.case_visible = True
            access = access_for_case(actor=actor, case=case)
            view.facts = _judicial_facts(access)
            if view.facts:
                scopes.append(Scope.JUDICIAL)
            person_id = file.participant.person_id
            if person_id and Scope.CONTACT in access.person_scopes(
                    ParticipantRole.ALLEGED_PERPETRATOR, person_id):
                # His phones only: his address may be the home he shares with her.
                view.phones = list(PhoneNumber.objects.filter(person_id=person_id))
                scopes.append(Scope.CONTACT)
    if file.group_id and file.status == FileStatus.IN_PROGRESS:
        members = file.group.files.filter(status=FileStatus.IN_PROGRESS).count()
        if members < rules.min_group_size:
            view.group_warning = size_warning(file.group.name, members, rules.min_group_size)
    audit_record(actor=actor, action=Action.READ, target=file, case_id=file.case_id,
                 scopes=scopes, basis="programme file")
    return view


def _judicial_facts(access: CaseAccess) -> list[JudicialFact]:
    """The records of the case, as far as the programme needs them: kind, number, date and
    forms of violence (not the place, not the narrative: they tell of the victim)."""
    from relais.intake.models import Report

    if Scope.JUDICIAL not in access.scopes:
        return []
    return [JudicialFact(kind=report.get_kind_display(), pv_number=report.pv_number,
                         offence_at=report.offence_at, forms=report.forms_labels)
            for report in Report.objects.filter(case=access.case).only(
                "kind", "pv_number", "offence_at", "forms").order_by("offence_at")]


# --- Groups ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class GroupRow:
    group: Group
    members: int
    sessions: int
    warning: str


def group_list(*, actor: Actor) -> list[GroupRow]:
    """The programme's groups, open first, with their members in progress and sessions held
    (a constant number of queries)."""
    require_counsellor(actor)
    rules = settings_for(actor.agency)
    groups = (Group.objects.filter(agency_id=actor.agency_id).select_related("format")
              .annotate(members=Count("files", filter=Q(files__status=FileStatus.IN_PROGRESS),
                                      distinct=True),
                        held=Count("sessions__occurred_on", distinct=True))
              .order_by("closed_on", "-start_date", "-pk")[:200])
    rows = []
    for group in groups:
        warning = ""
        if group.closed_on is None and group.members < rules.min_group_size:
            warning = size_warning(group.name, group.members, rules.min_group_size)
        rows.append(GroupRow(group=group, members=group.members, sessions=group.held,
                             warning=warning))
    audit_record(actor=actor, action=Action.READ, basis=f"programme groups ({len(rows)})")
    return rows


@dataclass(frozen=True)
class SessionSummary:
    occurred_on: date
    hours: Decimal
    attended: int
    absent: int
    excused: int


@dataclass
class GroupView:
    group: Group
    members: list[FileRow]
    sessions: list[SessionSummary]
    rules: ProgrammeSettings
    warning: str


def group_get(*, actor: Actor, group_id: int) -> GroupView:
    require_counsellor(actor)
    rules = settings_for(actor.agency)
    group = (Group.objects.select_related("format").filter(pk=group_id,
                                                            agency_id=actor.agency_id).first())
    if group is None:
        raise Http404
    members = _rows(_with_hours(group.files.filter(status=FileStatus.IN_PROGRESS), rules)
                    .select_related("participant").order_by("participant__last_name", "pk"),
                    rules)
    sessions = [SessionSummary(occurred_on=s["occurred_on"], hours=s["hours"] or ZERO,
                               attended=s["attended"], absent=s["absent"],
                               excused=s["excused"])
                for s in Activity.objects.filter(group=group, kind=ActivityKind.GROUP_SESSION)
                .values("occurred_on").annotate(
                    hours=Max("scheduled_hours"),
                    attended=Count("pk", filter=Q(attendance=Attendance.ATTENDED)),
                    absent=Count("pk", filter=Q(attendance=Attendance.ABSENT)),
                    excused=Count("pk", filter=Q(attendance=Attendance.EXCUSED)))
                .order_by("-occurred_on")]
    warning = "" if group.closed_on else size_warning(
        group.name, len(members), rules.min_group_size) \
        if len(members) < rules.min_group_size else ""
    audit_record(actor=actor, action=Action.READ, target=group,
                 basis=f"programme group ({len(members)} participants)")
    return GroupView(group=group, members=members, sessions=sessions, rules=rules,
                     warning=warning)


def format_list(*, agency) -> list[GroupFormat]:
    return list(GroupFormat.objects.filter(agency=agency).order_by("-active", "name"))


# --- The case page --------------------------------------------------------------------------------

@dataclass(frozen=True)
class PanelRow:
    file: ProgrammeFile
    hours: Decimal
    threshold: Decimal

    @property
    def reached(self) -> bool:
        return self.hours >= self.threshold

    @property
    def interruption(self) -> str:
        """The reason (and its words, for "other" only: the rest is the programme's)."""
        file = self.file
        if not file.interruption_reason:
            return ""
        label = str(file.get_interruption_reason_display())
        if file.interruption_reason == InterruptionReason.OTHER and file.interruption_note:
            return f"{label}: {file.interruption_note}"
        return label


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    seen = panel_files(access)
    return {} if seen is None else {"files": seen[0]}


def _panel_rows(files: QuerySet[ProgrammeFile]) -> list[PanelRow]:
    """Each file with its hours attended against its programme's threshold (calls counted where
    the programme counts them), in a constant number of queries."""
    files = list(files.annotate(
        base_hours=Sum("activities__attended_hours",
                       filter=Q(activities__kind__in=[ActivityKind.INTERVIEW,
                                                      ActivityKind.GROUP_SESSION])),
        call_hours=Sum("activities__attended_hours",
                       filter=Q(activities__kind=ActivityKind.CALL))))
    rules = {r.agency_id: r for r in ProgrammeSettings.objects.filter(
        agency_id__in={f.agency_id for f in files})}
    rows = []
    for file in files:
        rule = rules.get(file.agency_id) or ProgrammeSettings(agency_id=file.agency_id)
        hours = (file.base_hours or ZERO) + ((file.call_hours or ZERO) if rule.count_calls
                                             else ZERO)
        rows.append(PanelRow(file=file, hours=hours, threshold=rule.completion_hours))
    return rows


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict | None:
    """The "Perpetrator programme" panel: for the justice assistant's house of justice and the
    mandating office, the judicial files of the case (status, hours attended against the
    threshold, the interruption reason — nothing of the interviews); for the programme, its own
    files of the case. Part of the audited case read; only if ``case_panel_rows`` found files."""
    seen = panel_files(access)
    if seen is None or "files" not in found:
        return None
    files, is_programme = seen
    rows = _panel_rows(files.select_related("agency").order_by("-requested_on", "-pk"))
    if not rows:
        return None
    return {"programme_rows": rows, "is_programme": is_programme}


def followed_file_list(*, actor: Actor, limit: int = 300) -> tuple[list[PanelRow], int]:
    """The judicial files the actor's house of justice follows, what needs her first: those
    interrupted or ended, then in progress, then waiting; at most ``limit`` (and the count).
    The same columns as the case page's panel, nothing of the interviews. Audited as one
    read; a constant number of queries."""
    if not follows_files(actor):
        raise Http404
    scope = followed_files(actor)
    total = scope.count()
    attention = Case_(When(status__in=CLOSED_STATUSES, then=Value(0)),
                      When(status__in=ACTIVE, then=Value(1)), default=Value(2),
                      output_field=IntegerField())
    rows = _panel_rows(scope.select_related("agency", "case", "participant")
                       .annotate(attention=attention)
                       .order_by("attention", "-status_at", "-pk")[:limit])
    audit_record(actor=actor, action=Action.READ,
                 basis=f"programme files followed by justice ({len(rows)} of {total})")
    return rows, total


def participant_get(*, actor: Actor, participant_id: int) -> Participant:
    """A participant of the counsellor's programme (404 otherwise)."""
    return own_agency_object(Participant.objects.all(), actor=actor, pk=participant_id,
                             allowed=is_counsellor(actor))


def format_get(*, actor: Actor, format_id: int) -> GroupFormat:
    """One of the programme's group formats (for those who set its rules)."""
    return own_agency_object(GroupFormat.objects.all(), actor=actor, pk=format_id,
                             allowed=may_set_rules(actor))

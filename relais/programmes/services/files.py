"""Every write of a perpetrator programme: files, activities, groups, status changes, rules.

Each service runs in one transaction, is open to the programme's counsellors only (the
settings also to its administrator), validates with clear messages naming the field, and
writes its audit event. A status change of a file on a judicial mandate with a Relais case is
reported to the justice assistant's house of justice and to the mandating prosecutor's office
(notices with the case reference only, never the content of the interviews).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import belgica
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from relais.access.agency import own_agency_object
from relais.access.cases import case_access, visible_cases
from relais.access.programmes import (
    file_scope,
    may_set_rules,
    require_counsellor,
)
from relais.access.referrals import side_of
from relais.access.scopes import Scope
from relais.accounts.models import Agency, AgencyKind, Role, User
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant, ParticipantRole
from relais.cases.timeline import timeline_add
from relais.core.actor import Actor
from relais.core.texts import choice, text
from relais.core.versions import record_version, version_check
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send
from relais.programmes.models import (
    CLOSED_STATUSES,
    OPEN_STATUSES,
    ActivityKind,
    Attendance,
    FileStatus,
    FormatKind,
    GroupFormat,
    InterruptionReason,
    JudicialMeasure,
    Participant,
    ProgrammeFile,
    ProgrammeSettings,
    Route,
    StatusChange,
    Substance,
)
from relais.referrals.models import OPEN_STATUSES as REFERRAL_OPEN
from relais.referrals.models import Referral, ReferralOutcome, ReferralStatus
from relais.referrals.services import TRANSITIONS as REFERRAL_STEPS
from relais.referrals.services import referral_advance

ZERO = Decimal("0")
MAX_HOURS_PER_ACTIVITY = Decimal("12")

# The seeded group formats (Praxis): names in the programme's first working language.
DEFAULT_FORMAT_NAMES = {
    "fr": ("Groupe ouvert", "Groupe fermé"),
    "nl": ("Open groep", "Gesloten groep"),
    "de": ("Offene Gruppe", "Geschlossene Gruppe"),
    "en": ("Open group", "Closed group"),
}
DEFAULT_FORMATS = (
    # (kind, sessions, hours per session, rhythm)
    (FormatKind.OPEN, 21, Decimal("2"), "weekly"),
    (FormatKind.CLOSED, 6, Decimal("7"), "six Saturdays"),
)


# --- The programme's rules --------------------------------------------------------------------

def settings_for(agency: Agency) -> ProgrammeSettings:
    """The programme's rules; the Praxis defaults and the two group formats on first use."""
    current = ProgrammeSettings.objects.filter(agency=agency).first()
    if current is not None:
        return current
    with transaction.atomic():
        current, created = ProgrammeSettings.objects.get_or_create(agency=agency)
        if created and not GroupFormat.objects.filter(agency=agency).exists():
            language = agency.languages[0] if agency.languages else "fr"
            names = DEFAULT_FORMAT_NAMES.get(language, DEFAULT_FORMAT_NAMES["en"])
            for name, (kind, sessions, hours, rhythm) in zip(names, DEFAULT_FORMATS,
                                                             strict=True):
                GroupFormat.objects.create(agency=agency, name=name, kind=kind,
                                           sessions=sessions, hours_per_session=hours,
                                           schedule=rhythm)
    return current


SETTINGS_FIELDS = ("completion_hours", "min_interviews", "min_group_size", "count_calls")
FORMAT_FIELDS = ("name", "kind", "sessions", "hours_per_session", "schedule", "active")


def settings_version(current: ProgrammeSettings) -> str:
    """The rules' version for their edit form (relais.core.versions)."""
    return record_version(current, SETTINGS_FIELDS)


def format_version(group_format: GroupFormat) -> str:
    """A group format's version for its edit form (relais.core.versions)."""
    return record_version(group_format, FORMAT_FIELDS)


@transaction.atomic
def settings_update(*, actor: Actor, version: str | None = None,
                    **fields: Any) -> ProgrammeSettings:
    """Change the programme's rules; files and groups are judged by them from now on.
    ``version``: the rules' version as she read them; saved over since, ``EditConflict``."""
    if not may_set_rules(actor):
        raise Http404
    unknown = set(fields) - set(SETTINGS_FIELDS)
    if unknown:
        raise TypeError(f"unexpected settings fields: {sorted(unknown)}")
    settings_for(actor.agency)
    current = ProgrammeSettings.objects.select_for_update().get(agency=actor.agency)
    version_check(current, SETTINGS_FIELDS, version)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean(exclude=["agency", "updated_by"])
    current.version += 1
    current.updated_by = actor.user
    current.save()
    audit_record(actor=actor, action=Action.UPDATE, target=current,
                 basis=f"programme rules v{current.version}")
    return current


@transaction.atomic
def format_save(*, actor: Actor, name: str, kind: str, sessions: int,
                hours_per_session: Decimal, schedule: str = "", active: bool = True,
                format_id: int | None = None, version: str | None = None) -> GroupFormat:
    """Add or change a group format of the programme (its hours are checked on each session
    recorded from now on). ``version``: the format's version as she read it (a change); saved
    over since, ``EditConflict``."""
    if not may_set_rules(actor):
        raise Http404
    settings_for(actor.agency)
    if format_id is not None:
        group_format = own_agency_object(GroupFormat.objects.select_for_update(), actor=actor,
                                         pk=format_id, allowed=True)
        version_check(group_format, FORMAT_FIELDS, version)
    else:
        group_format = GroupFormat(agency=actor.agency)
    group_format.name = name.strip()
    group_format.kind = kind
    group_format.sessions = sessions
    group_format.hours_per_session = hours_per_session
    group_format.schedule = schedule.strip()
    group_format.active = active
    errors: dict[str, list[str]] = {}
    if GroupFormat.objects.filter(agency=actor.agency, name__iexact=group_format.name) \
            .exclude(pk=group_format.pk).exists():
        errors["name"] = [_("Another format of the programme has this name.")]
    try:
        group_format.full_clean(exclude=["agency"], validate_unique=False)
    except ValidationError as error:
        for name_, messages in error.message_dict.items():
            errors.setdefault(name_, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    group_format.save()
    audit_record(actor=actor, action=Action.UPDATE if format_id else Action.CREATE,
                 target=group_format, basis="programme group format")
    return group_format


# --- Hours ---------------------------------------------------------------------------------------

def attended_hours(file: ProgrammeFile, rules: ProgrammeSettings) -> Decimal:
    """Hours attended that count towards completion (interviews and group sessions; calls
    when the programme counts them)."""
    total = file.activities.filter(kind__in=rules.counted_kinds).aggregate(
        total=Sum("attended_hours"))["total"]
    return total or ZERO


def interviews_attended(file: ProgrammeFile, *, by: date | None = None) -> int:
    """Individual interviews he attended (up to the day ``by``)."""
    interviews = file.activities.filter(kind=ActivityKind.INTERVIEW,
                                        attendance=Attendance.ATTENDED)
    if by is not None:
        interviews = interviews.filter(occurred_on__lte=by)
    return interviews.count()


def format_hours(value: Decimal) -> str:
    """12, 1.5 — hours as a practitioner writes them."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text or "0"


# --- Files ---------------------------------------------------------------------------------------

def _clean_substances(values: Iterable[str]) -> tuple[list[str], list[str]]:
    chosen = [code for code in Substance.values if code in set(values)]
    errors = []
    if set(values) - set(Substance.values):
        errors.append(_("Unknown substance."))
    exclusive = {Substance.NONE, Substance.UNKNOWN} & set(chosen)
    if exclusive and len(chosen) > 1:
        errors.append(_("'None' or 'unknown' cannot go with another answer."))
    return chosen, errors


@dataclass(frozen=True)
class Mandate:
    """How he came, and for a judicial mandate who mandated it, as typed."""

    route: str
    judicial_measure: str = ""
    prosecutor_office_id: int | None = None
    house_of_justice_id: int | None = None
    justice_assistant_id: int | None = None
    judicial_district: str = ""
    mandate_reference: str = ""

    def check(self) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """The file's fields, and the faults field by field."""
        errors: dict[str, list[str]] = {}

        def add(name: str, message: str) -> None:
            errors.setdefault(name, []).append(message)

        values: dict[str, Any] = {"route": self.route, "judicial_measure": "",
                                  "mandate_reference": self.mandate_reference.strip()}
        if self.route not in Route.values:
            add("route", _("Choose how he came to the programme."))
        district = self.judicial_district
        if self.route == Route.JUDICIAL:
            if self.judicial_measure not in JudicialMeasure.values:
                add("judicial_measure", _("Choose the judicial measure."))
            office = Agency.objects.filter(pk=self.prosecutor_office_id,
                                           kind=AgencyKind.PROSECUTOR).first() \
                if self.prosecutor_office_id else None
            if office is None:
                add("prosecutor_office", _("Name the prosecutor's office that mandated it."))
            house = Agency.objects.filter(pk=self.house_of_justice_id,
                                          kind=AgencyKind.HOUSE_OF_JUSTICE).first() \
                if self.house_of_justice_id else None
            if house is None:
                add("house_of_justice", _("Name the house of justice of the justice "
                                          "assistant."))
            assistant = None
            if self.justice_assistant_id:
                assistant = User.objects.filter(pk=self.justice_assistant_id, is_active=True,
                                                roles__role=Role.JUSTICE_ASSISTANT).first()
                if assistant is None or (house is not None and assistant.agency_id != house.pk):
                    add("justice_assistant", _("Choose a justice assistant of that house of "
                                               "justice."))
            district = district or (office.arrondissement if office else "")
            if not district:
                add("judicial_district", _("Give the judicial district."))
            values.update(judicial_measure=self.judicial_measure, prosecutor_office=office,
                          house_of_justice=house, justice_assistant=assistant)
        elif (self.judicial_measure or self.prosecutor_office_id or self.house_of_justice_id
              or self.justice_assistant_id):
            add("judicial_measure", _("A measure, an office or a house of justice is recorded "
                                      "only for a judicial mandate: choose the judicial route "
                                      "or leave them empty."))
        if district and not belgica.get_arrondissement(district):
            add("judicial_district", _("Unknown judicial district."))
        values["judicial_district"] = district
        return values, errors


def _check_request_date(requested_on: date | None, errors: dict[str, list[str]]) -> date:
    today = timezone.localdate()
    if requested_on is None:
        return today
    if requested_on > today:
        errors.setdefault("requested_on", []).append(
            _("The request cannot be in the future."))
    return requested_on


def _check_no_open_file(participant: Participant | None, errors: dict[str, list[str]]) -> None:
    if participant is None or participant.pk is None:
        return
    if participant.files.filter(status__in=OPEN_STATUSES).exists():
        errors.setdefault("__all__", []).append(_(
            "He already has an open file: record this mandate there, or end that file first."))


def _create_file(*, actor: Actor, participant: Participant, values: dict[str, Any],
                 requested_on: date, substances: list[str], case=None,
                 referral=None) -> ProgrammeFile:
    if participant.pk is None:
        participant.full_clean(exclude=["agency", "person", "created_by"])
        participant.save()
        audit_record(actor=actor, action=Action.CREATE, target=participant,
                     case_id=case.pk if case else None, basis="programme participant")
    file = ProgrammeFile(agency=actor.agency, participant=participant, case=case,
                         referral=referral, requested_on=requested_on,
                         substance_use=substances, status=FileStatus.WAITING,
                         status_at=timezone.now(), created_by=actor.user, **values)
    file.full_clean(exclude=["agency", "participant", "case", "referral", "created_by",
                             "prosecutor_office", "house_of_justice", "justice_assistant"])
    file.save()
    audit_record(actor=actor, action=Action.CREATE, target=file,
                 case_id=case.pk if case else None,
                 basis=f"programme file ({file.route})")
    _record_change(actor=actor, file=file, from_status="", reason="", note="")
    return file


@transaction.atomic
def file_open_from_referral(*, actor: Actor, referral_id: int, mandate: Mandate,
                            requested_on: date | None = None,
                            substance_use: Iterable[str] = ()) -> ProgrammeFile:
    """Open a file for the alleged perpetrator a referral sends to the programme.

    The programme sees the case through the referral's share; the participant is the person
    referred, who must be the alleged perpetrator of the case. The file starts on the waiting
    list, and the referral moves on to "waiting list" for the referrer to see.
    """

    require_counsellor(actor)
    referral = (Referral.objects.select_for_update(of=("self",))
                .select_related("person", "case").filter(pk=referral_id).first())
    if referral is None or side_of(actor=actor, referral=referral) != "receiver" \
            or referral.status == ReferralStatus.PROPOSED:
        raise Http404
    access = case_access(actor=actor, case_id=referral.case_id)
    role = CaseParticipant.objects.filter(case_id=referral.case_id, person_id=referral.person_id) \
        .values_list("role", flat=True).first()
    errors: dict[str, list[str]] = {}
    if role != ParticipantRole.ALLEGED_PERPETRATOR:
        errors.setdefault("__all__", []).append(_(
            "This referral is not of the alleged perpetrator of the case: a programme file is "
            "opened for the alleged perpetrator only."))
    if referral.status not in REFERRAL_OPEN:
        errors.setdefault("__all__", []).append(
            _("This referral is %(status)s: no file can be opened from it.")
            % {"status": referral.get_status_display().lower()})
    if ProgrammeFile.objects.filter(referral=referral).exists():
        errors.setdefault("__all__", []).append(_("A file is already open for this referral."))
    values, mandate_errors = mandate.check()
    errors.update(mandate_errors)
    substances, substance_errors = _clean_substances(substance_use)
    if substance_errors:
        errors["substance_use"] = substance_errors
    day = _check_request_date(requested_on or timezone.localdate(referral.created_at), errors)
    person = referral.person
    participant = Participant.objects.filter(agency=actor.agency, person=person).first() \
        or Participant(agency=actor.agency, person=person, first_name=person.first_name,
                       last_name=person.last_name, birth_date=person.birth_date,
                       language=person.file_language, created_by=actor.user)
    _check_no_open_file(participant, errors)
    if errors:
        raise ValidationError(errors)
    file = _create_file(actor=actor, participant=participant, values=values, requested_on=day,
                        substances=substances, case=access.case, referral=referral)
    _advance_referral(actor=actor, file=file, to=(ReferralStatus.RECEIVED,
                                                  ReferralStatus.WAITING_LIST))
    return file


@transaction.atomic
def file_open_direct(*, actor: Actor, mandate: Mandate, participant_id: int | None = None,
                     first_name: str = "", last_name: str = "", birth_date: date | None = None,
                     phone: str = "", language: str = "", requested_on: date | None = None,
                     substance_use: Iterable[str] = ()) -> ProgrammeFile:
    """Open a file without a Relais case: a walk-in (his identity is held in the programme's
    participant record only), or a new mandate for someone the programme already knows."""
    require_counsellor(actor)
    errors: dict[str, list[str]] = {}
    if participant_id is not None:
        participant = Participant.objects.filter(pk=participant_id, agency=actor.agency).first()
        if participant is None:
            raise Http404
    else:
        participant = Participant(agency=actor.agency, first_name=first_name.strip(),
                                  last_name=last_name.strip(), birth_date=birth_date,
                                  phone=phone.strip(), language=language, created_by=actor.user)
        if not participant.first_name:
            errors["first_name"] = [_("Give his first name.")]
        if not participant.last_name:
            errors["last_name"] = [_("Give his last name.")]
        if birth_date and birth_date >= timezone.localdate():
            errors["birth_date"] = [_("The date of birth must be in the past.")]
    values, mandate_errors = mandate.check()
    errors.update(mandate_errors)
    substances, substance_errors = _clean_substances(substance_use)
    if substance_errors:
        errors["substance_use"] = substance_errors
    day = _check_request_date(requested_on, errors)
    _check_no_open_file(participant, errors)
    if errors:
        raise ValidationError(errors)
    return _create_file(actor=actor, participant=participant, values=values, requested_on=day,
                        substances=substances)


def substances_version(file: ProgrammeFile) -> str:
    """The version of the file's substance use, for its form (relais.core.versions)."""
    return record_version(file, ("substance_use",))


@transaction.atomic
def file_update_substances(*, actor: Actor, file_id: int, substance_use: Iterable[str],
                           version: str | None = None) -> ProgrammeFile:
    """Record what he used at the time of the facts (asked at the first interviews).
    ``version``: as she read it; changed by a colleague since, ``EditConflict``."""
    file = _locked_file(actor, file_id)
    version_check(file, ("substance_use",), version)
    substances, errors = _clean_substances(substance_use)
    if errors:
        raise ValidationError({"substance_use": errors})
    file.substance_use = substances
    file.save(update_fields=["substance_use"])
    audit_record(actor=actor, action=Action.UPDATE, target=file, case_id=file.case_id,
                 basis="programme file: substance use")
    return file


def _locked_file(actor: Actor, file_id: int) -> ProgrammeFile:
    file = (file_scope(actor).select_for_update(of=("self",))
            .select_related("case", "group", "group__format", "participant",
                            "house_of_justice", "prosecutor_office", "justice_assistant")
            .filter(pk=file_id).first())
    if file is None:
        raise Http404
    return file


def closed_error(file: ProgrammeFile) -> ValidationError:
    return ValidationError(_(
        "This file is %(status)s since %(day)s: nothing can be added. A new mandate opens a "
        "new file.") % {"status": file.get_status_display().lower(),
                        "day": date_format(file.closed_on, "SHORT_DATE_FORMAT")
                        if file.closed_on else "—"}, code="closed")


# --- Status changes, and reporting them to the justice side -----------------------------------

TRANSITIONS: dict[str, tuple[str, ...]] = {
    FileStatus.WAITING: (FileStatus.PREPARATORY, FileStatus.INCOMPLETE),
    FileStatus.PREPARATORY: (FileStatus.WAITING, FileStatus.COMPLETED, FileStatus.INCOMPLETE),
    FileStatus.IN_PROGRESS: (FileStatus.COMPLETED, FileStatus.INCOMPLETE),
}


def next_statuses(file: ProgrammeFile) -> tuple[str, ...]:
    return TRANSITIONS.get(file.status, ())


@transaction.atomic
def file_change_status(*, actor: Actor, file_id: int, status: str, reason: str = "",
                       note: str = "", on: date | None = None) -> StatusChange:
    """Move a file on: start it (its waiting time ends), put it back on the waiting list,
    complete it (only once the threshold of attended hours is reached) or end it incomplete
    (with the interruption reason). Entering a group is ``file_join_group``."""
    file = _locked_file(actor, file_id)
    if file.status in CLOSED_STATUSES:
        raise closed_error(file)
    rules = settings_for(actor.agency)
    day = on or timezone.localdate()
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if status == file.status:
        add("status", _("The file is already %(status)s.")
            % {"status": file.get_status_display().lower()})
    elif status == FileStatus.IN_PROGRESS:
        add("status", _("He enters the group phase when you add him to a group (after "
                        "%(count)d individual interviews).") % {"count": rules.min_interviews})
    elif status not in next_statuses(file):
        add("status", _("A file %(current)s cannot become %(wanted)s.") % {
            "current": file.get_status_display().lower(),
            "wanted": str(dict(FileStatus.choices).get(status, status)).lower()})
    if day > timezone.localdate():
        add("on", _("The date cannot be in the future."))
    elif day < file.requested_on:
        add("on", _("The date cannot be before the request (%(day)s).")
            % {"day": date_format(file.requested_on, "SHORT_DATE_FORMAT")})
    elif file.started_on and status in CLOSED_STATUSES and day < file.started_on:
        add("on", _("The date cannot be before the start (%(day)s).")
            % {"day": date_format(file.started_on, "SHORT_DATE_FORMAT")})
    if status == FileStatus.COMPLETED:
        hours = attended_hours(file, rules)
        if hours < rules.completion_hours:
            add("status", _(
                "Completion needs %(threshold)s h attended; he has attended %(hours)s h. "
                "Record the missing sessions, or end the file as incomplete.") % {
                "threshold": format_hours(rules.completion_hours),
                "hours": format_hours(hours)})
    if status == FileStatus.INCOMPLETE:
        if reason not in InterruptionReason.values:
            add("reason", _("Give the reason the programme was interrupted."))
        elif reason == InterruptionReason.OTHER and not note.strip():
            add("note", _("Describe the other reason."))
    elif reason:
        add("reason", _("An interruption reason is given only for an incomplete file."))
    if errors:
        raise ValidationError(errors)

    from_status = file.status
    file.status, file.status_at = status, timezone.now()
    if status == FileStatus.PREPARATORY:
        file.started_on = day
    elif status == FileStatus.WAITING:
        file.started_on = None
    if status in CLOSED_STATUSES:
        file.closed_on = day
    if status == FileStatus.INCOMPLETE:
        file.interruption_reason = reason
        file.interruption_note = note.strip()[:300]
    file.save()
    audit_record(actor=actor, action=Action.UPDATE, target=file, case_id=file.case_id,
                 basis=f"programme file: {from_status} to {status}")
    change = _record_change(actor=actor, file=file, from_status=from_status, reason=reason,
                            note=note)
    _follow_referral(actor=actor, file=file)
    return change


def _record_change(*, actor: Actor, file: ProgrammeFile, from_status: str, reason: str,
                   note: str) -> StatusChange:
    change = StatusChange(file=file, from_status=from_status, to_status=file.status,
                          at=file.status_at, by=actor.user, reason=reason,
                          note=note.strip()[:300])
    change.reported_to, change.not_reported = _report(actor=actor, file=file, change=change)
    change.save()
    audit_record(actor=actor, action=Action.CREATE, target=change, case_id=file.case_id,
                 basis="programme status change")
    return change


def _reader(agency: Agency, role: str, preferred: User | None) -> User | None:
    """Someone of ``agency`` holding ``role``: the one named on the file first."""
    if preferred is not None and preferred.is_active and preferred.agency_id == agency.pk:
        return preferred
    return (User.objects.filter(agency=agency, is_active=True, roles__role=role)
            .order_by("pk").first())


def _report(*, actor: Actor, file: ProgrammeFile,
            change: StatusChange) -> tuple[list[dict], list[dict]]:
    """Tell the justice assistant's house of justice and the mandating office, when they can
    open the case (the notice names the case; without access it would tell them nothing)."""
    if file.route != Route.JUDICIAL:
        return [], []
    if file.case_id is None:
        return [], [{"why": "no_case"}]
    change.save()  # the notice points at it
    reported, missing = [], []
    for agency, role, preferred in (
            (file.house_of_justice, Role.JUSTICE_ASSISTANT, file.justice_assistant),
            (file.prosecutor_office, Role.LEGAL_ADVISOR, None)):
        if agency is None:
            missing.append({"why": "not_recorded", "role": role})
            continue
        reader = _reader(agency, role, preferred)
        if reader is None:
            missing.append({"why": "no_reader", "role": role, "agency": agency.name})
        elif not visible_cases(Actor.for_user(reader)).filter(pk=file.case_id).exists():
            missing.append({"why": "no_access", "role": role, "agency": agency.name})
        else:
            notice_send(actor=actor, agency=agency, for_role=role, case=file.case,
                        kind=NoticeKind.PROGRAMME_STATUS, source=change)
            reported.append({"role": role, "agency": agency.name})
    if visible_cases(actor).filter(pk=file.case_id).exists():
        timeline_add(case=file.case, kind="programme_status", agency_id=actor.agency_id,
                     scope=Scope.JUDICIAL, source=change,
                     text=text("programmes.status", agency=actor.agency.name,
                                    status=choice("programmes.file_status", file.status)))
    return reported, missing


def _advance_referral(*, actor: Actor, file: ProgrammeFile, to: tuple[str, ...],
                      outcome: str = "", note: str = "") -> None:
    """Move the referral the file came from along the referral loop, so that the referrer
    sees it was received, waited, started — each step only where the loop allows it."""

    if file.referral_id is None:
        return
    for status in to:
        referral = file.referral
        referral.refresh_from_db(fields=["status"])
        if status not in REFERRAL_STEPS.get(referral.status, {}):
            continue
        try:
            referral_advance(actor=actor, referral_id=referral.pk, status=status,
                             outcome=outcome, note=note)
        except (ValidationError, Http404):
            break  # e.g. his consent withdrawn: the loop stops there
    file.referral.refresh_from_db(fields=["status"])


def _follow_referral(*, actor: Actor, file: ProgrammeFile) -> None:

    if file.status == FileStatus.PREPARATORY:
        _advance_referral(actor=actor, file=file, to=(ReferralStatus.ACCEPTED,
                                                      ReferralStatus.FIRST_CONTACT))
    elif file.status in CLOSED_STATUSES and file.route == Route.JUDICIAL:
        # Voluntary participation is not reported, not even its end.
        label = file.get_status_display()
        if file.status == FileStatus.INCOMPLETE:
            label = f"{label}: {file.get_interruption_reason_display()}"
        outcome = ReferralOutcome.SUPPORT_COMPLETED if file.status == FileStatus.COMPLETED \
            else ReferralOutcome.OTHER
        _advance_referral(actor=actor, file=file, to=(ReferralStatus.CLOSED,),
                          outcome=outcome, note=label)

"""Every write of the protective measures: the residence ban (order, service, extension,
lifting, breaches, his accommodation) and detention (record, release).

Each service runs in one transaction, checks access through the policy, validates with clear
messages (``ValidationError`` by field), saves, and writes its audit event; notices leave
their e-mails after commit and name only the case reference.

Who may do what:
- the prosecutor's office (magistrate or legal advisor) orders, extends and lifts a ban on a
  case it sees through the judicial forwarding, and records detentions and releases;
- a police zone that sees the case serves the notice, records breaches and arrests;
- both note where the perpetrator will stay.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.access.policy import CaseAccess, case_access, visible_cases
from relais.access.scopes import Scope
from relais.access.services import judicial_mandate_share
from relais.accounts.models import (
    Agency,
    AgencyKind,
    JurisdictionMunicipality,
    Role,
    Unit,
    UnitKind,
)
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Address, Case, CaseParticipant, ParticipantRole
from relais.cases.services import timeline_add
from relais.core.actor import Actor
from relais.followup.models import Task, TaskKind
from relais.followup.rules import TaskSpec, local_day
from relais.followup.services import (
    task_create_for,
    task_reschedule,
    tasks_cancel_for_source,
    tasks_open_for_source,
)
from relais.measures.models import (
    BanAddress,
    BanBreach,
    BanExtension,
    BanStatus,
    BreachKind,
    Detention,
    DetentionKind,
    ReleaseCondition,
    ResidenceBan,
)
from relais.measures.rules import ban_rules, end_of_day
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send

# Agencies that see and handle measures (with the judicial scope on the case).
JUSTICE_KINDS = frozenset({AgencyKind.POLICE_ZONE, AgencyKind.PROSECUTOR,
                           AgencyKind.HOUSE_OF_JUSTICE})
ORDERING_ROLES = (Role.MAGISTRATE, Role.LEGAL_ADVISOR)
PROTECTED_ROLES = frozenset({ParticipantRole.VICTIM, ParticipantRole.CHILD,
                             ParticipantRole.HOUSEHOLD_MEMBER})
LAW = "law of 15 May 2012 (residence ban)"
PLANNED_RELEASE_MAX_DAYS = 30


def when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


# --- Who may do what ----------------------------------------------------------------------------

def handles_measures(actor: Actor) -> bool:
    """Staff of a police zone, a prosecutor's office or a house of justice."""
    return actor.agency is not None and actor.agency.kind in JUSTICE_KINDS


def may_order(actor: Actor) -> bool:
    """The prosecutor's office: its magistrates and legal advisors."""
    return (actor.agency is not None and actor.agency.kind == AgencyKind.PROSECUTOR
            and actor.has_role(*ORDERING_ROLES))


def is_police(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.kind == AgencyKind.POLICE_ZONE


def sees_measures(access: CaseAccess) -> bool:
    """Measures are read by the police and justice agencies that see the case's judicial part."""
    return handles_measures(access.actor) and Scope.JUDICIAL in access.scopes


def measures_access(*, actor: Actor, case_id: int) -> CaseAccess:
    """The actor's access to a case's measures, or 404."""
    access = case_access(actor=actor, case_id=case_id)
    if not sees_measures(access):
        raise Http404
    return access


def _locked_ban(actor: Actor, ban_id: int) -> tuple[ResidenceBan, CaseAccess]:
    ban = (ResidenceBan.objects.select_for_update(of=("self",))
           .select_related("case", "ordered_by_agency", "serving_agency")
           .filter(pk=ban_id, case__in=visible_cases(actor)).first())
    if ban is None:
        raise Http404
    return ban, measures_access(actor=actor, case_id=ban.case_id)


def _require_office(actor: Actor, ban: ResidenceBan) -> None:
    """Only the office that ordered the ban changes it."""
    if not may_order(actor) or actor.agency_id != ban.ordered_by_agency_id:
        raise PermissionDenied


# --- Which agency -------------------------------------------------------------------------------

def zone_for_municipality(refnis: str) -> Agency | None:
    """The police zone (using Relais) whose territory holds a municipality."""
    if not refnis:
        return None
    return (Agency.objects.filter(kind=AgencyKind.POLICE_ZONE,
                                  pk__in=JurisdictionMunicipality.objects.filter(refnis=refnis)
                                  .values("agency_id"))
            .order_by("pk").first())


def serving_zone(case: Case) -> Agency | None:
    """The zone that serves a notice: the case's owner when it is a police zone, else the zone
    of the case's municipality."""
    if case.owner_agency.kind == AgencyKind.POLICE_ZONE:
        return case.owner_agency
    return zone_for_municipality(case.municipality)


def victim_residence(person_id: int) -> Address | None:
    """Her current address (the newest), confidential or not: only its municipality is used."""
    return (Address.objects.filter(person_id=person_id, current=True).order_by("-pk").first()
            or Address.objects.filter(person_id=person_id).order_by("-pk").first())


def victim_zone(case: Case, person_id: int) -> Agency | None:
    """The police zone of the victim's residence (her current address's municipality — a
    confidential address still gives its municipality), else the case's serving zone."""
    address = victim_residence(person_id)
    zone = zone_for_municipality(address.municipality) if address else None
    return zone or serving_zone(case)


def house_of_justice_for(prosecutor: Agency, *, language: str = "") -> Agency | None:
    """The house of justice of the prosecutor's judicial district (the one working in the
    perpetrator's language first, when the district has several, as Brussels does)."""
    if not prosecutor.arrondissement:
        return None
    houses = list(Agency.objects.filter(kind=AgencyKind.HOUSE_OF_JUSTICE,
                                        arrondissement=prosecutor.arrondissement)
                  .order_by("pk"))
    for house in houses:
        if language and language in (house.languages or []):
            return house
    return houses[0] if houses else None


def _open_case_to(*, actor: Actor, case: Case, agency: Agency, scopes: list[str],
                  purpose: str) -> bool:
    """A judicial-mandate share to ``agency`` unless it owns the case; True if one was made or
    widened."""
    if agency.pk == case.owner_agency_id:
        return False
    judicial_mandate_share(actor=actor, case_id=case.pk, recipient=agency, scopes=scopes,
                           purpose=purpose)
    return True


# --- The residence ban --------------------------------------------------------------------------

def _roles_in_case(case: Case) -> dict[int, str]:
    return dict(CaseParticipant.objects.filter(case=case).values_list("person_id", "role"))


def _checked_conditions(codes: Iterable[str], errors: dict[str, list[str]]) -> dict[str, bool]:
    rules = ban_rules()
    chosen = set(codes)
    known = {c.code for c in rules.conditions}
    if chosen - known:
        errors.setdefault("conditions", []).append(_("Unknown condition: %(codes)s.") % {
            "codes": ", ".join(sorted(chosen - known))})
    missing = [c for c in rules.conditions if c.required and c.code not in chosen]
    if missing:
        errors.setdefault("conditions", []).append(
            _("The law requires every condition marked as required. Not checked: %(list)s")
            % {"list": " ".join(c.label_in(get_language()) for c in missing)})
    return {c.code: c.code in chosen for c in rules.conditions}


def _chosen_addresses(access: CaseAccess, roles: dict[int, str], address_ids: list[int],
                      errors: dict[str, list[str]]) -> list[Address]:
    if not address_ids:
        errors["addresses"] = [_("Choose the home he must leave.")]
        return []
    addresses = list(Address.objects.filter(pk__in=address_ids, person_id__in=list(roles)))
    if len(addresses) != len(set(address_ids)):
        errors["addresses"] = [_("Choose among the addresses of the persons of this case.")]
        return []
    if any(address.confidential for address in addresses):
        errors["addresses"] = [_(
            "A confidential address can never be chosen: the notice would tell him where she "
            "is. Choose the shared home only.")]
        return []
    if not all(access.address_visible(a, roles[a.person_id]) for a in addresses):
        errors["addresses"] = [_("Choose among the addresses of the persons of this case.")]
        return []
    return addresses


def _ban_dates(starts_at: datetime | None, ends_at: datetime | None, now: datetime,
               errors: dict[str, list[str]]) -> None:
    rules = ban_rules()
    if starts_at is None:
        errors["starts_at"] = [_("Give the start of the ban.")]
    if ends_at is None:
        errors["ends_at"] = [_("Give the end of the ban.")]
    if starts_at is None or ends_at is None:
        return
    if ends_at <= starts_at:
        errors["ends_at"] = [_("The end must come after the start.")]
    elif ends_at > rules.latest_end(starts_at):
        errors["ends_at"] = [_(
            "Longer than the law allows: the prosecutor orders a ban for at most %(days)d days "
            "(here until %(latest)s). Only the family court can extend it.") % {
            "days": rules.max_days, "latest": when(rules.latest_end(starts_at))}]
    elif ends_at <= now:
        errors["ends_at"] = [_("This ban would already be over: check the dates.")]
    if starts_at > now + timedelta(days=rules.max_days):
        errors["starts_at"] = [_("A ban answers an immediate threat: it cannot start more than "
                                 "%(days)d days from now.") % {"days": rules.max_days}]


def bans_binding(*, actor: Actor, perpetrator_ids: Iterable[int],
                 starts_at: datetime | None = None,
                 ends_at: datetime | None = None) -> list[ResidenceBan]:
    """The bans on these persons that still bind (ordered, served or in force) and, when
    dates are given, overlap them; among the cases the actor sees."""
    now = timezone.now()
    bans = (ResidenceBan.objects.filter(perpetrator_id__in=list(perpetrator_ids),
                                        lifted_at__isnull=True,
                                        ends_at__gt=max(now, starts_at or now),
                                        case__in=visible_cases(actor))
            .select_related("perpetrator", "ordered_by_agency")
            .prefetch_related("addresses").order_by("starts_at", "pk"))
    if ends_at is not None:
        bans = bans.filter(starts_at__lt=ends_at)
    return list(bans)


def binds_home(ban: ResidenceBan, addresses: list[Address]) -> bool:
    """Whether the ban's home is one of ``addresses`` (the same address, or the same street
    and postcode recorded for another person)."""
    homes = {(a.street.strip().casefold(), a.postcode) for a in addresses}
    ids = {a.pk for a in addresses}
    return any(banned.address_id in ids or (banned.street.strip().casefold(), banned.postcode)
               in homes for banned in ban.addresses.all())


def overlap_message(ban: ResidenceBan) -> str:
    """What the office is told of a ban that already binds him at this home."""
    return _("%(person)s is already banned from this home: residence ban %(status)s, from "
             "%(start)s until %(end)s, ordered by %(office)s on %(ordered)s. A new ban does "
             "not extend it (only the family court can). Order this one only for new facts, "
             "and confirm it below.") % {
        "person": ban.perpetrator, "status": BanStatus(ban.status).label.lower(),
        "start": when(ban.starts_at), "end": when(ban.ends_at),
        "office": ban.ordered_by_agency.name, "ordered": when(ban.ordered_at)}


@dataclass
class BanOrdered:
    ban: ResidenceBan
    serving_zone: Agency
    house_of_justice: Agency | None
    tasks: list[Task] = field(default_factory=list)


@transaction.atomic
def ban_order(
    *,
    actor: Actor,
    case_id: int,
    perpetrator_id: int | None,
    protected_ids: list[int],
    address_ids: list[int],
    conditions: list[str],
    starts_at: datetime | None,
    ends_at: datetime | None,
    grounds: str,
    perpetrator_stays_at: str = "",
    confirm_overlap: bool = False,
) -> BanOrdered:
    """Order a residence ban (ITR / tijdelijk huisverbod).

    Checks the legal conditions of the rules file, the persons (the alleged perpetrator must
    leave; the victim and children are protected), the home (never a confidential address) and
    the duration (at most the configured days). Then: the notice is to be served by the police
    zone (a task due now, a notice to its IPV reference officer and victim-assistance service),
    the house of justice of the district monitors it (the case is opened to it with the
    judicial scope only), and the office decides on expiry or extension before the end.
    A ban that already binds him at the same home over these dates is named, and the new one
    is ordered only once the office confirms it (``confirm_overlap``).
    """
    access = measures_access(actor=actor, case_id=case_id)
    if not may_order(actor):
        raise PermissionDenied
    case = access.case
    now = timezone.now()
    rules = ban_rules()
    errors: dict[str, list[str]] = {}
    checked = _checked_conditions(conditions, errors)
    roles = _roles_in_case(case)
    if perpetrator_id is None or roles.get(perpetrator_id) != ParticipantRole.ALLEGED_PERPETRATOR:
        errors["perpetrator"] = [_("Choose the alleged perpetrator of this case: he must leave "
                                   "the home.")]
    protected = sorted(set(protected_ids))
    if not protected or any(roles.get(pk) not in PROTECTED_ROLES for pk in protected):
        errors["protected"] = [_("Choose the persons protected: the victim and the children "
                                 "living in the home.")]
    addresses = _chosen_addresses(access, roles, address_ids, errors)
    _ban_dates(starts_at, ends_at, now, errors)
    if not grounds.strip():
        errors["grounds"] = [_("State the facts or circumstances that show the threat.")]
    if addresses and perpetrator_id is not None and not confirm_overlap:
        overlapping = [ban for ban in bans_binding(actor=actor, perpetrator_ids=[perpetrator_id],
                                                   starts_at=starts_at, ends_at=ends_at)
                       if binds_home(ban, addresses)]
        if overlapping:
            errors["confirm_overlap"] = [overlap_message(ban) for ban in overlapping]
    zone = serving_zone(case)
    if zone is None and not errors:
        errors["__all__"] = [_("No police zone of this municipality uses Relais: the notice "
                               "cannot be served through Relais.")]
    if errors:
        raise ValidationError(errors)

    ban = ResidenceBan(
        case=case, perpetrator_id=perpetrator_id, ordered_by_agency=actor.agency,
        ordered_by=actor.user, starts_at=starts_at, ends_at=ends_at, ordered_ends_at=ends_at,
        conditions=checked, rules_version=rules.version, grounds=grounds.strip(),
        perpetrator_stays_at=perpetrator_stays_at.strip(), serving_agency=zone)
    ban.full_clean(exclude=["protected_persons"])
    ban.save()
    ban.protected_persons.set(protected)
    seen: set[tuple[str, str]] = set()
    for address in addresses:
        key = (address.street.strip().casefold(), address.postcode)
        if key in seen:
            continue  # the same home recorded for two persons
        seen.add(key)
        BanAddress.objects.create(ban=ban, address=address, street=address.street,
                                  postcode=address.postcode, municipality=address.municipality)
    audit_record(actor=actor, action=Action.CREATE, target=ban, case_id=case.pk,
                 scopes=[Scope.JUDICIAL, Scope.CONTACT],
                 basis=f"residence ban ordered; {LAW}"
                 + ("; a ban in force at this home was confirmed" if confirm_overlap else ""))
    timeline_add(case=case, kind="ban_ordered", agency_id=actor.agency_id, scope=Scope.JUDICIAL,
                 source=ban, summary=_("Residence ban from %(start)s until %(end)s") % {
                     "start": when(starts_at), "end": when(ends_at)})

    result = BanOrdered(ban=ban, serving_zone=zone, house_of_justice=None)
    _open_case_to(actor=actor, case=case, agency=zone, scopes=[Scope.JUDICIAL, Scope.CONTACT],
                  purpose="residence ban: serve the notice")
    notify = task_create_for(
        actor=actor, case=case, agency=zone, source=ban, basis="residence ban: serve the notice",
        spec=TaskSpec(kind=TaskKind.BAN_NOTIFY, origin_key=f"ban:{ban.pk}:notify", due_at=now,
                      person_id=perpetrator_id, for_role=Role.INTERVENTION_OFFICER,
                      note=_("Serve the residence-ban notice (print it from the ban's page) and "
                             "see that he leaves the home.")))
    result.tasks.append(notify)
    for role in (Role.IPV_REFERENCE_OFFICER, Role.VICTIM_ASSISTANCE_WORKER):
        notice_send(actor=actor, agency=zone, for_role=role, case=case,
                    kind=NoticeKind.BAN_ORDERED, source=ban)

    perpetrator_language = (CaseParticipant.objects.filter(case=case, person_id=perpetrator_id)
                            .values_list("person__file_language", flat=True).first() or "")
    house = house_of_justice_for(actor.agency, language=perpetrator_language)
    if house is not None:
        ban.monitor_agency = house
        ban.save(update_fields=["monitor_agency"])
        result.house_of_justice = house
        # The banned home is part of the order it monitors: the judicial scope is enough; her
        # phone numbers and other addresses stay closed to it.
        _open_case_to(actor=actor, case=case, agency=house, scopes=[Scope.JUDICIAL],
                      purpose="residence ban: monitoring")
        result.tasks.append(task_create_for(
            actor=actor, case=case, agency=house, source=ban, basis="residence ban: monitoring",
            spec=TaskSpec(kind=TaskKind.BAN_MONITOR, origin_key=f"ban:{ban.pk}:monitor",
                          due_at=rules.monitor_due(starts_at), person_id=perpetrator_id,
                          for_role=Role.JUSTICE_ASSISTANT,
                          note=_("Check that the residence ban is respected and where he "
                                 "stays."))))
    result.tasks.append(task_create_for(
        actor=actor, case=case, agency=actor.agency, source=ban,
        basis="residence ban: expiry or extension",
        spec=TaskSpec(kind=TaskKind.BAN_EXPIRY, origin_key=f"ban:{ban.pk}:expiry",
                      due_at=rules.expiry_due(ends_at, now), person_id=perpetrator_id,
                      for_role=Role.LEGAL_ADVISOR if actor.has_role(Role.LEGAL_ADVISOR)
                      else Role.MAGISTRATE, assignee_id=actor.user_id,
                      note=_("The ban ends on %(end)s: let it expire, or record the family "
                             "court's extension.") % {"end": when(ends_at)})))
    result.tasks = [task for task in result.tasks if task is not None]
    return result


@transaction.atomic
def ban_serve(*, actor: Actor, ban_id: int, served_at: datetime | None = None) -> ResidenceBan:
    """The police zone records that the notice was handed to him; its serving task closes."""
    ban, _access = _locked_ban(actor, ban_id)
    if not is_police(actor):
        raise PermissionDenied
    now = timezone.now()
    served_at = served_at or now
    if ban.served_at is not None:
        raise ValidationError({"served_at": [_("The notice was already served on %(when)s: "
                                               "nothing was changed.") % {
            "when": when(ban.served_at)}]})
    if ban.status_at(now) not in (BanStatus.ORDERED,):
        raise ValidationError({"served_at": [_("This ban is %(status)s: there is nothing to "
                                               "serve.") % {"status": ban.status_label.lower()}]})
    if served_at > now:
        raise ValidationError({"served_at": [_("The notice cannot be served in the future.")]})
    if served_at < min(ban.ordered_at, ban.starts_at) - timedelta(days=1):
        raise ValidationError({"served_at": [_("The notice cannot be served before the ban "
                                               "was ordered.")]})
    ban.served_at, ban.served_by = served_at, actor.user
    ban.save(update_fields=["served_at", "served_by"])
    audit_record(actor=actor, action=Action.UPDATE, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL], basis=f"residence-ban notice served; {LAW}")
    timeline_add(case=ban.case, kind="ban_served", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=ban, occurred_at=served_at,
                 summary=_("Residence-ban notice served"))
    _close_serving_tasks(actor=actor, ban=ban)
    return ban


def _close_serving_tasks(*, actor: Actor, ban: ResidenceBan) -> None:
    from relais.followup.models import Outcome
    from relais.followup.services import task_record_contact

    for task in tasks_open_for_source(ban, kinds=(TaskKind.BAN_NOTIFY,)):
        if task.agency_id != actor.agency_id:
            continue
        try:
            task_record_contact(actor=actor, task_id=task.pk, could_speak_freely="",
                                outcome=Outcome.DONE, note=_("Served (recorded on the ban)."))
        except (ValidationError, Http404, PermissionDenied):
            continue  # the task stays open in the queue; the ban itself is served


@transaction.atomic
def ban_extend(*, actor: Actor, ban_id: int, new_ends_at: datetime | None,
               decided_on: date | None, court: str, note: str = "") -> BanExtension:
    """Record the family court's extension: a new end, never after expiry, never beyond the
    configured maximum counted from the start. The office's expiry task moves with it, and the
    zone is asked to tell him."""
    ban, _access = _locked_ban(actor, ban_id)
    _require_office(actor, ban)
    rules = ban_rules()
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    status = ban.status_at(now)
    if status == BanStatus.LIFTED:
        raise ValidationError(_("This ban was lifted on %(when)s: it cannot be extended.")
                              % {"when": when(ban.lifted_at)})
    if status == BanStatus.EXPIRED:
        raise ValidationError({"new_ends_at": [_(
            "This ban expired on %(end)s: an extension must be decided before it ends. Order a "
            "new ban if the threat remains.") % {"end": when(ban.ends_at)}]})
    latest = rules.latest_extended_end(ban.starts_at)
    if new_ends_at is None:
        errors["new_ends_at"] = [_("Give the new end decided by the family court.")]
    elif new_ends_at <= ban.ends_at:
        errors["new_ends_at"] = [_("The new end must come after the current end (%(end)s).")
                                 % {"end": when(ban.ends_at)}]
    elif new_ends_at > latest:
        errors["new_ends_at"] = [_(
            "Longer than the law allows: with its extensions a ban lasts at most %(days)d days "
            "from its start (here until %(latest)s).") % {
            "days": rules.extension_max_total_days, "latest": when(latest)}]
    today = local_day(now)
    if decided_on is None:
        errors["decided_on"] = [_("Give the date of the family court's decision.")]
    elif decided_on > today:
        errors["decided_on"] = [_("The decision cannot be dated in the future.")]
    elif decided_on < local_day(ban.ordered_at):
        errors["decided_on"] = [_("The decision cannot come before the ban was ordered.")]
    if not court.strip():
        errors["court"] = [_("Name the family court that decided.")]
    if errors:
        raise ValidationError(errors)
    extension = BanExtension(ban=ban, previous_ends_at=ban.ends_at, new_ends_at=new_ends_at,
                             decided_on=decided_on, court=court.strip(), note=note.strip(),
                             recorded_by=actor.user)
    extension.full_clean()
    extension.save()
    ban.ends_at = new_ends_at
    ban.save(update_fields=["ends_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL],
                 basis=f"residence ban extended by the family court; {LAW}")
    timeline_add(case=ban.case, kind="ban_extended", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=ban,
                 summary=_("Residence ban extended until %(end)s") % {"end": when(new_ends_at)})
    expiry_note = _("The ban, extended, ends on %(end)s: let it expire, or record a further "
                    "extension.") % {"end": when(new_ends_at)}
    open_expiry = tasks_open_for_source(ban, kinds=(TaskKind.BAN_EXPIRY,))
    for task in open_expiry:
        task_reschedule(actor=actor, task=task, due_at=rules.expiry_due(new_ends_at, now),
                                note=expiry_note, basis="residence ban extended")
    if not open_expiry:
        task_create_for(
            actor=actor, case=ban.case, agency=ban.ordered_by_agency, source=ban,
            basis="residence ban extended",
            spec=TaskSpec(kind=TaskKind.BAN_EXPIRY,
                          origin_key=f"ban:{ban.pk}:expiry:{extension.pk}",
                          due_at=rules.expiry_due(new_ends_at, now), person_id=ban.perpetrator_id,
                          for_role=Role.LEGAL_ADVISOR, note=expiry_note))
    task_create_for(
        actor=actor, case=ban.case, agency=ban.serving_agency, source=ban,
        basis="residence ban extended",
        spec=TaskSpec(kind=TaskKind.BAN_NOTIFY, origin_key=f"ban:{ban.pk}:notify:{extension.pk}",
                      due_at=now, person_id=ban.perpetrator_id,
                      for_role=Role.INTERVENTION_OFFICER,
                      note=_("The family court extended the ban until %(end)s: tell him (print "
                             "the notice again from the ban's page).") % {
                          "end": when(new_ends_at)}))
    return extension


@transaction.atomic
def ban_lift(*, actor: Actor, ban_id: int, reason: str) -> ResidenceBan:
    """The office lifts the ban early; its open tasks are cancelled and the zone is asked to
    tell him it no longer applies."""
    ban, _access = _locked_ban(actor, ban_id)
    _require_office(actor, ban)
    now = timezone.now()
    status = ban.status_at(now)
    if status in (BanStatus.LIFTED, BanStatus.EXPIRED):
        raise ValidationError(_("This ban is already %(status)s: nothing was changed.")
                              % {"status": ban.status_label.lower()})
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the ban is lifted.")]})
    ban.lifted_at, ban.lifted_by, ban.lift_reason = now, actor.user, reason.strip()[:300]
    ban.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_record(actor=actor, action=Action.UPDATE, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL], basis=f"residence ban lifted; {LAW}")
    timeline_add(case=ban.case, kind="ban_lifted", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=ban, summary=_("Residence ban lifted early"))
    tasks_cancel_for_source(actor=actor, source=ban,
                                   reason=_("The residence ban was lifted."),
                                   basis="residence ban lifted")
    if status != BanStatus.ORDERED:  # he was told of it: he must be told it ended
        task_create_for(
            actor=actor, case=ban.case, agency=ban.serving_agency, source=ban,
            basis="residence ban lifted",
            spec=TaskSpec(kind=TaskKind.BAN_NOTIFY, origin_key=f"ban:{ban.pk}:lifted",
                          due_at=now, person_id=ban.perpetrator_id,
                          for_role=Role.INTERVENTION_OFFICER,
                          note=_("The prosecutor's office lifted the residence ban: tell him it "
                                 "no longer applies.")))
    return ban


@transaction.atomic
def breach_record(*, actor: Actor, ban_id: int, occurred_at: datetime | None, what: str,
                  note: str = "") -> BanBreach:
    """A breach seen by the police (or reported to the office): on the case's timeline, and a
    notice to the office's magistrates and legal advisors."""
    ban, _access = _locked_ban(actor, ban_id)
    if not (is_police(actor) or actor.agency_id == ban.ordered_by_agency_id):
        raise PermissionDenied
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    if what not in BreachKind.values:
        errors["what"] = [_("Say what happened.")]
    elif what == BreachKind.OTHER and not note.strip():
        errors["note"] = [_("Describe what happened.")]
    if occurred_at is None:
        errors["occurred_at"] = [_("Give when it happened.")]
    elif occurred_at > now + timedelta(minutes=5):
        errors["occurred_at"] = [_("A breach cannot be in the future.")]
    elif not (ban.starts_at <= occurred_at <= ban.ended_at):
        errors["occurred_at"] = [_("The ban was not in force then: it ran from %(start)s to "
                                   "%(end)s.") % {"start": when(ban.starts_at),
                                                  "end": when(ban.ended_at)}]
    if errors:
        raise ValidationError(errors)
    breach = BanBreach(ban=ban, occurred_at=occurred_at, what=what, note=note.strip(),
                       recorded_by=actor.user, recorded_by_agency=actor.agency)
    breach.full_clean()
    breach.save()
    audit_record(actor=actor, action=Action.CREATE, target=breach, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL], basis=f"breach of a residence ban; {LAW}")
    timeline_add(case=ban.case, kind="ban_breached", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=breach, occurred_at=occurred_at,
                 summary=str(BreachKind(what).label))
    for role in ORDERING_ROLES:
        notice_send(actor=actor, agency=ban.ordered_by_agency, for_role=role, case=ban.case,
                    kind=NoticeKind.BAN_BREACHED, source=ban)
    return breach


@transaction.atomic
def ban_set_stay(*, actor: Actor, ban_id: int, perpetrator_stays_at: str) -> ResidenceBan:
    """Where he will stay during the ban (police and justice only)."""
    ban, _access = _locked_ban(actor, ban_id)
    if not (is_police(actor) or may_order(actor)):
        raise PermissionDenied
    if len(perpetrator_stays_at) > 300:
        raise ValidationError({"perpetrator_stays_at": [_("At most 300 characters.")]})
    ban.perpetrator_stays_at = perpetrator_stays_at.strip()
    ban.save(update_fields=["perpetrator_stays_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL], basis="residence ban: where he stays")
    return ban


# --- Detention and release ----------------------------------------------------------------------

def _conditions_errors(conditions: list[str], note: str,
                       errors: dict[str, list[str]]) -> list[str]:
    chosen = list(dict.fromkeys(conditions))
    if any(code not in ReleaseCondition.values for code in chosen):
        errors["conditions"] = [_("Choose conditions from the list.")]
    elif ReleaseCondition.OTHER in chosen and not note.strip():
        errors["conditions_note"] = [_("Describe the other condition.")]
    return chosen


@transaction.atomic
def detention_record(
    *,
    actor: Actor,
    case_id: int,
    person_id: int | None,
    kind: str,
    since: datetime | None,
    place: str = "",
    expected_release_on: date | None = None,
    conditions: list[str] | None = None,
    conditions_note: str = "",
) -> Detention:
    """The prosecutor's office records an arrest warrant or detention; the police an arrest."""
    access = measures_access(actor=actor, case_id=case_id)
    if not (may_order(actor) or is_police(actor)):
        raise PermissionDenied
    case = access.case
    now = timezone.now()
    errors: dict[str, list[str]] = {}
    roles = _roles_in_case(case)
    if person_id is None or roles.get(person_id) != ParticipantRole.ALLEGED_PERPETRATOR:
        errors["person"] = [_("Choose the alleged perpetrator of this case.")]
    if kind not in DetentionKind.values:
        errors["kind"] = [_("Choose the kind of detention.")]
    if since is None:
        errors["since"] = [_("Give when the detention started.")]
    elif since > now + timedelta(minutes=5):
        errors["since"] = [_("A detention cannot start in the future.")]
    if since is not None and expected_release_on is not None \
            and expected_release_on < local_day(since):
        errors["expected_release_on"] = [_("The expected release cannot come before the "
                                           "detention started.")]
    chosen = _conditions_errors(conditions or [], conditions_note, errors)
    if person_id is not None and not errors and Detention.objects.filter(
            case=case, person_id=person_id, released_at__isnull=True).exists():
        errors["person"] = [_("He is already recorded as detained on this case: record his "
                              "release first.")]
    if errors:
        raise ValidationError(errors)
    detention = Detention(case=case, person_id=person_id, kind=kind, since=since,
                          place=place.strip(), expected_release_on=expected_release_on,
                          conditions=chosen, conditions_note=conditions_note.strip(),
                          recorded_by=actor.user, recorded_by_agency=actor.agency)
    detention.full_clean()
    detention.save()
    audit_record(actor=actor, action=Action.CREATE, target=detention, case_id=case.pk,
                 scopes=[Scope.JUDICIAL], basis="detention recorded")
    timeline_add(case=case, kind="detention_recorded", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=detention, occurred_at=since,
                 summary=str(DetentionKind(kind).label))
    return detention


@dataclass(frozen=True)
class ReleaseWarning:
    """One victim's zone told of the release, and the task to warn her."""

    victim_id: int
    zone: Agency | None
    task: Task | None
    shared: bool = False
    # The zone was found from a confidential address the actor may not see: its name is not
    # shown to her (it would say roughly where the shelter is).
    discreet: bool = False


@dataclass(frozen=True)
class ReleaseRecorded:
    detention: Detention
    warnings: tuple[ReleaseWarning, ...]

    @property
    def unwarned(self) -> bool:
        """A victim whose zone does not use Relais: someone must phone it."""
        return any(w.zone is None for w in self.warnings)


def _victim_ids(case: Case) -> list[int]:
    return list(CaseParticipant.objects.filter(case=case, role=ParticipantRole.VICTIM)
                .order_by("pk").values_list("person_id", flat=True))


def _victim_assistance_unit(zone: Agency) -> int | None:
    return (Unit.objects.filter(agency=zone, kind=UnitKind.VICTIM_ASSISTANCE).order_by("pk")
            .values_list("pk", flat=True).first())


@transaction.atomic
def release_record(*, actor: Actor, detention_id: int, released_at: datetime | None,
                   conditions: list[str] | None = None,
                   conditions_note: str = "") -> ReleaseRecorded:
    """Record a release (done, or planned within days); at once, for each victim of the case:

    (a) the police zone of her residence is found (her current address's municipality; else
        the zone serving the case) and the case is opened to it (judicial and contact scopes)
        when it does not own it;
    (b) its victim-assistance workers and IPV reference officer get a RELEASE notice;
    (c) its victim-assistance service gets a same-day task to warn her, which shows her
        safe-contact instructions. Made once per detention and victim (its origin key).
    """
    detention = (Detention.objects.select_for_update(of=("self",)).select_related("case")
                 .filter(pk=detention_id, case__in=visible_cases(actor)).first())
    if detention is None:
        raise Http404
    measures_access(actor=actor, case_id=detention.case_id)
    if not (may_order(actor) or is_police(actor)):
        raise PermissionDenied
    now = timezone.now()
    if detention.released_at is not None:
        raise ValidationError(_("The release was already recorded (%(when)s): nothing was "
                                "changed.") % {"when": when(detention.released_at)})
    errors: dict[str, list[str]] = {}
    if released_at is None:
        errors["released_at"] = [_("Give the date and time of the release.")]
    elif released_at < detention.since:
        errors["released_at"] = [_("The release cannot come before the detention started "
                                   "(%(since)s).") % {"since": when(detention.since)}]
    elif released_at > now + timedelta(days=PLANNED_RELEASE_MAX_DAYS):
        errors["released_at"] = [_("Record a planned release at most %(days)d days ahead.")
                                 % {"days": PLANNED_RELEASE_MAX_DAYS}]
    chosen = _conditions_errors(conditions if conditions is not None else detention.conditions,
                                conditions_note, errors)
    if errors:
        raise ValidationError(errors)
    case = detention.case
    detention.released_at = released_at
    detention.conditions = chosen
    detention.conditions_note = conditions_note.strip()
    detention.release_recorded_by, detention.release_recorded_at = actor.user, now
    detention.full_clean()
    detention.save()
    audit_record(actor=actor, action=Action.UPDATE, target=detention, case_id=case.pk,
                 scopes=[Scope.JUDICIAL], basis="release recorded")
    labels = ", ".join(detention.condition_labels()) or _("none")
    timeline_add(case=case, kind="release_recorded", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=detention, occurred_at=released_at,
                 summary=_("Release on %(when)s; conditions: %(conditions)s") % {
                     "when": when(released_at), "conditions": labels})
    warnings = [_warn_of_release(actor=actor, detention=detention, victim_id=victim_id, now=now)
                for victim_id in _victim_ids(case)]
    first = next((w.zone for w in warnings if w.zone is not None), None)
    if first is not None:
        detention.release_zone = first
        detention.save(update_fields=["release_zone"])
    return ReleaseRecorded(detention=detention, warnings=tuple(warnings))


def _warn_of_release(*, actor: Actor, detention: Detention, victim_id: int,
                     now: datetime) -> ReleaseWarning:
    case = detention.case
    zone = victim_zone(case, victim_id)
    if zone is None:
        return ReleaseWarning(victim_id=victim_id, zone=None, task=None)
    shared = _open_case_to(actor=actor, case=case, agency=zone,
                           scopes=[Scope.JUDICIAL, Scope.CONTACT],
                           purpose="release of the alleged perpetrator: warn the victim")
    due = end_of_day(now)
    if now < detention.released_at < due:
        due = detention.released_at
    task = task_create_for(
        actor=actor, case=case, agency=zone, source=detention,
        basis="release: warn the victim",
        spec=TaskSpec(kind=TaskKind.RELEASE_WARNING,
                      origin_key=f"release:{detention.pk}:{victim_id}", due_at=due,
                      person_id=victim_id, for_role=Role.VICTIM_ASSISTANCE_WORKER,
                      unit_id=_victim_assistance_unit(zone),
                      note=_("He is released on %(when)s (conditions: %(conditions)s). Warn her "
                             "today, as her safe-contact instructions say.") % {
                          "when": when(detention.released_at),
                          "conditions": ", ".join(detention.condition_labels()) or _("none")}))
    if task is not None:
        for role in (Role.VICTIM_ASSISTANCE_WORKER, Role.IPV_REFERENCE_OFFICER):
            notice_send(actor=actor, agency=zone, for_role=role, case=case,
                        kind=NoticeKind.RELEASE, source=detention)
    return ReleaseWarning(victim_id=victim_id, zone=zone, task=task, shared=shared,
                          discreet=zone_is_discreet(actor=actor, case=case, person_id=victim_id,
                                                    zone=zone))


def zone_is_discreet(*, actor: Actor, case: Case, person_id: int, zone: Agency | None) -> bool:
    """Whether naming ``zone`` to the actor would tell her roughly where a confidential address
    she may not see is (the zone came from its municipality)."""
    if zone is None or zone.pk in (case.owner_agency_id, actor.agency_id):
        return False
    address = victim_residence(person_id)
    if address is None or not address.confidential:
        return False
    if address.keeper_agency_id == actor.agency_id:
        return False
    access = case_access(actor=actor, case_id=case.pk)
    if access.address_visible(address, ParticipantRole.VICTIM):
        return False
    return zone_for_municipality(address.municipality) == zone

"""The residence ban (ITR / tijdelijk huisverbod, law of 15 May 2012): the prosecutor's office
orders, extends and lifts it on a case it sees; the police zone serves the notice and records
breaches; both note where he stays. A ban that already binds him at the same home is named and
must be confirmed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.access.cases import CaseAccess, visible_cases
from relais.access.measures import (
    ORDERING_ROLES,
    may_change_ban,
    may_note_stay,
    may_order,
    may_record_breach,
    may_serve,
    measures_access,
)
from relais.access.scopes import Scope
from relais.accounts.models import (
    Agency,
    Role,
)
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Address, Case, CaseParticipant, ParticipantRole
from relais.cases.timeline import timeline_add
from relais.core import hooks
from relais.core.actor import Actor
from relais.core.history import authored
from relais.core.texts import choice, text
from relais.followup import notes
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
    ResidenceBan,
)
from relais.measures.rules import ban_rules
from relais.measures.services.common import (
    LAW,
    PROTECTED_ROLES,
    _open_case_to,
    house_of_justice_for,
    serving_zone,
    when,
)
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send


def _locked_ban(actor: Actor, ban_id: int) -> tuple[ResidenceBan, CaseAccess]:
    ban = (ResidenceBan.objects.select_for_update(of=("self",))
           .select_related("case", "ordered_by_agency", "serving_agency")
           .filter(pk=ban_id, case__in=visible_cases(actor)).first())
    if ban is None:
        raise Http404
    return ban, measures_access(actor=actor, case_id=ban.case_id)


def _require_office(actor: Actor, ban: ResidenceBan) -> None:
    """Only the office that ordered the ban changes it."""
    if not may_change_ban(actor, ban):
        raise Http404


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
        raise Http404
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
    authored(actor, ban)
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
                 source=ban, text=text("measures.ban_ordered", start=when(starts_at),
                                       end=when(ends_at)))

    hooks.run("criminal_measure_ordered", actor=actor, case=case, measure="residence_ban",
              starts_on=timezone.localdate(starts_at), ends_on=timezone.localdate(ends_at))
    result = BanOrdered(ban=ban, serving_zone=zone, house_of_justice=None)
    _open_case_to(actor=actor, case=case, agency=zone, scopes=[Scope.JUDICIAL, Scope.CONTACT],
                  purpose="residence ban: serve the notice")
    notify = task_create_for(
        actor=actor, case=case, agency=zone, source=ban, basis="residence ban: serve the notice",
        spec=TaskSpec(kind=TaskKind.BAN_NOTIFY, origin_key=f"ban:{ban.pk}:notify", due_at=now,
                      person_id=perpetrator_id, for_role=Role.INTERVENTION_OFFICER,
                      reason=notes.reason("ban_serve")))
    result.tasks.append(notify)
    for role in (Role.IPV_REFERENCE_OFFICER, Role.VICTIM_ASSISTANCE_WORKER):
        notice_send(actor=actor, agency=zone, for_role=role, case=case,
                    kind=NoticeKind.BAN_ORDERED, source=ban)

    perpetrator_language = (CaseParticipant.objects.filter(case=case, person_id=perpetrator_id)
                            .values_list("person__file_language", flat=True).first() or "")
    house = house_of_justice_for(actor.agency, language=perpetrator_language)
    if house is not None:
        ban.monitor_agency = house
        authored(actor, ban)
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
                          reason=notes.reason("ban_monitor"))))
    result.tasks.append(task_create_for(
        actor=actor, case=case, agency=actor.agency, source=ban,
        basis="residence ban: expiry or extension",
        spec=TaskSpec(kind=TaskKind.BAN_EXPIRY, origin_key=f"ban:{ban.pk}:expiry",
                      due_at=rules.expiry_due(ends_at, now), person_id=perpetrator_id,
                      for_role=actor.role_among(Role.LEGAL_ADVISOR, Role.MAGISTRATE),
                      assignee_id=actor.user_id,
                      reason=notes.reason("ban_expiry", end=when(ends_at)))))
    result.tasks = [task for task in result.tasks if task is not None]
    return result


@transaction.atomic
def ban_serve(*, actor: Actor, ban_id: int, served_at: datetime | None = None) -> ResidenceBan:
    """The police zone records that the notice was handed to him; its serving task closes."""
    ban, _access = _locked_ban(actor, ban_id)
    if not may_serve(actor):
        raise Http404
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
    authored(actor, ban)
    ban.save(update_fields=["served_at", "served_by"])
    audit_record(actor=actor, action=Action.UPDATE, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL], basis=f"residence-ban notice served; {LAW}")
    timeline_add(case=ban.case, kind="ban_served", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=ban, occurred_at=served_at,
                 text=text("measures.ban_served"))
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
                                outcome=Outcome.DONE,
                                note_codes=text("measures.served_on_ban"))
        except (ValidationError, Http404):
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
    authored(actor, ban)
    ban.save(update_fields=["ends_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL],
                 basis=f"residence ban extended by the family court; {LAW}")
    timeline_add(case=ban.case, kind="ban_extended", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=ban,
                 text=text("measures.ban_extended", end=when(new_ends_at)))
    expiry_note = notes.reason("ban_expiry_extended", end=when(new_ends_at))
    open_expiry = tasks_open_for_source(ban, kinds=(TaskKind.BAN_EXPIRY,))
    for task in open_expiry:
        task_reschedule(actor=actor, task=task, due_at=rules.expiry_due(new_ends_at, now),
                        reason=expiry_note, basis="residence ban extended")
    if not open_expiry:
        task_create_for(
            actor=actor, case=ban.case, agency=ban.ordered_by_agency, source=ban,
            basis="residence ban extended",
            spec=TaskSpec(kind=TaskKind.BAN_EXPIRY,
                          origin_key=f"ban:{ban.pk}:expiry:{extension.pk}",
                          due_at=rules.expiry_due(new_ends_at, now), person_id=ban.perpetrator_id,
                          for_role=Role.LEGAL_ADVISOR, reason=expiry_note))
    task_create_for(
        actor=actor, case=ban.case, agency=ban.serving_agency, source=ban,
        basis="residence ban extended",
        spec=TaskSpec(kind=TaskKind.BAN_NOTIFY, origin_key=f"ban:{ban.pk}:notify:{extension.pk}",
                      due_at=now, person_id=ban.perpetrator_id,
                      for_role=Role.INTERVENTION_OFFICER,
                      reason=notes.reason("ban_extended", end=when(new_ends_at))))
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
    authored(actor, ban)
    ban.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    audit_record(actor=actor, action=Action.UPDATE, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL], basis=f"residence ban lifted; {LAW}")
    timeline_add(case=ban.case, kind="ban_lifted", agency_id=actor.agency_id,
                 scope=Scope.JUDICIAL, source=ban, text=text("measures.ban_lifted"))
    tasks_cancel_for_source(actor=actor, source=ban, reason=text("measures.ban_lifted_cancel"),
                            basis="residence ban lifted")
    if status != BanStatus.ORDERED:  # he was told of it: he must be told it ended
        task_create_for(
            actor=actor, case=ban.case, agency=ban.serving_agency, source=ban,
            basis="residence ban lifted",
            spec=TaskSpec(kind=TaskKind.BAN_NOTIFY, origin_key=f"ban:{ban.pk}:lifted",
                          due_at=now, person_id=ban.perpetrator_id,
                          for_role=Role.INTERVENTION_OFFICER,
                          reason=notes.reason("ban_lifted")))
    return ban


@transaction.atomic
def breach_record(*, actor: Actor, ban_id: int, occurred_at: datetime | None, what: str,
                  note: str = "") -> BanBreach:
    """A breach seen by the police (or reported to the office): on the case's timeline, and a
    notice to the office's magistrates and legal advisors."""
    ban, _access = _locked_ban(actor, ban_id)
    if not may_record_breach(actor, ban):
        raise Http404
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
                 text=choice("measures.breach_kind", what))
    for role in ORDERING_ROLES:
        notice_send(actor=actor, agency=ban.ordered_by_agency, for_role=role, case=ban.case,
                    kind=NoticeKind.BAN_BREACHED, source=ban)
    return breach


@transaction.atomic
def ban_set_stay(*, actor: Actor, ban_id: int, perpetrator_stays_at: str) -> ResidenceBan:
    """Where he will stay during the ban (police and justice only)."""
    ban, _access = _locked_ban(actor, ban_id)
    if not may_note_stay(actor):
        raise Http404
    if len(perpetrator_stays_at) > 300:
        raise ValidationError({"perpetrator_stays_at": [_("At most 300 characters.")]})
    ban.perpetrator_stays_at = perpetrator_stays_at.strip()
    authored(actor, ban)
    ban.save(update_fields=["perpetrator_stays_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=ban, case_id=ban.case_id,
                 scopes=[Scope.JUDICIAL], basis="residence ban: where he stays")
    return ban

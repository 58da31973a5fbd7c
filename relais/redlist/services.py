"""Every write of the red list: putting an address or a phone on it, extending its review
date, lifting it, refreshing what the dispatch is told, and the expiry (the tick).

Each service runs in one transaction, checks access through ``relais.access.redlist``, and
writes its audit event in it. The review task is a follow-up task (``TaskKind.REDLIST_REVIEW``)
for the zone's reference officer, due ``REVIEW_NOTICE_DAYS`` before the review date.
"""

from __future__ import annotations

import calendar
import secrets
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access import redlist as policy
from relais.access.cases import case_access
from relais.audit.models import Action
from relais.audit.services import audit_record, audit_record_many, build_event
from relais.cases.models import CaseParticipant, CaseStatus, ParticipantRole
from relais.core.actor import Actor
from relais.core.texts import text
from relais.core.versions import record_version, version_check
from relais.followup.models import Priority, TaskKind
from relais.followup.notes import reason as note
from relais.followup.rules import TaskSpec, at_local
from relais.followup.services import (
    case_priorities,
    policy_for,
    task_create_for,
    tasks_cancel_for_source,
)
from relais.intake.models import Report
from relais.redlist.models import EntryKind, LiftReason, RedListEntry, RedListKey
from relais.redlist.normalise import (
    Address,
    address_clean,
    phone_e164,
    phone_key,
)
from relais.risk.instruments import YES
from relais.risk.models import RiskAssessment

MAX_MONTHS = 6
REVIEW_NOTICE_DAYS = 14
BASIS = "red list for dispatch"
BAN_KINDS = frozenset({"residence_ban", "no_contact", "contact_conditions"})
ALARM_KINDS = frozenset({"harassment_alarm"})
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
REVIEW_REASON = "redlist_review"
EXPIRED_REASON = text("redlist.expired")  # a review task's cancel reason


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_review_on(today: date | None = None) -> date:
    """The furthest review date allowed: 6 months from today."""
    return add_months(today or timezone.localdate(), MAX_MONTHS)


def _check_review_on(review_on: date | None) -> None:
    today = timezone.localdate()
    if review_on is None:
        raise ValidationError({"review_on": _("Give a valid date.")})
    if review_on <= today:
        raise ValidationError({"review_on": _("The review date must be after today.")})
    if review_on > latest_review_on(today):
        raise ValidationError({"review_on": _("The review date is at most 6 months ahead "
                                              "(%(day)s).") % {
            "day": latest_review_on(today).strftime("%d/%m/%Y")}})


def _new_reference() -> str:
    while True:
        ref = "RL-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(8))
        if not RedListEntry.objects.filter(reference=ref).exists():
            return ref


# --- What the dispatch is told ------------------------------------------------------------------

def _weapons(case_id: int) -> bool:
    if Report.objects.filter(case_id=case_id).exclude(risk_weapons="").exists():
        return True
    for assessment in RiskAssessment.objects.filter(case_id=case_id, superseded=False):
        if any("weapon" in code and answer == YES
               for code, answer in (assessment.answers or {}).items()):
            return True
    return False


def flags_refresh(entry: RedListEntry, *, actor: Actor) -> None:
    """Compute the priority and the flags from the case as it is now (not saved)."""
    from relais.cases.measures import measures_in_force

    case = entry.case
    priority = case_priorities([case.pk]).get(case.pk, Priority.NORMAL)
    kinds = {line.kind for line in measures_in_force(policy.flags_access(actor=actor,
                                                                          case=case))}
    entry.high_risk = priority >= Priority.HIGH
    entry.weapons = _weapons(case.pk)
    entry.ban_in_force = bool(kinds & BAN_KINDS)
    entry.alarm = bool(kinds & ALARM_KINDS)
    entry.children = CaseParticipant.objects.filter(case=case,
                                                   role=ParticipantRole.CHILD).exists()
    # Being on the list raises a call's priority; high risk or weapons make it urgent.
    floor = Priority.URGENT if (entry.high_risk and entry.weapons) else Priority.RAISED
    entry.priority = max(priority, floor)
    entry.flags_at = timezone.now()


FLAG_FIELDS = ["priority", "high_risk", "weapons", "ban_in_force", "alarm", "children",
               "flags_at"]


# --- Put, extend, lift ----------------------------------------------------------------------------

def _keys_for(entry: RedListEntry, address: Address | None) -> list[str]:
    if entry.kind == EntryKind.PHONE:
        return [phone_key(entry.phone)]
    return address.keys if address is not None else []


def _review_task(actor: Actor, entry: RedListEntry) -> None:
    zone = entry.zone
    due = entry.review_on - timedelta(days=REVIEW_NOTICE_DAYS)
    due = max(due, timezone.localdate() + timedelta(days=1))
    spec = TaskSpec(kind=TaskKind.REDLIST_REVIEW,
                    origin_key=f"redlist:{entry.pk}:{entry.review_on.isoformat()}",
                    due_at=at_local(min(due, entry.review_on), policy_for(zone).day_ends_at),
                    person_id=None, for_role=policy.REVIEW_ROLE,
                    reason=note(REVIEW_REASON, reference=entry.reference,
                                day=entry.review_on.strftime("%d/%m/%Y")))
    task_create_for(actor=actor, spec=spec, case=entry.case, agency=zone, source=entry,
                    basis=policy.REVIEW_BASIS)


@transaction.atomic
def entry_place(*, actor: Actor, case_id: int, kind: str, reason: str, reason_text: str = "",
                review_on: date, postcode: str = "", refnis: str = "",
                streets: list[str] | None = None, number: str = "", box: str = "",
                phone: str = "") -> RedListEntry:
    """Put an address or a phone number on the red list, on a case she can open; a review task
    goes to the zone's reference officer. Audited."""
    if not policy.may_place(actor):
        raise Http404
    access = case_access(actor=actor, case_id=case_id)
    if not policy.may_place_on(access) or access.case.status != CaseStatus.OPEN:
        raise Http404
    zone = policy.zone_of(actor, access.case)
    if zone is None:
        raise ValidationError(_("This case has no police zone: the red list is kept by zone."))
    _check_review_on(review_on)
    if reason == "other" and not reason_text.strip():
        raise ValidationError({"reason_text": _("Say why.")})
    entry = RedListEntry(reference=_new_reference(), kind=kind, case=access.case, zone=zone,
                         placed_by_agency=actor.agency, placed_by=actor.user, reason=reason,
                         reason_text=reason_text.strip(), review_on=review_on)
    address = None
    if kind == EntryKind.ADDRESS:
        address = address_clean(postcode=postcode, streets=streets or [], number=number,
                                box=box, refnis=refnis)
        entry.postcode, entry.refnis = address.postcode, address.refnis
        entry.streets, entry.number, entry.box = list(address.streets), address.number, \
            address.box
    elif kind == EntryKind.PHONE:
        entry.phone = phone_e164(phone)
    else:
        raise ValidationError({"kind": _("Choose an address or a phone number.")})
    flags_refresh(entry, actor=actor)
    entry.full_clean()
    entry.save()
    RedListKey.objects.bulk_create([RedListKey(key=key, entry=entry, review_on=review_on)
                                    for key in _keys_for(entry, address)])
    audit_record(actor=actor, action=Action.CREATE, target=entry, case_id=entry.case_id,
                 basis=BASIS)
    _review_task(actor, entry)
    return entry


# What a review or a lift reads of the entry before deciding (relais.core.versions): a review
# saved since (kept until another date) is not undone by one decided on the date before it.
CHANGE_FIELDS = ("review_on",)


def entry_version(entry: RedListEntry) -> str:
    """The entry's version for its review and lift forms."""
    return record_version(entry, CHANGE_FIELDS)


def _entry_for_change(actor: Actor, entry_id: int, version: str | None) -> RedListEntry:
    entry = (policy.entry_scope(actor).select_for_update()
             .select_related("case", "case__owner_agency", "zone").filter(pk=entry_id).first())
    if entry is None or entry.lifted_at is not None:
        raise Http404
    version_check(entry, CHANGE_FIELDS, version, labels={"review_on": _("Review by")})
    return entry


@transaction.atomic
def entry_extend(*, actor: Actor, entry_id: int, review_on: date | None,
                 version: str | None = None) -> RedListEntry:
    """The review: keep the entry until a new date (at most 6 months ahead); the flags are
    computed again and a new review task replaces the open one. Audited. ``version``: the
    entry's as she read it; reviewed since, ``EditConflict``."""
    entry = _entry_for_change(actor, entry_id, version)
    _check_review_on(review_on)
    entry.review_on = review_on
    flags_refresh(entry, actor=actor)
    entry.save(update_fields=["review_on", *FLAG_FIELDS])
    entry.keys.update(review_on=review_on)
    audit_record(actor=actor, action=Action.UPDATE, target=entry, case_id=entry.case_id,
                 basis=BASIS + ": reviewed, kept until " + review_on.isoformat())
    tasks_cancel_for_source(actor=actor, source=entry, reason=text("redlist.reviewed"),
                            basis=policy.REVIEW_BASIS)
    _review_task(actor, entry)
    return entry


def _lift(entry: RedListEntry, *, actor: Actor | None, why: str) -> None:
    entry.lifted_at = timezone.now()
    entry.lifted_by = actor.user if actor else None
    entry.lift_reason = why
    entry.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    entry.keys.all().delete()


@transaction.atomic
def entry_lift(*, actor: Actor, entry_id: int, why: str,
               version: str | None = None) -> RedListEntry:
    """Take the entry off the list now (its keys go; the entry stays, lifted). Audited.
    ``version``: the entry's as she read it; reviewed since, ``EditConflict``."""
    entry = _entry_for_change(actor, entry_id, version)
    if why not in LiftReason.values or why == LiftReason.EXPIRED:
        raise ValidationError({"why": _("Choose why the entry is lifted.")})
    _lift(entry, actor=actor, why=why)
    audit_record(actor=actor, action=Action.UPDATE, target=entry, case_id=entry.case_id,
                 basis=BASIS + ": lifted (" + why + ")")
    tasks_cancel_for_source(actor=actor, source=entry, reason=EXPIRED_REASON,
                            basis=policy.REVIEW_BASIS)
    return entry


# --- The tick -------------------------------------------------------------------------------------

def expire_due(*, today: date | None = None) -> int:
    """Lift every entry whose review date has passed (one audit event each, no actor: the
    system), and cancel their review tasks. Look-ups already ignore them (``review_on``)."""
    from relais.followup.models import Task, TaskStatus

    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(RedListEntry.objects.select_for_update()
                   .filter(lifted_at__isnull=True, review_on__lt=today).order_by("pk"))
        if not due:
            return 0
        now = timezone.now()
        ids = [e.pk for e in due]
        RedListEntry.objects.filter(pk__in=ids).update(lifted_at=now,
                                                       lift_reason=LiftReason.EXPIRED)
        RedListKey.objects.filter(entry_id__in=ids).delete()
        tasks = list(Task.objects.filter(source_type=RedListEntry._meta.label_lower,
                                         source_id__in=[str(i) for i in ids],
                                         status=TaskStatus.OPEN))
        Task.objects.filter(pk__in=[t.pk for t in tasks]).update(
            status=TaskStatus.CANCELLED, cancel_codes=EXPIRED_REASON, completed_at=now)
        audit_record_many(
            [build_event(actor=None, action=Action.UPDATE, target=e, case_id=e.case_id,
                         basis=BASIS + ": expired, removed by itself") for e in due]
            + [build_event(actor=None, action=Action.UPDATE, target=t, case_id=t.case_id,
                           basis=policy.REVIEW_BASIS + ": cancelled, entry expired")
               for t in tasks])
    return len(due)


REFRESH_AFTER = timedelta(hours=6)
REFRESH_BATCH = 500


def flags_refresh_due(*, now=None, batch: int = REFRESH_BATCH) -> int:
    """Compute again what the dispatch is told (a ban ends, an alarm is returned, the risk is
    reassessed) for the listed entries not refreshed for ``REFRESH_AFTER``, oldest first, at most
    ``batch`` a run. An entry whose priority or flags change gets an audit event (no actor: the
    system). Returns how many changed."""
    now = now or timezone.now()
    entries = list(RedListEntry.objects.filter(lifted_at__isnull=True,
                                               flags_at__lt=now - REFRESH_AFTER)
                   .select_related("case", "case__owner_agency", "placed_by",
                                   "placed_by__agency").order_by("flags_at", "pk")[:batch])
    changed = []
    with transaction.atomic():
        for entry in entries:
            before = (entry.priority, *entry.flags.values())
            flags_refresh(entry, actor=Actor.for_user(entry.placed_by, channel="tick"))
            entry.save(update_fields=FLAG_FIELDS)
            if (entry.priority, *entry.flags.values()) != before:
                changed.append(entry)
        if changed:
            audit_record_many([build_event(actor=None, action=Action.UPDATE, target=e,
                                           case_id=e.case_id,
                                           basis=BASIS + ": priority and flags refreshed")
                               for e in changed])
    return len(changed)

"""Every write of the consultation: the body's administration, referrals, meetings and their
record, the joint safety plan and its actions, a case leaving the consultation.

Each service runs in one transaction, asks relais.access.consultation, and writes its audit
event. Texts Relais writes (criteria met, task reasons) are codes with parameters.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.access import consultation as policy
from relais.access import services as access_services
from relais.access.cases import case_access
from relais.access.scopes import OWNER_ONLY
from relais.accounts.models import Agency, User
from relais.audit.models import Action as Audit
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant, ParticipantRole
from relais.cases.timeline import timeline_add
from relais.consultation import criteria as rules_of
from relais.consultation.models import (
    AGENDA_FIELDS,
    Action,
    ActionKind,
    Attendance,
    Basis,
    Body,
    Contribution,
    Criteria,
    ExitReason,
    Hearing,
    Informed,
    Level,
    Meeting,
    MeetingKind,
    Membership,
    Plan,
    PlanStatus,
    Referral,
    ReferralStatus,
)
from relais.core.actor import Actor
from relais.core.versions import record_version, values_check, version_check, version_of
from relais.followup import notes
from relais.followup.models import Priority, TaskKind
from relais.followup.rules import LAST_MINUTE, TaskSpec, at_local
from relais.followup.services import case_priorities, task_create_for, tasks_cancel_for_source
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send

# How long a plan's shares last without a new hearing: a plan not reviewed for half a year
# is no longer a live consultation.
SHARE_MONTHS = 6
LEVEL_PRIORITY = {Level.MODERATE: Priority.RAISED, Level.HIGH: Priority.HIGH,
                  Level.VERY_HIGH: Priority.URGENT, Level.CRITICAL: Priority.URGENT}


def _kind_words(params: dict[str, Any]) -> dict[str, Any]:
    kind = params.get("kind", "")
    return {**params, "kind": ActionKind(kind).label if kind in ActionKind.values else kind}


notes.register_note("consultation_action", gettext_lazy(
    "Safety-plan action agreed at %(body)s on %(date)s: %(kind)s."), params=_kind_words)
notes.register_note("consultation_detail", gettext_lazy("%(detail)s"))
notes.register_note("consultation.left", gettext_lazy("The case left the consultation."))


def _coordinated(actor: Actor, body_id: int) -> Body:
    body = policy.coordinated_bodies(actor).select_for_update().filter(pk=body_id).first()
    if body is None:
        raise Http404
    return body


def _alert_coordinators(*, actor: Actor, body: Body, case, kind: str, source: Any) -> None:
    """The body's coordinators: the secretariat's team (access.consultation.action_team)."""
    notice_send(actor=actor, agency=body.agency, for_role=policy.action_team(body.agency),
                case=case, kind=kind, source=source)


# --- The body ------------------------------------------------------------------------------

@transaction.atomic
def body_create(*, actor: Actor | None, name: str, agency: Agency, area: str,
                protocol_reference: str, coordinator: User | None = None) -> Body:
    """A new body, run from the secretariat ``agency`` (a multi-agency platform), with the
    default criteria as version 1 (``manage.py consultation_body``, the demo)."""
    if not policy.runs_bodies(agency):
        raise ValidationError({"agency": _("A body is run from a multi-agency platform.")})
    body = Body.objects.create(name=name.strip(), agency=agency, area=area,
                               protocol_reference=protocol_reference.strip(),
                               agenda_fields=list(AGENDA_FIELDS), coordinator=coordinator)
    criteria_current(body)
    audit_record(actor=actor, action=Audit.CREATE, target=body, basis="consultation body")
    return body


PROTOCOL_FIELDS = ("protocol_reference", "agenda_fields", "coordinator_id")


def body_version(body: Body) -> str:
    """The protocol's version for its edit form (relais.core.versions)."""
    return record_version(body, PROTOCOL_FIELDS)


@transaction.atomic
def body_update(*, actor: Actor, body_id: int, protocol_reference: str,
                agenda_fields: Iterable[str], coordinator_id: int | None,
                version: str | None = None) -> Body:
    """The coordinator keeps the body's protocol: its reference, what the agenda shows, who
    coordinates. ``version``: the protocol's version as she read it; saved over since,
    ``EditConflict``."""
    body = _coordinated(actor, body_id)
    version_check(body, PROTOCOL_FIELDS, version)
    fields = [f for f in AGENDA_FIELDS if f in set(agenda_fields)]
    if not protocol_reference.strip():
        raise ValidationError({"protocol_reference": _("Give the protocol's reference.")})
    if "names" not in fields:
        raise ValidationError({"agenda_fields": _(
            "The agenda needs at least the names: members check their records with them.")})
    if coordinator_id is not None and not policy.coordinator_candidates(body).filter(
            pk=coordinator_id).exists():
        raise ValidationError({"coordinator": _("Choose a coordinator of the secretariat.")})
    body.protocol_reference = protocol_reference.strip()[:120]
    body.agenda_fields = fields
    body.coordinator_id = coordinator_id
    body.save(update_fields=["protocol_reference", "agenda_fields", "coordinator"])
    audit_record(actor=actor, action=Audit.UPDATE, target=body, basis="consultation protocol")
    return body


def _agency_user(agency: Agency, user_id: int | None, field: str) -> int | None:
    if user_id is None:
        return None
    if not User.objects.filter(pk=user_id, agency=agency, is_active=True).exists():
        raise ValidationError({field: _("Choose someone of that agency.")})
    return user_id


MEMBER_FIELDS = ("representative_id", "deputy_id")


def member_version(member: Membership) -> str:
    """A membership's version for its form (relais.core.versions)."""
    return record_version(member, MEMBER_FIELDS)


@transaction.atomic
def member_save(*, actor: Actor, body_id: int, agency_id: int,
                representative_id: int | None, deputy_id: int | None,
                version: str | None = None) -> Membership:
    """Add a member agency, or change its representative and deputy. ``version``: the
    membership as she read it ("Change" on its row); changed since, ``EditConflict``."""
    body = _coordinated(actor, body_id)  # locked: one change of its members at a time
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None or not policy.may_be_member(agency):
        raise ValidationError({"agency": _("This agency cannot sit in a consultation.")})
    if representative_id is not None and representative_id == deputy_id:
        raise ValidationError({"deputy": _("The deputy must be another person.")})
    member = Membership.objects.select_for_update().filter(body=body, agency=agency,
                                                           left_at__isnull=True).first()
    version_check(member, MEMBER_FIELDS, version)
    member = member or Membership(body=body, agency=agency)
    member.representative_id = _agency_user(agency, representative_id, "representative")
    member.deputy_id = _agency_user(agency, deputy_id, "deputy")
    created = member.pk is None
    member.save()
    audit_record(actor=actor, action=Audit.CREATE if created else Audit.UPDATE, target=member,
                 basis="consultation membership")
    return member


@transaction.atomic
def member_remove(*, actor: Actor, membership_id: int) -> Membership:
    member = Membership.objects.select_for_update().filter(
        pk=membership_id, body__in=policy.coordinated_bodies(actor), left_at__isnull=True).first()
    if member is None:
        raise Http404
    member.left_at = timezone.now()
    member.save(update_fields=["left_at"])
    audit_record(actor=actor, action=Audit.UPDATE, target=member,
                 basis="consultation membership ended")
    return member


def criteria_current(body: Body) -> Criteria:
    """The body's criteria in force (the defaults become version 1 on first use)."""
    current = Criteria.objects.filter(body=body).order_by("-version").first()
    if current is None:
        current, _created = Criteria.objects.get_or_create(
            body=body, version=1, defaults={"rules": rules_of.DEFAULT_RULES,
                                            "note": "defaults"})
    return current


def criteria_fields(rules: dict[str, Any]) -> dict[str, Any]:
    """The rules of a version as their form edits them, one value per field."""
    escalation = rules.get("escalation") or {}
    days = rules.get("review_days") or {}
    return {
        "criticality_levels": list(rules.get("criticality_levels", [])),
        "col15_critical_signal": bool(rules.get("col15_critical_signal")),
        "professional_concern": bool(rules.get("professional_concern")),
        "escalation_incidents": escalation.get("incidents"),
        "escalation_months": escalation.get("months"),
        "repeat_months": rules.get("repeat_months"),
        "emergency_hours": rules.get("emergency_hours"),
        **{f"review_days_{level.value}": days.get(level.value) for level in Level},
    }


def criteria_version(rules: dict[str, Any]) -> str:
    """The version of the criteria in force, for the form of the next one
    (relais.core.versions): a version published since hers was read is not undone by it."""
    return version_of(criteria_fields(rules))


@transaction.atomic
def criteria_publish(*, actor: Actor, body_id: int, rules: Any, note: str,
                     version: str | None = None) -> Criteria:
    """A new version of the referral criteria; referrals keep the version they were made on.
    ``version``: the criteria in force as she read them; another version published since,
    ``EditConflict``."""
    body = _coordinated(actor, body_id)  # locked: one publication at a time
    values_check(criteria_fields(criteria_current(body).rules), version)
    problems = rules_of.rules_check(rules)
    if problems:
        raise ValidationError({"rules": problems})
    if not note.strip():
        raise ValidationError({"note": _("Say what changed and why.")})
    version = (Criteria.objects.filter(body=body).aggregate(v=Max("version"))["v"] or 0) + 1
    criteria = Criteria.objects.create(body=body, version=version, rules=rules,
                                       note=note.strip()[:300], created_by=actor.user)
    audit_record(actor=actor, action=Audit.CREATE, target=criteria,
                 basis="consultation criteria published")
    return criteria


# --- Referral --------------------------------------------------------------------------------

def last_heard_at(*, body: Body, case_id: int) -> datetime | None:
    return (Hearing.objects.filter(referral__body=body, referral__case_id=case_id,
                                   heard_at__isnull=False)
            .aggregate(last=Max("heard_at"))["last"])


def referral_check(*, actor: Actor, case_id: int, body_id: int, concern: str = "") -> dict:
    """What the referral form shows: the body, its criteria in force and which the case meets
    (for the reader's own access)."""
    access = case_access(actor=actor, case_id=case_id)
    body = policy.referable_bodies(access).filter(pk=body_id).first()
    if body is None:
        raise Http404
    criteria = criteria_current(body)
    met = rules_of.criteria_met(access=access, rules=criteria.rules, concern=concern,
                                now=timezone.now(),
                                last_heard_at=last_heard_at(body=body, case_id=case_id))
    return {"access": access, "body": body, "criteria": criteria, "met": met}


@transaction.atomic
def referral_create(*, actor: Actor, case_id: int, body_id: int, concern: str,
                    emergency: bool, informed: str, consents: bool, basis: str,
                    justification: str, scopes: Iterable[str]) -> Referral:
    """Refer a case to the body, on its criteria. Without her consent the legal basis is stated
    and justified, and the owning agency's reference officer is told; an imminent danger asks
    for an emergency consultation and alerts the coordinators at once."""
    check = referral_check(actor=actor, case_id=case_id, body_id=body_id, concern=concern)
    access, body, criteria, met = check["access"], check["body"], check["criteria"], check["met"]
    errors: dict[str, list[str]] = {}
    if not met:
        errors["concern"] = [_("The case meets none of the body's criteria. Your professional "
                               "concern is one: write it down.")]
    if informed not in Informed.values:
        errors["informed"] = [_("Say whether she was informed.")]
    if consents and informed != Informed.YES:
        errors["consents"] = [_("She can consent only once she is informed.")]
    if basis not in Basis.values:
        errors["basis"] = [_("Choose the legal basis.")]
    elif basis == Basis.CONSENT and not consents:
        errors["basis"] = [_("Without her consent, choose art. 458ter or, in imminent danger, "
                             "art. 458bis.")]
    elif basis != Basis.CONSENT and len(justification.strip()) < 20:
        errors["justification"] = [_("Justify sharing without her consent (at least 20 "
                                     "characters).")]
    if basis == Basis.ART_458BIS and not emergency:
        errors["emergency"] = [_("Art. 458bis is for an imminent danger: ask for an emergency "
                                 "consultation.")]
    allowed = set(policy.referral_shareable_scopes(access))
    wanted = sorted(set(scopes))
    if not wanted or not set(wanted) <= allowed:
        errors["scopes"] = [_("Choose what may be shared, among what you see yourself (never "
                              "a confidential address).")]
    if Referral.objects.filter(body=body, case_id=case_id, status__in=(
            ReferralStatus.WAITING, ReferralStatus.SCHEDULED)).exists():
        errors["__all__"] = [_("This case is already waiting for a meeting of this body.")]
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    hours = int(criteria.rules.get("emergency_hours", 48))
    referral = Referral.objects.create(
        body=body, case_id=case_id, agency=actor.agency, referred_by=actor.user,
        referred_at=now, criteria=criteria, criteria_met=met, concern=concern.strip(),
        emergency=emergency, respond_by=now + timedelta(hours=hours) if emergency else None,
        informed=informed, consents=consents, basis=basis,
        justification=justification.strip() if basis != Basis.CONSENT else "",
        scopes=wanted, is_repeat=rules_of.is_repeat(met),
        priority=case_priorities([case_id]).get(case_id, Priority.NORMAL))
    timeline_add(case=access.case, kind="consultation_referred", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, summary=body.name, source=referral)
    audit_record(actor=actor, action=Audit.CREATE, target=referral, case_id=case_id,
                 basis="referral to the multi-agency consultation"
                 + ("" if consents else f" without consent ({basis})"))
    _alert_coordinators(actor=actor, body=body, case=access.case, source=referral,
                        kind=NoticeKind.CONSULTATION_EMERGENCY if emergency
                        else NoticeKind.CONSULTATION_REFERRAL)
    if not consents:
        for role in policy.told_of_referral_without_consent(access.case):
            notice_send(actor=actor, agency=access.case.owner_agency, for_role=role,
                        case=access.case, kind=NoticeKind.CONSULTATION_NO_CONSENT,
                        source=referral)
    return referral


@transaction.atomic
def referral_withdraw(*, actor: Actor, referral_id: int, reason: str) -> Referral:
    referral = policy.referral_scope(actor).select_for_update().filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    if referral.status not in (ReferralStatus.WAITING, ReferralStatus.SCHEDULED):
        raise ValidationError(_("Only a referral not yet heard can be withdrawn."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the referral is withdrawn.")})
    referral.status = ReferralStatus.WITHDRAWN
    referral.withdrawn_reason = reason.strip()[:300]
    referral.save(update_fields=["status", "withdrawn_reason"])
    Hearing.objects.filter(referral=referral, heard_at__isnull=True).delete()
    audit_record(actor=actor, action=Audit.UPDATE, target=referral, case_id=referral.case_id,
                 basis="referral withdrawn")
    return referral


# --- Meetings and the agenda -------------------------------------------------------------------

@transaction.atomic
def meeting_create(*, actor: Actor, body_id: int, starts_at: datetime, kind: str,
                   place: str) -> Meeting:
    body = _coordinated(actor, body_id)
    if kind not in MeetingKind.values:
        raise ValidationError({"kind": _("Choose the kind of meeting.")})
    if starts_at < timezone.now() - timedelta(days=1):
        raise ValidationError({"starts_at": _("A meeting is planned from today on.")})
    meeting = Meeting.objects.create(body=body, kind=kind, starts_at=starts_at,
                                     place=place.strip()[:200], created_by=actor.user)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, agency_id=agency_id) for agency_id in
         Membership.objects.filter(body=body, left_at__isnull=True)
         .values_list("agency_id", flat=True)] + [Attendance(meeting=meeting,
                                                             agency_id=body.agency_id)],
        ignore_conflicts=True)
    audit_record(actor=actor, action=Audit.CREATE, target=meeting, basis="consultation meeting")
    return meeting


def _coordinated_meeting(actor: Actor, meeting_id: int, *, open_only: bool = True) -> Meeting:
    meeting = (Meeting.objects.select_for_update().select_related("body")
               .filter(pk=meeting_id, body__in=policy.coordinated_bodies(actor)).first())
    if meeting is None:
        raise Http404
    if open_only and meeting.held_at is not None:
        raise ValidationError(_("This meeting is closed: its record can no longer change."))
    return meeting


def agenda_order_key(referral: Referral, now: datetime) -> tuple:
    """Emergencies first, then the higher risk, then the longer wait."""
    return (not referral.emergency, -referral.priority, referral.referred_at)


@transaction.atomic
def agenda_add(*, actor: Actor, meeting_id: int, referral_ids: Iterable[int]) -> list[Hearing]:
    """Put waiting referrals (and cases due for review) on the meeting's agenda, in the
    agenda's order."""
    meeting = _coordinated_meeting(actor, meeting_id)
    referrals = list(Referral.objects.select_for_update().filter(
        pk__in=set(referral_ids), body=meeting.body,
        status__in=(ReferralStatus.WAITING, ReferralStatus.HEARD)))
    if not referrals:
        raise ValidationError(_("Choose at least one referral or case to review."))
    start = (meeting.hearings.aggregate(p=Max("position"))["p"] or 0) + 1
    open_plans = dict(Plan.objects.filter(body=meeting.body, status=PlanStatus.OPEN,
                                          case_id__in=[r.case_id for r in referrals])
                      .values_list("case_id", "pk"))
    added = []
    for offset, referral in enumerate(sorted(referrals, key=lambda r: agenda_order_key(
            r, timezone.now()))):
        review = referral.status == ReferralStatus.HEARD
        if review and referral.case_id not in open_plans:
            continue
        hearing, created = Hearing.objects.get_or_create(
            meeting=meeting, referral=referral,
            defaults={"position": start + offset, "is_review": review,
                      "plan_id": open_plans.get(referral.case_id) if review else None})
        if created:
            added.append(hearing)
            audit_record(actor=actor, action=Audit.CREATE, target=hearing,
                         case_id=referral.case_id, basis="case put on a consultation agenda")
        if not review:
            referral.status = ReferralStatus.SCHEDULED
            referral.save(update_fields=["status"])
    return added


@transaction.atomic
def agenda_remove(*, actor: Actor, hearing_id: int) -> None:
    hearing = Hearing.objects.select_related("referral").filter(pk=hearing_id).first()
    if hearing is None:
        raise Http404
    _coordinated_meeting(actor, hearing.meeting_id)
    if hearing.heard_at is not None:
        raise ValidationError(_("This case was heard: it stays on the record."))
    if not hearing.is_review:
        Referral.objects.filter(pk=hearing.referral_id).update(status=ReferralStatus.WAITING)
    audit_record(actor=actor, action=Audit.DELETE, target=hearing,
                 case_id=hearing.referral.case_id, basis="case taken off a consultation agenda")
    hearing.delete()


@transaction.atomic
def attendance_record(*, actor: Actor, meeting_id: int,
                      present: dict[int, int | None]) -> list[Attendance]:
    """Who attended for each agency: ``present`` maps the agencies present to the person who
    attended (or None when not named)."""
    meeting = _coordinated_meeting(actor, meeting_id)
    rows = list(meeting.attendance.select_for_update())
    for row in rows:
        row.present = row.agency_id in present
        attendee = present.get(row.agency_id)
        row.attendee_id = (_agency_user(row.agency, attendee, "attendee")
                           if row.present and attendee else None)
    Attendance.objects.bulk_update(rows, ["present", "attendee"])
    audit_record(actor=actor, action=Audit.UPDATE, target=meeting,
                 basis="consultation attendance recorded")
    return rows


CONTRIBUTION_FIELDS = ("risk_seen", "facts", "situation", "children", "health")


def contribution_version(contribution: Contribution | None) -> str:
    """The version of the agency's contribution (None: none yet), for its form."""
    return record_version(contribution, CONTRIBUTION_FIELDS)


@transaction.atomic
def contribution_save(*, actor: Actor, hearing_id: int, risk_seen: str, facts: str,
                      situation: str, children: str, health: str,
                      version: str | None = None) -> Contribution:
    """What the actor's agency shares about a case on the agenda (its own, until the meeting
    is closed). No address field: a shelter's address never enters a consultation.
    ``version``: the contribution as she read it (none yet included); a colleague of her
    agency saved it since, ``EditConflict`` (the transaction undoes a row just made)."""
    hearing = (Hearing.objects.select_related("meeting__body", "referral")
               .filter(pk=hearing_id).first())
    if hearing is None or not policy.may_contribute(actor, hearing):
        raise Http404
    if risk_seen and risk_seen not in Level.values:
        raise ValidationError({"risk_seen": _("Choose a level.")})
    contribution, created = Contribution.objects.select_for_update().get_or_create(
        hearing=hearing, agency_id=actor.agency_id, defaults={"author": actor.user})
    version_check(None if created else contribution, CONTRIBUTION_FIELDS, version)
    contribution.author = actor.user
    contribution.risk_seen = risk_seen
    contribution.facts, contribution.situation = facts.strip(), situation.strip()
    contribution.children, contribution.health = children.strip(), health.strip()
    contribution.save()
    audit_record(actor=actor, action=Audit.CREATE if created else Audit.UPDATE,
                 target=contribution, case_id=hearing.referral.case_id,
                 basis="information shared in a consultation (art. 458ter)")
    return contribution


def _has_children(case_id: int) -> bool:
    return CaseParticipant.objects.filter(case_id=case_id, role=ParticipantRole.CHILD).exists()


def _share_with(*, actor: Actor, plan: Plan, agency_ids: Iterable[int], scopes: list[str],
                ends_at: datetime) -> None:
    case = plan.case
    if case.owner_agency_id in set(agency_ids) and not plan.owner_takes_part:
        plan.owner_takes_part = True
        plan.save(update_fields=["owner_takes_part"])
    for agency in Agency.objects.filter(pk__in=set(agency_ids)).exclude(
            pk=case.owner_agency_id).order_by("pk"):
        share = access_services.consultation_share_put(
            actor=actor, case=case, recipient=agency, scopes=scopes,
            purpose=f"{plan.body.name}: joint safety plan", ends_at=ends_at)
        plan.shares.add(share)


def hearing_values(hearing: Hearing) -> dict[str, str]:
    """What the hearing's form edits, as recorded (the children: on the case's plan)."""
    return {"level": hearing.level, "decisions": hearing.decisions,
            "children": hearing.plan.children if hearing.plan else ""}


def hearing_version(hearing: Hearing) -> str:
    """The hearing's version for its form (relais.core.versions)."""
    return version_of(hearing_values(hearing))


@transaction.atomic
def hearing_record(*, actor: Actor, hearing_id: int, level: str, decisions: str,
                   children: str, version: str | None = None) -> Plan:
    """The meeting heard a case: the level agreed, the decisions, what is done for the
    children. The case's plan opens (or is reviewed); the agencies present take part in it
    and its share opens the case to them, within the scopes agreed at referral, until the next
    review is long past or the case leaves."""
    hearing = Hearing.objects.select_related("referral", "meeting__body").filter(
        pk=hearing_id).first()
    if hearing is None:
        raise Http404
    meeting = _coordinated_meeting(actor, hearing.meeting_id)  # locked: one record at a time
    hearing.refresh_from_db(fields=["plan", "level", "decisions"])
    values_check(hearing_values(hearing), version)
    referral = hearing.referral
    errors: dict[str, list[str]] = {}
    if level not in Level.values:
        errors["level"] = [_("Agree on a risk level.")]
    if not decisions.strip():
        errors["decisions"] = [_("Write down what the meeting decided.")]
    plan = hearing.plan or Plan.objects.filter(body=meeting.body, case_id=referral.case_id,
                                               status=PlanStatus.OPEN).first()
    if _has_children(referral.case_id) and not (children.strip() or (plan and plan.children)):
        errors["children"] = [_("The household has children: say what is done for them.")]
    present = list(meeting.attendance.filter(present=True).values_list("agency_id", flat=True))
    if not present:
        errors["__all__"] = [_("Record who attended first.")]
    if errors:
        raise ValidationError(errors)
    rules = referral.criteria.rules
    days = rules_of.review_days(rules, level)
    today = timezone.localdate()
    if plan is None:
        plan = Plan.objects.create(body=meeting.body, case_id=referral.case_id,
                                   referral=referral, review_days=days)
        audit_record(actor=actor, action=Audit.CREATE, target=plan, case_id=plan.case_id,
                     basis="joint safety plan opened")
    plan.level, plan.review_days = level, days
    plan.next_review_on = max(today, timezone.localdate(meeting.starts_at)) + timedelta(days=days)
    if children.strip():
        plan.children = children.strip()
    plan.save()
    hearing.plan, hearing.level = plan, level
    hearing.decisions, hearing.heard_at = decisions.strip(), timezone.now()
    hearing.save(update_fields=["plan", "level", "decisions", "heard_at"])
    referral.status = ReferralStatus.HEARD
    referral.save(update_fields=["status"])
    ends = timezone.now() + timedelta(days=30 * SHARE_MONTHS)
    _share_with(actor=actor, plan=plan, agency_ids=present, scopes=referral.scopes, ends_at=ends)
    timeline_add(case=plan.case, kind="consultation_heard", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, summary=meeting.body.name, source=hearing)
    audit_record(actor=actor, action=Audit.UPDATE, target=hearing, case_id=plan.case_id,
                 basis="case heard in the multi-agency consultation")
    return plan


@transaction.atomic
def meeting_close(*, actor: Actor, meeting_id: int) -> Meeting:
    """The record is final; cases on the agenda not heard go back to the waiting list."""
    meeting = _coordinated_meeting(actor, meeting_id)
    waiting = meeting.hearings.filter(heard_at__isnull=True, is_review=False)
    Referral.objects.filter(pk__in=waiting.values("referral_id")).update(
        status=ReferralStatus.WAITING)
    meeting.hearings.filter(heard_at__isnull=True).delete()
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["held_at"])
    audit_record(actor=actor, action=Audit.UPDATE, target=meeting,
                 basis="consultation meeting closed")
    return meeting


# --- The plan's actions --------------------------------------------------------------------------

def _open_plan(actor: Actor, plan_id: int) -> Plan:
    plan = (Plan.objects.select_for_update().select_related("body", "case")
            .filter(pk=plan_id, body__in=policy.coordinated_bodies(actor)).first())
    if plan is None:
        raise Http404
    if not plan.is_open:
        raise ValidationError(_("This case has left the consultation."))
    return plan


@transaction.atomic
def action_add(*, actor: Actor, plan_id: int, agency_id: int, kind: str, detail: str,
               owner_id: int | None, due_on: date, priority: int,
               legal_basis: str = "", hearing_id: int | None = None) -> Action:
    """An action of the joint plan for one member agency. It becomes a task in that agency's
    follow-up queue; the agency takes part in the plan (its share opens the case)."""
    plan = _open_plan(actor, plan_id)
    errors: dict[str, list[str]] = {}
    member = Membership.objects.filter(body=plan.body, agency_id=agency_id,
                                       left_at__isnull=True).select_related("agency").first()
    if member is None and agency_id != plan.body.agency_id:
        errors["agency"] = [_("Choose a member agency of the body.")]
    if kind not in ActionKind.values:
        errors["kind"] = [_("Choose the action.")]
    if due_on < timezone.localdate():
        errors["due_on"] = [_("The deadline cannot be in the past.")]
    if kind == ActionKind.YOUTH_NOTICE and not legal_basis.strip():
        errors["legal_basis"] = [_("A notice to youth aid states its legal basis.")]
    if priority not in Priority.values:
        errors["priority"] = [_("Choose a priority.")]
    if errors:
        raise ValidationError(errors)
    agency = member.agency if member else plan.body.agency
    owner = _agency_user(agency, owner_id, "owner")
    hearing = plan.hearings.filter(pk=hearing_id).first() if hearing_id else None
    action = Action.objects.create(
        plan=plan, hearing=hearing, agency=agency, kind=kind, detail=detail.strip()[:500],
        owner_id=owner, due_on=due_on, priority=priority, legal_basis=legal_basis.strip()[:200],
        created_by=actor.user)
    _share_with(actor=actor, plan=plan, agency_ids=[agency.pk],
                scopes=plan.referral.scopes,
                ends_at=timezone.now() + timedelta(days=30 * SHARE_MONTHS))
    meeting_day = timezone.localtime(hearing.meeting.starts_at) if hearing else timezone.now()
    spec = TaskSpec(kind=TaskKind.CONSULTATION_ACTION, origin_key=f"consultation:{action.pk}",
                    due_at=at_local(due_on, LAST_MINUTE), person_id=None, assignee_id=owner,
                    for_role=policy.action_team(agency),
                    reason=notes.reason("consultation_action", body=plan.body.name,
                                        date=meeting_day.strftime("%d/%m/%Y"), kind=kind)
                    + (notes.reason("consultation_detail", detail=action.detail)
                       if action.detail else []))
    task = task_create_for(actor=actor, spec=spec, case=plan.case, agency=agency, source=action,
                           basis="safety-plan action of the multi-agency consultation",
                           priority=priority)
    action.task = task
    action.save(update_fields=["task"])
    audit_record(actor=actor, action=Audit.CREATE, target=action, case_id=plan.case_id,
                 basis="safety-plan action")
    notice_send(actor=actor, agency=agency, for_role=policy.action_team(agency), case=plan.case,
                kind=NoticeKind.CONSULTATION_ACTION, source=plan)
    return action


def action_returned(*, actor: Actor, task) -> None:
    """Hook ``task_closed``: an action's outcome is its task's; not done or blocked, the
    coordinators are told at once (the plan shows every state)."""
    if task.kind != TaskKind.CONSULTATION_ACTION:
        return
    action = Action.objects.select_related("plan__body", "plan__case").filter(task=task).first()
    if action is None or task.outcome == "done":
        return
    _alert_coordinators(actor=actor, body=action.plan.body, case=action.plan.case,
                        kind=NoticeKind.CONSULTATION_ACTION_BACK, source=action.plan)


# --- Leaving the consultation --------------------------------------------------------------------

def _close(*, actor: Actor, plan: Plan, reason: str, note: str) -> None:
    plan.status, plan.exit_reason, plan.exit_note = PlanStatus.CLOSED, reason, note[:500]
    plan.closed_at, plan.closed_by = timezone.now(), actor.user
    plan.save(update_fields=["status", "exit_reason", "exit_note", "closed_at", "closed_by"])
    for action in plan.actions.all():
        tasks_cancel_for_source(actor=actor, source=action,
                                reason=notes.reason("consultation.left"),
                                basis="the case left the multi-agency consultation")
    access_services.consultation_shares_end(actor=actor, shares=plan.shares.all(),
                                            reason="the case left the consultation")
    timeline_add(case=plan.case, kind="consultation_left", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, summary=plan.body.name, source=plan)
    audit_record(actor=actor, action=Audit.UPDATE, target=plan, case_id=plan.case_id,
                 basis=f"left the consultation: {reason}")


@transaction.atomic
def plan_close(*, actor: Actor, plan_id: int, reason: str, note: str) -> Plan:
    """The case leaves the consultation, with why: the plan's open actions are cancelled and its
    shares end."""
    plan = _open_plan(actor, plan_id)
    if reason not in ExitReason.values:
        raise ValidationError({"reason": _("Say why the case leaves the consultation.")})
    if reason == ExitReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Say why in a few words.")})
    _close(actor=actor, plan=plan, reason=reason, note=note.strip())
    return plan


def close_on_case_closed(*, actor: Actor, case) -> None:
    """Hook ``case_closed``: a closed case leaves every consultation."""
    for plan in Plan.objects.select_for_update().select_related("body", "case").filter(
            case=case, status=PlanStatus.OPEN):
        _close(actor=actor, plan=plan, reason=ExitReason.CASE_CLOSED, note="")

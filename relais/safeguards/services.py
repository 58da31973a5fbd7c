"""Every write of the safeguards: a residence that depends on the partner, hospital alerts.

Each service runs in one transaction, checks access through ``relais.access.safeguards`` and
writes its audit event. Texts Relais writes (the task's reason) are codes with parameters.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.cases import CaseAccess, case_access
from relais.access.safeguards import (
    may_end_hospital_alert,
    may_record_residence,
    may_set_hospital_alert,
    residence_task_agency,
)
from relais.access.scopes import Scope
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant, ParticipantRole
from relais.cases.timeline import timeline_add
from relais.core.actor import Actor
from relais.followup import notes
from relais.followup.models import TaskKind
from relais.followup.rules import TaskSpec, at_local, local_day
from relais.followup.services import task_create_for
from relais.safeguards.models import HospitalAlert, ResidencePermit, ResidenceSituation
from relais.safeguards.rules import residence_rules

TASK_DAY_ENDS = time(18, 0)
TASK_AHEAD_DAYS = 7  # the task is due a week before the "apply by" date (today at the latest)


def _victim(access: CaseAccess, person_id: int) -> CaseParticipant:
    participant = CaseParticipant.objects.filter(case=access.case, person_id=person_id,
                                                 role=ParticipantRole.VICTIM).first()
    if participant is None:
        raise Http404
    return participant


def _task_due(apply_by: date) -> datetime:
    today = local_day(timezone.now())
    return at_local(max(apply_by - timedelta(days=TASK_AHEAD_DAYS), today), TASK_DAY_ENDS)


@transaction.atomic
def residence_record(*, actor: Actor, case_id: int, person_id: int, permit: str,
                     facts_on: date, via: str) -> ResidenceSituation:
    """Record that her residence depends on the partner: the "apply by" date from the rules
    in force, a task in the recording agency's follow-up to help her apply to the Immigration
    Office, once per situation (recording it again updates the date, not the task)."""
    access = case_access(actor=actor, case_id=case_id)
    participant = _victim(access, person_id)
    if not may_record_residence(access, role=participant.role, person_id=person_id):
        raise Http404
    if permit not in ResidencePermit.values:
        raise ValidationError({"permit": _("Choose the residence permit.")})
    if facts_on > local_day(timezone.now()):
        raise ValidationError({"facts_on": _("The date of the facts cannot be in the future.")})
    rules = residence_rules()
    situation = (ResidenceSituation.objects.select_for_update()
                 .filter(case=access.case, person_id=person_id).first())
    created = situation is None
    if created:
        situation = ResidenceSituation(case=access.case, person_id=person_id)
    situation.permit = permit
    situation.facts_on = facts_on
    situation.via = via
    situation.apply_by = rules.apply_by(permit=permit, facts_on=facts_on)
    situation.rules_version = rules.version
    situation.agency = actor.agency
    situation.recorded_by = actor.user
    situation.full_clean()
    situation.save()
    audit_record(actor=actor, action=Action.CREATE if created else Action.UPDATE,
                 target=situation, case_id=case_id, scopes=[Scope.HEALTH], basis=access.basis)
    if created:
        timeline_add(case=access.case, kind="residence_recorded", agency_id=actor.agency_id,
                     scope=Scope.HEALTH, source=situation)
    agency = residence_task_agency(access)
    if agency is not None:
        spec = TaskSpec(
            kind=TaskKind.RESIDENCE_APPLICATION, origin_key=f"residence:{situation.pk}",
            due_at=_task_due(situation.apply_by), person_id=person_id,
            reason=notes.reason("residence_apply", permit=permit,
                                apply_by=f"{situation.apply_by:%d/%m/%Y}"))
        task_create_for(actor=actor, spec=spec, case=access.case, agency=agency,
                        source=situation, basis=access.basis)
    return situation


@transaction.atomic
def residence_answered(*, actor: Actor, case_id: int, person_id: int, answer: str,
                       on: date | None, via: str) -> ResidenceSituation:
    """Her residence permit, answered in the police intake or a referral
    (``relais.core.questions``): the same record and consequences as from the case page
    (``residence_record``). The date of the facts is the one the form knows (the intake's
    facts); a form that knows none (a referral) keeps the date already recorded, or takes
    today."""
    if on is None:
        on = (ResidenceSituation.objects.filter(case_id=case_id, person_id=person_id)
              .values_list("facts_on", flat=True).first()) or local_day(timezone.now())
    return residence_record(actor=actor, case_id=case_id, person_id=person_id, permit=answer,
                            facts_on=min(on, local_day(timezone.now())), via=via)


@transaction.atomic
def hospital_alert_set(*, actor: Actor, case_id: int, person_id: int, starts_on: date,
                       ends_on: date | None = None, note: str = "") -> HospitalAlert:
    """A health service marks that she is in its care; the perpetrator must not learn it or
    meet her there. No timeline entry: no one else may learn the alert exists."""
    access = case_access(actor=actor, case_id=case_id)
    if not may_set_hospital_alert(access):
        raise Http404
    _victim(access, person_id)
    alert = HospitalAlert(case=access.case, person_id=person_id, agency=actor.agency,
                          starts_on=starts_on, ends_on=ends_on, note=note.strip(),
                          created_by=actor.user)
    if ends_on is not None and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end cannot come before the start.")})
    alert.full_clean()
    alert.save()
    audit_record(actor=actor, action=Action.CREATE, target=alert, case_id=case_id,
                 scopes=[Scope.HEALTH], basis=access.basis)
    return alert


@transaction.atomic
def hospital_alert_end(*, actor: Actor, alert_id: int) -> HospitalAlert:
    """She has left the service's care: the alert ends now."""
    alert = HospitalAlert.objects.select_for_update().filter(pk=alert_id).first()
    if alert is None:
        raise Http404
    access = case_access(actor=actor, case_id=alert.case_id)
    if not may_end_hospital_alert(access, alert):
        raise Http404
    if alert.ended_at is not None:
        raise ValidationError(_("This alert has already ended."))
    alert.ended_at = timezone.now()
    alert.ended_by = actor.user
    today = local_day(alert.ended_at)
    if alert.ends_on is None or alert.ends_on > today:
        alert.ends_on = max(today, alert.starts_on)
    alert.save(update_fields=["ended_at", "ended_by", "ends_on"])
    audit_record(actor=actor, action=Action.UPDATE, target=alert, case_id=alert.case_id,
                 scopes=[Scope.HEALTH], basis=access.basis)
    return alert

"""Referring a person to a service, and every step of the loop until the referrer hears the
outcome.

proposed → sent → received → accepted | waiting list | declined (with reason) → first contact
made → closed (outcome). The referrer may withdraw an open referral. When the service does not
use Relais, the referrer records its answers herself.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.cases import owner_case_access
from relais.access.models import Share
from relais.access.referrals import may_take_step, side_of
from relais.access.scopes import OWNER_ONLY, Scope
from relais.access.services import consent_record, referral_share_open
from relais.approvals import services as approvals
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant
from relais.cases.timeline import timeline_add
from relais.core import questions
from relais.core.actor import Actor
from relais.core.texts import text
from relais.directory.models import Service
from relais.referrals.models import (
    Referral,
    ReferralBasis,
    ReferralOutcome,
    ReferralStatus,
    ReferralStep,
)
from relais.referrals.rules import rule_set
from relais.referrals.selectors import facts_for, referral_mismatches

# Where later parts ask their own questions about the person referred (relais.core.questions),
# e.g. her residence permit that depends on the partner (relais.safeguards).
QUESTIONS = "referrals.referral"

# What a referral shares unless the referrer widens it on purpose: how to reach her.
MINIMAL_SCOPES = frozenset({Scope.CONTACT})

S = ReferralStatus
# Which side makes each step: the referrer, or the receiving service.
TRANSITIONS: dict[str, dict[str, str]] = {
    S.PROPOSED: {S.SENT: "referrer", S.WITHDRAWN: "referrer"},
    S.SENT: {S.RECEIVED: "receiver", S.WITHDRAWN: "referrer"},
    S.RECEIVED: {S.ACCEPTED: "receiver", S.WAITING_LIST: "receiver", S.DECLINED: "receiver",
                 S.WITHDRAWN: "referrer"},
    S.WAITING_LIST: {S.ACCEPTED: "receiver", S.DECLINED: "receiver", S.WITHDRAWN: "referrer"},
    S.ACCEPTED: {S.FIRST_CONTACT: "receiver", S.CLOSED: "receiver", S.WITHDRAWN: "referrer"},
    S.FIRST_CONTACT: {S.CLOSED: "receiver"},
}


def due_after(status: str, at: datetime) -> datetime | None:
    """When the step after ``status`` is due (from the rules file's deadlines)."""
    days = rule_set().deadlines.get(status)
    return at + timedelta(days=days) if days else None


def _step(*, actor: Actor, referral: Referral, status: str, note: str = "") -> None:
    now = timezone.now()
    referral.status = status
    referral.status_at = now
    referral.due_at = due_after(status, now)
    ReferralStep.objects.create(referral=referral, status=status, at=now, by=actor.user,
                                agency=actor.agency, note=note[:300])


def _clean_scopes(scopes: Iterable[str], widened_because: str) -> list[str]:
    chosen = sorted(set(scopes) or MINIMAL_SCOPES)
    if any(s not in Scope.values for s in chosen):
        raise ValidationError({"scopes": _("Unknown scope.")})
    if set(chosen) - MINIMAL_SCOPES and not widened_because.strip():
        raise ValidationError({"widened_because": _(
            "You share more than how to reach her: say why the service needs it.")})
    return chosen


@transaction.atomic
def referral_create(
    *, actor: Actor, case_id: int, person_id: int, service_id: int, basis: str,
    consent_method: str = "", basis_note: str = "", scopes: Iterable[str] = (),
    widened_because: str = "", purpose: str = "", confirm_mismatches: bool = False,
    send: bool = True, answers: dict[str, str] | None = None,
) -> Referral:
    """Refer one person of a case to one service, on her consent or a stated legal basis.

    ``answers`` answer the questions later parts ask about her (``QUESTIONS``); each answer
    given is recorded by its part in this transaction, by the referring agency (its own
    access rule: a refusal is the same 404, and nothing is kept)."""
    answers = answers or {}
    access = owner_case_access(actor=actor, case_id=case_id)
    participant = (CaseParticipant.objects.filter(case_id=case_id, person_id=person_id)
                   .select_related("person").first())
    if participant is None:
        raise ValidationError({"person": _("This person is not part of the case.")})
    service = Service.objects.select_related("agency").prefetch_related("areas").filter(
        pk=service_id).first()
    if service is None:
        raise ValidationError({"service": _("Choose a service of the directory.")})
    if service.agency_id is not None and service.agency_id == actor.agency_id:
        raise ValidationError({"service": _("This is your own service: no referral is needed.")})
    errors: dict[str, list[str]] = {}
    if basis not in ReferralBasis.values:
        errors["basis"] = [_("Say on what basis her data goes to the service.")]
    elif basis == ReferralBasis.CONSENT and not consent_method:
        errors["consent_method"] = [_("Record how she gave her consent.")]
    elif basis != ReferralBasis.CONSENT and not basis_note.strip():
        errors["basis_note"] = [_(
            "Without her consent, explain why the referral is needed on this basis.")]
    try:
        chosen = _clean_scopes(scopes, widened_because)
    except ValidationError as error:
        errors.update(error.message_dict)
        chosen = sorted(MINIMAL_SCOPES)
    if Scope.CONFIDENTIAL_LOCATION in chosen and basis != ReferralBasis.CONSENT:
        errors["scopes"] = [_("A confidential address is shared only on her own consent.")]
    facts, place = facts_for(access=access, person_id=person_id)
    mismatches = referral_mismatches(service=service, facts=facts, place=place,
                                     sex=participant.person.sex)
    if mismatches and not confirm_mismatches:
        errors["confirm_mismatches"] = mismatches
    errors.update(questions.answer_errors(QUESTIONS, answers))
    if errors:
        raise ValidationError(errors)
    consent = None
    if basis == ReferralBasis.CONSENT and service.agency_id is not None:
        consent = consent_record(actor=actor, case_id=case_id, person_id=person_id,
                                 recipient=service.agency, scopes=chosen,
                                 method=consent_method)
    now = timezone.now()
    referral = Referral(
        case=access.case, person_id=person_id, from_agency=actor.agency, created_by=actor.user,
        service=service, to_agency=service.agency, basis=basis, consent=consent,
        basis_note=basis_note.strip() if basis != ReferralBasis.CONSENT
        else (basis_note.strip() or _("Consent given: %(method)s") % {"method": consent_method}),
        scopes=chosen, widened_because=widened_because.strip(), purpose=purpose.strip(),
        confirmed_mismatches=mismatches, status=S.PROPOSED, status_at=now)
    referral.full_clean()
    referral.save()
    ReferralStep.objects.create(referral=referral, status=S.PROPOSED, at=now, by=actor.user,
                                agency=actor.agency)
    timeline_add(case=access.case, kind="referral_proposed", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, summary=service.name, source=referral)
    audit_record(actor=actor, action=Action.CREATE, target=referral, case_id=case_id,
                 scopes=chosen, basis=referral.get_basis_display())
    questions.record_answers(QUESTIONS, actor=actor, case_id=case_id, person_id=person_id,
                             answers=answers)
    if send:
        referral_send(actor=actor, referral_id=referral.pk)
        referral.refresh_from_db()
    return referral


def _locked(actor: Actor, referral_id: int) -> tuple[Referral, str]:
    referral = (Referral.objects.select_for_update().filter(pk=referral_id).first())
    if referral is None:
        raise Http404
    return referral, side_of(actor=actor, referral=referral)


# Going ahead without her consent on the referrer's own judgment (imminent danger, art. 458bis)
# is a consent override: where the approvals' rules file lists ``consent_override`` for the
# agency's kind, the referral is sent once a supervisor approves (``override_approved``). A
# judicial mandate or a youth-protection measure is a decision someone else took already: it
# needs no second person here.
OVERRIDE_STEP = "consent_override"
OVERRIDE_BASES = frozenset({ReferralBasis.IMMINENT_DANGER})


@transaction.atomic
def referral_send(*, actor: Actor, referral_id: int) -> Referral:
    """Send a proposed referral: the receiving service now sees the shared scope of the case.

    A consent override that needs approval is not sent yet: the request is made (one per
    referral) and the referral comes back still proposed."""
    referral = _sendable(actor, referral_id)
    if (referral.basis in OVERRIDE_BASES
            and approvals.needs_approval(actor=actor, step=OVERRIDE_STEP)):
        approvals.approval_request(
            actor=actor, step=OVERRIDE_STEP, target=referral, case=referral.case,
            payload={"referral_id": referral.pk},
            summary=text("referrals.override_asked", service=referral.service.name),
            reason=referral.basis_note)
        return referral
    return _send(actor, referral)


def override_approved(*, actor: Actor, request) -> None:
    """The approval handler of ``consent_override``: the supervisor sends the referral as
    asked, with her own access checked again, if it is still proposed."""
    _send(actor, _sendable(actor, int(request.payload["referral_id"])))


def _sendable(actor: Actor, referral_id: int) -> Referral:
    referral, side = _locked(actor, referral_id)
    if side != "referrer":
        raise Http404
    if referral.status != S.PROPOSED:
        raise ValidationError(_("This referral is no longer proposed: it is %(status)s.")
                              % {"status": referral.get_status_display().lower()})
    return referral


def _send(actor: Actor, referral: Referral) -> Referral:
    if referral.to_agency_id is not None:
        basis_label = str(ReferralBasis(referral.basis).label)
        referral.share = referral_share_open(
            actor=actor, case_id=referral.case_id, person_id=referral.person_id,
            recipient_agency_id=referral.to_agency_id, scopes=referral.scopes,
            consent=referral.consent, legal_basis=basis_label if referral.consent is None
            else "", justification=referral.basis_note)
    _step(actor=actor, referral=referral, status=S.SENT)
    referral.save()
    timeline_add(case=referral.case, kind="referral_sent", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, summary=referral.service.name, source=referral)
    audit_record(actor=actor, action=Action.UPDATE, target=referral, case_id=referral.case_id,
                 basis="referral sent")
    return referral


@transaction.atomic
def referral_advance(*, actor: Actor, referral_id: int, status: str, reason: str = "",
                     outcome: str = "", note: str = "") -> Referral:
    """One step of the loop, by the side whose step it is.

    Declining needs a reason; closing needs an outcome. Declining or withdrawing ends what the
    service could see of the case.
    """
    referral, side = _locked(actor, referral_id)
    allowed = TRANSITIONS.get(referral.status, {})
    if status not in allowed:
        raise ValidationError(_("This step is not possible now: the referral is %(status)s.")
                              % {"status": referral.get_status_display().lower()})
    step_side = allowed[status]
    # For a service outside Relais, the referrer records the service's answers.
    if not may_take_step(side=side, step_side=step_side, referral=referral):
        raise Http404
    if (referral.consent is not None and referral.consent.withdrawn_at is not None
            and status != S.WITHDRAWN):
        raise ValidationError(_("She withdrew her consent: the referral can only be withdrawn."))
    if status == S.DECLINED:
        if not reason.strip():
            raise ValidationError({"reason": _("Say why the service declines.")})
        referral.decline_reason = reason.strip()[:300]
    if status == S.CLOSED:
        if outcome not in ReferralOutcome.values:
            raise ValidationError({"outcome": _("Choose the outcome.")})
        referral.outcome = outcome
        referral.outcome_note = note.strip()[:300]
    _step(actor=actor, referral=referral, status=status, note=reason or note)
    referral.save()
    if status in (S.DECLINED, S.WITHDRAWN) and referral.share_id:
        share = Share.objects.get(pk=referral.share_id)
        if share.ended_at is None:
            # The owning agency ends it; a declining service gives up its own access.
            share.ended_at = timezone.now()
            share.end_reason = f"referral {status}"
            share.save(update_fields=["ended_at", "end_reason"])
            audit_record(actor=actor, action=Action.UNSHARE, target=share,
                         case_id=referral.case_id, basis=f"referral {status}")
    timeline_add(case=referral.case, kind=f"referral_{status}", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, summary=referral.service.name, source=referral)
    audit_record(actor=actor, action=Action.UPDATE, target=referral, case_id=referral.case_id,
                 basis=f"referral {status}")
    return referral


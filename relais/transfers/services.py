"""Every write on a transfer: request, cancel, accept, decline.

Each is atomic, checks the policy (relais.access.transfers; any refusal is ``Http404``), writes
its audit event, a timeline entry (a kind code; the summary holds only agency names and the
staff's own words) and, where the other side has a role to tell, a notice — all in the same
transaction.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access import transfers as policy
from relais.access.cases import case_access
from relais.access.models import Share, ShareKind
from relais.access.scopes import OWNER_ONLY
from relais.accounts.models import Agency
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case, CaseStatus
from relais.cases.timeline import timeline_add
from relais.core import hooks
from relais.core.actor import Actor
from relais.core.history import authored
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send
from relais.transfers.models import CaseTransfer, TransferStatus


def _notify(*, actor: Actor, agency: Agency, transfer: CaseTransfer, kind: str) -> None:
    role = policy.notice_role(agency)
    if role is not None:
        notice_send(actor=actor, agency=agency, for_role=role, case=transfer.case, kind=kind,
                    source=transfer)


@transaction.atomic
def transfer_request(*, actor: Actor, case_id: int, to_agency_id: int | None, reason: str,
                     person_agreed: bool = False) -> CaseTransfer:
    """The owning agency asks another agency of its kind to take the case over."""
    access = case_access(actor=actor, case_id=case_id)
    if not policy.manages_case(access):
        raise Http404
    case = Case.objects.select_for_update().get(pk=access.case.pk)
    errors: dict[str, list[str]] = {}
    to_agency = policy.transfer_targets(actor=actor).filter(pk=to_agency_id).first()
    if to_agency is None:
        errors["to_agency"] = [_("Choose an agency of the same kind as yours.")]
    if not reason.strip():
        errors["reason"] = [_("Say why the case should go to this agency.")]
    if policy.needs_agreement(actor.agency) and not person_agreed:
        errors["person_agreed"] = [_("Your agency hands a file over only with the person's "
                                     "agreement: ask her first.")]
    if CaseTransfer.objects.filter(case=case, status=TransferStatus.PENDING).exists():
        errors.setdefault("__all__", []).append(
            _("A transfer of this case is already waiting for an answer."))
    if errors:
        raise ValidationError(errors)
    transfer = CaseTransfer(case=case, from_agency=actor.agency, to_agency=to_agency,
                            reason=reason.strip()[:500], person_agreed=person_agreed,
                            requested_by=actor.user, requested_at=timezone.now())
    transfer.full_clean()
    transfer.save()
    timeline_add(case=case, kind="transfer_requested", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, summary=to_agency.name, source=transfer)
    audit_record(actor=actor, action=Action.CREATE, target=transfer, case_id=case.pk,
                 basis=f"transfer requested to agency {to_agency.pk}")
    _notify(actor=actor, agency=to_agency, transfer=transfer,
            kind=NoticeKind.TRANSFER_REQUESTED)
    return transfer


def _locked(transfer_id: int) -> CaseTransfer:
    transfer = (CaseTransfer.objects.select_for_update(of=("self",))
                .filter(pk=transfer_id).select_related("case", "from_agency", "to_agency")
                .first())
    if transfer is None:
        raise Http404
    return transfer


@transaction.atomic
def transfer_cancel(*, actor: Actor, transfer_id: int, reason: str = "") -> CaseTransfer:
    """The requesting agency withdraws its request while it is pending."""
    transfer = _locked(transfer_id)
    if not policy.may_cancel(actor, transfer):
        raise Http404
    transfer.status = TransferStatus.CANCELLED
    transfer.answered_by = actor.user
    transfer.answered_at = timezone.now()
    transfer.answer_reason = reason.strip()[:500]
    transfer.save(update_fields=["status", "answered_by", "answered_at", "answer_reason"])
    timeline_add(case=transfer.case, kind="transfer_cancelled", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, summary=transfer.to_agency.name, source=transfer)
    audit_record(actor=actor, action=Action.UPDATE, target=transfer, case_id=transfer.case_id,
                 basis="transfer cancelled")
    return transfer


@transaction.atomic
def transfer_decline(*, actor: Actor, transfer_id: int, reason: str) -> CaseTransfer:
    """The receiving agency declines, with a reason; the case stays where it is."""
    transfer = _locked(transfer_id)
    if not policy.may_answer(actor, transfer):
        raise Http404
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why your agency declines the case.")]})
    transfer.status = TransferStatus.DECLINED
    transfer.answered_by = actor.user
    transfer.answered_at = timezone.now()
    transfer.answer_reason = reason.strip()[:500]
    transfer.save(update_fields=["status", "answered_by", "answered_at", "answer_reason"])
    timeline_add(case=transfer.case, kind="transfer_declined", agency_id=actor.agency_id,
                 scope=OWNER_ONLY, summary=f"{transfer.to_agency.name}: {transfer.answer_reason}",
                 source=transfer)
    audit_record(actor=actor, action=Action.UPDATE, target=transfer, case_id=transfer.case_id,
                 basis="transfer declined")
    _notify(actor=actor, agency=transfer.from_agency, transfer=transfer,
            kind=NoticeKind.TRANSFER_ANSWERED)
    return transfer


@transaction.atomic
def transfer_accept(*, actor: Actor, transfer_id: int, reason: str = "") -> CaseTransfer:
    """The receiving agency takes the case over: it becomes the owner, and the former owner
    keeps what the policy gives it (a share, or nothing)."""
    transfer = _locked(transfer_id)
    if not policy.may_answer(actor, transfer):
        raise Http404
    case = Case.objects.select_for_update().get(pk=transfer.case_id)
    if (case.owner_agency_id != transfer.from_agency_id
            or case.status != CaseStatus.OPEN):
        # Cannot happen through Relais (a pending transfer blocks merges, closing the case
        # cancels it); say it plainly.
        raise ValidationError(_("This case changed since the request: ask the agency that "
                                "holds it to request the transfer again."))
    now = timezone.now()
    former = transfer.from_agency
    case.owner_agency = transfer.to_agency
    authored(actor, case)
    case.save(update_fields=["owner_agency"])
    kept = policy.former_owner_scopes(former)
    share = None
    if kept:
        share = Share(case=case, kind=ShareKind.TRANSFER, recipient_agency=former,
                      scopes=sorted(kept), granted_by=actor.user, granted_at=now)
        share.full_clean()
        share.save()
        audit_record(actor=actor, action=Action.SHARE, target=share, case_id=case.pk,
                     scopes=share.scopes, basis=share.legal_basis)
    transfer.status = TransferStatus.ACCEPTED
    transfer.answered_by = actor.user
    transfer.answered_at = now
    transfer.answer_reason = reason.strip()[:500]
    transfer.former_owner_share = share
    transfer.save(update_fields=["status", "answered_by", "answered_at", "answer_reason",
                                 "former_owner_share"])
    timeline_add(case=case, kind="case_transferred", agency_id=actor.agency_id,
                 summary=f"{former.name} → {transfer.to_agency.name}", source=transfer)
    audit_record(actor=actor, action=Action.UPDATE, target=transfer, case_id=case.pk,
                 basis=f"transfer accepted: owner agency {former.pk} -> {transfer.to_agency_id}")
    audit_record(actor=actor, action=Action.UPDATE, target=case, case_id=case.pk,
                 basis="owner changed by transfer")
    _notify(actor=actor, agency=former, transfer=transfer, kind=NoticeKind.TRANSFER_ANSWERED)
    hooks.run("case_transferred", actor=actor, transfer=transfer)
    return transfer


def cancel_on_case_closed(*, actor: Actor, case: Case) -> None:
    """Hook ``case_closed``: a closed case is handed to nobody; its pending transfer ends."""
    for transfer in CaseTransfer.objects.select_for_update().filter(
            case=case, status=TransferStatus.PENDING).select_related("to_agency"):
        transfer.status = TransferStatus.CANCELLED
        transfer.answered_by = actor.user
        transfer.answered_at = timezone.now()
        transfer.save(update_fields=["status", "answered_by", "answered_at"])
        timeline_add(case=case, kind="transfer_cancelled", agency_id=actor.agency_id,
                     scope=OWNER_ONLY, summary=transfer.to_agency.name, source=transfer)
        audit_record(actor=actor, action=Action.UPDATE, target=transfer, case_id=case.pk,
                     basis="transfer cancelled: case closed")

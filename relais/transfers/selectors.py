"""Reads of transfers, within the policy (relais.access.transfers): the receiving agency's list,
one transfer, the case page's panel. A transfer shows the case reference, the two agencies, who
asked and answered, and the staff's reasons: never the family's data."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from relais.access import transfers as policy
from relais.access.cases import CaseAccess
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.transfers.models import CaseTransfer, TransferStatus

RELATED = ("case", "from_agency", "to_agency", "requested_by", "answered_by")


@dataclass(frozen=True)
class Inbox:
    to_accept: list[CaseTransfer]
    sent: list[CaseTransfer]


def inbox(*, actor: Actor, limit: int = 200) -> Inbox:
    """The transfers the actor's agency is asked to take, oldest first, and those it asked for
    that wait for an answer (audited as one read)."""
    if not policy.may_answer_transfers(actor):
        raise Http404
    to_accept = list(policy.incoming_scope(actor).select_related(*RELATED)
                     .order_by("requested_at", "pk")[:limit])
    sent = list(policy.transfer_scope(actor)
                .filter(from_agency_id=actor.agency_id, status=TransferStatus.PENDING)
                .select_related(*RELATED).order_by("requested_at", "pk")[:limit])
    audit_record(actor=actor, action=Action.READ,
                 basis=f"transfers to accept ({len(to_accept)}), sent ({len(sent)})")
    return Inbox(to_accept=to_accept, sent=sent)


def inbox_badge(actor: Actor) -> int:
    return policy.incoming_scope(actor).count()


def transfer_get(*, actor: Actor, transfer_id: int) -> CaseTransfer:
    """One transfer, for the agency that asked or was asked (audited)."""
    transfer = (policy.transfer_scope(actor).filter(pk=transfer_id).select_related(*RELATED)
                .first())
    if transfer is None:
        raise Http404
    audit_record(actor=actor, action=Action.READ, target=transfer, case_id=transfer.case_id,
                 basis="case transfer")
    return transfer


def pending_transfer(access: CaseAccess) -> CaseTransfer | None:
    """The case's transfer waiting for an answer, for the staff who may request one."""
    rows = case_panel_rows(access)
    return rows["pending"].first() if rows else None


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    if not policy.manages_case(access):
        return {}
    return {"pending": CaseTransfer.objects.filter(case=access.case,
                                                   status=TransferStatus.PENDING)}


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict | None:
    """The owner's staff who may hand the case over: the pending transfer, or the action."""
    if not policy.manages_case(access):
        return None
    pending = None
    if "pending" in found:
        pending = (case_panel_rows(access)["pending"].select_related("to_agency", "requested_by")
                   .first())
    return {"case": access.case, "pending": pending}

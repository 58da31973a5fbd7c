"""Access policy of case transfers (relais.transfers): a case changes owner, on request of the
owning agency and acceptance of the receiving one (Primero's transfer model).

Why: the victim moves to another police zone, or from one shelter to another; the agency that
will work with her from now on should own her file, not receive a copy.

- **Who requests.** Staff of the owning agency who reach all its cases (``manages_case``; not
  an officer who sees only the cases she is assigned to), on an open case that is not merged.
  One transfer at a time per case. The same staff may cancel it while it is pending.
- **To whom.** An agency of the same kind (``transfer_targets``): police zone to police zone,
  shelter to shelter, support service to support service. A case never moves from the judicial
  chain to a social service or back: that is a referral or a judicial forwarding, with their
  own bases.
- **On which basis.** Between police zones, the law (the zone of the victim's residence does
  the follow-up: revisit, victim assistance). Any other agency is bound by professional secrecy
  (domain brief §6): it transfers only with the person's agreement, which the requester records
  (``needs_agreement``).
- **What the receiving agency sees while it decides.** The case reference, the agency that
  asks, who asked and when, the reason, and whether the person agreed: nothing else, and not
  the case page. Its staff read a case only once their agency answers for it; a declined
  transfer must have told them nothing about the family. The requester writes the reason
  knowing that (the form says so: no names or addresses).
- **Who answers.** Staff of the receiving agency who reach all its cases
  (``may_answer_transfers``): accept, or decline with a reason.
- **What the former owner keeps** (``former_owner_scopes``), through a share of kind
  ``transfer`` on the case, which the new owner sees in its list of shares and may end:
  - a police zone keeps the **judicial narrative** (the facts, its own official reports, the
    prosecutor's decisions as part of the narrative) and identities, and nothing of contact,
    whereabouts or health: the alleged perpetrator often still lives in its zone and its
    intervention officers need the history when called there (domain brief §3.4: the police use
    the information in the file), while where she lives now is exactly what must not spread
    (§6);
  - any other agency keeps **nothing**: its professional secrecy covers what it recorded, and
    the file followed the person with her agreement.
  Its staff assigned to the case lose it with the ownership (the new owner assigns its own).
- **What stays as it was.** Shares the former owner granted (judicial forwarding to the
  prosecutor's office, referrals on consent, consultations): they rest on a legal basis or a
  person's consent, not on who owns the file; the new owner sees them and may end them.
- Anything else — another agency, a role that does not reach all cases, a transfer that is no
  longer pending — answers the same ``Http404``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from relais.access.cases import CaseAccess
from relais.access.scopes import Reach, Scope, reach_of
from relais.accounts.models import Agency, AgencyKind, Role
from relais.cases.models import CaseStatus
from relais.core.actor import Actor
from relais.transfers.models import CaseTransfer, TransferStatus

# Agencies whose files rest on the law rather than on the person's consent.
JUDICIAL_CHAIN = frozenset({AgencyKind.POLICE_ZONE, AgencyKind.PROSECUTOR,
                            AgencyKind.HOUSE_OF_JUSTICE})
# What a former owner keeps after a transfer, by its kind (none for any other kind).
FORMER_OWNER_SCOPES: dict[str, frozenset[str]] = {
    AgencyKind.POLICE_ZONE: frozenset({Scope.JUDICIAL}),
}
# Who is told (notice) of a transfer to or from an agency of this kind.
NOTICE_ROLE: dict[str, str] = {
    AgencyKind.POLICE_ZONE: Role.IPV_REFERENCE_OFFICER,
}


def _reaches_all(actor: Actor) -> bool:
    return actor.agency_id is not None and reach_of(actor.roles) >= Reach.ALL


def manages_case(access: CaseAccess) -> bool:
    """Staff of the owning agency who reach all its cases, on an open, unmerged case."""
    return (access.is_owner and _reaches_all(access.actor)
            and access.case.status == CaseStatus.OPEN)


def transfer_targets(*, actor: Actor) -> QuerySet[Agency]:
    """The agencies the actor's agency may transfer a case to: those of its kind."""
    if actor.agency is None:
        return Agency.objects.none()
    return (Agency.objects.filter(kind=actor.agency.kind).exclude(pk=actor.agency_id)
            .order_by("name"))


def needs_agreement(agency: Agency) -> bool:
    """Outside the judicial chain a file moves only with the person's agreement."""
    return agency.kind not in JUDICIAL_CHAIN


def may_answer_transfers(actor: Actor) -> bool:
    """Staff of an agency who reach all its cases answer the transfers it is asked to take."""
    return _reaches_all(actor)


def incoming_scope(actor: Actor) -> QuerySet[CaseTransfer]:
    """Pending transfers to the actor's agency, for those who answer them."""
    if not may_answer_transfers(actor):
        return CaseTransfer.objects.none()
    return CaseTransfer.objects.filter(to_agency_id=actor.agency_id,
                                       status=TransferStatus.PENDING)


def transfer_scope(actor: Actor) -> QuerySet[CaseTransfer]:
    """Transfers the actor may open: those her agency asked for or was asked to take (staff
    who reach all its cases). The receiver sees the request, never the case, until it
    accepts."""
    if not _reaches_all(actor):
        return CaseTransfer.objects.none()
    return CaseTransfer.objects.filter(Q(from_agency_id=actor.agency_id)
                                       | Q(to_agency_id=actor.agency_id))


def may_cancel(actor: Actor, transfer: CaseTransfer) -> bool:
    return (_reaches_all(actor) and transfer.from_agency_id == actor.agency_id
            and transfer.status == TransferStatus.PENDING)


def may_answer(actor: Actor, transfer: CaseTransfer) -> bool:
    return (may_answer_transfers(actor) and transfer.to_agency_id == actor.agency_id
            and transfer.status == TransferStatus.PENDING)


def former_owner_scopes(agency: Agency) -> frozenset[str]:
    """What the former owner keeps on the case after a transfer (see the module docstring)."""
    return FORMER_OWNER_SCOPES.get(agency.kind, frozenset())


def notice_role(agency: Agency) -> str | None:
    """The role told of a transfer in this agency; None: the agency reads its list only."""
    return NOTICE_ROLE.get(agency.kind)

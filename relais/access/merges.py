"""Access policy of merging cases, across owners too (relais.justice.merge).

"One family, one file" (issue 15 §4): two cases of the same household may belong to two
agencies — typically two police zones, when the couple lives in one and the facts happened in
the other. They are merged:

- **by the prosecutor's office**, for two cases of its table (both open to it, whoever owns
  them): its legal advisors and magistrates (``relais.access.justice.works_the_table``);
- **by agreement of both owners**: staff of the owning agency who manage the case (who reach
  all its cases: ``relais.access.transfers.manages_case``) propose to merge it with a case of
  another agency that they can open (through a share: a consultation, a judicial mandate, the
  share a former owner keeps...), and say which one is kept; staff of the other owner who
  manage theirs accept or decline with a reason (``may_answer_proposal``); the proposer may
  cancel while it waits. Owners of the same kind within the judicial chain only
  (``AGREEMENT_KINDS``: police zones): the law grounds their files. An agency bound by
  professional secrecy hands a file over with the person's agreement through a transfer
  (relais.access.transfers) instead; its records never become another agency's by a merge.
  While a proposal waits, the other owner sees its reference, the proposing agency, who
  proposed and why, and which case would be kept: not the proposer's case.
- **What the former owner keeps.** The merged case's records move to the kept case, which
  belongs to the kept case's owner. When the merged case belonged to another agency, that
  agency gets a share of kind ``merged_owner`` on the kept case with the scopes an owner sees
  (``merged_owner_scopes``: judicial narrative, contact, health — never confidential
  addresses, which stay with their keeper): it keeps the family's file it had, now one file.
  The kept case's owner sees the share and may end it.
- **Undo.** The office undoes its merges (as before); a merge by agreement is undone by either
  of the two owners (``merge_scope``): each agency's records go back to its own case and the
  ``merged_owner`` share ends.
- A case with a transfer waiting for an answer is not merged (its owner may change).

Every refusal is ``Http404``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from relais.access.cases import CaseAccess
from relais.access.justice import works_the_table
from relais.access.scopes import OWNER_SCOPES, Reach, reach_of
from relais.access.transfers import manages_case
from relais.access.transfers import notice_role as notice_role
from relais.accounts.models import Agency, AgencyKind
from relais.core.actor import Actor
from relais.justice.models import CaseMerge, MergeProposal, ProposalStatus

# Owners who merge their cases by agreement: agencies whose files rest on the law.
AGREEMENT_KINDS = frozenset({AgencyKind.POLICE_ZONE})


def office_merges(actor: Actor) -> bool:
    """The prosecutor's office merges any two cases of its table, whoever owns them."""
    return works_the_table(actor)


def may_propose(access: CaseAccess) -> bool:
    """Staff who manage an owned case of an agency that merges by agreement."""
    agency = access.actor.agency
    return (manages_case(access) and agency is not None
            and agency.kind in AGREEMENT_KINDS)


def may_merge_with(access: CaseAccess, other: CaseAccess) -> bool:
    """``other``: a case the proposer opens (through a share), of another agency of her
    kind."""
    owner = other.case.owner_agency
    return (may_propose(access) and not other.is_owner
            and owner.pk != access.case.owner_agency_id
            and owner.kind == access.case.owner_agency.kind)


def _manages_all(actor: Actor) -> bool:
    return actor.agency_id is not None and reach_of(actor.roles) >= Reach.ALL


def proposal_scope(actor: Actor) -> QuerySet[MergeProposal]:
    """Proposals the actor opens: those her agency made or was asked to answer."""
    if not _manages_all(actor):
        return MergeProposal.objects.none()
    return MergeProposal.objects.filter(Q(proposing_agency_id=actor.agency_id)
                                        | Q(answering_agency_id=actor.agency_id))


def may_answer_proposal(actor: Actor, proposal: MergeProposal) -> bool:
    return (_manages_all(actor) and proposal.answering_agency_id == actor.agency_id
            and proposal.status == ProposalStatus.PENDING)


def may_cancel_proposal(actor: Actor, proposal: MergeProposal) -> bool:
    return (_manages_all(actor) and proposal.proposing_agency_id == actor.agency_id
            and proposal.status == ProposalStatus.PENDING)


def sees_merges(actor: Actor) -> bool:
    """The office's readers, and staff of an agency that merges by agreement who reach all its
    cases (its merges by agreement)."""
    return works_the_table(actor) or (_manages_all(actor) and actor.agency is not None
                                      and actor.agency.kind in AGREEMENT_KINDS)


def merge_scope(actor: Actor) -> QuerySet[CaseMerge]:
    """Merges the actor may see in a list and undo: her office's, or, for a merge by
    agreement, one of the two owners'."""
    if works_the_table(actor):
        return CaseMerge.objects.filter(agency_id=actor.agency_id)
    if not _manages_all(actor):
        return CaseMerge.objects.none()
    return CaseMerge.objects.filter(
        (Q(proposal__isnull=False)
         & (Q(source__owner_agency_id=actor.agency_id)
            | Q(target__owner_agency_id=actor.agency_id)))
        # A reactivation: the agency moved a new case of a couple onto its earlier file.
        | Q(proposal__isnull=True, agency_id=actor.agency_id,
            source__owner_agency_id=actor.agency_id, target__owner_agency_id=actor.agency_id))


def merged_owner_scopes(agency: Agency) -> frozenset[str]:
    """What the former owner of a merged case keeps on the kept case (see the docstring)."""
    return OWNER_SCOPES

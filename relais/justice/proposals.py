"""Merging two cases of two owners by their agreement: one proposes, the other accepts or
declines; the proposer may cancel while it waits.

Who may do what is relais.access.merges; the merge itself, and its undoing, is
relais.justice.merge (the same as the office's merge: every record moves, the former owner
keeps a ``merged_owner`` share, and undoing brings everything back and ends that share). Each
step is audited on both cases, leaves a timeline entry on the proposer's case (a kind code; the
summary holds only references, agency names and the staff's words) and tells the other side.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access import merges as policy
from relais.access.cases import case_access
from relais.access.scopes import OWNER_ONLY
from relais.accounts.models import Agency
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case
from relais.cases.timeline import timeline_add
from relais.core.actor import Actor
from relais.justice.merge import check_pair, locked_pair, merge_pair
from relais.justice.models import MergeProposal, ProposalStatus
from relais.notifications.models import NoticeKind
from relais.notifications.services import notice_send


def _notify(*, actor: Actor, agency: Agency, case: Case, proposal: MergeProposal,
            kind: str) -> None:
    role = policy.notice_role(agency)
    if role is not None:
        notice_send(actor=actor, agency=agency, for_role=role, case=case, kind=kind,
                    source=proposal)


def _audit(actor: Actor, proposal: MergeProposal, action: str, basis: str) -> None:
    for case_id in (proposal.source_id, proposal.target_id):
        audit_record(actor=actor, action=action, target=proposal, case_id=case_id, basis=basis)


def _timeline(proposal: MergeProposal, *, actor: Actor, kind: str, words: str = "") -> None:
    """One entry on each case, for its owner: the two references (and the staff's words)."""
    summary = f"{proposal.source.reference} → {proposal.target.reference}"
    if words:
        summary = f"{summary}: {words}"
    for case in (proposal.source, proposal.target):
        timeline_add(case=case, kind=kind, agency_id=actor.agency_id, scope=OWNER_ONLY,
                     summary=summary, source=proposal)


def _pending_on(*cases: Case) -> bool:
    ids = [case.pk for case in cases]
    return (MergeProposal.objects.filter(status=ProposalStatus.PENDING, source_id__in=ids).exists()
            or MergeProposal.objects.filter(status=ProposalStatus.PENDING,
                                            target_id__in=ids).exists())


@transaction.atomic
def merge_propose(*, actor: Actor, case_id: int, other_case_id: int, keep: str,
                  reason: str) -> MergeProposal:
    """Propose to merge the actor's case with another agency's case she can open.

    ``keep``: "this" (the other case is merged into hers) or "other" (hers into the other)."""
    access = case_access(actor=actor, case_id=case_id)
    if not policy.may_propose(access):
        raise Http404
    other = case_access(actor=actor, case_id=other_case_id)
    errors: dict[str, list[str]] = {}
    if not policy.may_merge_with(access, other):
        errors["other_case"] = [_("Choose a case of another agency of your kind that your "
                                  "agency can open.")]
    if keep not in ("this", "other"):
        errors["keep"] = [_("Say which case is kept.")]
    if not reason.strip():
        errors["reason"] = [_("Say why these two cases are one household or couple.")]
    if errors:
        raise ValidationError(errors)
    cases = locked_pair(access.case.pk, other.case.pk)
    mine, theirs = cases[access.case.pk], cases[other.case.pk]
    errors = check_pair(mine, theirs)
    if _pending_on(mine, theirs):
        errors.setdefault("other_case", []).append(
            _("A merge of one of these cases already waits for an answer."))
    if errors:
        raise ValidationError(errors)
    source, target = (theirs, mine) if keep == "this" else (mine, theirs)
    proposal = MergeProposal(
        source=source, target=target, proposing_agency=actor.agency,
        answering_agency=theirs.owner_agency, reason=reason.strip()[:500],
        proposed_by=actor.user, proposed_at=timezone.now())
    proposal.full_clean()
    proposal.save()
    _timeline(proposal, actor=actor, kind="merge_proposed")
    _audit(actor, proposal, Action.CREATE, "merge proposed to the other owner")
    _notify(actor=actor, agency=theirs.owner_agency, case=theirs, proposal=proposal,
            kind=NoticeKind.MERGE_PROPOSED)
    return proposal


def _locked(proposal_id: int) -> MergeProposal:
    proposal = (MergeProposal.objects.select_for_update(of=("self",)).filter(pk=proposal_id)
                .select_related("source", "target", "proposing_agency", "answering_agency")
                .first())
    if proposal is None:
        raise Http404
    return proposal


def _proposer_case(proposal: MergeProposal) -> Case:
    return (proposal.source if proposal.source.owner_agency_id == proposal.proposing_agency_id
            else proposal.target)


def _close(proposal: MergeProposal, *, actor: Actor, status: str, reason: str) -> None:
    proposal.status = status
    proposal.answered_by = actor.user
    proposal.answered_at = timezone.now()
    proposal.answer_reason = reason.strip()[:500]
    proposal.save(update_fields=["status", "answered_by", "answered_at", "answer_reason",
                                 "merge"])


@transaction.atomic
def merge_proposal_cancel(*, actor: Actor, proposal_id: int, reason: str = "") -> MergeProposal:
    proposal = _locked(proposal_id)
    if not policy.may_cancel_proposal(actor, proposal):
        raise Http404
    _close(proposal, actor=actor, status=ProposalStatus.CANCELLED, reason=reason)
    _timeline(proposal, actor=actor, kind="merge_proposal_cancelled", words=proposal.answer_reason)
    _audit(actor, proposal, Action.UPDATE, "merge proposal cancelled")
    return proposal


@transaction.atomic
def merge_proposal_decline(*, actor: Actor, proposal_id: int, reason: str) -> MergeProposal:
    proposal = _locked(proposal_id)
    if not policy.may_answer_proposal(actor, proposal):
        raise Http404
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why your agency declines the merge.")]})
    _close(proposal, actor=actor, status=ProposalStatus.DECLINED, reason=reason)
    mine = _proposer_case(proposal)
    _timeline(proposal, actor=actor, kind="merge_proposal_declined", words=proposal.answer_reason)
    _audit(actor, proposal, Action.UPDATE, "merge proposal declined")
    _notify(actor=actor, agency=proposal.proposing_agency, case=mine, proposal=proposal,
            kind=NoticeKind.MERGE_ANSWERED)
    return proposal


@transaction.atomic
def merge_proposal_accept(*, actor: Actor, proposal_id: int, reason: str = "") -> MergeProposal:
    """The other owner agrees: the merge is made now, as the office's would be."""
    proposal = _locked(proposal_id)
    if not policy.may_answer_proposal(actor, proposal):
        raise Http404
    cases = locked_pair(proposal.source_id, proposal.target_id)
    source, target = cases[proposal.source_id], cases[proposal.target_id]
    owners = {source.owner_agency_id, target.owner_agency_id}
    errors = check_pair(source, target)
    if owners != {proposal.proposing_agency_id, proposal.answering_agency_id}:
        errors.setdefault("__all__", []).append(
            _("One of the cases changed owner since the proposal: propose it again."))
    if errors:
        raise ValidationError(errors)
    proposal.merge = merge_pair(actor=actor, source=source, target=target,
                                reason=proposal.reason)
    _close(proposal, actor=actor, status=ProposalStatus.ACCEPTED, reason=reason)
    _audit(actor, proposal, Action.UPDATE, "merge proposal accepted")
    _notify(actor=actor, agency=proposal.proposing_agency, case=_proposer_case(proposal),
            proposal=proposal, kind=NoticeKind.MERGE_ANSWERED)
    return proposal

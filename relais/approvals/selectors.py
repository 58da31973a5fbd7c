"""Reads of approval requests: the approver's pending list, the requester's own requests."""

from __future__ import annotations

from dataclasses import dataclass

from relais.access import approvals as policy
from relais.approvals.models import ApprovalRequest, ApprovalState
from relais.approvals.rules import approval_rules
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor

LIMIT = 200


def _colleague_steps() -> frozenset[str]:
    rules = approval_rules()
    return frozenset(step for step, who in rules.approvers.items() if who == "colleague")


@dataclass(frozen=True)
class ApprovalLists:
    to_decide: list[ApprovalRequest]
    mine: list[ApprovalRequest]


def approval_lists(*, actor: Actor) -> ApprovalLists:
    """The requests she may decide (oldest first) and her own (newest first). Case references
    and what is asked only: audited as one read."""
    related = ("case", "requested_by", "decided_by")
    to_decide = list(policy.approver_scope(actor, colleague_steps=_colleague_steps())
                     .select_related(*related).order_by("requested_at", "pk")[:LIMIT])
    mine = list(policy.own_scope(actor).select_related(*related)
                .order_by("-requested_at", "-pk")[:LIMIT])
    audit_record(actor=actor, action=Action.READ,
                 basis=f"approval requests ({len(to_decide)} to decide, {len(mine)} own)")
    return ApprovalLists(to_decide=to_decide, mine=mine)


def badge_count(*, actor: Actor) -> int:
    """The menu's count: requests waiting for her decision, and decisions she has not read."""
    waiting = (policy.approver_scope(actor, colleague_steps=_colleague_steps()).count()
               if policy.is_supervisor(actor) else 0)
    unread = (policy.own_scope(actor).exclude(state=ApprovalState.PENDING)
              .filter(requester_seen_at__isnull=True).count())
    return waiting + unread


def pending_for_case(*, case_id: int, steps: tuple[str, ...]) -> list[ApprovalRequest]:
    """The pending requests of these steps on one case (for the case's own screens, which
    checked access already)."""
    return list(ApprovalRequest.objects.filter(case_id=case_id, step__in=steps,
                                               state=ApprovalState.PENDING)
                .select_related("requested_by"))


def pending_request(*, step: str, target) -> ApprovalRequest | None:
    """The pending request of ``step`` on ``target``, if any (for the record's own screen,
    which checked access already)."""
    return (ApprovalRequest.objects.filter(step=step, target_type=target._meta.label_lower,
                                           target_id=str(target.pk),
                                           state=ApprovalState.PENDING)
            .select_related("requested_by").first())

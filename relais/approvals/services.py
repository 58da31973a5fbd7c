"""Writes on approval requests: ask, approve (the step runs), refuse; each audited in its
transaction. The rule of who decides is ``relais.access.approvals``; which steps need an
approval is the rules file (``relais.approvals.rules``)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.access import approvals as policy
from relais.approvals.models import ApprovalRequest, ApprovalState
from relais.approvals.rules import approval_rules
from relais.approvals.steps import HANDLERS, STEPS
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case
from relais.core.actor import Actor
from relais.core.links import public_url
from relais.core.texts import Coded, text
from relais.notifications.models import NoticeKind
from relais.notifications.services import mail_notice, notice_send, notices_settle, staff_emails


def needs_approval(*, actor: Actor, step: str) -> bool:
    """Whether ``step`` needs a second person's approval in the actor's agency."""
    if actor.agency is None:
        return False
    return approval_rules().needs_approval(actor.agency.kind, step)


@transaction.atomic
def approval_request(*, actor: Actor, step: str, target: models.Model, case: Case | None = None,
                     payload: dict[str, Any] | None = None, summary: Coded | None = None,
                     reason: str = "") -> ApprovalRequest:
    """Ask for a second person's approval of ``step`` on ``target``; the step runs once it is
    approved (``approval_approve``). Called by the step's own service, after its access check.
    One pending request per step and record: asking again is a validation error."""
    if step not in STEPS:
        raise ValueError(f"unknown approval step '{step}'")
    request = ApprovalRequest(
        step=step, agency=actor.agency, case=case, target_type=target._meta.label_lower,
        target_id=str(target.pk), payload=payload or {},
        summary_codes=summary or text("approvals.requested", step=step),
        rules_version=approval_rules().version, reason=reason.strip()[:2000],
        requested_by=actor.user)
    request.full_clean(exclude=["summary_codes", "payload"])
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError as error:
        raise ValidationError(_("This step already waits for an approval.")) from error
    audit_record(actor=actor, action=Action.CREATE, target=request,
                 case_id=case.pk if case else None, basis=f"approval asked: {step}")
    _tell_approvers(actor, request)
    return request


def _tell_approvers(actor: Actor, request: ApprovalRequest) -> None:
    """The agency's supervisors get a notice (in Relais and by e-mail after the answer): a
    consent override on imminent danger must not wait for someone to look at a badge. A
    ``colleague`` step (a lowered risk level) has its own notice already."""
    if request.case is None or approval_rules().approver(request.step) != "supervisor":
        return
    for role in sorted(policy.supervisor_roles(actor.agency.kind)):
        notice_send(actor=actor, agency=actor.agency, for_role=role, case=request.case,
                    kind=NoticeKind.APPROVAL_REQUESTED, source=request)


def _decidable(actor: Actor, request_id: int) -> ApprovalRequest:
    """A pending request the actor may decide (else 404, like every refusal)."""
    request = (ApprovalRequest.objects.select_for_update(of=("self",))
               .filter(pk=request_id).first())
    if request is None or not policy.may_decide(
            actor, request, approver=approval_rules().approver(request.step)):
        raise Http404
    if request.state != ApprovalState.PENDING:
        raise ValidationError(_("This request was already decided."))
    return request


def _decide(actor: Actor, request: ApprovalRequest, state: str, reason: str) -> None:
    request.state = state
    request.decided_by = actor.user
    request.decided_at = timezone.now()
    request.decision_reason = reason.strip()[:2000]
    request.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
    audit_record(actor=actor, action=Action.UPDATE, target=request, case_id=request.case_id,
                 basis=f"approval {state}: {request.step}")
    notices_settle(actor=actor, source=request)
    _tell_requester(request)


def _tell_requester(request: ApprovalRequest) -> None:
    """The notice to the requester: her list of requests shows the decision and its reason
    until she reads it (``requester_seen_at``), and an e-mail says a decision was taken."""
    if request.case is None:
        return
    what = (gettext_lazy("Your approval request was approved")
            if request.state == ApprovalState.APPROVED
            else gettext_lazy("Your approval request was refused"))
    mail_notice(recipients=staff_emails(agency_id=request.agency_id,
                                        user_id=request.requested_by_id),
                agency=request.agency, what=what, reference=request.case.reference,
                url=public_url(reverse("approvals:list")))


@transaction.atomic
def approval_approve(*, actor: Actor, request_id: int, reason: str = "") -> ApprovalRequest:
    """Approve a pending request: the step runs now, with the approver as actor (its handler
    re-checks her access), in the same transaction."""
    request = _decidable(actor, request_id)
    handler = HANDLERS.get(request.step)
    if handler is None:
        raise ValidationError(_("This step cannot be carried out here yet."))
    _decide(actor, request, ApprovalState.APPROVED, reason)
    handler(actor=actor, request=request)
    return request


@transaction.atomic
def approval_refuse(*, actor: Actor, request_id: int, reason: str) -> ApprovalRequest:
    """Refuse a pending request, saying why: nothing of the step runs."""
    request = _decidable(actor, request_id)
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why you refuse.")]})
    _decide(actor, request, ApprovalState.REFUSED, reason)
    return request


def approvals_keep(*, case: Case) -> int:
    """The case is being deleted: its requests stay on the lists (their summary names it),
    detached from it instead of deleted with it."""
    return ApprovalRequest.objects.filter(case=case).update(case=None)


def pending_for(*, step: str, target: models.Model) -> ApprovalRequest | None:
    """The pending request of ``step`` on ``target``, if any (locked)."""
    return (ApprovalRequest.objects.select_for_update(of=("self",))
            .filter(step=step, target_type=target._meta.label_lower, target_id=str(target.pk),
                    state=ApprovalState.PENDING).first())


@transaction.atomic
def approval_seen(*, actor: Actor) -> int:
    """The requester read her decided requests: their notice is no longer counted."""
    return (policy.own_scope(actor).exclude(state=ApprovalState.PENDING)
            .filter(requester_seen_at__isnull=True).update(requester_seen_at=timezone.now()))

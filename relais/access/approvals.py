"""Who approves a step that needs a second person (issue 20 §3; relais.approvals).

- **Same agency, never oneself.** A request is decided by staff of the requester's agency
  only, and never by the person who asked it; anyone else gets the same 404.
- **Supervisor.** Most steps (``approver: supervisor`` in the rules file) need a supervisor role
  of the agency, by kind (``SUPERVISOR_ROLES``):

  police zone: IPV reference officer; prosecutor's office: magistrate (over the legal
  advisors); house of justice: justice assistant; shelter: shelter worker; victim support,
  sexual-violence centre, CPAS, youth aid, health, municipality: support worker; perpetrator
  programme: programme counsellor; multi-agency platform: platform coordinator.

  Services with a single case role in Relais have no hierarchy to draw on: there the rule is a
  second professional of the same service (four eyes). Courts and helplines own no case and
  approve nothing. Administrators and analysts never approve (they do not see case files).
- **Colleague.** A step marked ``approver: colleague`` (the lowered risk level, "as today")
  is approved by any other staff member of the agency who works on cases; the step's own
  service still checks that she sees the record.
- **Reading requests.** Approvers see their agency's pending requests they may decide
  (``approver_scope``); everyone sees her own requests and their decisions (``own_scope``).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from relais.access.cases import sees_cases
from relais.accounts.models import AgencyKind, Role
from relais.approvals.models import ApprovalRequest, ApprovalState
from relais.core.actor import Actor

_SUPPORT = frozenset({Role.SUPPORT_WORKER})
SUPERVISOR_ROLES: dict[str, frozenset[str]] = {
    AgencyKind.POLICE_ZONE: frozenset({Role.IPV_REFERENCE_OFFICER}),
    AgencyKind.PROSECUTOR: frozenset({Role.MAGISTRATE}),
    AgencyKind.HOUSE_OF_JUSTICE: frozenset({Role.JUSTICE_ASSISTANT}),
    AgencyKind.SHELTER: frozenset({Role.SHELTER_WORKER}),
    AgencyKind.VICTIM_SUPPORT: _SUPPORT,
    AgencyKind.SEXUAL_VIOLENCE_CENTRE: _SUPPORT,
    AgencyKind.CPAS: _SUPPORT,
    AgencyKind.YOUTH_AID: _SUPPORT,
    AgencyKind.HEALTH: _SUPPORT,
    AgencyKind.MUNICIPALITY: _SUPPORT,
    AgencyKind.PERPETRATOR_PROGRAMME: frozenset({Role.PROGRAMME_COUNSELLOR}),
    AgencyKind.PLATFORM: frozenset({Role.PLATFORM_COORDINATOR}),
}


def supervisor_roles(agency_kind: str) -> frozenset[str]:
    """The roles that approve a ``supervisor`` step in an agency of this kind."""
    return SUPERVISOR_ROLES.get(agency_kind, frozenset())


def is_supervisor(actor: Actor) -> bool:
    """She holds her agency kind's supervisor role."""
    if actor.agency is None:
        return False
    return bool(actor.roles & supervisor_roles(actor.agency.kind))


def may_decide(actor: Actor, request: ApprovalRequest, *, approver: str) -> bool:
    """Approve or refuse ``request``: its agency's supervisor (or, for a ``colleague`` step,
    a colleague who works on cases), never its requester."""
    if request.agency_id != actor.agency_id or request.requested_by_id == actor.user_id:
        return False
    if approver == "colleague":
        return sees_cases(actor)
    return is_supervisor(actor)


def approver_scope(actor: Actor, *, colleague_steps: frozenset[str]) -> QuerySet[ApprovalRequest]:
    """The agency's pending requests she may decide (not her own)."""
    supervisor = is_supervisor(actor)
    if actor.agency_id is None or not sees_cases(actor) or not (supervisor or colleague_steps):
        return ApprovalRequest.objects.none()
    steps = Q() if supervisor else Q(step__in=colleague_steps)
    return (ApprovalRequest.objects.filter(steps, agency_id=actor.agency_id,
                                           state=ApprovalState.PENDING)
            .exclude(requested_by_id=actor.user_id))


def own_scope(actor: Actor) -> QuerySet[ApprovalRequest]:
    """Her own requests, pending and decided."""
    return ApprovalRequest.objects.filter(requested_by_id=actor.user_id,
                                          agency_id=actor.agency_id)


def shows_approvals(actor: Actor) -> bool:
    """The menu's "Approvals": supervisors (no query: the menu is drawn on every page). A
    requester reaches her requests and their decisions from the e-mail that tells her of a
    decision and from the case's closing page."""
    return is_supervisor(actor)

"""Access policy of the multi-agency consultation (relais.consultation).

- **The body.** Its coordinators are the platform coordinators of its secretariat agency; they
  administer it (protocol, members, criteria), build the agenda, record the meetings and follow
  the plans. Members are agencies; their staff who reach every case of their agency take part.
- **Referring.** A member agency refers a case it sees, from the case page.
- **The agenda.** Each member sees the cases on it with only the identification the protocol
  allows (never an address; a perpetrator programme not even the municipality), and checks what
  its own agency knows through its own access.
- **The record.** What was shared at a meeting, the decisions and the plan are seen by the
  participants of the plan while its consultation share is in force, and by the coordinators;
  nobody else. Before a meeting, an agency sees only its own contribution.
- **The share.** Hearing a case opens it to each participating agency (the agencies present
  and the agencies given an action) within the scopes agreed at referral, never a confidential
  address; the share ends when the case leaves the consultation. Its kind is the case
  consultation (art. 458ter).
- **Contributions.** Each text field has a scope: a reader sees it only within the scopes she
  has on the case (a perpetrator programme never sees the situation, the children's or the
  health fields).
- **Actions.** The coordinators see every action; a participant sees every action's agency,
  kind and state and the details of her own agency's; a perpetrator programme sees only its
  own actions. Each agency's plan PDF holds its own actions only.
- **Figures.** A body's figures are for its coordinators and its secretariat's analysts.

Every refusal is the same 404 (raised by the callers).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from relais.access.cases import CaseAccess, access_for_case, visible_cases
from relais.access.models import Share, ShareKind, active_share_q
from relais.access.scopes import REVIEWER_ROLES, Reach, Scope, reach_of
from relais.accounts.models import AgencyKind, Role, User
from relais.consultation.models import (
    AGENDA_FIELDS,
    Action,
    Body,
    Contribution,
    Hearing,
    Membership,
    Plan,
    PlanStatus,
    Referral,
)
from relais.core.actor import Actor

COORDINATOR_ROLES = frozenset({Role.PLATFORM_COORDINATOR})
FIGURES_ROLES = frozenset({Role.PLATFORM_COORDINATOR, Role.ANALYST})
# Agencies that hold no case and sit at no table.
NOT_MEMBERS = frozenset({AgencyKind.MUNICIPALITY, AgencyKind.HELPLINE})
# What a consultation may share: never a confidential (shelter) address.
SHAREABLE_SCOPES = frozenset({Scope.JUDICIAL, Scope.CONTACT, Scope.HEALTH})
# The scope each text field of a contribution belongs to.
CONTRIBUTION_SCOPES: dict[str, str] = {
    "facts": Scope.JUDICIAL,
    "situation": Scope.CONTACT,
    "children": Scope.CONTACT,
    "health": Scope.HEALTH,
}


def _takes_part(actor: Actor) -> bool:
    """Staff who reach every case of their agency (not a figures or accounts role, not a
    role that sees only its assigned cases)."""
    return actor.agency_id is not None and reach_of(actor.roles) is Reach.ALL


def _is_programme(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.is_perpetrator_programme


def coordinates(actor: Actor, body: Body) -> bool:
    return body.agency_id == actor.agency_id and bool(actor.roles & COORDINATOR_ROLES)


def coordinated_bodies(actor: Actor) -> QuerySet[Body]:
    if actor.agency_id is None or not actor.roles & COORDINATOR_ROLES:
        return Body.objects.none()
    return Body.objects.filter(agency_id=actor.agency_id)


def member_bodies(actor: Actor) -> QuerySet[Body]:
    """Bodies the actor takes part in: as a member agency's staff, or as a coordinator."""
    if actor.agency_id is None:
        return Body.objects.none()
    member = Q(Exists(Membership.objects.filter(body=OuterRef("pk"), agency_id=actor.agency_id,
                                                left_at__isnull=True)))
    if not _takes_part(actor):
        member = Q(pk__in=[])
    if actor.roles & COORDINATOR_ROLES:
        member |= Q(agency_id=actor.agency_id)
    return Body.objects.filter(member)


def sees_consultation(actor: Actor) -> bool:
    """The menu entry (no query: every agency that can sit at a table, and a platform's
    analysts for its bodies' figures)."""
    return actor.agency is not None and (
        bool(actor.roles & FIGURES_ROLES and actor.agency.kind == AgencyKind.PLATFORM)
        or (_takes_part(actor) and actor.agency.kind not in NOT_MEMBERS))


def body_get(actor: Actor, body_id: int) -> Body | None:
    return member_bodies(actor).filter(pk=body_id).first()


def referable_bodies(access: CaseAccess) -> QuerySet[Body]:
    """Bodies the reader of a case may refer it to: those her agency is a member of."""
    actor = access.actor
    if not _takes_part(actor):
        return Body.objects.none()
    return Body.objects.filter(memberships__agency_id=actor.agency_id,
                               memberships__left_at__isnull=True).distinct()


def referral_scope(actor: Actor) -> QuerySet[Referral]:
    """Referrals the actor may open: all of the bodies she coordinates, her own agency's, and,
    for the owning agency's reference officers, every referral of its cases (a referral without
    her consent is theirs to review)."""
    if actor.agency_id is None:
        return Referral.objects.none()
    mine = Q(agency_id=actor.agency_id) if _takes_part(actor) else Q(pk__in=[])
    if actor.roles & REVIEWER_ROLES and _takes_part(actor):
        mine |= Q(case__owner_agency_id=actor.agency_id)
    return Referral.objects.filter(mine | Q(body__in=coordinated_bodies(actor)))


def referral_shareable_scopes(access: CaseAccess) -> list[str]:
    """What a referrer may agree to share: no more than she sees, never a confidential
    address."""
    return sorted(set(access.timeline_scopes) & SHAREABLE_SCOPES)


def agenda_fields(actor: Actor, body: Body) -> frozenset[str]:
    """What a member's agenda shows of each case: the protocol's choice; a perpetrator
    programme never the municipality."""
    fields = set(body.agenda_fields or AGENDA_FIELDS) & set(AGENDA_FIELDS)
    if _is_programme(actor):
        fields.discard("municipality")
    return frozenset(fields)


def participant_plans(actor: Actor) -> QuerySet[Plan]:
    """Plans whose record the actor may read: her agency's consultation share on the plan is in
    force; or her agency owns the case and took part (present at a hearing or given an action)
    while the plan is open; or she coordinates the body."""
    if actor.agency_id is None:
        return Plan.objects.none()
    in_force = Q(pk__in=[])
    if _takes_part(actor):
        ours = Share.objects.filter(active_share_q(), kind=ShareKind.CONSULTATION,
                                    recipient_agency_id=actor.agency_id).values("pk")
        in_force = Exists(Plan.shares.through.objects.filter(plan_id=OuterRef("pk"),
                                                             share_id__in=ours))
        in_force |= Q(owner_takes_part=True, status=PlanStatus.OPEN,
                      case__owner_agency_id=actor.agency_id)
    return Plan.objects.filter(in_force | Q(body__in=coordinated_bodies(actor)))


def sees_hearing_record(actor: Actor, hearing: Hearing) -> bool:
    """The record of a case at a meeting: its plan's participants and the coordinators."""
    if coordinates(actor, hearing.meeting.body):
        return True
    return hearing.plan_id is not None and participant_plans(actor).filter(
        pk=hearing.plan_id).exists()


def may_contribute(actor: Actor, hearing: Hearing) -> bool:
    """A member agency (or the secretariat) tells what it knows, until the meeting is closed."""
    if hearing.meeting.held_at is not None or not _takes_part(actor):
        return False
    return member_bodies(actor).filter(pk=hearing.meeting.body_id).exists()


def contributions_visible(actor: Actor, hearing: Hearing) -> Q:
    """Which contributions of a hearing the actor reads: all once she may read the record,
    else her agency's own."""
    if sees_hearing_record(actor, hearing):
        return Q()
    return Q(agency_id=actor.agency_id)


def contribution_fields(actor: Actor, contribution: Contribution, access: CaseAccess | None,
                        *, coordinator: bool) -> list[str]:
    """The text fields of a contribution the reader sees: her own agency's all, and all for
    the body's coordinators (they chair the meeting); the others' within the scopes she has on
    the case (``access`` None: she has no access of her own)."""
    if coordinator or contribution.agency_id == actor.agency_id:
        return list(CONTRIBUTION_SCOPES)
    if access is None:
        return []
    scopes = set(access.timeline_scopes)
    return [name for name, scope in CONTRIBUTION_SCOPES.items() if scope in scopes]


def case_access_or_none(actor: Actor, case_id: int) -> CaseAccess | None:
    case = visible_cases(actor).select_related("owner_agency").filter(pk=case_id).first()
    return access_for_case(actor=actor, case=case) if case is not None else None


def actions_visible(actor: Actor, plan: Plan) -> Q:
    """The plan's actions the actor sees (her agency's only, for a perpetrator programme)."""
    if coordinates(actor, plan.body) or not _is_programme(actor):
        return Q()
    return Q(agency_id=actor.agency_id)


def sees_action_detail(actor: Actor, action: Action, plan: Plan) -> bool:
    return action.agency_id == actor.agency_id or coordinates(actor, plan.body)


def pdf_actions(actor: Actor) -> Q:
    """An agency's plan PDF: its own actions only (the coordinators choose the agency)."""
    return Q(agency_id=actor.agency_id)


def may_see_figures(actor: Actor, body: Body) -> bool:
    return body.agency_id == actor.agency_id and bool(actor.roles & FIGURES_ROLES)


def figures_bodies(actor: Actor) -> QuerySet[Body]:
    if actor.agency_id is None or not actor.roles & FIGURES_ROLES:
        return Body.objects.none()
    return Body.objects.filter(agency_id=actor.agency_id)


def may_be_member(agency) -> bool:
    return agency.kind not in NOT_MEMBERS


def coordinator_candidates(body: Body) -> QuerySet[User]:
    """Who may be named the body's coordinator: the secretariat's active coordinators."""
    return User.objects.filter(agency_id=body.agency_id, is_active=True,
                               roles__role__in=COORDINATOR_ROLES).distinct()


def runs_bodies(agency) -> bool:
    """A body is run from a multi-agency platform (its secretariat)."""
    return agency.kind == AgencyKind.PLATFORM


def is_coordinator(actor: Actor) -> bool:
    return bool(actor.roles & COORDINATOR_ROLES)


# The team an action of the plan goes to in its agency (its follow-up queue and the notice).
ACTION_TEAMS = {
    AgencyKind.POLICE_ZONE: Role.IPV_REFERENCE_OFFICER,
    AgencyKind.PROSECUTOR: Role.MAGISTRATE,
    AgencyKind.HOUSE_OF_JUSTICE: Role.JUSTICE_ASSISTANT,
    AgencyKind.SHELTER: Role.SHELTER_WORKER,
    AgencyKind.PERPETRATOR_PROGRAMME: Role.PROGRAMME_COUNSELLOR,
    AgencyKind.PLATFORM: Role.PLATFORM_COORDINATOR,
}


def action_team(agency) -> str:
    """The zone's IPV reference officers, the prosecutor's magistrates, the service's support
    workers..."""
    return ACTION_TEAMS.get(agency.kind, Role.SUPPORT_WORKER)


def told_of_referral_without_consent(case) -> list[str]:
    """Who in the case's owning agency is told of a referral made without her consent: the
    zone's reference officers (the reviewers of who accessed its cases)."""
    if case.owner_agency.kind != AgencyKind.POLICE_ZONE:
        return []
    return sorted(REVIEWER_ROLES)


# --- c-docs ---
def sees_plan_children(actor: Actor, plan: Plan) -> bool:
    """What the plan does for the children (the school, the youth-aid service: where they are)
    is read like a contribution's children field: by the coordinators, and by a participant
    who has that field's scope on the case; never by a perpetrator programme."""
    if coordinates(actor, plan.body):
        return True
    access = case_access_or_none(actor, plan.case_id)
    return access is not None and CONTRIBUTION_SCOPES["children"] in access.timeline_scopes
# --- end c-docs ---

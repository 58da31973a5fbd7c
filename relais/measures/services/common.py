"""Shared by the measures' services: which agency (the police zone of a municipality, the
house of justice of a district), opening a case to it on a judicial basis, and whether naming a
zone would tell someone where a confidential address is."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from relais.access.cases import case_access
from relais.access.services import judicial_mandate_share
from relais.accounts.models import (
    Agency,
    AgencyKind,
    JurisdictionMunicipality,
)
from relais.cases.models import Address, Case, ParticipantRole
from relais.core.actor import Actor

PROTECTED_ROLES = frozenset({ParticipantRole.VICTIM, ParticipantRole.CHILD,
                             ParticipantRole.HOUSEHOLD_MEMBER})
LAW = "law of 15 May 2012 (residence ban)"
PLANNED_RELEASE_MAX_DAYS = 30


def when(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


# --- Which agency -------------------------------------------------------------------------------

def zone_for_municipality(refnis: str) -> Agency | None:
    """The police zone (using Relais) whose territory holds a municipality."""
    if not refnis:
        return None
    return (Agency.objects.filter(kind=AgencyKind.POLICE_ZONE,
                                  pk__in=JurisdictionMunicipality.objects.filter(refnis=refnis)
                                  .values("agency_id"))
            .order_by("pk").first())


def serving_zone(case: Case) -> Agency | None:
    """The zone that serves a notice: the case's owner when it is a police zone, else the zone
    of the case's municipality."""
    if case.owner_agency.kind == AgencyKind.POLICE_ZONE:  # not access: which zone to warn
        return case.owner_agency
    return zone_for_municipality(case.municipality)


def victim_residence(person_id: int) -> Address | None:
    """Her current address (the newest), confidential or not: only its municipality is used."""
    return (Address.objects.filter(person_id=person_id, current=True).order_by("-pk").first()
            or Address.objects.filter(person_id=person_id).order_by("-pk").first())


def victim_zone(case: Case, person_id: int) -> Agency | None:
    """The police zone of the victim's residence (her current address's municipality — a
    confidential address still gives its municipality), else the case's serving zone."""
    address = victim_residence(person_id)
    zone = zone_for_municipality(address.municipality) if address else None
    return zone or serving_zone(case)


def house_of_justice_for(prosecutor: Agency, *, language: str = "") -> Agency | None:
    """The house of justice of the prosecutor's judicial district (the one working in the
    perpetrator's language first, when the district has several, as Brussels does)."""
    if not prosecutor.arrondissement:
        return None
    houses = list(Agency.objects.filter(kind=AgencyKind.HOUSE_OF_JUSTICE,
                                        arrondissement=prosecutor.arrondissement)
                  .order_by("pk"))
    for house in houses:
        if language and language in (house.languages or []):
            return house
    return houses[0] if houses else None


def _open_case_to(*, actor: Actor, case: Case, agency: Agency, scopes: list[str],
                  purpose: str) -> bool:
    """A judicial-mandate share to ``agency`` unless it owns the case; True if one was made or
    widened."""
    if agency.pk == case.owner_agency_id:
        return False
    judicial_mandate_share(actor=actor, case_id=case.pk, recipient=agency, scopes=scopes,
                           purpose=purpose)
    return True


def zone_is_discreet(*, actor: Actor, case: Case, person_id: int, zone: Agency | None) -> bool:
    """Whether naming ``zone`` to the actor would tell her roughly where a confidential address
    she may not see is (the zone came from its municipality)."""
    if zone is None or zone.pk in (case.owner_agency_id, actor.agency_id):
        return False
    address = victim_residence(person_id)
    if address is None or not address.confidential:
        return False
    if address.keeper_agency_id == actor.agency_id:
        return False
    access = case_access(actor=actor, case_id=case.pk)
    if access.address_visible(address, ParticipantRole.VICTIM):
        return False
    return zone_for_municipality(address.municipality) == zone

"""Access policy of the red list for dispatch (issue 18 §2).

- **Put** an address or a phone on the list: the zone's IPV reference officer, or a magistrate
  or legal advisor of a prosecutor's office (``PLACER_ROLES``), on a case she can open
  (``relais.access.cases.case_access``) with the judicial scope (the reason is judicial).
- **See and lift** entries: the same roles, for the entries their agency put and, in a zone,
  the entries put for that zone (the office's entries in her zone). Anyone else: 404.
- **Look up**: the dispatchers of a police zone, on the screen (``Role.DISPATCHER``) and through
  the API with the zone's gateway token. A look-up sees every listed entry, whichever zone's
  (a call can reach any dispatch centre), and learns only the priority, the zone, the flags
  and the opaque red-list reference: never a name, an address, a phone or the case.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from relais.access.cases import CaseAccess
from relais.access.scopes import OWNER_SCOPES, Scope
from relais.accounts.models import AgencyKind, Role
from relais.cases.models import Case
from relais.core.actor import Actor
from relais.redlist.models import RedListEntry

ZONE_PLACER_ROLES = frozenset({Role.IPV_REFERENCE_OFFICER})
OFFICE_PLACER_ROLES = frozenset({Role.MAGISTRATE, Role.LEGAL_ADVISOR})
# The review task goes to the zone's reference officer.
REVIEW_ROLE = Role.IPV_REFERENCE_OFFICER
REVIEW_BASIS = "red list: review before expiry"


def _kind(actor: Actor) -> str | None:
    return actor.agency.kind if actor.agency is not None else None


def is_zone(agency_kind: str | None) -> bool:
    return agency_kind == AgencyKind.POLICE_ZONE


def may_place(actor: Actor) -> bool:
    """Puts entries on the list (and sees and lifts her agency's)."""
    kind = _kind(actor)
    if kind == AgencyKind.POLICE_ZONE:
        return actor.has_role(*ZONE_PLACER_ROLES)
    if kind == AgencyKind.PROSECUTOR:
        return actor.has_role(*OFFICE_PLACER_ROLES)
    return False


def may_place_on(access: CaseAccess) -> bool:
    """On a case she can open, with the judicial scope."""
    return may_place(access.actor) and Scope.JUDICIAL in access.scopes


def zone_of(actor: Actor, case: Case):
    """The zone whose dispatch the entry is for: her own zone, or (for the prosecutor's office)
    the police zone that owns the case; None when there is none."""
    if is_zone(_kind(actor)):
        return actor.agency
    owner = case.owner_agency
    return owner if is_zone(owner.kind) else None


def entry_scope(actor: Actor) -> QuerySet[RedListEntry]:
    """The entries she lists, opens and lifts."""
    if not may_place(actor):
        return RedListEntry.objects.none()
    mine = Q(placed_by_agency_id=actor.agency_id)
    if is_zone(_kind(actor)):
        mine |= Q(zone_id=actor.agency_id)
    return RedListEntry.objects.filter(mine)


def may_look_up(actor: Actor) -> bool:
    """The dispatchers of a police zone (screen and gateway token)."""
    return is_zone(_kind(actor)) and actor.has_role(Role.DISPATCHER)


def flags_access(*, actor: Actor, case: Case) -> CaseAccess:
    """The access under which the dispatch's flags are computed (risk, weapons, measures in
    force, children): the owner's scopes, because the flags must not depend on who put the
    entry. Nothing read under it is shown to anyone: only five yes/no flags and a priority
    leave it."""
    return CaseAccess(actor=actor, case=case, scopes=OWNER_SCOPES, is_owner=True)

"""Access policy of protective measures: residence bans (ITR / tijdelijk huisverbod),
detention and release.

- Measures are read by staff of a police zone, a prosecutor's office or a house of justice who
  see the case's judicial part (``sees_measures``); others who see that part get the lines in
  force only.
- The prosecutor's office orders, extends and ends a ban (``may_order``; only the office that
  ordered it changes it); the police zone serves it; breaches come from the police or the
  ordering office; detention and release are recorded by the office or the police, never by
  the house of justice, which reads them.
"""

from __future__ import annotations

from django.http import Http404

from relais.access.cases import CaseAccess, case_access
from relais.access.scopes import Reach, Scope, reach_of
from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor
from relais.measures.models import ResidenceBan

# Agencies that see and handle measures (with the judicial scope on the case).
JUSTICE_KINDS = frozenset({AgencyKind.POLICE_ZONE, AgencyKind.PROSECUTOR,
                           AgencyKind.HOUSE_OF_JUSTICE})
ORDERING_ROLES = frozenset({Role.MAGISTRATE, Role.LEGAL_ADVISOR})


def handles_measures(actor: Actor) -> bool:
    """Staff of a police zone, a prosecutor's office or a house of justice."""
    return actor.agency is not None and actor.agency.kind in JUSTICE_KINDS


def may_order(actor: Actor) -> bool:
    """The prosecutor's office: its magistrates and legal advisors."""
    return (actor.agency is not None and actor.agency.kind == AgencyKind.PROSECUTOR
            and actor.has_role(*ORDERING_ROLES))


def is_police(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.kind == AgencyKind.POLICE_ZONE


def may_detain(actor: Actor) -> bool:
    """Detention and release: the office or the police (the house of justice reads them)."""
    return may_order(actor) or is_police(actor)


def may_change_ban(actor: Actor, ban: ResidenceBan) -> bool:
    """Only the office that ordered the ban extends or ends it."""
    return may_order(actor) and actor.agency_id == ban.ordered_by_agency_id


def may_serve(actor: Actor) -> bool:
    return is_police(actor)


def may_record_breach(actor: Actor, ban: ResidenceBan) -> bool:
    return is_police(actor) or actor.agency_id == ban.ordered_by_agency_id


def may_note_stay(actor: Actor) -> bool:
    return is_police(actor) or may_order(actor)


def sees_measures(access: CaseAccess) -> bool:
    """Measures are read by the police and justice agencies that see the case's judicial part."""
    return handles_measures(access.actor) and Scope.JUDICIAL in access.scopes


def measures_access(*, actor: Actor, case_id: int) -> CaseAccess:
    """The actor's access to a case's measures, or 404."""
    access = case_access(actor=actor, case_id=case_id)
    if not sees_measures(access):
        raise Http404
    return access


def may_list(actor: Actor) -> bool:
    """The menu entry: measures to watch."""
    return handles_measures(actor) and reach_of(actor.roles) > Reach.NONE

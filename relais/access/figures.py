"""Access policy of the figures (relais.figures): aggregates only, never a person, at the level
the reader's role allows.

- A police zone's analysts, administrators and IPV reference officers see their zone's figures
  (counted by the date of the facts).
- A prosecutor's office's analysts, magistrates and legal advisors see their office's figures
  (counted by the date of entry).
- Nobody drills down from a figure to a case or a person: the figures' selectors return counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor

ZONE_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR, Role.IPV_REFERENCE_OFFICER})
OFFICE_ROLES = frozenset({Role.ANALYST, Role.MAGISTRATE, Role.LEGAL_ADVISOR})


@dataclass(frozen=True)
class FiguresScope:
    """What the reader's dashboard counts: the zones (police side) and the offices (justice
    side) whose figures she may see."""

    zone_ids: tuple[int, ...] = ()
    office_ids: tuple[int, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.zone_ids and not self.office_ids


def figures_scope(actor: Actor) -> FiguresScope:
    agency = actor.agency
    if agency is None:
        return FiguresScope()
    if agency.kind == AgencyKind.POLICE_ZONE and actor.roles & ZONE_ROLES:
        return FiguresScope(zone_ids=(agency.pk,))
    if agency.kind == AgencyKind.PROSECUTOR and actor.roles & OFFICE_ROLES:
        return FiguresScope(office_ids=(agency.pk,))
    return FiguresScope()


def sees_figures(actor: Actor) -> bool:
    """The menu entry "Figures" (no query)."""
    return not figures_scope(actor).empty


def may_see_series(actor: Actor) -> bool:
    """Partner series (counts published by partners, no person in them): whoever sees figures."""
    return sees_figures(actor)


def may_import_series(actor: Actor) -> bool:
    """Loading or replacing a partner series changes what every dashboard shows: analysts only."""
    return Role.ANALYST in actor.roles and sees_figures(actor)

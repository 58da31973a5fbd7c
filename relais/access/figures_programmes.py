"""Access policy of the perpetrator programmes' figures (relais.figures.programmes): counts
only, of the reader's own programme.

- A perpetrator programme's analysts, administrators and counsellors see its figures (the
  counsellors hold its files anyway; the figures show them nothing more).
- Nobody else: the zones, offices and houses of justice that send files to a programme do not
  see its figures, and nobody drills down from a figure to a file or a person.
"""

from __future__ import annotations

from relais.accounts.models import Role
from relais.core.actor import Actor

PROGRAMME_FIGURES_ROLES = frozenset({Role.ANALYST, Role.ADMINISTRATOR,
                                     Role.PROGRAMME_COUNSELLOR})


def programme_figures_agency_ids(actor: Actor) -> tuple[int, ...]:
    """The programme agencies whose figures the reader sees: her own, or none."""
    agency = actor.agency
    if agency is None or not agency.is_perpetrator_programme:
        return ()
    return (agency.pk,) if actor.roles & PROGRAMME_FIGURES_ROLES else ()


def sees_programme_figures(actor: Actor) -> bool:
    """The menu entry (no query)."""
    return bool(programme_figures_agency_ids(actor))

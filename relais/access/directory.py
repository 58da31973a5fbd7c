"""Access policy of the directory of services (relais.directory).

- Every signed-in professional reads the directory; the public finder shows public entries.
- A service's own staff (its keeper agency) keep its entry current and see its confidential
  address (a shelter's location); directory editors create, import and export entries and
  keep them all, but never see a confidential address they do not keep.
- The victim-assistance poster is a police zone's.
"""

from __future__ import annotations

from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor
from relais.directory.models import Service


def is_directory_editor(actor: Actor) -> bool:
    return actor.has_role(Role.DIRECTORY_EDITOR)


def keeps(actor: Actor | None, service: Service) -> bool:
    """Her agency keeps the entry: she sees its confidential address."""
    return (actor is not None and service.agency_id is not None
            and service.agency_id == actor.agency_id)


def may_edit(actor: Actor, service: Service) -> bool:
    """Its own staff keep an entry current; directory editors keep them all."""
    return is_directory_editor(actor) or keeps(actor, service)


def may_make_poster(actor: Actor) -> bool:
    return actor.agency is not None and actor.agency.kind == AgencyKind.POLICE_ZONE

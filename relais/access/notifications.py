"""Access policy of notices (relais.notifications): a notice is addressed to a role in an
agency; each holder of that role there reads it."""

from __future__ import annotations

from django.db.models import QuerySet

from relais.accounts.models import Role
from relais.core.actor import Actor
from relais.notifications.models import Notice

# Roles that receive notices: the teams that contact victims, and the reference officers who
# confirm a lowered risk level.
NOTICE_ROLES = frozenset({Role.VICTIM_ASSISTANCE_WORKER, Role.EVA_OFFICER,
                          Role.IPV_REFERENCE_OFFICER, Role.DISPATCHER, Role.MAGISTRATE,
                          Role.LEGAL_ADVISOR, Role.JUSTICE_ASSISTANT, Role.PROGRAMME_COUNSELLOR,
                          Role.COURT_CLERK})


def receives_notices(actor: Actor) -> bool:
    return bool(actor.roles & NOTICE_ROLES)


def inbox_scope(actor: Actor) -> QuerySet[Notice]:
    """The notices the actor reads: her agency's, for one of her roles."""
    if actor.agency_id is None:
        return Notice.objects.none()
    return Notice.objects.filter(agency_id=actor.agency_id, for_role__in=actor.roles)

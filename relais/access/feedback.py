"""Access policy of the anonymous feedback from victims (relais.feedback).

The answers are anonymous (zone and week only); a zone's results are read by its
administrator, IPV reference officer, analyst and victim-assistance service (SAPV), who make
the day-2 contact where the form is mentioned. Below five answers no figure is shown.
"""

from __future__ import annotations

from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor

RESULT_ROLES = frozenset({Role.ADMINISTRATOR, Role.IPV_REFERENCE_OFFICER, Role.ANALYST,
                          Role.VICTIM_ASSISTANCE_WORKER})


def may_read_results(actor: Actor) -> bool:
    agency = actor.agency
    return (agency is not None and agency.kind == AgencyKind.POLICE_ZONE
            and actor.has_role(*RESULT_ROLES))

"""Access policy of police intake (relais.intake): who records a report on a case.

A report (information or official) is recorded by the police zone that owns the case;
reading reports follows the case policy and the judicial scope (relais.intake.selectors).
"""

from __future__ import annotations

from relais.access.cases import CaseAccess
from relais.accounts.models import AgencyKind


def may_record(access: CaseAccess) -> bool:
    """The owning agency, if it is a police zone."""
    agency = access.actor.agency
    return access.is_owner and agency is not None and agency.kind == AgencyKind.POLICE_ZONE

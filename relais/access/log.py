"""Who accessed a case: the audit trail of one case, for the owning agency's reference officer
(the access policy reads the audit trail; the audit trail knows no policy)."""

from __future__ import annotations

from dataclasses import dataclass

from relais.access.cases import case_access, require_reviewer
from relais.accounts.models import Agency
from relais.audit.models import Action, AuditEvent
from relais.audit.services import audit_record
from relais.core.actor import Actor


@dataclass
class AccessLog:
    case_reference: str
    events: list[AuditEvent]
    agencies: dict[int, str]


def case_access_log(*, actor: Actor, case_id: int, limit: int = 500) -> AccessLog:
    """Every event on one case, newest first; for the owning agency's reference officer."""
    access = case_access(actor=actor, case_id=case_id)
    require_reviewer(access)
    events = list(AuditEvent.objects.filter(case_id=case_id).order_by("-id")[:limit])
    agency_ids = {e.agency_id for e in events if e.agency_id}
    agencies = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    audit_record(actor=actor, action=Action.READ, case_id=case_id, basis="access review",
                 username="")
    return AccessLog(case_reference=access.case.reference, events=events, agencies=agencies)

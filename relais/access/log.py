"""Who accessed a case: the audit trail of one case, for the owning agency's reference officer
(the access policy reads the audit trail; the audit trail knows no policy)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import CharField, OuterRef, Subquery

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


def case_access_log_rows(*, actor: Actor, case_id: int,
                         chunk_size: int = 1000) -> Iterator[AuditEvent]:
    """Every event on one case, newest first (``case_access_log`` without its limit), each with
    its agency's name (``agency_name``), read in chunks by a server-side cursor: the export,
    whose audit event ``relais.core.exports.export_response`` writes. Same rule: the owning
    agency's reference officer, else 404 (checked now, before a row is read)."""
    require_reviewer(case_access(actor=actor, case_id=case_id))
    agency = Agency.objects.filter(pk=OuterRef("agency_id")).values("name")[:1]
    events = (AuditEvent.objects.filter(case_id=case_id)
              .annotate(agency_name=Subquery(agency, output_field=CharField()))
              .order_by("-id"))
    return events.iterator(chunk_size=chunk_size)

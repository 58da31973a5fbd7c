"""Access policy of the safeguards (relais.safeguards, issue 18 §4–5).

- A residence that depends on the partner (card A or F, a pending family reunification) is
  health and vulnerability data about her: it is read and recorded by whoever has the health
  scope on her (the owning agency, a referral on her consent that opened it, break-glass);
  perpetrator programmes never (``CaseAccess.person_scopes`` withholds it). The task to help her
  apply goes to the recording agency's follow-up, when it has one.
- A hospital presence alert is seen only by the health service that set it (its staff, on a
  case it holds or that is shared with it) and by the police zone that owns the case. Every
  other agency, the shelter and the perpetrator programme included, never learns it exists:
  the alert has no timeline entry and no line in the measures in force.
- Only a health service sets an alert, and only the service that set it ends it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from relais.access.cases import CaseAccess
from relais.access.followup import FOLLOWUP_AGENCIES
from relais.access.scopes import Scope
from relais.accounts.models import Agency, AgencyKind
from relais.cases.models import CaseStatus
from relais.safeguards.models import HospitalAlert


def reads_residence(access: CaseAccess, *, role: str, person_id: int) -> bool:
    return Scope.HEALTH in access.person_scopes(role, person_id)


def may_record_residence(access: CaseAccess, *, role: str, person_id: int) -> bool:
    return (access.case.status == CaseStatus.OPEN
            and reads_residence(access, role=role, person_id=person_id))


def residence_task_agency(access: CaseAccess) -> Agency | None:
    """The agency whose follow-up queue gets the task to help her apply (None: no queue)."""
    agency = access.actor.agency
    return agency if agency is not None and agency.kind in FOLLOWUP_AGENCIES else None


def _is_health(access: CaseAccess) -> bool:
    agency = access.actor.agency
    return agency is not None and agency.kind == AgencyKind.HEALTH


def may_set_hospital_alert(access: CaseAccess) -> bool:
    """A health service holding the case, or a share of it."""
    return _is_health(access) and access.case.status == CaseStatus.OPEN


def hospital_alerts_visible(access: CaseAccess) -> QuerySet[HospitalAlert]:
    """The alerts of the case this reader may see: her health service's, or all of them for
    the police zone that owns the case; none for anyone else."""
    alerts = HospitalAlert.objects.filter(case=access.case)
    if _is_health(access):
        return alerts.filter(agency_id=access.actor.agency_id)
    agency = access.actor.agency
    if access.is_owner and agency is not None and agency.kind == AgencyKind.POLICE_ZONE:
        return alerts
    return HospitalAlert.objects.none()


def may_end_hospital_alert(access: CaseAccess, alert: HospitalAlert) -> bool:
    return _is_health(access) and alert.agency_id == access.actor.agency_id

"""Access policy of amendments (relais.amendments): who corrects a saved record by an addendum.

- A police record is corrected by the staff of the police zone that recorded it who may record
  reports on the case (``access.intake.may_record``): the owning zone's staff within their reach.
- A risk assessment is corrected by the staff of the agency that made it, who may use its
  instrument and read the assessment (``access.risk``).
Everyone else gets the same 404. Addenda are read with the record they correct.
"""

from __future__ import annotations

from relais.access.cases import CaseAccess
from relais.access.intake import may_record
from relais.access.risk import may_use_instrument, readable_scopes
from relais.cases.models import CaseStatus
from relais.intake.models import Report
from relais.risk.instruments import Instrument
from relais.risk.models import RiskAssessment


def may_amend_report(access: CaseAccess, report: Report) -> bool:
    return may_record(access) and report.agency_id == access.actor.agency_id


def may_amend_assessment(access: CaseAccess, assessment: RiskAssessment,
                         instrument: Instrument) -> bool:
    return (assessment.agency_id == access.actor.agency_id
            and access.case.status != CaseStatus.MERGED
            and may_use_instrument(access.actor, instrument)
            and assessment.scope in readable_scopes(access)(assessment.person_id))

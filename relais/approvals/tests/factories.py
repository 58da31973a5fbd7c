"""Helpers of the approvals tests: a case at high risk, a request to close it."""

from __future__ import annotations

from relais.approvals.models import ApprovalRequest
from relais.cases import services as case_services
from relais.conftest import Cast, actor
from relais.intake.examples import grid_answers
from relais.risk import services as risk_services
from relais.risk.models import RiskAssessment


def high_risk(cast: Cast) -> RiskAssessment:
    """Zone A's officer assesses the victim at high risk (threats to kill)."""
    assessment = risk_services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers("police_grid", threats_to_kill="yes"))
    assert assessment.level_in_force == "high"
    return assessment


def ask_to_close(cast: Cast, user=None, reason: str = "safe") -> ApprovalRequest:
    """The case at high risk: closing it asks for a supervisor's approval."""
    high_risk(cast)
    case = case_services.case_close(actor=actor(user or cast.officer_a), case_id=cast.case.pk,
                                    reason=reason, note="Ban and alarm in place.",
                                    acknowledged=True)
    assert case.status == "open"
    return ApprovalRequest.objects.get(case=cast.case, step="case_close_high_risk")

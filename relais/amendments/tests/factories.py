"""Addenda built with the real services."""

from __future__ import annotations

from typing import Any

from relais.amendments import services
from relais.amendments.models import Addendum
from relais.conftest import Cast, actor
from relais.intake.examples import grid_answers
from relais.intake.models import Report
from relais.risk import services as risk_services
from relais.risk.models import RiskAssessment


def police_grid(cast: Cast, **answers: str) -> RiskAssessment:
    return risk_services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers("police_grid", **answers))


def add_pv_number(cast: Cast, report: Report, number: str = "BR.21.L3.012345/2026",
                  **changes: Any) -> Addendum:
    return services.report_amend(actor=actor(cast.officer_a), report_id=report.pk,
                                 reason="The prosecutor's office gave the PV number.",
                                 changes={"pv_number": number, **changes})

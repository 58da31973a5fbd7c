"""Building harassment-alarm situations with the real services."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from relais.alarms import services
from relais.alarms.models import AlarmActivation, AlarmAssignment, AlarmDevice, AlarmRequest
from relais.alarms.rules import alarm_rules
from relais.conftest import Cast, actor
from relais.followup.tests.factories import record_report
from relais.intake.models import Report
from relais.risk.instruments import instrument_get
from relais.risk.models import RiskAssessment
from relais.risk.services import assessment_record

WEAPON_TEXT = "Fictitious: a hunting rifle at his mother's home"


def assess(cast: Cast, **yes: str) -> RiskAssessment:
    """A police risk grid by zone A's officer: threats to kill and a weapon (very high risk)."""
    instrument = instrument_get("police_grid")
    answers = {item.code: "no" for item in instrument.items}
    answers.update(yes or {"threats_to_kill": "yes", "weapons": "yes", "stalking": "yes"})
    return assessment_record(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             person_id=cast.victim_id, instrument_code="police_grid",
                             answers=answers)


def forward(cast: Cast) -> Report:
    """An official report, forwarded to the Brussels prosecutor's office."""
    return record_report(cast, perpetrator_id=cast.perpetrator_id, risk_weapons=WEAPON_TEXT)


def all_yes() -> dict[str, str]:
    return {c.code: "yes" for c in alarm_rules().criteria}


def request_alarm(cast: Cast, **overrides: Any) -> AlarmRequest:
    return services.alarm_request_create(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                         criteria=overrides.pop("criteria", all_yes()),
                                         motivation="Fictitious: he waits outside her work.",
                                         **overrides)


def grant(cast: Cast, request: AlarmRequest) -> AlarmRequest:
    return services.alarm_request_decide(actor=actor(cast.magistrate), request_id=request.pk,
                                         grant=True, reasons="Life-threatening stalking.")


def add_device(cast: Cast, serial: str = "BTN-A-0001") -> AlarmDevice:
    return services.device_add(actor=actor(cast.reference_a), serial=serial,
                               model="Fictitious button v2")


def assign(cast: Cast, request: AlarmRequest, device: AlarmDevice) -> AlarmAssignment:
    return services.alarm_assign(actor=actor(cast.reference_a), request_id=request.pk,
                                 device_id=device.pk,
                                 paired_on=timezone.localdate() - timedelta(days=1))


def live_alarm(cast: Cast, serial: str = "BTN-A-0001") -> AlarmAssignment:
    """The cast case with a forwarded report, an assessment, a granted request and a paired
    device: what an activation needs."""
    forward(cast)
    assess(cast)
    request = grant(cast, request_alarm(cast))
    return assign(cast, request, add_device(cast, serial))


def press(cast: Cast, serial: str, *, at: datetime | None = None, user=None,
          key: str = "") -> AlarmActivation:
    return services.activation_receive(
        actor=actor(user or cast.dispatcher_a), serial=serial,
        occurred_at=at or timezone.now(), idempotency_key=key).activation

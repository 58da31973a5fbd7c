"""Demo harassment alarms of one network (fictitious data only): a few devices in the zone's
stock, one granted request with a paired device on the zone's high-risk case, and one press of
the button waiting on the dispatch board.

Called by ``seed_demo`` after the network's cases are built, through the real services.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from relais.accounts.models import Agency, User
from relais.alarms import services
from relais.alarms.models import AlarmActivation, AlarmDevice, DeviceStatus
from relais.alarms.rules import alarm_rules
from relais.cases.models import Case, CaseStatus
from relais.core.actor import Actor
from relais.risk.models import RiskAssessment

DEMO_MODEL = "Demo stalking alarm (Bluetooth, 112 app)"


def demo_serial(zone: Agency, number: int) -> str:
    short = zone.code.upper().removeprefix("DEMO-").removesuffix("-POLICE-ZONE")
    return f"DEMO-{short}-{number:03d}"


def _high_risk_case(zone: Agency) -> Case | None:
    """The zone's open case whose newest police grid is the highest (forwarded first)."""
    ranked = (RiskAssessment.objects.filter(case__owner_agency=zone,
                                            case__status=CaseStatus.OPEN,
                                            instrument_code="police_grid")
              .order_by("-score", "-assessed_at").select_related("case"))
    return next((a.case for a in ranked), None)


def load_demo_alarms(*, zone: Agency, intervention: User, reference: User, magistrate: User,
                     dispatcher: User, case: Case | None = None,
                     location: tuple[float, float] | None = None) -> AlarmActivation | None:
    """Devices, one granted and paired alarm, and one activation for ``zone``.

    ``intervention`` requests, ``magistrate`` (of the prosecutor's office the case was
    forwarded to) grants, ``reference`` (the zone's IPV reference officer) keeps the stock and
    pairs the device, ``dispatcher`` is the zone's dispatch account that posts the press.
    ``case`` defaults to the zone's open case with the highest police risk grid; ``location``
    is where the press is sent from (none by default). Does nothing if the zone already has
    demo devices; returns the activation (None when it did nothing).
    """
    if AlarmDevice.objects.filter(agency=zone, serial__startswith="DEMO-").exists():
        return None
    keeper = Actor.for_user(reference, channel="demo")
    devices = [services.device_add(actor=keeper, serial=demo_serial(zone, number),
                                   model=DEMO_MODEL) for number in range(1, 5)]
    services.device_set_status(actor=keeper, device_id=devices[3].pk,
                               status=DeviceStatus.OUT_OF_SERVICE,
                               note="Demo: the clip is broken.")
    case = case or _high_risk_case(zone)
    if case is None:
        return None
    request = services.alarm_request_create(
        actor=Actor.for_user(intervention, channel="demo"), case_id=case.pk,
        criteria={c.code: "yes" for c in alarm_rules().criteria},
        motivation="Demo (fictitious): since the separation he waits outside her work and "
                   "her child's school.")
    if request.prosecutor_office_id != magistrate.agency_id:
        return None
    services.alarm_request_decide(
        actor=Actor.for_user(magistrate, channel="demo"), request_id=request.pk, grant=True,
        reasons="Demo (fictitious): life-threatening stalking by the former partner after "
                "threats to kill; the victim agrees and her phone is compatible.")
    services.alarm_assign(actor=keeper, request_id=request.pk, device_id=devices[0].pk,
                          paired_on=timezone.localdate())  # granted and paired today
    latitude, longitude = location if location else (None, None)
    return services.activation_receive(
        actor=Actor.for_user(dispatcher, channel="demo"), serial=devices[0].serial,
        occurred_at=timezone.now() - timedelta(minutes=3),
        latitude=None if latitude is None else Decimal(str(round(latitude, 6))),
        longitude=None if longitude is None else Decimal(str(round(longitude, 6))),
        accuracy_m=15 if location else None).activation


def demo_instructions(*, dispatcher_username: str, serial: str,
                      base_url: str = "http://127.0.0.1:8000") -> str:
    """How to fire an activation on the demo with curl (printed by seed_demo if it wishes)."""
    return (
        f"Fire a harassment-alarm activation on the demo:\n"
        f"  TOKEN=$(./dev manage api_token_issue --gateway {dispatcher_username}"
        f" | awk '{{print $NF}}')\n"
        f"  curl -s -X POST {base_url}/api/alarms/activations/ \\\n"
        f"    -H \"Authorization: Token $TOKEN\" -H 'Content-Type: application/json' \\\n"
        f"    -d '{{\"device\": \"{serial}\", \"at\": \"'$(date -Iseconds)'\", "
        f"\"latitude\": 50.8270, \"longitude\": 4.3720, \"accuracy_m\": 15}}'\n"
        f"  Then sign in as {dispatcher_username}: Alarms shows it on the dispatch board.")

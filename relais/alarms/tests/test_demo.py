"""The demo loader, on the test cast (seed_demo calls it on each demo network)."""

from __future__ import annotations

from relais.alarms.demo import demo_instructions, demo_serial, load_demo_alarms
from relais.alarms.models import AlarmDevice, DeviceStatus, RequestStatus
from relais.alarms.tests.factories import assess, forward


def test_the_demo_loads_devices_a_granted_alarm_and_one_activation(cast):
    forward(cast)
    assess(cast)
    arguments = dict(zone=cast.zone_a, intervention=cast.officer_a, reference=cast.reference_a,
                     magistrate=cast.magistrate, dispatcher=cast.dispatcher_a,
                     location=(50.827, 4.372))
    activation = load_demo_alarms(**arguments)
    assert activation is not None and not activation.anomaly
    assert activation.case == cast.case
    assert activation.assignment.request.status == RequestStatus.GRANTED
    statuses = sorted(AlarmDevice.objects.filter(agency=cast.zone_a)
                      .values_list("status", flat=True))
    assert statuses == sorted([DeviceStatus.ASSIGNED, DeviceStatus.IN_STOCK,
                               DeviceStatus.IN_STOCK, DeviceStatus.OUT_OF_SERVICE])
    assert load_demo_alarms(**arguments) is None  # once
    text = demo_instructions(dispatcher_username="bxl.dispatch",
                             serial=demo_serial(cast.zone_a, 1))
    assert "DEMO-ZONE-A-001" in text and "/api/alarms/activations/" in text

"""The activation API end to end: a known device, an unknown one, a returned one, another
zone's token, malformed bodies, idempotency, and the summary as JSON."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from relais.accounts.models import Role, User
from relais.alarms import services
from relais.alarms.models import AlarmActivation, Anomaly, DeviceStatus
from relais.alarms.tests.factories import WEAPON_TEXT, add_device, live_alarm
from relais.audit.models import Action, AuditEvent
from relais.cases.models import TimelineEntry
from relais.conftest import VICTIM_STREET, actor, api_client, make_user, run_mail_queue
from relais.notifications.models import Notice, NoticeKind

URL = "/api/alarms/activations/"


def gateway(user: User):
    """The alarm platform: a gateway token of the zone's dispatch account."""
    return api_client(user, kind="gateway")


def body(serial: str = "BTN-A-0001", **extra) -> dict:
    return {"device": serial, "at": timezone.now().isoformat(), "latitude": 50.827123,
            "longitude": 4.372456, "accuracy_m": 12} | extra


@pytest.fixture
def emails(cast):
    User.objects.filter(pk=cast.dispatcher_a.pk).update(email="dispatch-a@example.org")
    User.objects.filter(pk=cast.reference_a.pk).update(email="reference-a@example.org")


def test_a_known_device_gives_an_urgent_event_a_notice_and_the_summary(
        cast, emails):
    live_alarm(cast)
    client = gateway(cast.dispatcher_a)
    response = client.post(URL, body(), format="json", HTTP_ACCEPT_LANGUAGE="en")
    run_mail_queue()
    assert response.status_code == 201, response.content
    data = response.json()
    activation = AlarmActivation.objects.get(pk=data["id"])
    assert data["anomaly"] is None and not data["replayed"]
    assert data["summary_url"] == f"/alarms/activations/{activation.pk}/"
    assert data["summary_api_url"] == f"/api/alarms/activations/{activation.pk}/summary/"
    assert activation.case == cast.case and activation.agency == cast.zone_a
    assert str(activation.latitude) == "50.827123"
    event = TimelineEntry.objects.get(case=cast.case, kind="alarm_activated")
    assert "URGENT" in event.summary_text and event.occurred_at == activation.occurred_at
    assert Notice.objects.filter(kind=NoticeKind.ALARM_ACTIVATED, agency=cast.zone_a,
                                 for_role=Role.DISPATCHER, case=cast.case).exists()
    assert AuditEvent.objects.filter(object_type="alarms.alarmactivation",
                                     object_id=str(activation.pk), action=Action.CREATE).exists()
    assert [m for m in mail.outbox if m.to == ["dispatch-a@example.org"]]

    summary = api_client(cast.dispatcher_a).get(data["summary_api_url"],
                                                HTTP_ACCEPT_LANGUAGE="en")
    assert summary.status_code == 200
    s = summary.json()
    assert s["case"]["reference"] == cast.case.reference
    assert s["risk"]["level"] == "very_high" and s["risk"]["critical_signals"]
    assert s["victim"]["name"] == "Alice Exemple" and s["victim"]["phones"]
    assert s["safe_contact"]["hours"] == "9-12"
    assert s["perpetrator"]["name"] == "Bruno Fictif"
    assert s["perpetrator"]["phones"] == ["+32 470 65 43 21"]  # PERPETRATOR_PHONE
    assert s["children"] == [{"name": "Chloé Fictif", "age": None}]
    assert WEAPON_TEXT in s["weapons"]
    assert any(w.startswith("Risk assessment, answered yes") for w in s["weapons"])
    assert any(m["kind"] == "harassment_alarm" for m in s["measures"])
    assert s["events"][0]["kind"] == "alarm_activated" and len(s["events"]) <= 5
    # No outside map site unless the operator sets one (RELAIS_ALARM_MAP_URL).
    assert s["activation"]["location"]["map_url"] == ""
    assert s["basis"] == "harassment-alarm activation"
    assert VICTIM_STREET not in summary.content.decode()
    reads = AuditEvent.objects.filter(object_type="alarms.alarmactivation",
                                      object_id=str(activation.pk), action=Action.READ)
    assert reads.count() == 2  # the summary in the POST's answer, then the GET
    assert {(r.basis, r.case_id) for r in reads} == {("harassment-alarm activation",
                                                     cast.case.pk)}


def test_the_press_is_answered_with_the_summary_and_that_read_is_audited(cast):
    live_alarm(cast)
    response = gateway(cast.dispatcher_a).post(URL, body(), format="json",
                                               HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 201
    data = response.json()
    s = data["summary"]
    assert s["activation"]["id"] == data["id"]
    assert s["case"]["reference"] == cast.case.reference
    assert s["risk"]["level"] == "very_high"
    assert s["victim"]["name"] == "Alice Exemple" and s["safe_contact"]["hours"] == "9-12"
    assert s["events"][0]["kind"] == "alarm_activated"
    assert VICTIM_STREET not in response.content.decode()
    read = AuditEvent.objects.get(object_type="alarms.alarmactivation", object_id=str(data["id"]),
                                  action=Action.READ)
    assert read.user_id == cast.dispatcher_a.pk and read.case_id == cast.case.pk
    # The same summary as the GET (kept for the dispatch software that follows the link).
    again = api_client(cast.dispatcher_a).get(data["summary_api_url"],
                                              HTTP_ACCEPT_LANGUAGE="en").json()
    assert again == s


def test_a_replayed_press_is_answered_with_the_summary_again(cast):
    live_alarm(cast)
    client = gateway(cast.dispatcher_a)
    payload = body()
    client.post(URL, payload, format="json")
    again = client.post(URL, payload, format="json")
    assert again.status_code == 200 and again.json()["summary"]["victim"]["name"]
    assert AuditEvent.objects.filter(object_type="alarms.alarmactivation",
                                     action=Action.READ).count() == 2


def test_an_unknown_device_is_stored_answered_202_logged_and_alerted(
        cast, emails, caplog):
    client = gateway(cast.dispatcher_a)
    with caplog.at_level(logging.WARNING, logger="relais.alarms"):
        response = client.post(URL, body("NO-SUCH-BUTTON"), format="json")
    run_mail_queue()
    assert response.status_code == 202
    data = response.json()
    assert data["anomaly"] == Anomaly.UNKNOWN_DEVICE and data["summary_url"] is None
    assert data["summary"] is None
    activation = AlarmActivation.objects.get(pk=data["id"])
    assert activation.device is None and activation.case is None
    assert activation.agency == cast.zone_a and activation.serial == "NO-SUCH-BUTTON"
    # Logged without personal data (nor the serial or the location).
    assert any("unknown_device" in r.getMessage() for r in caplog.records)
    assert not any("NO-SUCH-BUTTON" in r.getMessage() or "50.82" in r.getMessage()
                   for r in caplog.records)
    # Alerted by e-mail to the zone's dispatchers and reference officer.
    recipients = {address for m in mail.outbox for address in m.to}
    assert {"dispatch-a@example.org", "reference-a@example.org"} <= recipients
    alert = next(m for m in mail.outbox if "dispatch-a@example.org" in m.to)
    assert "/alarms/" in alert.body
    # On top of the board.
    board = client.get("/alarms/")  # a token is not a browser session
    assert board.status_code in (302, 404)
    from relais.alarms.selectors import activation_board
    rows = activation_board(actor=actor(cast.dispatcher_a))
    assert rows[0].activation == activation and rows[0].alert


def test_a_returned_device_is_an_anomaly_but_the_dispatcher_still_gets_the_summary(cast):
    assignment = live_alarm(cast)
    services.alarm_end(actor=actor(cast.reference_a), request_id=assignment.request_id,
                       reason="Review: no longer needed.")
    client = gateway(cast.dispatcher_a)
    response = client.post(URL, body(), format="json")
    assert response.status_code == 202
    data = response.json()
    assert data["anomaly"] == Anomaly.RETURNED_DEVICE
    assert data["summary_api_url"]  # she may still be the one pressing it
    assert not TimelineEntry.objects.filter(kind="alarm_activated").exists()
    assert data["summary"]["alarm_ended"] is True
    summary = api_client(cast.dispatcher_a).get(data["summary_api_url"]).json()
    assert summary["alarm_ended"] is True and summary["activation"]["anomaly"]


def test_a_device_in_stock_or_out_of_service_is_an_anomaly(cast):
    device = add_device(cast, "BTN-STOCK")
    client = gateway(cast.dispatcher_a)
    assert client.post(URL, body("BTN-STOCK"), format="json").json()["anomaly"] == \
        Anomaly.NOT_ASSIGNED
    services.device_set_status(actor=actor(cast.admin_a), device_id=device.pk,
                               status=DeviceStatus.OUT_OF_SERVICE)
    later = (timezone.now() + timedelta(seconds=1)).isoformat()
    assert client.post(URL, body("BTN-STOCK", at=later), format="json").json()["anomaly"] == \
        Anomaly.OUT_OF_SERVICE


def test_another_zones_token_is_an_anomaly_and_the_devices_zone_is_alerted(cast):
    live_alarm(cast)
    dispatcher_b = make_user("dispatcher_b", cast.zone_b, Role.DISPATCHER)
    response = gateway(dispatcher_b).post(URL, body(), format="json")
    assert response.status_code == 202
    data = response.json()
    assert data["anomaly"] == Anomaly.OTHER_ZONE and data["summary_url"] is None
    assert data["summary"] is None  # zone B's account reads nothing of the case
    assert not AuditEvent.objects.filter(action=Action.READ,
                                         object_type="alarms.alarmactivation").exists()
    activation = AlarmActivation.objects.get(pk=data["id"])
    assert activation.agency == cast.zone_a and activation.received_from == cast.zone_b
    # The press is real: zone A's dispatch gets it, with the summary; zone B sees no case.
    assert Notice.objects.filter(kind=NoticeKind.ALARM_ACTIVATED, agency=cast.zone_a).exists()
    assert api_client(dispatcher_b).get(
        f"/api/alarms/activations/{activation.pk}/summary/").status_code == 404
    assert api_client(cast.dispatcher_a).get(
        f"/api/alarms/activations/{activation.pk}/summary/").status_code == 200


@pytest.mark.parametrize("payload, field", [
    ({"at": "2026-01-01T10:00:00+01:00"}, "device"),
    ({"device": "BTN-A-0001"}, "at"),
    ({"device": "BTN-A-0001", "at": "yesterday"}, "at"),
    ({"device": "BTN-A-0001", "at": "2026-01-01T10:00:00+01:00", "latitude": 123,
      "longitude": 4.3}, "latitude"),
    ({"device": "BTN-A-0001", "at": "2026-01-01T10:00:00+01:00", "latitude": 50.8},
     "longitude"),
    ({"device": "BTN-A-0001", "at": "2026-01-01T10:00:00+01:00", "accuracy_m": -3},
     "accuracy_m"),
])
def test_a_malformed_body_is_a_400_naming_the_field(cast, payload, field):
    response = gateway(cast.dispatcher_a).post(URL, payload, format="json",
                                                  HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert field in response.json()
    assert not AlarmActivation.objects.exists()


def test_field_errors_are_in_the_callers_language(cast):
    response = gateway(cast.dispatcher_a).post(URL, {"device": "X"}, format="json",
                                                  HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 400
    assert response.json()["at"] == ["Ce champ est obligatoire."]


def test_the_same_press_twice_is_one_activation(cast):
    live_alarm(cast)
    client = gateway(cast.dispatcher_a)
    payload = body()
    first = client.post(URL, payload, format="json")
    again = client.post(URL, payload, format="json")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json()["id"] == first.json()["id"] and again.json()["replayed"]
    keyed = client.post(URL, body(at=(timezone.now() + timedelta(seconds=3)).isoformat()),
                        format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    replay = client.post(URL, body(at=(timezone.now() + timedelta(seconds=9)).isoformat()),
                         format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert replay.json()["id"] == keyed.json()["id"]
    assert AlarmActivation.objects.count() == 2
    assert TimelineEntry.objects.filter(kind="alarm_activated").count() == 2


def test_only_a_zones_dispatch_account_posts_activations(cast):
    for user in (cast.officer_a, cast.legal_advisor, cast.admin_a, cast.dispatcher_a):
        # A personal token never presses an alarm (relais/accounts/authentication.py).
        assert api_client(user).post(URL, body(), format="json").status_code == 404
    assert not AlarmActivation.objects.exists()


def test_the_api_requires_authentication(client):
    assert client.post(URL, body(), content_type="application/json").status_code in (401, 403)
    assert client.get("/api/alarms/activations/1/summary/").status_code in (401, 403)


def test_the_summary_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    live_alarm(cast)
    client = gateway(cast.dispatcher_a)
    with django_assert_max_num_queries(36):  # the press and its summary
        activation_id = client.post(URL, body(), format="json").json()["id"]
    reader = api_client(cast.dispatcher_a)
    with django_assert_max_num_queries(20):
        assert reader.get(
            f"/api/alarms/activations/{activation_id}/summary/").status_code == 200


def test_the_dispatchers_notice_opens_the_summary_not_the_case(cast):
    """Dispatchers cannot open the case page: their inbox links to the one-screen summary."""
    from relais.conftest import verified_client

    live_alarm(cast)
    response = gateway(cast.dispatcher_a).post(URL, body(), format="json")
    summary_url = response.json()["summary_url"]
    inbox = verified_client(cast.dispatcher_a).get("/notices/")
    assert inbox.status_code == 200
    assert f'href="{summary_url}"' in inbox.content.decode()
    assert verified_client(cast.dispatcher_a).get(summary_url).status_code == 200

"""The screens: dispatch board, request and decision, devices; login, other agency, queries."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.accounts.models import Role
from relais.alarms.models import AlarmActivation, AlarmRequest, DeviceStatus, RequestStatus
from relais.alarms.services import CRITERION_FIELD
from relais.alarms.tests.factories import (
    add_device,
    all_yes,
    assess,
    forward,
    live_alarm,
    press,
    request_alarm,
)
from relais.audit.models import Action, AuditEvent
from relais.cases import services as case_services
from relais.conftest import actor, case_page_with_sections, make_user, verified_client
from relais.measures import services as measures_services
from relais.measures.models import BreachKind
from relais.measures.tests.factories import order_ban


def criteria_post(**overrides: str) -> dict[str, str]:
    return {CRITERION_FIELD.format(code): answer
            for code, answer in (all_yes() | overrides).items()}


@pytest.mark.parametrize("url", ["/alarms/", "/alarms/requests/", "/alarms/devices/",
                                 "/alarms/activations/1/", "/alarms/requests/1/",
                                 "/alarms/devices/1/", "/cases/1/alarm/new/"])
def test_every_screen_requires_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


# --- The dispatch board -------------------------------------------------------------------------

def test_the_board_shows_activations_newest_first_with_anomalies_on_top(
        cast, django_assert_max_num_queries):
    live_alarm(cast)
    first = press(cast, "BTN-A-0001")
    unknown = press(cast, "NO-SUCH")
    later = press(cast, "BTN-A-0001", at=timezone.now())
    client = verified_client(cast.dispatcher_a)
    with django_assert_max_num_queries(25):
        response = client.get("/alarms/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'hx-trigger="every 5s"' in page and '<meta http-equiv="refresh"' in page
    assert "1 activation with an anomaly to check" in page
    rows = [row.activation for row in response.context["rows"]]
    assert rows == [unknown, later, first]
    assert f"/alarms/activations/{first.pk}/" in page
    assert f'href="/alarms/activations/{unknown.pk}/"' not in page  # no case: no summary
    assert "Alice" not in page  # names only on the (audited) summary
    fragment = client.get("/alarms/", HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "NO-SUCH" in fragment.content.decode()


def test_the_board_query_count_does_not_grow_with_activations(cast,
                                                              django_assert_max_num_queries):
    live_alarm(cast)
    for second in range(30):
        press(cast, "BTN-A-0001", at=timezone.now().replace(microsecond=second))
    client = verified_client(cast.dispatcher_a)
    with django_assert_max_num_queries(25):
        assert client.get("/alarms/").status_code == 200


def test_marking_handled_is_audited_and_leaves_the_top(cast):
    activation = press(cast, "NO-SUCH")
    client = verified_client(cast.dispatcher_a)
    response = client.post(f"/alarms/activations/{activation.pk}/handled/")
    assert response.status_code == 302
    activation.refresh_from_db()
    assert activation.handled_by == cast.dispatcher_a
    assert AuditEvent.objects.filter(object_type="alarms.alarmactivation",
                                     object_id=str(activation.pk),
                                     action=Action.UPDATE).exists()
    assert "anomaly to check" not in client.get("/alarms/").content.decode()


def test_the_menu_shows_alarms_with_the_unhandled_count_to_dispatchers(cast):
    press(cast, "NO-SUCH")
    page = verified_client(cast.dispatcher_a).get("/alarms/").content.decode()
    assert 'href="/alarms/"' in page and "Alarms" in page
    assert page.count('<span class="badge badge-critical">1</span>') >= 1
    officer_page = verified_client(cast.officer_a).get(reverse("cases:my_cases")).content.decode()
    assert 'href="/alarms/"' not in officer_page


def test_the_menu_entry_leads_others_to_their_part(cast):
    assert verified_client(cast.reference_a).get("/alarms/")["Location"] == "/alarms/requests/"
    assert verified_client(cast.admin_a).get("/alarms/")["Location"] == "/alarms/devices/"
    assert verified_client(cast.magistrate).get("/alarms/")["Location"] == "/alarms/requests/"
    assert verified_client(cast.counsellor).get("/alarms/").status_code == 404


def test_the_summary_screen(cast):
    live_alarm(cast)
    activation = press(cast, "BTN-A-0001")
    AlarmActivation.objects.filter(pk=activation.pk).update(latitude="50.8271",
                                                            longitude="4.3725", accuracy_m=9)
    page = verified_client(cast.dispatcher_a).get(
        f"/alarms/activations/{activation.pk}/").content.decode()
    for text in ("Very high risk", "Critical signals", "Measures in force", "Children",
                 "Weapons", "Last events", 'id="map"', "50.827100", "Safe contact",
                 "Never leave a voice message", "+32 470 12 34 56", "Mark handled"):
        assert text in page, text
    assert "Open on a map" not in page  # no outside map site unless the operator sets one


def test_the_summary_links_to_the_map_site_the_operator_chose(cast, settings):
    settings.RELAIS_ALARM_MAP_URL = "https://maps.example.org/?lat={lat}&lon={lon}"
    live_alarm(cast)
    activation = press(cast, "BTN-A-0001")
    AlarmActivation.objects.filter(pk=activation.pk).update(latitude="50.8271",
                                                            longitude="4.3725")
    page = verified_client(cast.dispatcher_a).get(
        f"/alarms/activations/{activation.pk}/").content.decode()
    assert "https://maps.example.org/?lat=50.827100&amp;lon=4.372500" in page
    assert 'id="map"' not in page


def test_the_last_events_keep_a_ban_breach_however_many_came_after(cast):
    live_alarm(cast)
    ban = order_ban(cast)
    measures_services.ban_serve(actor=actor(cast.officer_a), ban_id=ban.pk)
    measures_services.breach_record(
        actor=actor(cast.officer_a), ban_id=ban.pk, what=BreachKind.ENTERED_HOME,
        occurred_at=timezone.now(), note="Fictitious: seen at the door.")
    for n in range(6):  # six later events
        case_services.note_add(actor=actor(cast.officer_a), case_id=cast.case.pk,
                               text=f"Fictitious note {n}")
    activation = press(cast, "BTN-A-0001")
    page = verified_client(cast.dispatcher_a).get(
        f"/alarms/activations/{activation.pk}/").content.decode()
    events = page[page.index("Last events"):]
    assert str(BreachKind.ENTERED_HOME.label) in events
    assert "Fictitious note 5" in events  # the newest still come first


# --- Request and decision -------------------------------------------------------------------------

def test_an_officer_requests_from_the_case_page(cast):
    forward(cast)
    assess(cast)
    client = verified_client(cast.officer_a)
    case_page = case_page_with_sections(client, cast.case.pk)
    assert "Harassment alarm" in case_page and f"/cases/{cast.case.pk}/alarm/new/" in case_page
    form = client.get(f"/cases/{cast.case.pk}/alarm/new/")
    assert form.status_code == 200 and "Save as draft" in form.content.decode()
    response = client.post(f"/cases/{cast.case.pk}/alarm/new/",
                           criteria_post() | {"motivation": "He follows her."})
    request = AlarmRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/alarms/requests/{request.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Waiting for the decision" in page and "Test parquet-bxl" in page


def test_a_request_without_assessment_shows_the_error_and_keeps_the_input(cast):
    client = verified_client(cast.officer_a)
    response = client.post(f"/cases/{cast.case.pk}/alarm/new/",
                           criteria_post() | {"motivation": "Kept text"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "no risk assessment" in page and "Kept text" in page
    assert not AlarmRequest.objects.exists()


def test_a_request_without_forwarding_warns_that_the_report_must_be_forwarded(cast):
    assess(cast)
    client = verified_client(cast.officer_a)
    response = client.post(f"/cases/{cast.case.pk}/alarm/new/", criteria_post(), follow=True)
    assert "not forwarded to a prosecutor" in response.content.decode()


def test_other_zones_and_dispatchers_cannot_request(cast):
    assess(cast)
    for user in (cast.officer_b, cast.dispatcher_a):
        assert verified_client(user).get(f"/cases/{cast.case.pk}/alarm/new/").status_code == 404


def test_the_magistrate_decides_on_the_page_and_reasons_are_required(cast):
    forward(cast)
    assess(cast)
    request = request_alarm(cast)
    client = verified_client(cast.magistrate)
    url = f"/alarms/requests/{request.pk}/"
    assert "Record the decision" in client.get(url).content.decode()
    missing = client.post(url, {"action": "decide", "decision": "grant", "reasons": ""})
    assert missing.status_code == 200
    assert "Give the reasons" in missing.content.decode()
    request.refresh_from_db()
    assert request.status == RequestStatus.REQUESTED
    done = client.post(url, {"action": "decide", "decision": "grant",
                             "reasons": "Stalking with threats to kill."})
    assert done.status_code == 302
    request.refresh_from_db()
    assert request.status == RequestStatus.GRANTED


def test_the_reference_officer_assigns_a_device_and_sees_the_support_links(cast):
    forward(cast)
    assess(cast)
    request = request_alarm(cast)
    verified_client(cast.magistrate).post(f"/alarms/requests/{request.pk}/", {
        "action": "decide", "decision": "grant", "reasons": "Granted."})
    device = add_device(cast)
    client = verified_client(cast.reference_a)
    url = f"/alarms/requests/{request.pk}/"
    page = client.get(url).content.decode()
    assert f"/cases/{cast.case.pk}/help/?person={cast.victim_id}" in page
    assert f"/cases/{cast.case.pk}/help/?person={cast.perpetrator_id}" in page
    response = client.post(url, {"action": "assign", "device": device.pk,
                                 "paired_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.status == DeviceStatus.ASSIGNED
    assert "Review made" in client.get(url).content.decode()


def test_another_agency_gets_404_on_a_request(cast):
    forward(cast)
    assess(cast)
    request = request_alarm(cast)
    for user in (cast.officer_b, cast.dispatcher_a, cast.counsellor, cast.admin_a):
        assert verified_client(user).get(f"/alarms/requests/{request.pk}/").status_code == 404


def test_the_request_list_for_the_office(cast, django_assert_max_num_queries):
    forward(cast)
    assess(cast)
    request_alarm(cast)
    client = verified_client(cast.legal_advisor)
    with django_assert_max_num_queries(20):
        response = client.get("/alarms/requests/")
    assert response.status_code == 200 and cast.case.reference in response.content.decode()
    assert verified_client(cast.officer_b).get("/alarms/requests/").content.decode().count(
        cast.case.reference) == 0


# --- Inventory --------------------------------------------------------------------------

def test_the_administrator_keeps_the_inventory_without_seeing_any_case(
        cast, django_assert_max_num_queries):
    live_alarm(cast)
    client = verified_client(cast.admin_a)
    with django_assert_max_num_queries(20):
        response = client.get("/alarms/devices/")
    page = response.content.decode()
    assert response.status_code == 200 and "BTN-A-0001" in page
    assert cast.case.reference not in page and "Alice" not in page
    reference_page = verified_client(cast.reference_a).get("/alarms/devices/").content.decode()
    assert cast.case.reference in reference_page
    added = client.post("/alarms/devices/", {"serial": "BTN-NEW", "model": "v3", "note": ""})
    assert added.status_code == 302
    duplicate = client.post("/alarms/devices/", {"serial": "BTN-NEW"})
    assert "already registered" in duplicate.content.decode()


def test_the_inventory_is_for_its_zone_only(cast):
    device = add_device(cast)
    admin_b = make_user("admin_b", cast.zone_b, Role.ADMINISTRATOR)
    client = verified_client(admin_b)
    assert client.get(f"/alarms/devices/{device.pk}/").status_code == 404
    assert "BTN-A-0001" not in client.get("/alarms/devices/").content.decode()
    assert verified_client(cast.officer_a).get("/alarms/devices/").status_code == 404
    assert verified_client(cast.dispatcher_a).get("/alarms/devices/").status_code == 404


def test_a_device_goes_out_of_service_and_back(cast):
    device = add_device(cast)
    client = verified_client(cast.admin_a)
    url = f"/alarms/devices/{device.pk}/"
    assert client.post(url, {"status": "out_of_service", "note": "Cracked"}).status_code == 302
    device.refresh_from_db()
    assert device.status == DeviceStatus.OUT_OF_SERVICE and device.note == "Cracked"

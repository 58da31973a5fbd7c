"""The dispatcher's exact scope: the summary of her zone's activations and nothing else; who
else may open it (nobody); the time window; no whereabouts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from relais.access.alarms import (
    ALARM_SUMMARY_BASIS,
    ALARM_SUMMARY_HOURS,
    alarm_summary_access,
)
from relais.access.cases import case_access
from relais.access.scopes import ALARM_SUMMARY_SCOPES, Scope
from relais.accounts.models import Role
from relais.alarms import services
from relais.alarms.models import AlarmActivation
from relais.alarms.selectors import activation_board, alarm_measures
from relais.alarms.tests.factories import live_alarm, press
from relais.audit.models import Action, AuditEvent
from relais.cases import services as case_services
from relais.conftest import SHELTER_STREET, VICTIM_STREET, actor, make_user, verified_client


@pytest.fixture
def activation(cast) -> AlarmActivation:
    live_alarm(cast)
    return press(cast, "BTN-A-0001")


def summary_url(activation: AlarmActivation) -> str:
    return f"/alarms/activations/{activation.pk}/"


def test_the_dispatcher_opens_the_summary_but_never_the_case(cast, activation):
    client = verified_client(cast.dispatcher_a)
    response = client.get(summary_url(activation))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alice Exemple" in page and "Bruno Fictif" in page and "Chloé Fictif" in page
    assert client.get(f"/cases/{cast.case.pk}/").status_code == 404
    assert client.get(f"/persons/{cast.victim_id}/").status_code == 404
    assessment = activation.case.risk_assessments.first()
    assert client.get(f"/risk/{assessment.pk}/").status_code == 404
    request_id = activation.assignment.request_id
    assert client.get(f"/alarms/requests/{request_id}/").status_code == 404
    assert client.get(f"/api/cases/{cast.case.pk}/").status_code == 404
    with pytest.raises(Http404):
        case_access(actor=actor(cast.dispatcher_a), case_id=cast.case.pk)


def test_each_summary_read_is_audited_with_its_basis(cast, activation):
    verified_client(cast.dispatcher_a).get(summary_url(activation))
    verified_client(cast.dispatcher_a).get(summary_url(activation))
    reads = AuditEvent.objects.filter(object_type="alarms.alarmactivation",
                                      object_id=str(activation.pk), action=Action.READ)
    assert reads.count() == 2
    assert {r.basis for r in reads} == {ALARM_SUMMARY_BASIS}
    assert set(reads.first().scopes.split(",")) == set(ALARM_SUMMARY_SCOPES)


def test_another_zones_dispatcher_gets_404(cast, activation):
    dispatcher_b = make_user("dispatcher_b", cast.zone_b, Role.DISPATCHER)
    assert verified_client(dispatcher_b).get(summary_url(activation)).status_code == 404
    assert activation_board(actor=actor(dispatcher_b)) == []
    assert verified_client(dispatcher_b).post(
        f"/alarms/activations/{activation.pk}/handled/").status_code == 404


@pytest.mark.parametrize("who", [
    "officer_a", "reference_a", "sapv_a", "neighbourhood_a", "analyst_a", "admin_a",
    "officer_b", "legal_advisor", "magistrate", "justice_assistant", "counsellor",
    "support_worker", "shelter_worker", "coordinator",
])
def test_no_other_role_opens_the_dispatchers_summary(cast, activation, who):
    """Decided: the summary is the dispatch's tool. Officers and the prosecutor's office read
    the case itself under their own access; nobody else gets this door into it."""
    user = getattr(cast, who)
    assert verified_client(user).get(summary_url(activation)).status_code == 404
    with pytest.raises(Http404):
        alarm_summary_access(actor=actor(user), activation=activation)


def test_the_summary_closes_a_day_after_the_activation_once_it_is_handled(cast, activation):
    client = verified_client(cast.dispatcher_a)
    old = timezone.now() - timedelta(hours=ALARM_SUMMARY_HOURS + 1)
    AlarmActivation.objects.filter(pk=activation.pk).update(received_at=old)
    assert client.get(summary_url(activation)).status_code == 200  # not handled yet
    services.activation_handle(actor=actor(cast.dispatcher_a), activation_id=activation.pk)
    assert client.get(summary_url(activation)).status_code == 404


def test_a_dispatcher_of_the_owning_zone_opens_an_activation_of_another_zones_device(cast):
    """The device's zone, or the zone that owns the case."""
    live_alarm(cast)
    activation = press(cast, "BTN-A-0001")
    AlarmActivation.objects.filter(pk=activation.pk).update(agency=cast.zone_b)
    activation.refresh_from_db()
    assert alarm_summary_access(actor=actor(cast.dispatcher_a), activation=activation)


def test_no_address_is_ever_shown_not_even_a_confidential_one(cast, activation):
    case_services.address_add(actor=actor(cast.officer_a), person_id=cast.victim_id,
                              street=SHELTER_STREET, postcode="1000", municipality="21004",
                              confidential=True)
    access = alarm_summary_access(actor=actor(cast.dispatcher_a), activation=activation)
    assert access.scopes == ALARM_SUMMARY_SCOPES
    assert Scope.CONFIDENTIAL_LOCATION not in access.scopes and Scope.HEALTH not in access.scopes
    for address in cast.case.participants.get(person_id=cast.victim_id).person.addresses.all():
        assert not access.address_visible(address, "victim")
    html = verified_client(cast.dispatcher_a).get(summary_url(activation)).content.decode()
    json = verified_client(cast.dispatcher_a).get(
        f"/api/alarms/activations/{activation.pk}/summary/").content.decode()
    for text in (html, json):
        assert SHELTER_STREET not in text and VICTIM_STREET not in text
        assert "Tigrinya" not in text  # health and vulnerability: not in the summary
    assert not access.can_edit and not access.can_review


def test_a_perpetrator_programme_never_sees_the_alarm_among_the_measures(cast, activation):
    from relais.access.cases import CaseAccess

    counsellor = CaseAccess(actor=actor(cast.counsellor), case=cast.case,
                            scopes=frozenset({Scope.JUDICIAL}), is_owner=False)
    assert alarm_measures(counsellor) == []
    zone = case_access(actor=actor(cast.officer_a), case_id=cast.case.pk)
    assert [m.kind for m in alarm_measures(zone)] == ["harassment_alarm"]


def test_an_unknown_device_has_no_summary_for_anyone(cast):
    activation = press(cast, "NO-SUCH-BUTTON")
    assert activation.anomaly
    with pytest.raises(Http404):
        alarm_summary_access(actor=actor(cast.dispatcher_a), activation=activation)


def test_a_perpetrator_programme_in_a_consultation_never_learns_of_the_alarm(cast, activation):
    from relais.access.services import consultation_open
    from relais.cases.selectors import case_get

    consultation_open(actor=actor(cast.officer_a), case_id=cast.case.pk,
                      agency_ids=[cast.programme.pk], purpose="High-risk consultation",
                      ends_at=timezone.now() + timedelta(days=30),
                      scopes=[Scope.JUDICIAL, Scope.CONTACT])
    view = case_get(actor=actor(cast.counsellor), case_id=cast.case.pk)
    assert not [e for e in view.timeline if e.kind.startswith("alarm_")]
    assert alarm_measures(view.access) == []
    officer = case_get(actor=actor(cast.officer_a), case_id=cast.case.pk)
    assert {e.kind for e in officer.timeline} >= {"alarm_requested", "alarm_activated"}

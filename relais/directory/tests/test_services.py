"""Writing entries: who may, what is checked, the audit event of each write."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.conftest import actor, api_client, make_user, verified_client
from relais.directory import services
from relais.directory.models import Service

pytestmark = pytest.mark.django_db

ENTRY = {"code": "new-entry", "name": "New entry (test)", "type": "legal_aid",
         "languages": ["fr"], "target_groups": ["victims"], "postcode": "1060"}


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def audited(service: Service, action: str) -> bool:
    return AuditEvent.objects.filter(object_type="directory.service", object_id=str(service.pk),
                                     action=action).exists()


def test_an_editor_creates_an_entry_with_hours_and_area(cast):
    editor = make_user("editor", cast.platform, Role.DIRECTORY_EDITOR)
    service = services.service_save(actor=actor(editor), fields=ENTRY,
                                    hours="mon-fri 09:00-12:00", exceptions="2026-12-24 closed",
                                    areas="municipality:21013; national")
    assert service.municipality == "21013"
    assert service.periods.count() == 5 and service.exceptions.count() == 1
    assert sorted(service.areas.values_list("level", flat=True)) == ["municipality", "national"]
    assert audited(service, "create")


def test_only_an_editor_creates_and_only_the_keeper_or_an_editor_updates(cast, directory):
    with pytest.raises(Http404):
        services.service_save(actor=actor(cast.officer_a), fields=ENTRY, hours="",
                              exceptions="", areas="national")
    with pytest.raises(Http404):
        services.capacity_update(actor=actor(cast.officer_a), service_id=directory.shelter.pk,
                                 free_places=9, waiting_days=None, crisis_status="open")


def test_every_problem_of_an_entry_comes_back_at_once_and_nothing_is_saved(cast):
    editor = make_user("editor", cast.platform, Role.DIRECTORY_EDITOR)
    bad = {**ENTRY, "postcode": "1051", "address_confidential": True, "latitude": 50.8,
           "longitude": 4.3}
    with pytest.raises(ValidationError) as error:
        services.service_save(actor=actor(editor), fields=bad, hours="mon 18:00-08:00",
                              exceptions="", areas="district:atlantis")
    errors = error.value.message_dict
    assert {"postcode", "intake_phone", "latitude", "hours", "areas"} <= set(errors)
    assert "1050" in errors["postcode"][0]
    assert not Service.objects.filter(code="new-entry").exists()


def test_its_own_staff_keep_capacity_current_and_below_zero_is_refused(cast, directory):
    worker = actor(cast.shelter_worker)
    service = services.capacity_update(actor=worker, service_id=directory.shelter.pk,
                                       free_places=0, waiting_days=14, crisis_status="reduced")
    assert service.capacity_updated_by == cast.shelter_worker
    assert audited(service, "update")
    with pytest.raises(ValidationError) as error:
        services.capacity_update(actor=worker, service_id=directory.shelter.pk, free_places=-1,
                                 waiting_days=None, crisis_status="open")
    assert "below zero" in str(error.value)
    directory.shelter.refresh_from_db()
    assert directory.shelter.free_places == 0


def test_a_checked_entry_is_no_longer_stale(cast, directory):
    Service.objects.filter(pk=directory.support_fr.pk).update(
        updated_at="2020-01-01T00:00:00Z")
    client = verified_client(cast.support_worker)
    assert b"needs checking" in client.get("/directory/mine/").content
    client.post(f"/directory/{directory.support_fr.pk}/confirm/")
    assert b"needs checking" not in client.get("/directory/mine/").content
    directory.support_fr.refresh_from_db()
    assert audited(directory.support_fr, "update")


def test_the_capacity_api_is_for_the_services_own_staff(cast, directory):
    url = f"/api/directory/services/{directory.shelter.pk}/capacity/"
    assert api_client(cast.officer_a).post(url, {"free_places": 1, "crisis_status": "open"},
                                           format="json").status_code == 404
    response = api_client(cast.shelter_worker).post(
        url, {"free_places": -3, "crisis_status": "open"}, format="json")
    assert response.status_code == 400 and "free_places" in response.json()["errors"]
    response = api_client(cast.shelter_worker).post(
        url, {"free_places": 4, "crisis_status": "open"}, format="json")
    assert response.json()["free_places"] == 4

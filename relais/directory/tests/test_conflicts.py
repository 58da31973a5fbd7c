"""No lost update on a directory entry (issue 20 §1): the service's own staff and a directory
editor edit the same entry; the second save over a newer version is refused and shows both."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.accounts.models import Role
from relais.conftest import actor, api_client, make_user, verified_client
from relais.core.models import FormDraft
from relais.core.tests.conflict_helpers import refused_without_audit, version_in
from relais.directory import services
from relais.directory.forms import ServiceForm
from relais.directory.models import Service

pytestmark = pytest.mark.django_db


def posted(service: Service, **changes) -> dict:
    """The edit form as its keeper reads it (hidden version included), with ``changes``."""
    data = {name: value for name, value in ServiceForm.initial_for(service, keeper=True).items()
            if value is not None}
    data["agency"] = service.agency_id
    data["target_groups"] = list(service.target_groups)
    for name, value in list(data.items()):
        if isinstance(value, bool) and not value:
            del data[name]  # an unchecked box is not posted
    return {**data, **changes}


def test_the_keeper_and_an_editor_edit_the_same_entry(cast, directory):
    entry = directory.support_fr
    url = f"/directory/{entry.pk}/edit/"
    keeper = verified_client(cast.support_worker)
    editor_user = make_user("editor_conflict", cast.platform, "directory_editor")
    editor = verified_client(editor_user)
    read = posted(entry)  # both opened the form now
    assert f'name="version" value="{read["version"]}"' in keeper.get(url).content.decode()

    first = keeper.post(url, {**read, "phone": "02 555 12 34"})
    assert first.status_code == 302, first.content.decode()[:3000]
    second = editor.post(url, {**read, "name": "Renamed by the editor (test)"})

    page = second.content.decode()
    assert second.status_code == 200 and "Someone else saved this record" in page
    assert "Renamed by the editor (test)" in page  # her typing kept
    assert FormDraft.objects.filter(user=editor_user, path=url).exists()
    entry.refresh_from_db()
    assert entry.name != "Renamed by the editor (test)" and "555 12 34" in entry.phone

    newer = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    kept = editor.post(url, {**read, "name": "Renamed by the editor (test)",
                             "phone": entry.phone, "version": newer})
    assert kept.status_code == 302
    entry.refresh_from_db()
    assert entry.name == "Renamed by the editor (test)" and "555 12 34" in entry.phone


# --- Today's capacity (a shelter's free places) -------------------------------------------------

def test_two_shelter_workers_update_the_free_places_the_second_sees_both_and_decides(
        cast, directory):
    shelter = directory.shelter
    url = reverse("directory:capacity", args=[shelter.pk])
    page_url = reverse("directory:detail", args=[shelter.pk])
    base = {"free_places": "2", "waiting_days": "", "crisis_status": shelter.crisis_status}
    other = make_user("shelter_two", cast.shelter, Role.SHELTER_WORKER)
    first, second = verified_client(cast.shelter_worker), verified_client(other)
    read = version_in(first.get(page_url).content.decode())
    assert version_in(second.get(page_url).content.decode()) == read
    mine_page = second.get(reverse("directory:mine")).content.decode()
    assert f'name="version" value="{read}"' in mine_page

    assert first.post(url, {**base, "free_places": "0", "version": read}).status_code == 302
    refused = second.post(url, {**base, "free_places": "3", "version": read})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page
    assert "Keep mine and save" in page and 'value="3"' in page  # her number kept
    assert FormDraft.objects.filter(user=other, path=url).exists()
    shelter.refresh_from_db()
    assert shelter.free_places == 0

    kept = second.post(url, {**base, "free_places": "3", "version": version_in(page)})
    assert kept.status_code == 302
    shelter.refresh_from_db()
    assert shelter.free_places == 3
    assert not FormDraft.objects.filter(user=other, path=url).exists()


def test_take_theirs_drops_her_draft_and_shows_the_entry(cast, directory):
    url = reverse("directory:capacity", args=[directory.shelter.pk])
    client = verified_client(cast.shelter_worker)
    client.post(url, {"free_places": "1", "crisis_status": directory.shelter.crisis_status,
                      "version": "stale"})
    assert FormDraft.objects.filter(user=cast.shelter_worker, path=url).exists()
    response = client.post(url, {"_discard_draft": "1"})
    assert response.status_code == 302 and response.url.endswith("#capacity")
    assert not FormDraft.objects.filter(user=cast.shelter_worker, path=url).exists()


def test_the_capacity_service_refuses_a_newer_version_and_writes_nothing(cast, directory):
    shelter = directory.shelter
    worker = actor(cast.shelter_worker)
    read = services.capacity_version(shelter)
    fields = {"waiting_days": None, "crisis_status": shelter.crisis_status}
    services.capacity_update(actor=worker, service_id=shelter.pk, free_places=0, version=read,
                             **fields)
    conflict = refused_without_audit(lambda: services.capacity_update(
        actor=worker, service_id=shelter.pk, free_places=4, version=read, **fields))
    assert conflict.current["free_places"] == 0


def test_the_capacity_api_takes_if_match_when_sent(cast, directory):
    shelter = directory.shelter
    detail = reverse("api:directory_detail", args=[shelter.pk])
    url = reverse("api:directory_capacity", args=[shelter.pk])
    worker = api_client(cast.shelter_worker)
    read = worker.get(detail)
    assert read.status_code == 200 and read["ETag"]
    assert "ETag" not in api_client(cast.officer_a).get(detail)  # a reader updates nothing
    body = {"free_places": 0, "crisis_status": shelter.crisis_status}
    saved = worker.post(url, body, format="json", HTTP_IF_MATCH=read["ETag"])
    assert saved.status_code == 200 and saved["ETag"] != read["ETag"]
    refused = worker.post(url, {**body, "free_places": 5}, format="json",
                          HTTP_IF_MATCH=read["ETag"])
    assert refused.status_code == 412 and refused.json()["current"]["free_places"] == 0
    assert refused["ETag"] == saved["ETag"]
    shelter.refresh_from_db()
    assert shelter.free_places == 0
    # Without If-Match (a client written before it): nothing compared, as before.
    assert worker.post(url, {**body, "free_places": 5}, format="json").status_code == 200

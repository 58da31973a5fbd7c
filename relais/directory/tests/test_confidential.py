"""A shelter's address reaches no one but the shelter's own staff: every page and API answer
of the directory is checked, for the public, another agency, an editor, and the shelter."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from relais.accounts.models import Role
from relais.conftest import api_client, make_user, verified_client
from relais.directory.tests.factories import SHELTER_SERVICE_STREET

pytestmark = pytest.mark.django_db
SECRET = SHELTER_SERVICE_STREET.encode()


def directory_pages(directory) -> list[str]:
    shelter = directory.shelter.pk
    return [
        "/directory/", "/directory/?where=1050", "/directory/?where=1050&need=shelter",
        f"/directory/{shelter}/", "/directory/mine/", "/api/directory/services/?where=1050",
        f"/api/directory/services/{shelter}/",
    ]


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.mark.parametrize("who", ["officer_a", "support_worker", "counsellor", "legal_advisor"])
def test_no_other_agency_ever_gets_the_confidential_address(cast, directory, who):
    user = getattr(cast, who)
    client, api = verified_client(user), api_client(user)
    for url in directory_pages(directory):
        response = (api if url.startswith("/api/") else client).get(url)
        assert response.status_code == 200, url
        assert SECRET not in response.content, url
    response = client.get("/directory/leaflet/21009.pdf")
    assert SHELTER_SERVICE_STREET not in pdf_text(response.content)
    assert directory.shelter.name in pdf_text(response.content)
    assert client.get(f"/directory/{directory.shelter.pk}/edit/").status_code == 404


def test_the_public_finder_never_gets_it(directory):
    response = Client().post("/help/fr/", {"where": "1050", "need": "shelter"})
    assert directory.shelter.name.encode() in response.content
    assert b"02 111 11 11" in response.content  # the intake phone instead
    assert SECRET not in response.content
    assert "Hélène Contact".encode() not in response.content  # for professionals only


def test_a_directory_editor_edits_the_entry_without_seeing_or_erasing_it(cast, directory):
    editor = make_user("editor", cast.platform, Role.DIRECTORY_EDITOR)
    client = verified_client(editor)
    page = client.get(f"/directory/{directory.shelter.pk}/edit/")
    assert page.status_code == 200
    assert SECRET not in page.content
    export = client.get("/directory/export.csv")
    assert SECRET not in export.content
    assert b"test-shelter" in export.content
    from relais.audit.models import AuditEvent

    event = AuditEvent.objects.filter(basis__startswith="export directory csv").get()
    assert event.user_id == editor.pk  # every export is audited (issue 19 §5)
    from relais.directory.forms import ServiceForm

    data = {k: v for k, v in ServiceForm.initial_for(directory.shelter, keeper=False).items()
            if v not in (None, False)}
    data.update(target_groups=directory.shelter.target_groups, name="Renamed shelter (test)")
    response = client.post(f"/directory/{directory.shelter.pk}/edit/", data)
    assert response.status_code == 302, response.content[:2000]
    directory.shelter.refresh_from_db()
    assert directory.shelter.name == "Renamed shelter (test)"
    assert directory.shelter.street == SHELTER_SERVICE_STREET


def test_the_shelters_own_staff_see_it_on_screen_and_in_the_api(cast, directory):
    client, api = verified_client(cast.shelter_worker), api_client(cast.shelter_worker)
    assert SECRET in client.get(f"/directory/{directory.shelter.pk}/").content
    answer = api.get(f"/api/directory/services/{directory.shelter.pk}/").json()
    assert SHELTER_SERVICE_STREET in answer["address"]
    assert answer["location"] is None


def test_a_confidential_entry_is_never_on_the_map(cast, directory):
    response = verified_client(cast.shelter_worker).get("/directory/?where=1050")
    points = response.context["points"]
    assert [p["name"] for p in points] == [directory.support_fr.name]

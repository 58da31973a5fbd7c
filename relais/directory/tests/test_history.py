"""Field history of directory entries (issue 20 §2; docs/history.md): whoever may edit an
entry reads its history; a confidential address only its keeper."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.conftest import actor, make_user, verified_client
from relais.directory import selectors, services
from relais.directory.models import Service
from relais.directory.tests.factories import SHELTER_SERVICE_STREET
from relais.directory.tests.test_transfer import GOOD, HEADER, as_csv
from relais.directory.transfer import directory_import

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _fields(page) -> list[tuple[str, str, str]]:
    return [(field.name, field.before, field.after)
            for change in page.changes for field in change.fields]


def test_capacity_and_entry_changes_record_their_author(cast, directory):
    services.capacity_update(actor=actor(cast.shelter_worker), service_id=directory.shelter.pk,
                             free_places=0, waiting_days=14, crisis_status="reduced")
    last = Service.history.filter(id=directory.shelter.pk).first()
    assert last.history_user == cast.shelter_worker
    editor = make_user("editor", cast.platform, Role.DIRECTORY_EDITOR)
    services.service_save(actor=actor(editor), service_id=directory.support_fr.pk,
                          fields={"name": "Support renamed (test)"}, hours="mon 09:00-12:00",
                          exceptions="", areas="municipality:21009")
    assert Service.history.filter(id=directory.support_fr.pk).first().history_user == editor
    page = selectors.service_history(actor=actor(cast.shelter_worker),
                                     service_id=directory.shelter.pk)
    assert ("free_places", "2", "0") in _fields(page)
    assert page.changes[0].author == "Shelter Test"


def test_a_confidential_address_history_is_for_its_keeper_only(cast, directory):
    editor = make_user("editor", cast.platform, Role.DIRECTORY_EDITOR)
    keeper = selectors.service_history(actor=actor(cast.shelter_worker),
                                       service_id=directory.shelter.pk)
    assert ("street", "", SHELTER_SERVICE_STREET) in _fields(keeper)
    page = selectors.service_history(actor=actor(editor), service_id=directory.shelter.pk)
    assert page.changes  # the editor reads the entry's history...
    assert not {"street", "postcode", "latitude", "longitude"} & {f[0] for f in _fields(page)}
    html = verified_client(editor).get(
        reverse("directory:history", args=[directory.shelter.pk])).content.decode()
    assert SHELTER_SERVICE_STREET not in html  # ...never where the shelter is


def test_the_history_screen_requires_sign_in_and_is_404_to_who_may_not_edit(cast, directory):
    url = reverse("directory:history", args=[directory.shelter.pk])
    assert verified_client(cast.shelter_worker).get(url).status_code == 200
    assert verified_client(cast.officer_a).get(url).status_code == 404  # reads, does not edit
    assert verified_client(cast.support_worker).get(url).status_code == 404  # another agency's
    response = Client().get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_reading_an_entrys_history_is_audited_as_a_read(cast, directory):
    verified_client(cast.shelter_worker).get(
        reverse("directory:history", args=[directory.shelter.pk]))
    event = AuditEvent.objects.order_by("-pk").first()
    assert (event.action, event.object_type, event.object_id) == (
        "read", "directory.service", str(directory.shelter.pk))
    assert "field history" in event.basis


def test_the_history_list_takes_a_fixed_number_of_queries(cast, directory,
                                                         django_assert_max_num_queries):
    client = verified_client(cast.shelter_worker)
    url = reverse("directory:history", args=[directory.shelter.pk])
    with django_assert_max_num_queries(30) as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        services.capacity_update(actor=actor(cast.shelter_worker),
                                 service_id=directory.shelter.pk, free_places=n + 10,
                                 waiting_days=n, crisis_status="open")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "14" in response.content.decode()


def test_the_import_job_records_its_user_as_author(cast, directory):
    """A job (the directory import) saves through the services: the importing editor is the
    author, capacity columns included (saved, no longer update()d)."""
    editor = make_user("editor", cast.platform, Role.DIRECTORY_EDITOR)
    row = [*GOOD]
    row[0], row[8] = "test-import-1", "3"  # code, free places
    report = directory_import(actor=actor(editor), data=as_csv(HEADER, row),
                              filename="entries.csv")
    assert report.imported, report.problems
    service = Service.objects.get(code="test-import-1")
    rows = list(Service.history.filter(id=service.pk).order_by("history_date", "history_id"))
    assert {row.history_user for row in rows} == {editor}
    assert rows[-1].free_places == 3

"""No lost update (issue 20 §1) on a person's identity and her safe-contact rule: two
colleagues edit the same record; the second save over a newer version is refused, shows both,
keeps her typing (as her draft too), and saves hers only when she says so. HTML and API."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from relais.access.scopes import Scope
from relais.audit.models import AuditEvent
from relais.cases import services
from relais.cases.models import Person, SafeContactInstructions
from relais.conftest import actor, api_client, verified_client
from relais.core.models import FormDraft
from relais.core.versions import EditConflict
from relais.safeguards.tests.factories import share

pytestmark = pytest.mark.django_db

IDENTITY = {"first_name": "Alice", "last_name": "Exemple", "birth_date": "1988-03-14",
            "sex": "F", "gender": "", "languages": "fr", "file_language": "",
            "national_number": ""}


def form_version(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    marker = 'name="version" value="'
    return page.split(marker, 1)[1].split('"', 1)[0]


# --- The service ------------------------------------------------------------------------------

def test_the_service_refuses_a_save_over_a_newer_version(cast):
    from relais.cases.selectors import person_identity_get

    read = person_identity_get(actor=actor(cast.officer_a), person_id=cast.victim_id)
    services.person_update(actor=actor(cast.sapv_a), person_id=cast.victim_id,
                           version=read["version"], last_name="Exemple-Nouveau")
    with pytest.raises(EditConflict) as conflict:
        services.person_update(actor=actor(cast.officer_a), person_id=cast.victim_id,
                               version=read["version"], first_name="Alicia")
    assert conflict.value.current["last_name"] == "Exemple-Nouveau"
    assert Person.objects.get(pk=cast.victim_id).first_name != "Alicia"
    updates = AuditEvent.objects.filter(action="update", object_type="cases.person",
                                        object_id=str(cast.victim_id))
    assert updates.count() == 1  # the refused save wrote nothing, audit included


def test_without_a_version_the_caller_read_nothing_and_nothing_is_compared(cast):
    services.person_update(actor=actor(cast.officer_a), person_id=cast.victim_id,
                           first_name="Alicia")
    assert Person.objects.get(pk=cast.victim_id).first_name == "Alicia"


# --- The screens ------------------------------------------------------------------------------

def test_correcting_her_identity_requires_sign_in_and_is_the_owners_alone(cast):
    url = reverse("cases:person_edit", args=[cast.victim_id])
    response = Client().get(url)
    assert response.status_code == 302 and response.url.startswith("/sign-in/")
    for someone in (cast.shelter_worker, cast.counsellor, cast.officer_b):
        client = verified_client(someone)
        assert client.get(url).status_code == 404
        assert client.post(url, {**IDENTITY, "first_name": "X"}).status_code == 404
    assert Person.objects.get(pk=cast.victim_id).first_name == "Alice"


def test_two_colleagues_edit_her_identity_the_second_sees_both_and_decides(cast):
    url = reverse("cases:person_edit", args=[cast.victim_id])
    first, second = verified_client(cast.officer_a), verified_client(cast.sapv_a)
    read_first, read_second = form_version(first, url), form_version(second, url)

    saved = first.post(url, {**IDENTITY, "last_name": "Exemple-Nouveau", "version": read_first})
    assert saved.status_code == 302
    refused = second.post(url, {**IDENTITY, "first_name": "Alicia", "version": read_second})

    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page
    assert "<td>Exemple-Nouveau</td><td>Exemple</td>" in page  # saved now, hers
    assert 'value="Alicia"' in page  # her typing is still in the form
    assert FormDraft.objects.filter(user=cast.sapv_a, path=url).exists()  # and kept as draft
    person = Person.objects.get(pk=cast.victim_id)
    assert (person.first_name, person.last_name) == ("Alice", "Exemple-Nouveau")

    # "Keep mine": the form now carries the saved version; saving it again writes hers.
    newer = page.split('name="version" value="', 1)[1].split('"', 1)[0]
    assert newer != read_second
    kept = second.post(url, {**IDENTITY, "first_name": "Alicia", "version": newer})
    assert kept.status_code == 302
    person.refresh_from_db()
    assert (person.first_name, person.last_name) == ("Alicia", "Exemple")
    assert not FormDraft.objects.filter(user=cast.sapv_a, path=url).exists()


def test_take_theirs_drops_her_draft_and_reloads_what_is_saved(cast):
    url = reverse("cases:person_edit", args=[cast.victim_id])
    first, second = verified_client(cast.officer_a), verified_client(cast.sapv_a)
    version = form_version(second, url)
    first.post(url, {**IDENTITY, "last_name": "Exemple-Nouveau", "version": version})
    second.post(url, {**IDENTITY, "first_name": "Alicia", "version": version})

    assert second.post(url, {"_discard_draft": "1"}).status_code == 302
    page = second.get(url).content.decode()
    assert 'value="Exemple-Nouveau"' in page and 'value="Alicia"' not in page


def test_two_colleagues_set_her_safe_contact_rule(cast):
    url = reverse("cases:safe_contact", args=[cast.victim_id])
    first, second = verified_client(cast.officer_a), verified_client(cast.sapv_a)
    version = form_version(first, url)
    assert form_version(second, url) == version
    rule = {"channel": "phone", "hours": "weekdays 9-12", "can_speak_freely": "yes",
            "notes": ""}

    assert first.post(url, {**rule, "never": ["leave_message"], "version": version}).status_code \
        == 302
    refused = second.post(url, {**rule, "hours": "evenings", "version": version})

    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page
    assert "weekdays 9-12" in page and 'value="evenings"' in page
    saved = SafeContactInstructions.objects.get(person_id=cast.victim_id)
    assert saved.hours == "weekdays 9-12" and saved.never == ["leave_message"]


# --- The API ----------------------------------------------------------------------------------

def test_the_api_corrects_her_identity_only_with_the_etag_read(cast):
    url = reverse("api:person_detail", args=[cast.victim_id])
    first, second = api_client(cast.officer_a), api_client(cast.sapv_a)
    etag = first.get(url)["ETag"]
    assert second.get(url)["ETag"] == etag

    missing = first.patch(url, {"first_name": "Alicia"}, format="json")
    assert missing.status_code == 428
    saved = first.patch(url, {"last_name": "Exemple-Nouveau"}, format="json", HTTP_IF_MATCH=etag)
    assert saved.status_code == 200 and saved["ETag"] != etag
    refused = second.patch(url, {"first_name": "Alicia"}, format="json", HTTP_IF_MATCH=etag)
    assert refused.status_code == 412
    assert refused.json()["current"]["last_name"] == "Exemple-Nouveau"
    assert refused["ETag"] == saved["ETag"]
    kept = second.patch(url, {"first_name": "Alicia"}, format="json",
                        HTTP_IF_MATCH=refused["ETag"])
    assert kept.status_code == 200 and kept.json()["first_name"] == "Alicia"


def test_the_api_gives_no_etag_to_whoever_may_not_correct_her(cast):
    share(cast, cast.shelter, scopes=(Scope.CONTACT,))  # she reads the victim, not her owner
    url = reverse("api:person_detail", args=[cast.victim_id])
    reader = api_client(cast.shelter_worker)
    answer = reader.get(url)
    assert answer.status_code == 200 and "ETag" not in answer
    assert reader.patch(url, {"first_name": "X"}, format="json",
                        HTTP_IF_MATCH='"x"').status_code == 404
    assert api_client(cast.counsellor).patch(url, {"first_name": "X"}, format="json",
                                             HTTP_IF_MATCH='"x"').status_code == 404
    assert Person.objects.get(pk=cast.victim_id).first_name == "Alice"


def test_the_api_sets_her_safe_contact_rule_over_the_version_read(cast):
    url = reverse("api:person_safe_contact", args=[cast.victim_id])
    first, second = api_client(cast.officer_a), api_client(cast.sapv_a)
    read = first.get(url)
    assert read.status_code == 200 and read.json()["recorded"] is True
    rule = {"channel": "phone", "hours": "evenings", "never": ["leave_message"]}
    saved = first.put(url, rule, format="json", HTTP_IF_MATCH=read["ETag"])
    assert saved.status_code == 200 and saved.json()["hours"] == "evenings"
    refused = second.put(url, {**rule, "hours": "mornings"}, format="json",
                         HTTP_IF_MATCH=read["ETag"])
    assert refused.status_code == 412 and refused.json()["current"]["hours"] == "evenings"
    assert api_client(cast.counsellor).get(url).status_code == 404  # no contact scope
    assert api_client(cast.counsellor).put(url, rule, format="json",
                                           HTTP_IF_MATCH=read["ETag"]).status_code == 404

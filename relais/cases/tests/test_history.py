"""Field history of persons, cases and safe-contact rules (issue 20 §2; docs/history.md):
each change through a service keeps its before and after with its author; the history screen
shows only the fields the reader may see, and is audited as a read."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from relais.access.models import ConsentMethod
from relais.access.scopes import Scope
from relais.access.services import referral_share_grant
from relais.audit.models import AuditEvent
from relais.cases import selectors, services
from relais.cases.models import Address, Case, Person, PhoneNumber, SafeContactInstructions
from relais.conftest import SHELTER_STREET, VICTIM_STREET, actor, api_client, verified_client
from relais.core.history import history_purge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _fields(page) -> list[tuple[str, str, str]]:
    return [(field.name, field.before, field.after)
            for change in page.changes for field in change.fields]


def test_a_person_update_keeps_before_after_and_its_author(cast):
    services.person_update(actor=actor(cast.officer_a), person_id=cast.victim_id,
                           first_name="Alicia", gender="woman")
    last = Person.history.filter(id=cast.victim_id).first()  # newest first
    assert last.history_user == cast.officer_a and last.history_type == "~"
    assert last.prev_record.first_name == "Alice" and last.first_name == "Alicia"
    page = selectors.person_history(actor=actor(cast.officer_a), person_id=cast.victim_id)
    newest = page.changes[0]
    assert newest.author == "Officer Test" and newest.agency == "Zone A (test)"
    assert {(f.name, f.before, f.after) for f in newest.fields} == {
        ("first_name", "Alice", "Alicia"), ("gender", "", "woman")}


def test_each_service_of_the_case_file_records_its_author(cast):
    sapv = actor(cast.sapv_a)
    services.safe_contact_set(actor=sapv, person_id=cast.victim_id, channel="sms",
                              hours="9-12", never=["leave_message", "visit_home"])
    services.phone_add(actor=sapv, person_id=cast.victim_id, number="+32470999999")
    services.address_add(actor=sapv, person_id=cast.victim_id, street="Rue Neuve 5",
                         postcode="1000", municipality="21004")
    services.case_close(actor=sapv, case_id=cast.case.pk, reason="declined", acknowledged=True)
    rule = SafeContactInstructions.history.filter(person_id=cast.victim_id).first()
    assert rule.history_user == cast.sapv_a and rule.prev_record.channel == "phone"
    assert PhoneNumber.history.filter(number="+32470999999").get().history_user == cast.sapv_a
    assert Address.history.filter(street="Rue Neuve 5").get().history_user == cast.sapv_a
    closed = Case.history.filter(id=cast.case.pk).first()
    assert closed.history_user == cast.sapv_a and closed.status == "closed"
    # The case's history starts with its real reference, recorded by whoever opened it.
    opened = Case.history.filter(id=cast.case.pk).last()
    assert opened.reference == cast.case.reference and opened.history_user == cast.officer_a
    page = selectors.safe_contact_history(actor=sapv, person_id=cast.victim_id)
    assert ("channel", "Phone call", "Text message") in _fields(page)
    assert ("never", "Never leave a voice message",
            "Never leave a voice message, Never visit at home") in _fields(page)
    case_page = selectors.case_history(actor=sapv, case_id=cast.case.pk)
    assert ("status", "Open", "Closed") in _fields(case_page)


def test_the_history_screen_requires_sign_in_and_is_404_to_another_agency(cast):
    urls = [reverse("cases:person_history", args=[cast.victim_id]),
            reverse("cases:case_history", args=[cast.case.pk]),
            reverse("cases:safe_contact_history", args=[cast.victim_id])]
    outsider = verified_client(cast.officer_b)
    for url in urls:
        response = verified_client(cast.officer_a).get(url)
        assert response.status_code == 200, url
        assert outsider.get(url).status_code == 404, url
        anonymous = Client().get(url)
        assert anonymous.status_code == 302
        assert anonymous.url.startswith(reverse("accounts:login")), url


def test_a_reader_without_the_contact_scope_sees_no_address_change_at_all(cast):
    owner = actor(cast.officer_a)
    services.address_add(actor=owner, person_id=cast.victim_id, street="Rue Cachée 3",
                         postcode="1000", municipality="21004")
    referral_share_grant(actor=owner, case_id=cast.case.pk, person_id=cast.victim_id,
                         recipient_agency_id=cast.support.pk, scopes=[Scope.HEALTH],
                         method=ConsentMethod.WRITTEN)
    page = selectors.person_history(actor=actor(cast.support_worker), person_id=cast.victim_id)
    records = {change.record for change in page.changes}
    assert "Address" not in records and "Phone number" not in records
    assert "Specific need" in records and "Person" in records  # identity and health
    html = verified_client(cast.support_worker).get(
        reverse("cases:person_history", args=[cast.victim_id])).content.decode()
    for secret in (VICTIM_STREET, "Rue Cachée 3", "+32 470"):
        assert secret not in html
    assert "street" not in html.lower()
    # Her safe-contact rule is contact scope: its history is not there for her at all.
    assert verified_client(cast.support_worker).get(
        reverse("cases:safe_contact_history", args=[cast.victim_id])).status_code == 404


def test_a_confidential_address_history_is_its_keepers_only(cast):
    owner = actor(cast.officer_a)
    referral_share_grant(actor=owner, case_id=cast.case.pk, person_id=cast.victim_id,
                         recipient_agency_id=cast.shelter.pk,
                         scopes=[Scope.CONTACT, Scope.CONFIDENTIAL_LOCATION],
                         method=ConsentMethod.WRITTEN)
    services.address_add(actor=actor(cast.shelter_worker), person_id=cast.victim_id,
                         street=SHELTER_STREET, postcode="1000", municipality="21004",
                         confidential=True)
    shelter = selectors.person_history(actor=actor(cast.shelter_worker),
                                       person_id=cast.victim_id)
    assert ("street", "", SHELTER_STREET) in _fields(shelter)
    police = selectors.person_history(actor=owner, person_id=cast.victim_id)
    assert SHELTER_STREET not in {f[2] for f in _fields(police)}
    assert ("street", "", VICTIM_STREET) in _fields(police)  # her ordinary address stays


def test_reading_the_history_is_audited_as_a_read(cast):
    before = AuditEvent.objects.count()
    verified_client(cast.officer_a).get(reverse("cases:person_history", args=[cast.victim_id]))
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1
    assert (event.action, event.object_type, event.object_id) == (
        "read", "cases.person", str(cast.victim_id))
    assert event.case_id == cast.case.pk and "field history" in event.basis
    assert sorted(event.scopes.split(",")) == [Scope.CONTACT, Scope.HEALTH]


def test_the_history_list_takes_a_fixed_number_of_queries(cast, django_assert_max_num_queries):
    client = verified_client(cast.officer_a)
    url = reverse("cases:person_history", args=[cast.victim_id])
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    owner = actor(cast.officer_a)
    for n in range(5):
        services.person_update(actor=owner, person_id=cast.victim_id, gender=f"g{n}")
        services.phone_add(actor=owner, person_id=cast.victim_id, number=f"+3247099990{n}")
        services.address_add(actor=owner, person_id=cast.victim_id, street=f"Rue {n}",
                             postcode="1000", municipality="21004")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Rue 4") == 1


def test_the_history_goes_with_its_record(cast):
    """Same retention: deleting a record deletes its history; the purge clears leftovers."""
    phone = PhoneNumber.objects.get(person_id=cast.victim_id)
    assert PhoneNumber.history.filter(id=phone.pk).exists()
    phone.delete()
    assert not PhoneNumber.history.filter(id=phone.pk).exists()
    address = Address.objects.get(person_id=cast.victim_id)
    Address.objects.filter(pk=address.pk)._raw_delete("default")  # a delete with no signal
    assert Address.history.filter(id=address.pk).exists()
    assert history_purge() >= 1
    assert not Address.history.filter(id=address.pk).exists()
    assert Person.history.filter(id=cast.victim_id).exists()  # what still exists keeps it


def test_a_change_through_the_api_has_the_tokens_user_as_author(cast):
    """No request middleware: the author comes from the service's actor, whatever the channel."""
    response = api_client(cast.sapv_a).post(
        reverse("api:case_persons", args=[cast.case.pk]),
        {"role": "witness", "first_name": "Wanda", "last_name": "Témoin"}, format="json")
    assert response.status_code == 201
    row = Person.history.get(id=response.json()["id"])
    assert row.history_user == cast.sapv_a and row.history_type == "+"

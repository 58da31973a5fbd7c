"""The dispatch's look-up API: exactly what it answers, and what it never answers."""

import json

from django.urls import reverse

from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.conftest import (
    PERPETRATOR_PHONE,
    VICTIM_PHONE,
    VICTIM_STREET,
    api_client,
    make_user,
)
from relais.redlist.models import LookupTally
from relais.redlist.tests.conftest import LISTED_PHONE

URL = reverse("api:redlist_lookup")
ADDRESS = {"postcode": "1050", "street": "WETSTRAAT", "number": "16", "box": "Bus 2"}
ANSWER_KEYS = {"listed", "priority", "priority_label", "zone", "flags", "reference"}
FLAG_KEYS = {"high_risk", "weapons", "ban_in_force", "alarm", "children"}


def gateway(user):
    return api_client(user, kind="gateway")


def test_a_hit_answers_exactly_the_allowed_keys(cast, listed):
    address, _phone = listed
    response = gateway(cast.dispatcher_a).post(URL, ADDRESS, format="json")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == ANSWER_KEYS
    assert set(data["flags"]) == FLAG_KEYS
    assert data["listed"] is True and data["reference"] == address.reference
    assert data["zone"] == cast.zone_a.name and data["flags"]["children"] is True
    assert isinstance(data["priority"], int)
    by_phone = gateway(cast.dispatcher_a).post(URL, {"phone": LISTED_PHONE}, format="json")
    assert by_phone.json()["listed"] is True and set(by_phone.json()) == ANSWER_KEYS


def test_a_miss_answers_the_same_keys_and_nothing_else(cast, listed):
    data = gateway(cast.dispatcher_a).post(URL, {"phone": "+32 470 00 00 00"},
                                           format="json").json()
    assert data == {"listed": False, "priority": None, "priority_label": None, "zone": None,
                    "flags": None, "reference": None}


def test_the_answer_never_holds_a_name_an_address_a_phone_or_the_case(cast, listed):
    address, phone = listed
    body = json.dumps([
        gateway(cast.dispatcher_a).post(URL, ADDRESS, format="json").json(),
        gateway(cast.dispatcher_a).post(URL, {"phone": LISTED_PHONE}, format="json").json()])
    never = ["Alice", "Exemple", "Bruno", "Fictif", "Chloé", cast.case.reference,
             '"case', '"id"', "Wetstraat", "WETSTRAAT", "Rue de la Loi", "1050", "21009",
             "Ixelles", phone.phone, "470998877", VICTIM_PHONE, PERPETRATOR_PHONE,
             VICTIM_STREET, "serious_violence", "Fictitious"]
    for text in never:
        assert text.lower() not in body.lower(), text


def test_only_a_dispatchers_gateway_token_looks_up(cast, listed):
    client = api_client(cast.dispatcher_a)  # a personal token: not the gateway's
    assert client.post(URL, ADDRESS, format="json").status_code == 404
    officer = gateway(cast.officer_a)  # a gateway token of someone who is not a dispatcher
    assert officer.post(URL, ADDRESS, format="json").status_code == 404
    from rest_framework.test import APIClient

    assert APIClient().post(URL, ADDRESS, format="json").status_code == 401
    assert not LookupTally.objects.exists()


def test_bad_input_is_400_and_not_counted(cast, listed):
    client = gateway(cast.dispatcher_a)
    for body in ({}, {"postcode": "1050", "street": "Wetstraat"}, {"phone": "12"},
                 {"postcode": "0000", "street": "x", "number": "1"}, ["not", "an", "object"]):
        assert client.post(URL, body, format="json").status_code == 400, body
    assert not LookupTally.objects.exists()


def test_lookups_are_audited_in_aggregate(cast, listed):
    client = gateway(cast.dispatcher_a)
    before = AuditEvent.objects.count()
    for _ in range(5):
        client.post(URL, ADDRESS, format="json")
    tally = LookupTally.objects.get()
    assert (tally.lookups, tally.hits) == (5, 5)
    # One event for the hour's first look-up (token checks write none).
    assert AuditEvent.objects.count() - before == 1


def test_the_schema_documents_the_endpoint(cast):
    response = api_client(cast.officer_a).get(reverse("api:schema"), {"format": "json"})
    paths = response.json()["paths"]
    assert "/api/redlist/lookup/" in paths


def test_a_dispatcher_of_another_zone_is_told_the_listing_zone(cast, listed):
    dispatcher_b = make_user("dispatcher_b", cast.zone_b, Role.DISPATCHER)
    data = gateway(dispatcher_b).post(URL, ADDRESS, format="json").json()
    assert data["listed"] and data["zone"] == cast.zone_a.name

"""Ids past 64 bits, negative or not numbers: the usual 404 or a form error, never a 500."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.conftest import api_client, verified_client
from relais.core.ids import MAX_ID, parse_id, parse_ids

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


def test_parse_id_keeps_only_what_fits_a_database_key():
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(12) == 12
    assert parse_id(str(MAX_ID)) == MAX_ID
    for bad in (str(MAX_ID + 1), HUGE, "0", "-1", "1.5", "", None, "٣", "1\x00", True, [1]):
        assert parse_id(bad) is None, bad
    assert parse_ids(["3", "x", HUGE, "3", 5]) == [3, 5]


def test_an_id_past_64_bits_in_an_address_is_the_usual_404(cast):
    api = api_client(cast.officer_a)
    assert api.get(f"/api/persons/{2**63}/").status_code == 404
    assert api.get(f"/api/cases/{HUGE}/").status_code == 404
    assert api.get("/api/persons/0/").status_code == 404
    client = verified_client(cast.officer_a)
    assert client.get(f"/persons/{2**63}/").status_code == 404
    assert client.get(f"/cases/{HUGE}/help/").status_code == 404
    assert client.get(f"/persons/{MAX_ID}/").status_code == 404  # fits, and is not there
    assert reverse("cases:person_detail", args=[cast.victim_id]) == f"/persons/{cast.victim_id}/"


def test_a_huge_person_in_the_query_is_ignored_on_find_help(cast):
    client = verified_client(cast.officer_a)
    response = client.get(f"/cases/{cast.case.pk}/help/?person={HUGE}")
    assert response.status_code == 200
    assert b"Alice" in response.content  # falls back to the victim
    assert client.get(f"/cases/{cast.case.pk}/help/?person=-4").status_code == 200


def test_a_huge_agency_in_the_consultation_form_is_a_form_error(cast):
    client = verified_client(cast.officer_a)
    url = f"/cases/{cast.case.pk}/consultation/"
    assert client.get(f"{url}?agencies={HUGE}").status_code == 200
    response = client.post(url, {"agencies": [HUGE, str(cast.support.pk)], "purpose": "Risk",
                                 "ends_at": "2030-01-01T10:00", "scopes": ["contact"]})
    assert response.status_code == 200
    assert HUGE.encode() in response.content  # "… is not a valid value."


def test_huge_section_reader_and_page_are_ignored_on_the_prosecution_table(cast):
    client = verified_client(cast.legal_advisor)
    response = client.get(f"/prosecution/?section={HUGE}&page={HUGE}&reader={HUGE}")
    assert response.status_code == 200

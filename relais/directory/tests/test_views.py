"""Screens of the directory: sign-in, other agencies, bad input in the user's language, PDFs."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from pypdf import PdfReader

from relais.accounts.models import Unit, UnitKind
from relais.conftest import verified_client

pytestmark = pytest.mark.django_db


def test_every_staff_page_requires_sign_in(directory):
    for url in ["/directory/", f"/directory/{directory.shelter.pk}/", "/directory/mine/",
                "/directory/new/", "/directory/import/", "/directory/export.csv",
                "/directory/poster.pdf", "/directory/leaflet/21009.pdf",
                f"/directory/{directory.shelter.pk}/edit/"]:
        response = Client().get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url
    assert Client().get("/api/directory/services/").status_code in (401, 403)


def test_another_agency_cannot_edit_or_update_an_entry(cast, directory):
    client = verified_client(cast.officer_b)
    assert client.get(f"/directory/{directory.support_fr.pk}/edit/").status_code == 404
    response = client.post(f"/directory/{directory.support_fr.pk}/capacity/",
                           {"free_places": 3, "crisis_status": "open"})
    assert response.status_code == 404
    assert client.get("/directory/import/").status_code == 404


def test_an_unknown_postcode_is_answered_with_suggestions_in_the_users_language(cast):
    response = verified_client(cast.officer_a, language="nl").get("/directory/?where=1051")
    assert response.status_code == 200
    assert b"1050" in response.content
    assert b"Bedoelde u" in response.content


def test_a_negative_capacity_is_refused_on_screen_and_nothing_changes(cast, directory):
    client = verified_client(cast.shelter_worker, language="fr")
    response = client.post(f"/directory/{directory.shelter.pk}/capacity/",
                           {"free_places": -1, "crisis_status": "open"})
    assert response.status_code == 400
    assert "inférieur à zéro".encode() in response.content
    directory.shelter.refresh_from_db()
    assert directory.shelter.free_places == 2


def test_the_edit_form_keeps_every_answer_on_error(cast, directory):
    client = verified_client(cast.support_worker)
    response = client.post(f"/directory/{directory.support_fr.pk}/edit/", {
        "name": "Kept name (test)", "type": "victim_support", "target_groups": ["victims"],
        "languages": "fr", "areas": "municipality:21009", "hours": "mon 17:00-09:00",
        "postcode": "1050"})
    assert response.status_code == 200
    assert b"Kept name (test)" in response.content
    assert b"closes before it opens" in response.content


def test_the_professionals_leaflet_lists_local_services_and_helplines_in_dutch(cast,
                                                                              directory):
    response = verified_client(cast.officer_a).get("/directory/leaflet/21009.pdf?lang=nl")
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert directory.support_fr.name in text
    assert "Sarah Contact" in text  # the contact person, for professionals
    assert "0800 30 030" in text and "1712" in text
    assert verified_client(cast.officer_a).get("/directory/leaflet/99999.pdf").status_code == 404


def test_the_poster_carries_the_zones_victim_assistance_number(cast):
    Unit.objects.create(agency=cast.zone_a, kind=UnitKind.VICTIM_ASSISTANCE, name="SAPV",
                        phone="02 555 55 55")
    response = verified_client(cast.officer_a).get("/directory/poster.pdf?lang=de")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "02 555 55 55" in text
    assert verified_client(cast.shelter_worker).get("/directory/poster.pdf").status_code == 404


def test_the_public_finder_sets_no_cookie_and_keeps_nothing(directory):
    client = Client()
    page = client.get("/help/", HTTP_ACCEPT_LANGUAGE="nl-BE,nl;q=0.9")
    assert page.status_code == 200
    assert b'lang="nl"' in page.content
    assert page.cookies == {} or not any(page.cookies.values())
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "no-referrer"
    answer = client.post("/help/de/", {"where": "1050", "need": "support"})
    assert answer.status_code == 200
    assert directory.support_fr.name.encode() in answer.content
    assert not answer.cookies
    assert b"112" in answer.content and b"0800 30 030" in answer.content
    fragment = client.post("/help/fr/", {"where": "1050"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and b'id="results"' in fragment.content


def test_the_public_finder_flags_an_unknown_postcode(directory):
    answer = Client().post("/help/fr/", {"where": "1051"})
    assert b"1050" in answer.content
    assert b"error-summary" in answer.content


def test_the_browsers_icon_request_sets_no_cookie():
    response = Client().get("/favicon.ico")
    assert response.status_code == 204 and not response.cookies

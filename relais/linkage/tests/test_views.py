"""The linkage screens: sign-in, the same 404 for everyone else, the likely-known region of
"Add a person", deciding on the link page, the family view, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.conftest import case_page_with_sections, verified_client
from relais.linkage.models import LinkStatus, PersonLink
from relais.linkage.tests.factories import couple_case, person_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(cast) -> PersonLink:
    other = couple_case(cast, cast.officer_b)
    left, right = sorted((cast.victim_id, person_of(other)))
    return PersonLink.objects.get(left_id=left, right_id=right)


def test_every_screen_requires_sign_in(cast, link):
    for url in (reverse("linkage:queue"), reverse("linkage:link", args=[link.pk]),
                reverse("linkage:family", args=[cast.case.pk])):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url
    for url in (reverse("linkage:proposals", args=[cast.case.pk]),
                reverse("linkage:link_undo", args=[link.pk])):
        response = Client().post(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url


@pytest.mark.parametrize("who", ["shelter_worker", "support_worker", "counsellor"])
def test_other_agencies_get_the_same_404(cast, link, who):
    client = verified_client(getattr(cast, who))
    assert client.get(reverse("linkage:link", args=[link.pk])).status_code == 404
    assert client.get(reverse("linkage:family", args=[cast.case.pk])).status_code == 404
    assert client.post(reverse("linkage:proposals", args=[cast.case.pk]),
                       {"last_name": "Exemple", "first_name": "Alice"}).status_code == 404
    assert client.get(reverse("linkage:queue")).status_code in (200, 404)
    assert client.post(reverse("linkage:link", args=[link.pk]),
                       {"decision": "same", "reason": "x"}).status_code == 404
    link.refresh_from_db()
    assert link.status == LinkStatus.PROPOSED


def test_the_add_person_form_proposes_the_likely_known_record(cast):
    client = verified_client(cast.officer_b)
    case = couple_case(cast, cast.officer_b, victim_first="Zoé", victim_last="Autre",
                       birth_date=None, national_number="", perpetrator=False)
    page = client.get(reverse("cases:person_add", args=[case.pk]))
    assert reverse("linkage:proposals", args=[case.pk]).encode() in page.content
    response = client.post(reverse("linkage:proposals", args=[case.pk]), {
        "first_name": "Alicia", "last_name": "Exemple", "birth_date": "1988-03-14",
        "sex": "F"})
    text = response.content.decode()
    assert response.status_code == 200 and "Maybe already known" in text
    assert "A case of Zone A (test)" in text and "Alice" not in text  # no data of zone A
    assert "Date of birth" in text  # the evidence, field by field
    nothing = client.post(reverse("linkage:proposals", args=[case.pk]), {"last_name": "X"})
    assert nothing.status_code == 200 and "Maybe already known" not in nothing.content.decode()


def test_a_typed_date_that_does_not_parse_is_ignored_not_an_error(cast):
    client = verified_client(cast.officer_a)
    response = client.post(reverse("linkage:proposals", args=[cast.case.pk]), {
        "first_name": "Alice", "last_name": "Exemple", "birth_date": "31/02/19xx"})
    assert response.status_code == 200


def test_deciding_on_the_link_page(cast, link):
    client = verified_client(cast.officer_b)
    page = client.get(reverse("linkage:link", args=[link.pk]))
    assert page.status_code == 200 and "Likelihood of the same person" in page.content.decode()
    missing = client.post(reverse("linkage:link", args=[link.pk]), {"decision": "same"})
    assert missing.status_code == 200 and "Nothing has been saved" in missing.content.decode()
    done = client.post(reverse("linkage:link", args=[link.pk]),
                       {"decision": "same", "reason": "Same ID card seen"})
    assert done.status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.CONFIRMED
    undone = client.post(reverse("linkage:link_undo", args=[link.pk]), {"reason": "Mistake"})
    assert undone.status_code == 302
    link.refresh_from_db()
    assert link.status == LinkStatus.PROPOSED


def test_the_queue_lists_the_links_in_a_constant_number_of_queries(cast, link):
    client = verified_client(cast.officer_b)
    client.get(reverse("linkage:queue"))
    with CaptureQueriesContext(connection) as one:
        response = client.get(reverse("linkage:queue"))
    assert response.status_code == 200 and "A person in another agency" in response.content.decode()
    for n in range(3):
        couple_case(cast, cast.officer_b, victim_first=f"Alice{'x' * (n + 1)}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("linkage:queue"))
    assert response.content.decode().count("/linkage/links/") >= 2
    assert len(many.captured_queries) == len(one.captured_queries)


def test_the_case_page_shows_the_link_and_the_family_view_after_confirmation(cast, link):
    client = verified_client(cast.officer_a)
    page = case_page_with_sections(client, cast.case.pk)
    assert "Same person in other files?" in page and "Check and confirm" in page
    client.post(reverse("linkage:link", args=[link.pk]),
                {"decision": "same", "reason": "Same national number"})
    page = case_page_with_sections(client, cast.case.pk)
    assert reverse("linkage:family", args=[cast.case.pk]) in page
    family = client.get(reverse("linkage:family", args=[cast.case.pk])).content.decode()
    assert "A case you may not open" in family and "Zone B (test)" in family

"""Bad input on the directory's screens and API answers 4xx, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.conftest import api_client, verified_client
from relais.directory.models import Service

pytestmark = pytest.mark.django_db


def test_a_capacity_that_no_person_updated_shows_without_a_name(cast, directory):
    """Imported or demo capacity has a date and no author."""
    Service.objects.filter(pk=directory.shelter.pk).update(capacity_updated_at=timezone.now(),
                                                           capacity_updated_by=None)
    response = verified_client(cast.shelter_worker).get(
        reverse("directory:detail", args=[directory.shelter.pk]))
    assert response.status_code == 200
    assert b"2 free places" in response.content
    assert b"updated " in response.content


def test_an_invalid_capacity_form_shows_again_for_a_capacity_without_author(cast, directory):
    Service.objects.filter(pk=directory.shelter.pk).update(capacity_updated_at=timezone.now(),
                                                           capacity_updated_by=None)
    response = verified_client(cast.shelter_worker).post(
        reverse("directory:capacity", args=[directory.shelter.pk]),
        {"free_places": "-3", "crisis_status": "open"})
    assert response.status_code == 400
    assert b"free_places" in response.content


@pytest.mark.parametrize("body", ["null", "[]", "1", '"x"', "[1, 2]", "true"])
def test_the_capacity_api_refuses_a_body_that_is_not_an_object(cast, directory, body):
    """A clear message, in the caller's language (French when she asks for none)."""
    url = reverse("api:directory_capacity", args=[directory.shelter.pk])
    client = api_client(cast.shelter_worker)
    response = client.post(url, body, content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "Send a JSON object" in str(response.json()["errors"])
    response = client.post(url, body, content_type="application/json")
    assert "Envoyez un objet JSON" in str(response.json()["errors"])
    directory.shelter.refresh_from_db()
    assert directory.shelter.free_places == 2


def test_the_capacity_api_still_requires_sign_in_and_the_services_own_staff(cast, directory):
    url = reverse("api:directory_capacity", args=[directory.shelter.pk])
    from rest_framework.test import APIClient

    assert APIClient().post(url, "null", content_type="application/json").status_code in (401,
                                                                                        403)
    assert api_client(cast.officer_b).post(url, {"free_places": 1, "crisis_status": "open"},
                                           format="json").status_code == 404

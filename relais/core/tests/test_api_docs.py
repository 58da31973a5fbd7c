"""The API schema and its documentation are for signed-in staff only."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from relais.conftest import api_client, verified_client


def test_the_schema_and_docs_require_sign_in(cast):
    anonymous = Client()
    assert anonymous.get("/api/schema/").status_code == 401
    docs = anonymous.get("/api/docs/")
    assert docs.status_code == 302 and docs.url.startswith(reverse("accounts:login"))
    # A password without the second factor is not enough either.
    half = Client()
    half.force_login(cast.officer_a)
    assert half.get("/api/schema/").status_code == 401
    assert half.get("/api/docs/").status_code == 302


def test_signed_in_staff_read_the_schema_and_docs(cast):
    browser = verified_client(cast.officer_a)
    assert browser.get("/api/docs/").status_code == 200
    assert browser.get("/api/schema/").status_code == 200
    assert api_client(cast.officer_a).get("/api/schema/").status_code == 200

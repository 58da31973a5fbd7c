"""The referrals list's exports: sign-in, another agency's referrals never, each direction's
columns as on screen, neutralisation, the audit event with the direction, bounded queries."""

from __future__ import annotations

import pytest
from django.test import Client

from relais.cases.models import Person
from relais.conftest import verified_client
from relais.core.tests.export_helpers import csv_rows, export_event, screen_heads, xlsx_rows
from relais.referrals.models import Referral
from relais.referrals.tests.test_views import refer

pytestmark = pytest.mark.django_db


def test_the_export_requires_sign_in(cast, directory):
    response = Client().get("/referrals/export.csv")
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_another_agency_exports_only_its_own(cast, directory):
    refer(cast, directory.support_fr)
    client = verified_client(cast.officer_b)
    for direction in ("outgoing", "incoming"):
        rows = csv_rows(client.get(f"/referrals/export.csv?direction={direction}"))
        assert len(rows) == 1
    assert client.get("/referrals/export.json").status_code == 404


def test_each_direction_exports_the_screens_columns(cast, directory):
    refer(cast, directory.support_fr)
    officer = verified_client(cast.officer_a)
    page = officer.get("/referrals/?direction=outgoing").content.decode()
    assert screen_heads(page) == ["Case", "Person", "To", "Status", "Next step due"]
    assert "/referrals/export.xlsx?direction=outgoing" in page
    rows = csv_rows(officer.get("/referrals/export.csv?direction=outgoing"))
    assert rows[0] == screen_heads(page) and len(rows) == 2
    assert rows[1][0] == cast.case.reference and "Alice" in rows[1][1]
    assert rows[1][2] == directory.support_fr.name
    receiver = verified_client(cast.support_worker)
    page = receiver.get("/referrals/?direction=incoming").content.decode()
    assert screen_heads(page) == ["Case", "Person", "From", "Status", "Next step due"]
    sheet = xlsx_rows(receiver.get("/referrals/export.xlsx?direction=incoming"))
    assert sheet[0] == screen_heads(page) and sheet[1][2] == cast.zone_a.name


def test_the_export_is_audited_with_the_direction(cast, directory):
    verified_client(cast.officer_a).get("/referrals/export.csv?direction=incoming")
    event = export_event("export referrals-incoming csv")
    assert event.basis == "export referrals-incoming csv: direction=incoming"
    assert event.user_id == cast.officer_a.pk


def test_a_formula_is_neutralised(cast, directory):
    refer(cast, directory.support_fr)
    Person.objects.filter(pk=cast.victim_id).update(first_name="+cmd|")
    rows = csv_rows(verified_client(cast.officer_a).get("/referrals/export.csv"))
    assert rows[1][1].startswith("'+cmd|")


def test_a_big_export_keeps_a_bounded_number_of_queries(cast, directory,
                                                        django_assert_max_num_queries):
    referral = refer(cast, directory.support_fr)
    copies = []
    for _n in range(120):
        copy = Referral.objects.get(pk=referral.pk)
        copy.pk, copy.share_id, copy.consent_id = None, referral.share_id, referral.consent_id
        copies.append(copy)
    Referral.objects.bulk_create(copies)
    client = verified_client(cast.officer_a)
    client.get("/referrals/")
    with django_assert_max_num_queries(20):
        response = client.get("/referrals/export.csv")
        assert response.streaming and export_event("export referrals-outgoing csv")
        assert len(csv_rows(response)) == 122

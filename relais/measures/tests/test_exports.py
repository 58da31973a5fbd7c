"""The measures list's exports (bans, detentions): sign-in, 404 outside police and justice,
another zone's own (empty) rows, the screen's columns, neutralisation, the audit event."""

from __future__ import annotations

import pytest
from django.test import Client

from relais.cases.models import Person
from relais.conftest import Cast, verified_client
from relais.core.tests.export_helpers import csv_rows, export_event, screen_heads, xlsx_rows
from relais.measures.models import Detention, ResidenceBan
from relais.measures.tests.factories import detain, forwarded, order_ban

pytestmark = pytest.mark.django_db


@pytest.fixture
def ban(cast: Cast) -> ResidenceBan:
    forwarded(cast)
    return order_ban(cast)


@pytest.fixture
def detention(cast: Cast, ban) -> Detention:
    return detain(cast)


def test_the_export_requires_sign_in(cast, ban):
    response = Client().get("/measures/export.csv?table=bans")
    assert response.status_code == 302 and response["Location"].startswith("/sign-in/")


@pytest.mark.parametrize("who", ["shelter_worker", "support_worker", "counsellor", "analyst_a"])
def test_services_outside_police_and_justice_get_404(cast, ban, who):
    assert verified_client(getattr(cast, who)).get(
        "/measures/export.csv?table=bans").status_code == 404


def test_another_zone_exports_its_own_empty_list(cast, ban):
    client = verified_client(cast.officer_b)
    assert csv_rows(client.get("/measures/export.csv?table=bans")) == [
        csv_rows(client.get("/measures/export.csv?table=bans"))[0]]
    assert client.get("/measures/export.csv?table=other").status_code == 404
    assert client.get("/measures/export.ods?table=bans").status_code == 404


def test_each_table_exports_the_screens_columns(cast, ban, detention):
    client = verified_client(cast.legal_advisor)
    page = client.get("/measures/").content.decode()
    assert "/measures/export.csv?table=bans" in page
    assert "/measures/export.xlsx?table=detentions" in page
    for index, table in enumerate(("bans", "detentions")):
        rows = csv_rows(client.get(f"/measures/export.csv?table={table}"))
        assert rows[0] == screen_heads(page, index)
        assert len(rows) == 2 and rows[1][0] == cast.case.reference
        sheet = xlsx_rows(client.get(f"/measures/export.xlsx?table={table}"))
        assert sheet[0] == rows[0] and sheet[1][0] == cast.case.reference
    assert screen_heads(page, 0)[:2] == ["Case", "Must stay away"]


def test_the_export_is_audited_with_the_table(cast, ban):
    verified_client(cast.legal_advisor).get("/measures/export.xlsx?table=bans")
    event = export_event("export measures-bans xlsx")
    assert event.basis == "export measures-bans xlsx: table=bans"
    assert event.user_id == cast.legal_advisor.pk and event.scopes == "judicial"


def test_a_formula_is_neutralised(cast, ban):
    Person.objects.filter(pk=cast.perpetrator_id).update(last_name="=1+1")
    rows = csv_rows(verified_client(cast.legal_advisor).get("/measures/export.csv?table=bans"))
    assert "=1+1" in rows[1][1] and not rows[1][1].startswith("=")

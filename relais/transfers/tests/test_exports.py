"""The transfers to accept, exported: sign-in, 404 for roles without the list, another
agency's own rows, the screen's columns, neutralisation, the audit event, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.cases import services as case_services
from relais.conftest import actor, verified_client
from relais.core.tests.export_helpers import csv_rows, export_event, screen_heads, xlsx_rows
from relais.transfers.models import CaseTransfer
from relais.transfers.services import transfer_request


@pytest.fixture
def transfer(cast) -> CaseTransfer:
    return transfer_request(actor=actor(cast.officer_a), case_id=cast.case.pk,
                            to_agency_id=cast.zone_b.pk, reason="=The victim moved to zone B")


def export_url(fmt: str = "csv") -> str:
    return reverse("transfers:inbox_export", args=[fmt])


def test_the_export_requires_sign_in(cast, transfer):
    response = Client().get(export_url())
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_other_agencies_export_their_own_and_roles_without_the_list_get_404(cast, transfer):
    for user in (cast.officer_a, cast.shelter_worker, cast.legal_advisor):
        assert len(csv_rows(verified_client(user).get(export_url()))) == 1, user
    assert verified_client(cast.analyst_a).get(export_url()).status_code == 404
    assert verified_client(cast.officer_b).get(export_url("odt")).status_code == 404


def test_the_export_holds_the_screens_columns_neutralised_and_audited(cast, transfer):
    client = verified_client(cast.officer_b)
    page = client.get(reverse("transfers:inbox")).content.decode()
    assert "/transfers/export.xlsx" in page
    rows = csv_rows(client.get(export_url()))
    assert rows[0] == screen_heads(page)[:-1]  # the button's column holds no data
    assert rows[1][0] == cast.case.reference and rows[1][1] == cast.zone_a.name
    assert rows[1][3] == "'=The victim moved to zone B"
    assert xlsx_rows(client.get(export_url("xlsx")))[0] == rows[0]
    event = export_event("export transfers xlsx")
    assert event.basis == "export transfers xlsx: none" and event.user_id == cast.officer_b.pk


def test_the_export_costs_the_same_queries_for_one_or_many(cast, transfer):
    zone_b = verified_client(cast.officer_b)
    zone_b.get(reverse("transfers:inbox"))
    with CaptureQueriesContext(connection) as few:
        csv_rows(zone_b.get(export_url()))
    officer = actor(cast.officer_a)
    for _n in range(4):
        case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
        transfer_request(actor=officer, case_id=case.pk, to_agency_id=cast.zone_b.pk,
                         reason="Moved")
    with CaptureQueriesContext(connection) as many:
        assert len(csv_rows(zone_b.get(export_url()))) == 6
    assert len(many) == len(few)

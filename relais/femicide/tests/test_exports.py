"""The exports of the femicide register's annual figures: the screen's table in CSV, XLSX and
PDF, for the office only, audited."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from relais.accounts.models import AgencyKind, Role
from relais.audit.models import AuditEvent
from relais.conftest import make_agency, make_user, verified_client
from relais.femicide.tests.test_register import record


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def export_url(fmt: str) -> str:
    return reverse("femicide:figures_export", args=[fmt])


def test_the_export_requires_sign_in(cast):
    response = Client().get(export_url("csv"))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_only_the_office_exports_its_own_register(cast):
    record(cast, occurred_on=date(2025, 3, 1), outcome="killed", relation="partner")
    for user in (cast.officer_a, cast.analyst_a, cast.support_worker, cast.counsellor):
        for fmt in ("csv", "xlsx", "pdf"):
            assert verified_client(user).get(export_url(fmt)).status_code == 404, user
    assert not AuditEvent.objects.filter(basis__startswith="figures export").exists()
    # Another office exports its own register, which holds none of this one's records.
    other = make_agency("parquet-other", AgencyKind.PROSECUTOR, arrondissement="leuven")
    theirs = verified_client(make_user("other_magistrate", other, Role.MAGISTRATE))
    rows = list(csv.reader(io.StringIO(
        theirs.get(export_url("csv")).content.decode("utf-8-sig"))))
    assert ["# N = 0 femicides and attempts"] in rows and not any(
        row[:1] == ["2025"] for row in rows)
    assert verified_client(cast.magistrate).post(export_url("csv")).status_code == 405


def test_the_screen_links_to_its_exports(cast):
    record(cast)
    page = verified_client(cast.magistrate).get(reverse("femicide:figures")).content.decode()
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'href="{export_url(fmt)}"' in page


def test_the_exports_hold_the_screens_table_and_are_audited(cast):
    record(cast, occurred_on=date(2025, 3, 1), outcome="killed", relation="partner")
    record(cast, occurred_on=date(2025, 6, 1))
    record(cast, occurred_on=date(2026, 1, 5))
    client = verified_client(cast.magistrate)
    rows = list(csv.reader(io.StringIO(
        client.get(export_url("csv")).content.decode("utf-8-sig"))))
    assert ["# Femicides and attempts per year"] in rows and ["# N = 3 femicides and attempts"] \
        in rows
    header = next(row for row in rows if row and not row[0].startswith("#"))
    assert header[:3] == ["Year", "Killed", "Attempts"] and header[-1] == "Reviews closed"
    assert ["2025", "1", "1", "1", "1", "0", "0", "2", "0", "0"] in rows
    event = AuditEvent.objects.latest("id")
    assert event.user_id == cast.magistrate.pk and event.action == "read"
    assert event.basis == "figures export csv: femicide register: annual figures"
    book = load_workbook(io.BytesIO(client.get(export_url("xlsx")).content))
    values = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert ["2026", 0, 1, 0, 1, 0, 0, 1, 0, 0] in values
    pdf = client.get(export_url("pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(basis__startswith="figures export").count() == 3
    assert client.get(export_url("docx")).status_code == 404

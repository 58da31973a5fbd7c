"""The exports of the helpline's figures: the screen's tables in CSV, XLSX and PDF, for the
helpline's analysts only, audited, in a constant number of queries."""

from __future__ import annotations

import csv
import io

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from relais.audit.models import AuditEvent
from relais.conftest import verified_client
from relais.helpline.tests.conftest import record


def export_url(fmt: str, query: str = "") -> str:
    return reverse("helpline:figures_export", args=[fmt]) + query


def test_the_export_requires_sign_in(helplines):
    response = Client().get(export_url("csv"))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_only_the_helplines_analysts_export(cast, helplines):
    for user in (cast.officer_a, cast.analyst_a, helplines.operator, helplines.other_operator):
        for fmt in ("csv", "xlsx", "pdf"):
            assert verified_client(user).get(export_url(fmt)).status_code == 404, user
    assert not AuditEvent.objects.filter(basis__startswith="figures export").exists()
    assert verified_client(helplines.analyst).post(export_url("csv")).status_code == 405


def test_the_screen_links_to_its_exports(helplines):
    page = verified_client(helplines.analyst).get(
        reverse("helpline:figures") + "?months=3").content.decode()
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'href="{export_url(fmt, "?months=3")}"' in page


def test_the_csv_holds_the_screens_tables_and_is_audited(helplines):
    for _ in range(6):
        record(helplines.operator, caller_type="relative", topics=["information", "legal"])
    client = verified_client(helplines.analyst)
    client.get(export_url("csv"))
    with CaptureQueriesContext(connection) as few:
        assert client.get(export_url("csv")).status_code == 200
    for _ in range(9):
        record(helplines.operator, topics=["information"])
    with CaptureQueriesContext(connection) as many:
        response = client.get(export_url("csv", "?months=3"))
    assert response.status_code == 200 and len(many) == len(few)
    assert response["Content-Type"].startswith("text/csv")
    assert "relais-figures-" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    for title in ("Calls by caller", "Calls by channel", "Calls by topic", "Calls by month",
                  "Calls by hour of day"):
        assert [f"# {title}"] in rows
    assert ["# N = 15 calls"] in rows
    assert ["Caller", "Calls", "Share of N calls (%)"] in rows
    assert ["Victim", "9", "60.0"] in rows and ["Relative or friend", "6", "40.0"] in rows
    assert any(row[:1] == ["# Note: Several answers possible: each topic is a share of N "
                           "calls, and the topics do not add up."] for row in rows)
    event = AuditEvent.objects.latest("id")
    assert event.user_id == helplines.analyst.pk and event.action == "read"
    assert event.basis.startswith("figures export csv: helpline figures ")


def test_one_table_in_xlsx_and_all_in_pdf(helplines):
    for _ in range(5):
        record(helplines.operator, channel="chat")
    client = verified_client(helplines.analyst)
    response = client.get(export_url("xlsx", "?table=helpline-channels"))
    assert response.status_code == 200
    assert "relais-figures-helpline-channels-" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Calls by channel"]
    values = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert ["Chat", 5, 100] in values
    pdf = client.get(export_url("pdf"))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert client.get(export_url("xlsx", "?table=unknown")).status_code == 404
    assert client.get(export_url("html")).status_code == 404

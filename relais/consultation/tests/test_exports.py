"""The exports of a body's figures: the screen's tables in CSV, XLSX and PDF over the screen's
period, for its coordinators and analysts only, audited, aggregates only."""

from __future__ import annotations

import csv
import io
from datetime import date

from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from openpyxl import load_workbook

from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.conftest import make_user, verified_client
from relais.consultation.models import Body
from relais.consultation.tests.test_documents import pdf_text, squeeze
from relais.consultation.tests.test_figures import known, period  # noqa: F401 - a fixture


def export_url(body: Body, fmt: str, start: date | None = None, end: date | None = None,
               table: str = "") -> str:
    url = reverse("consultation:figures_export", args=[body.pk, fmt])
    query = [f"start={start.isoformat()}"] if start else []
    query += [f"end={end.isoformat()}"] if end else []
    query += [f"table={table}"] if table else []
    return url + ("?" + "&".join(query) if query else "")


def test_the_export_requires_sign_in(cast, table):
    response = Client().get(export_url(table.body, "csv"))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_only_the_secretariat_coordinators_and_analysts_export(cast, table):
    analyst = make_user("analyst_platform", cast.platform, Role.ANALYST)
    assert verified_client(analyst).get(export_url(table.body, "csv")).status_code == 200
    # A member agency, a non-member, another agency's analyst.
    for user in (cast.reference_a, cast.magistrate, cast.officer_b, cast.analyst_a):
        for fmt in ("csv", "xlsx", "pdf"):
            assert verified_client(user).get(export_url(table.body, fmt)).status_code == 404
    assert AuditEvent.objects.filter(basis__startswith="figures export").count() == 1
    coordinator = verified_client(cast.coordinator)
    assert coordinator.post(export_url(table.body, "csv")).status_code == 405
    assert coordinator.get(export_url(table.body, "odt")).status_code == 404


def test_the_screen_links_to_its_exports_over_its_period(cast, table):
    start, end = period()
    page = verified_client(cast.coordinator).get(
        reverse("consultation:figures", args=[table.body.pk])
        + f"?start={start.isoformat()}&end={end.isoformat()}").content.decode()
    for fmt in ("csv", "xlsx", "pdf"):
        assert f'href="{escape(export_url(table.body, fmt, start, end))}"' in page


def test_the_exports_hold_the_screens_figures_and_are_audited(cast, known):  # noqa: F811
    body, _other = known
    start, end = period()
    client = verified_client(cast.coordinator)
    response = client.get(export_url(body, "csv", start, end))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    for title in ("Activity", "Actions done on time, by agency", "Sectors at the table"):
        assert [f"# {title}"] in rows
    assert ["Cases heard", "1"] in rows and ["Repeat referrals", "1"] in rows
    assert ["Repeat referrals, share of the referrals received (%)", "50.0"] in rows
    assert ["Median days from referral to the first hearing", "2.0"] in rows
    assert [cast.zone_a.name, "2", "1", "50.0"] in rows
    assert ["All agencies", "3", "1", "33.3"] in rows and ["# N = 3 actions due"] in rows
    event = AuditEvent.objects.latest("id")
    assert event.user_id == cast.coordinator.pk and event.action == "read"
    assert event.basis == (f"figures export csv: consultation figures {start.isoformat()}/"
                           f"{end.isoformat()} body {body.pk}")
    # No person, no case.
    content = response.content.decode("utf-8-sig")
    for private in ("Alice", "Exemple", "Fictif", cast.case.reference):
        assert private not in content
    book = load_workbook(io.BytesIO(client.get(
        export_url(body, "xlsx", start, end, table="consultation-sectors")).content))
    assert book.sheetnames == ["Sectors at the table"]
    values = [[cell.value for cell in row] for row in book.active.iter_rows()]
    assert ["Shelter", 0, "Yes"] in values
    pdf = client.get(export_url(body, "pdf", start, end))
    assert pdf.content.startswith(b"%PDF")
    text = squeeze(pdf_text(pdf.content))
    assert squeeze(f"Figures of {body.name}") in text and squeeze("Cases heard") in text
    assert AuditEvent.objects.filter(basis__startswith="figures export").count() == 3

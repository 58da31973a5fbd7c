"""The case access log's export: sign-in, 404 for everyone but the owning agency's reference
officer, the screen's columns, every event (streamed, bounded queries), neutralisation, and the
export's own event on the case."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from relais.access.services import break_glass_open
from relais.audit.models import Action, AuditEvent
from relais.audit.services import audit_record, audit_record_many, build_event
from relais.conftest import actor, verified_client
from relais.core.tests.export_helpers import csv_rows, export_event, screen_heads, xlsx_rows


def export_url(cast, fmt: str = "csv") -> str:
    return reverse("access:access_log_export", args=[cast.case.pk, fmt])


def test_the_export_requires_sign_in(cast):
    response = Client().get(export_url(cast))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_everyone_but_the_owners_reference_officer_gets_404(cast):
    for user in (cast.officer_a, cast.sapv_a, cast.officer_b, cast.legal_advisor,
                 cast.shelter_worker, cast.analyst_a, cast.admin_a):
        assert verified_client(user).get(export_url(cast)).status_code == 404, user
    assert verified_client(cast.reference_a).get(export_url(cast, "txt")).status_code == 404


def test_the_export_holds_the_screens_columns_and_the_export_is_on_the_log(cast):
    break_glass_open(actor=actor(cast.officer_b), case_reference=cast.case.reference,
                     justification="She is in danger right now in our zone.")
    client = verified_client(cast.reference_a)
    page = client.get(reverse("access:access_log", args=[cast.case.pk])).content.decode()
    assert f"/cases/{cast.case.pk}/access-log/export.csv" in page
    rows = csv_rows(client.get(export_url(cast)))
    assert rows[0] == screen_heads(page)
    assert rows[0] == ["When", "Who", "Agency", "Action", "What", "Basis", "From"]
    event = export_event("export access-log csv")
    assert event.basis == f"export access-log csv: case={cast.case.pk}"
    assert event.case_id == cast.case.pk and event.user_id == cast.reference_a.pk
    assert len(rows) - 1 == AuditEvent.objects.filter(case_id=cast.case.pk).count()
    assert rows[1][5] == event.basis  # its own export first, newest first
    glass = next(row for row in rows if row[3] == "break-glass access")
    assert glass[1].startswith("officer_b") and glass[2] == cast.zone_b.name
    sheet = xlsx_rows(client.get(export_url(cast, "xlsx")))
    assert sheet[0] == rows[0] and len(sheet) == len(rows) + 1  # and the xlsx export's event


def test_a_formula_in_an_event_is_neutralised(cast):
    audit_record(actor=actor(cast.officer_a), action=Action.READ, case_id=cast.case.pk,
                 basis="=WEBSERVICE(1)")
    rows = csv_rows(verified_client(cast.reference_a).get(export_url(cast)))
    assert "'=WEBSERVICE(1)" in [row[5] for row in rows]


def test_a_big_log_streams_with_a_bounded_number_of_queries(cast, django_assert_max_num_queries):
    officer = actor(cast.officer_a)
    audit_record_many([build_event(actor=officer, action=Action.READ, case_id=cast.case.pk,
                                   basis=f"read {n}") for n in range(3000)])
    client = verified_client(cast.reference_a)
    client.get(reverse("access:access_log", args=[cast.case.pk]))
    with django_assert_max_num_queries(20):
        response = client.get(export_url(cast))
        assert response.streaming
        rows = csv_rows(response)
    assert len(rows) > 3000
    assert export_event("export access-log csv").case_id == cast.case.pk

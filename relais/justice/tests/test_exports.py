"""The prosecution table's exports: sign-in, 404 outside the office, the screen's columns and
rows, formula neutralisation, the audit event with the filter, bounded queries."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from relais.accounts.models import AgencyKind, Role
from relais.audit.models import AuditEvent
from relais.conftest import make_agency, make_user, verified_client
from relais.core.tests.export_helpers import (
    csv_rows,
    export_event,
    screen_heads,
    xlsx_cells,
    xlsx_rows,
)
from relais.intake.models import Report
from relais.justice.models import Entry
from relais.justice.tests.factories import entry_of, family_section, record_report
from relais.justice.tests.test_views import clone


@pytest.fixture
def entry(cast) -> Entry:
    family_section(cast)
    return entry_of(record_report(cast))


def export_url(fmt: str, query: str = "") -> str:
    return reverse("justice:table_export", args=[fmt]) + query


def test_the_export_requires_sign_in(cast, entry):
    for fmt in ("csv", "xlsx"):
        response = Client().get(export_url(fmt))
        assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_everyone_else_gets_404_and_another_office_its_own_rows(cast, entry):
    for user in (cast.officer_a, cast.officer_b, cast.reference_a, cast.shelter_worker,
                 cast.justice_assistant, cast.analyst_a):
        assert verified_client(user).get(export_url("csv")).status_code == 404, user
    liege = make_agency("parquet-lg", AgencyKind.PROSECUTOR, arrondissement="liege")
    rows = csv_rows(verified_client(make_user("advisor_lg", liege, Role.LEGAL_ADVISOR))
                    .get(export_url("csv", "?status=all")))
    assert len(rows) == 1  # the header only: none of Brussels' reports


def test_an_unknown_format_is_a_404(cast, entry):
    assert verified_client(cast.legal_advisor).get(export_url("pdf")).status_code == 404


def test_the_export_holds_the_screens_columns_and_rows(cast, entry):
    client = verified_client(cast.legal_advisor)
    page = client.get(reverse("justice:table") + "?status=all").content.decode()
    heads = screen_heads(page)
    assert heads == ["Decision due", "Report", "Case", "Persons", "Section", "Reader",
                     "Decision"]
    assert "/prosecution/export.csv?status=all" in page
    assert "/prosecution/export.xlsx?status=all" in page
    rows = csv_rows(client.get(export_url("csv", "?status=all")))
    assert rows[0] == heads and len(rows) == 2
    assert rows[1][0] == entry.due_on.isoformat()
    assert rows[1][2] == cast.case.reference and "Alice" in rows[1][3]
    assert rows[1][4] == entry.section.name
    sheet = xlsx_rows(client.get(export_url("xlsx", "?status=all")))
    assert sheet[0] == heads and sheet[1][2] == cast.case.reference


def test_the_filter_is_kept_and_audited(cast, entry):
    client = verified_client(cast.legal_advisor)
    before = AuditEvent.objects.count()
    rows = csv_rows(client.get(export_url("csv", "?status=decided&reader=mine&section=x")))
    assert len(rows) == 1  # nothing decided yet
    event = export_event("export prosecution csv")
    assert event.id > 0 and AuditEvent.objects.count() == before + 1
    assert event.basis == "export prosecution csv: status=decided reader=mine"
    assert event.user_id == cast.legal_advisor.pk and event.scopes == "judicial"
    client.get(export_url("xlsx", "?status=nonsense"))
    assert export_event("export prosecution xlsx").basis.endswith("status=to_decide")


def test_a_formula_is_neutralised(cast, entry):
    Report.objects.filter(pk=entry.report_id).update(pv_number="=HYPERLINK(\"x\")")
    client = verified_client(cast.legal_advisor)
    rows = csv_rows(client.get(export_url("csv", "?status=all")))
    assert rows[1][1].startswith("'=HYPERLINK")
    cell = xlsx_cells(client.get(export_url("xlsx", "?status=all")))[1][1]
    assert cell.data_type == "s" and cell.quotePrefix and cell.value.startswith("=HYPERLINK")


def test_a_big_export_streams_with_bounded_queries(cast, entry, django_assert_max_num_queries):
    clone(entry, 120)
    client = verified_client(cast.legal_advisor)
    client.get(reverse("justice:table"))  # warm the session
    with django_assert_max_num_queries(20):
        response = client.get(export_url("csv", "?status=all"))
        assert response.streaming
        # The audit event is committed before a single row is read.
        assert export_event("export prosecution csv").basis.endswith("status=all")
        rows = csv_rows(response)
    assert len(rows) == 122

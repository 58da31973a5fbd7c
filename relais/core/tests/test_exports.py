"""relais.core.exports on its own: cells, neutralisation, the XLSX's types, the format check,
and the audit event committed before the first row is read."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation

from relais.audit.models import AuditEvent
from relais.conftest import actor
from relais.core.exports import (
    Column,
    csv_cell,
    export_links,
    export_response,
    filter_text,
    neutralised,
)
from relais.core.tests.export_helpers import csv_rows, xlsx_cells

COLUMNS = [Column("text", "Text", lambda row: row[0]), Column("n", "N", lambda row: row[1]),
           Column("day", "Day", lambda row: row[2])]


@pytest.mark.parametrize("text", ["=1+1", "+32 470", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_a_spreadsheet_would_run_is_neutralised(text):
    assert neutralised(text) == "'" + text and csv_cell(text) == "'" + text
    assert neutralised("Alice") == "Alice"


def test_cells_are_plain_text_in_csv():
    assert csv_cell(None) == "" and csv_cell(3) == "3" and csv_cell(Decimal("1.5")) == "1.5"
    assert csv_cell(date(2026, 3, 1)) == "2026-03-01"
    assert csv_cell(timezone.make_aware(datetime(2026, 3, 1, 9, 5))) == "2026-03-01 09:05"
    with translation.override("en"):
        assert csv_cell(True) == "yes" and csv_cell(False) == "no"
    with translation.override("fr"):
        assert csv_cell(True) == "oui"  # in the reader's language


def test_the_filter_leaves_out_empty_values():
    assert filter_text({"status": "all", "section": "", "reader": None}) == "status=all"
    assert filter_text({}) == "none"


def test_the_links_keep_the_filter_without_empty_values(db):
    links = export_links("justice:table_export", query={"status": "overdue", "section": ""})
    assert links == [("CSV", "/prosecution/export.csv?status=overdue"),
                     ("XLSX", "/prosecution/export.xlsx?status=overdue")]


def test_an_unknown_format_is_a_404_and_writes_nothing(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(Http404):
        export_response(actor=actor(cast.officer_a), fmt="pdf", name="x", title="x",
                        columns=COLUMNS, rows=[], filters={})
    assert AuditEvent.objects.count() == before


def test_the_event_is_written_before_the_first_row_is_read(cast):
    seen = []

    def rows():
        seen.append(AuditEvent.objects.filter(basis="export test csv: q=1").exists())
        yield ("=cmd", 2, date(2026, 1, 2))

    response = export_response(actor=actor(cast.officer_a), fmt="csv", name="test",
                               title="Test", columns=COLUMNS, rows=rows(), filters={"q": 1})
    assert seen == [] and response.streaming  # nothing read yet
    assert csv_rows(response) == [["Text", "N", "Day"], ["'=cmd", "2", "2026-01-02"]]
    assert seen == [True]
    assert response["Content-Disposition"].startswith('attachment; filename="relais-test-')


def test_the_xlsx_keeps_types_and_quotes_formulas(cast):
    when = timezone.make_aware(datetime(2026, 3, 1, 9, 5))
    response = export_response(actor=actor(cast.officer_a), fmt="xlsx", name="test",
                               title="A title: [with] forbidden/chars?", columns=COLUMNS
                               + [Column("at", "At", lambda row: when)],
                               rows=iter([("=cmd", Decimal("2.5"), date(2026, 1, 2))]),
                               filters={})
    head, row = xlsx_cells(response)
    assert [c.value for c in head] == ["Text", "N", "Day", "At"] and head[0].font.b
    assert row[0].value == "=cmd" and row[0].data_type == "s" and row[0].quotePrefix
    assert row[1].value == 2.5 and row[2].value == datetime(2026, 1, 2)
    assert row[3].value == datetime(2026, 3, 1, 9, 5)

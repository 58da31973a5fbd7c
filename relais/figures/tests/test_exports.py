"""The exports of the figures: what each format holds, formulas neutralised, one audit event,
an unknown format or table answers 404."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from django.http import Http404
from django.utils import timezone, translation
from openpyxl import load_workbook
from pypdf import PdfReader

from relais.audit.models import AuditEvent
from relais.conftest import actor
from relais.figures import exports
from relais.figures.charts import bar_chart
from relais.figures.population import CREDIT
from relais.figures.tables import Column, Panel, Table

FORMULA = "=HYPERLINK(\"http://example.invalid\",\"x\")"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def reports_table(**overrides) -> Table:
    fields = {
        "key": "indicator-1", "title": "Information reports (test)",
        "columns": (Column("month", "Month", numeric=False), Column("count", "Reports"),
                    Column("share_pct", "Share, %")),
        "rows": (("2026-01", 40, Decimal("37.5")), ("2026-02", None, None),
                 ("2026-03", 12, Decimal("8.0"))),
        "reference_date": "by date of the facts", "n": 57, "n_label": "reports",
        "notes": ("Several answers possible: shares of N do not add up.",),
        "source": "Relais records"}
    return Table(**{**fields, **overrides})


def rates_table() -> Table:
    return Table(key="rates", title="Rates by district (test)",
                 columns=(Column("area", "District", numeric=False),
                          Column("rate_per_10000", "Per 10,000 inhabitants")),
                 rows=(("Fictitious district", Decimal("12.4")), (FORMULA, Decimal("3.0")),
                       ("-1+2", 7), ("@SUM(A1)", 0)),
                 source="Relais records")


def panels() -> list[Panel]:
    chart = bar_chart(title="Share of information reports, %", description="Per month.",
                      rows=[("2026-01", 37.5), ("2026-02", None), ("2026-03", 8.0)],
                      x_title="Month", y_title="Share (%)")
    return [Panel(table=reports_table(), chart=chart), Panel(table=rates_table())]


def pdf_text(content: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeeze(text: str) -> str:
    return "".join(text.split())


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_holds_each_table_with_its_title_date_n_notes_and_source():
    rows = csv_rows(exports.to_csv(panels()))
    assert rows[0] == ["# Information reports (test)"]
    assert ["# Reference date: by date of the facts"] in rows
    assert ["# N = 57 reports"] in rows
    assert ["# Note: Several answers possible: shares of N do not add up."] in rows
    assert any(row and row[0].startswith("# Note: An empty cell is hidden") for row in rows)
    assert ["Month", "Reports", "Share, %"] in rows
    assert ["2026-01", "40", "37.5"] in rows
    assert ["2026-02", "", ""] in rows  # hidden: empty, and the note says why
    # The second table follows after a blank line, with Statbel's credit under its rates.
    blank = rows.index([])
    assert rows[blank + 1] == ["# Rates by district (test)"]
    assert [f"# Source: Relais records; {CREDIT}"] in rows
    assert ["Fictitious district", "12.4"] in rows


def test_the_csv_and_the_xlsx_neutralise_formulas():
    rows = csv_rows(exports.to_csv(panels()))
    assert ["'" + FORMULA, "3.0"] in rows and ["'-1+2", "7"] in rows
    assert ["'@SUM(A1)", "0"] in rows
    book = load_workbook(io.BytesIO(exports.to_xlsx(panels())))
    cells = [cell for row in book.worksheets[1].iter_rows() for cell in row
             if cell.value in (FORMULA, "-1+2", "@SUM(A1)")]
    assert len(cells) == 3
    for cell in cells:
        assert cell.data_type == "s" and cell.quotePrefix  # text, as if typed after a '


def test_the_xlsx_has_a_sheet_per_table_with_numbers_as_numbers():
    book = load_workbook(io.BytesIO(exports.to_xlsx(panels())))
    assert book.sheetnames == ["Information reports (test)", "Rates by district (test)"]
    sheet = book.worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Information reports (test)" and sheet["A1"].font.b
    column_a = [row[0] for row in values]
    assert "Reference date: by date of the facts" in column_a and "N = 57 reports" in column_a
    assert "Source: Relais records" in column_a
    header = column_a.index("Month")
    assert values[header] == ["Month", "Reports", "Share, %"]
    assert all(cell.font.b for cell in sheet[header + 1])
    assert values[header + 1] == ["2026-01", 40, 37.5]
    assert isinstance(values[header + 1][1], int)
    assert values[header + 2] == ["2026-02", None, None]


def test_sheet_names_are_short_unique_and_allowed():
    long = reports_table(title="Calls by caller type: victims/relatives [all] * ? over a year")
    names = exports.sheet_names([long, long, reports_table(title="'")])
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == 3
    assert not any(char in name for name in names for char in "[]:*?/\\")
    assert names[1].endswith(" (2)") and names[2] == "Table 3"


def test_the_pdf_shows_the_title_the_chart_and_each_figure():
    content = exports.to_pdf(panels(), title="Figures of zone A (test)",
                             subtitle="From 2026-01 to 2026-03", language="en")
    assert content.startswith(b"%PDF")
    text = squeeze(pdf_text(content))
    for expected in ("Figures of zone A (test)", "Information reports (test)",
                     "Share of information reports, %",  # the chart's title, from its SVG
                     "N = 57 reports", "by date of the facts", "37.5", "Statbel",
                     "Several answers possible"):
        assert squeeze(expected) in text, expected


def test_one_table_or_all(db):
    assert [p.key for p in exports.panel_select(panels(), "rates")] == ["rates"]
    assert len(exports.panel_select(panels(), "")) == 2
    with pytest.raises(Http404):
        exports.panel_select(panels(), "unknown")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_an_export_is_a_download_audited_once(cast, fmt):
    before = AuditEvent.objects.count()
    response = exports.export_response(actor=actor(cast.analyst_a), panels=panels()[:1],
                                       fmt=fmt, title="Figures (test)", subtitle="",
                                       basis="dashboard 2026-01/2026-04")
    assert response.status_code == 200
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="relais-figures-indicator-1-{today}.{fmt}"')
    assert AuditEvent.objects.count() == before + 1
    event = AuditEvent.objects.latest("id")
    assert event.action == "read" and event.user_id == cast.analyst_a.pk
    assert event.basis == f"figures export {fmt}: dashboard 2026-01/2026-04"


def test_an_unknown_format_is_a_404_and_audits_nothing(cast):
    before = AuditEvent.objects.count()
    with pytest.raises(Http404):
        exports.export_response(actor=actor(cast.analyst_a), panels=panels(), fmt="html",
                                title="Figures (test)", subtitle="", basis="dashboard")
    assert AuditEvent.objects.count() == before

"""Exports of the figures in CSV, XLSX and PDF (issue 17 §5): what a screen shows, as the
``Table``s and ``Panel``s of relais.figures.tables, so what is exported is what is shown.

- One export holds every table of the screen, or one of them: the caller picks it with
  ``panel_select`` (``?table=KEY``; an unknown key is a 404).
- Each table carries its title, reference date, N, notes and source in every format; a hidden
  cell (``None``: a small count, or a share without N) is empty, and a note says why.
- CSV is UTF-8 with a byte-order mark (so that Excel reads it as UTF-8), comma-separated, with
  a dot as decimal mark; the tables follow one another, each as a block of lines starting with
  "#" (title, reference date, N, notes, source), its header of column labels and its rows, and
  a blank line.
- XLSX has one sheet per table, numbers as numbers, the same lines above a bold header.
- PDF (WeasyPrint, A4, black ink) shows each chart (the SVG drawn by relais.figures.charts)
  with its table below it.
- A text cell starting with = + - @ (or a tab or carriage return) could run as a formula in a
  spreadsheet: it is neutralised, with a leading apostrophe in CSV and as a quoted text cell
  in XLSX (the rule is ``relais.core.exports``', shared with every list's export).

``export_response`` renders and records one audit event (READ) in the same transaction; the
file name holds the date and at most the table's key, never personal data.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from urllib.parse import urlencode

from django.db import transaction
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from relais.audit.models import Action as Audit
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.core.exports import FORMULA_START, neutralised
from relais.core.pdf import render_pdf
from relais.figures import population
from relais.figures.tables import Cell, Panel, Table

FORMATS = ("csv", "xlsx", "pdf")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
SHEET_NAME_MAX = 31
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
PDF_TEMPLATE = "figures/pdf/figures.html"


# --- What every format prints about a table ---------------------------------------------------

def has_hidden_cells(table: Table) -> bool:
    return any(cell is None for row in table.rows for cell in row)


def shows_a_rate(table: Table) -> bool:
    return any(column.key.startswith("rate") for column in table.columns)


def table_notes(table: Table) -> list[str]:
    """The table's notes, and why a cell is empty when one is."""
    notes = list(table.notes)
    if has_hidden_cells(table):
        notes.append(_("An empty cell is hidden: a count below the small-cell threshold (or "
                       "one that would reveal it), or a share without N."))
    if table.left_out is not None and (line := table.left_out.text()):
        notes.append(line)  # the records left out at the person's request, or why none
    return notes


def table_source(table: Table) -> str:
    """The table's source, with Statbel's credit where it shows a rate."""
    if shows_a_rate(table) and population.CREDIT not in table.source:
        return "; ".join(part for part in (table.source, population.CREDIT) if part)
    return table.source


def n_line(table: Table) -> str:
    if table.n is None:
        return ""
    return f"N = {table.n} {table.n_label}".strip()


def head_lines(table: Table) -> list[str]:
    """The lines printed above a table in CSV and XLSX: title, reference date, N, notes,
    source."""
    lines = [table.title]
    if table.reference_date:
        lines.append(_("Reference date: %(date)s") % {"date": table.reference_date})
    if table.n is not None:
        lines.append(n_line(table))
    lines.extend(_("Note: %(note)s") % {"note": note} for note in table_notes(table))
    if source := table_source(table):
        lines.append(_("Source: %(source)s") % {"source": source})
    return lines


def panel_select(panels: Sequence[Panel], key: str | None) -> list[Panel]:
    """Every panel, or the one whose table has ``key`` (else 404)."""
    if not key:
        return list(panels)
    chosen = [panel for panel in panels if panel.key == key]
    if not chosen:
        raise Http404
    return chosen


# --- CSV ----------------------------------------------------------------------------------------

def _csv_cell(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, str):
        return neutralised(cell)
    return str(cell)


def to_csv(panels: Sequence[Panel]) -> bytes:
    """Every panel's table, one block after the other, in UTF-8 with a byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, panel in enumerate(panels):
        table = panel.table
        if index:
            writer.writerow([])
        for line in head_lines(table):
            writer.writerow([neutralised("# " + line)])
        for sentence in panel.sentences:
            writer.writerow([neutralised("# " + sentence)])
        writer.writerow([neutralised(column.label) for column in table.columns])
        for row in table.rows:
            writer.writerow([_csv_cell(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


# --- XLSX ---------------------------------------------------------------------------------------

def sheet_names(tables: Sequence[Table]) -> list[str]:
    """A sheet name per table: its title, at most 31 characters, without the characters Excel
    forbids, unique (a number is added to a repeated one)."""
    names: list[str] = []
    taken: set[str] = set()
    for index, table in enumerate(tables, start=1):
        base = SHEET_FORBIDDEN.sub(" ", ILLEGAL_CHARACTERS_RE.sub("", table.title))
        base = " ".join(base.split()).strip("'") or f"{_('Table')} {index}"
        name, number = base[:SHEET_NAME_MAX], 1
        while name.casefold() in taken:
            number += 1
            suffix = f" ({number})"
            name = base[:SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def _put(sheet, row: int, column: int, value: Cell, *, bold: bool = False) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = text
        cell.data_type = "s"  # never a formula, whatever it starts with
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True  # as Excel stores a text typed after an apostrophe
    elif isinstance(value, (int, Decimal)):
        cell.value = value
        if isinstance(value, Decimal) and value == value.to_integral_value():
            cell.number_format = "0"
        elif isinstance(value, Decimal):
            cell.number_format = "0." + "0" * max(0, -value.as_tuple().exponent)
    if bold:
        cell.font = Font(bold=True)


def to_xlsx(panels: Sequence[Panel]) -> bytes:
    """One sheet per table: the lines about it, then its bold header and its rows."""
    book = Workbook()
    if panels:
        book.remove(book.active)
    else:
        book.active.title = _("No table")
    tables = [panel.table for panel in panels]
    for panel, name in zip(panels, sheet_names(tables), strict=True):
        table = panel.table
        sheet = book.create_sheet(title=name)
        row = 1
        for index, line in enumerate(head_lines(table)):
            _put(sheet, row, 1, line, bold=index == 0)
            row += 1
        for sentence in panel.sentences:
            _put(sheet, row, 1, sentence)
            row += 1
        row += 1
        for column_index, column in enumerate(table.columns, start=1):
            _put(sheet, row, column_index, column.label, bold=True)
            if column.numeric:
                sheet.cell(row=row, column=column_index).alignment = Alignment(horizontal="right")
        sheet.freeze_panes = sheet.cell(row=row + 1, column=1)
        for values in table.rows:
            row += 1
            for column_index, value in enumerate(values, start=1):
                _put(sheet, row, column_index, value)
        for column_index, column in enumerate(table.columns, start=1):
            widest = max([len(column.label)] + [len(str(r[column_index - 1] or ""))
                                                for r in table.rows])
            sheet.column_dimensions[get_column_letter(column_index)].width = min(
                60, max(10, widest + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- PDF ----------------------------------------------------------------------------------------

def _pdf_rows(table: Table) -> list[list[tuple[str, bool]]]:
    """Each cell as printed ("–" when hidden), and whether it is right-aligned (a number)."""
    return [[("–" if cell is None else str(cell), column.numeric and not isinstance(cell, str))
             for column, cell in zip(table.columns, row, strict=True)] for row in table.rows]


def to_pdf(panels: Sequence[Panel], *, title: str, subtitle: str, language: str) -> bytes:
    """An A4 document: per panel, its chart (if any), its table below, N, reference date,
    notes, source and sentences."""
    blocks = [{"panel": panel, "table": panel.table, "rows": _pdf_rows(panel.table),
               "notes": table_notes(panel.table), "source": table_source(panel.table),
               "n": n_line(panel.table)} for panel in panels]
    return render_pdf(PDF_TEMPLATE, {"title": title, "subtitle": subtitle, "blocks": blocks,
                                     "printed_at": timezone.localtime()}, language=language)


# --- The links and the response ----------------------------------------------------------------

def export_links(url_name: str, *, args: Sequence[object] = (),
                 query: Mapping[str, str] | None = None) -> list[tuple[str, str]]:
    """(label, URL) of each format, for the fragment ``figures/_export_links.html``: the export
    view ``url_name`` takes the format as its last argument and the screen's filters in
    ``query`` (empty values dropped) so that it exports what the screen shows."""
    kept = urlencode({key: value for key, value in (query or {}).items() if value})
    return [(fmt.upper(), reverse(url_name, args=[*args, fmt]) + (f"?{kept}" if kept else ""))
            for fmt in FORMATS]


def export_filename(panels: Sequence[Panel], fmt: str) -> str:
    """``relais-figures[-KEY]-YYYY-MM-DD.fmt``: a table's key at most, no personal data."""
    key = f"-{slugify(panels[0].key)}" if len(panels) == 1 and slugify(panels[0].key) else ""
    return f"relais-figures{key}-{timezone.localdate().isoformat()}.{fmt}"


def export_response(*, actor: Actor, panels: Sequence[Panel], fmt: str, title: str,
                    subtitle: str, basis: str) -> HttpResponse:
    """The panels as a download in ``fmt`` (csv, xlsx or pdf; anything else is a 404), and one
    audit event of the export in the same transaction (no export without its event)."""
    if fmt not in FORMATS:
        raise Http404
    with transaction.atomic():
        if fmt == "csv":
            content = to_csv(panels)
        elif fmt == "xlsx":
            content = to_xlsx(panels)
        else:
            content = to_pdf(panels, title=title, subtitle=subtitle,
                             language=translation.get_language() or "en")
        audit_record(actor=actor, action=Audit.READ, basis=f"figures export {fmt}: {basis}")
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(panels, fmt)}"'
    response["Cache-Control"] = "no-store"
    return response

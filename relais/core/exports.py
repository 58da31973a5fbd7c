"""Exports of a list screen to CSV and XLSX (issue 19 §5): one piece of code for every list.

A list declares its columns once (``Column``: a key, the header the screen shows, and how a row
gives the cell's value); the screen draws its table head from the same columns, and the export
writes them, so an export holds exactly the columns the reader sees on the screen.

- ``export_response`` checks the format (anything but csv or xlsx is a 404), writes the audit
  event of the export with the filter used, in its own transaction and *before* a single row is
  sent, then streams the rows:
  - CSV is a ``StreamingHttpResponse`` over the rows' iterator (the selector reads them with a
    server-side ``.iterator(chunk_size=...)``), UTF-8 with a byte-order mark so that Excel reads
    it, comma-separated, CRLF line ends;
  - XLSX is an openpyxl *write-only* workbook (rows go to a temporary file, never all in memory)
    saved to a ``SpooledTemporaryFile`` and sent in blocks by a ``FileResponse``.
- A text cell starting with = + - @ (or a tab or carriage return) could run as a formula in a
  spreadsheet: it is neutralised, with a leading apostrophe in CSV and as a quoted text cell in
  XLSX (``relais.figures.exports`` uses the same rule).
- The file name holds the list's name and the date, never personal data; the links carry the
  screen's filters (codes, dates and ids only) in the query string.

core imports no feature app: each list passes its columns, its rows and its filter.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.db import transaction
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor

R = TypeVar("R")
Cell = str | int | Decimal | date | datetime | bool | None

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
CSV_CHUNK = 64 * 1024  # bytes sent at a time
SPOOL_MAX = 8 * 1024 * 1024  # an XLSX bigger than this goes to disk before it is sent
XLSX_BLOCK = 64 * 1024
SHEET_NAME_MAX = 31


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a list: ``label`` is the table head's text on the screen (a lazy
    translation), ``value(row)`` the cell's plain value in an export."""
    key: str
    label: Any
    value: Callable[[R], Cell]


def neutralised(text: str) -> str:
    """A text a spreadsheet will not run as a formula."""
    return "'" + text if text.startswith(FORMULA_START) else text


def _local(value: datetime) -> datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def csv_cell(value: Cell) -> str:
    """A cell as CSV text: dates in ISO form (local time, to the minute), yes/no in the
    reader's language, texts neutralised."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return _local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (int, Decimal)):
        return str(value)
    return neutralised(str(value))


class _Echo:
    """A file-like whose ``write`` returns the line (csv.writer then gives each line back)."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(columns: Sequence[Column], rows: Iterable[Any], *,
               chunk: int = CSV_CHUNK) -> Iterator[bytes]:
    """The CSV in pieces of about ``chunk`` bytes: the byte-order mark and the header first,
    then the rows as the iterator gives them."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    buffer = ["\ufeff", writer.writerow([neutralised(str(c.label)) for c in columns])]
    size = 0
    for row in rows:
        line = writer.writerow([csv_cell(c.value(row)) for c in columns])
        buffer.append(line)
        size += len(line)
        if size >= chunk:
            yield "".join(buffer).encode("utf-8")
            buffer, size = [], 0
    if buffer:
        yield "".join(buffer).encode("utf-8")


def _xlsx_cell(sheet, value: Cell, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, bool):
        value = _("yes") if value else _("no")
    if isinstance(value, datetime):
        cell = WriteOnlyCell(sheet, value=_local(value).replace(tzinfo=None))
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, (int, Decimal)):
        cell = WriteOnlyCell(sheet, value=value)
    elif value is None:
        cell = WriteOnlyCell(sheet, value=None)
    else:
        text = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"  # never a formula, whatever it starts with
        if text.startswith(FORMULA_START):
            cell.quotePrefix = True  # as Excel stores a text typed after an apostrophe
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_file(columns: Sequence[Column], rows: Iterable[Any], *, title: str):
    """A write-only workbook of one sheet (bold header, frozen below it) in a spooled temporary
    file, rewound: memory stays bounded whatever the number of rows."""
    book = Workbook(write_only=True)
    name = ILLEGAL_CHARACTERS_RE.sub("", title)
    for forbidden in "[]:*?/\\":
        name = name.replace(forbidden, " ")
    sheet = book.create_sheet(title=name.strip()[:SHEET_NAME_MAX] or "Relais")
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, str(c.label), bold=True) for c in columns])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, c.value(row)) for c in columns])
    # Handed to the FileResponse, which closes it once sent.
    out = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX)  # noqa: SIM115
    book.save(out)
    out.seek(0)
    return out


def filter_text(filters: Mapping[str, Any]) -> str:
    """The filter as written in the audit event: ``key=value`` pairs, empty ones left out."""
    return " ".join(f"{key}={value}" for key, value in filters.items()
                    if value not in (None, "")) or "none"


def export_filename(name: str, fmt: str) -> str:
    """``relais-NAME-YYYY-MM-DD.fmt``: the list's name and the date, no personal data."""
    return f"relais-{name}-{timezone.localdate().isoformat()}.{fmt}"


def _translated(rows: Iterable[Any], language: str) -> Iterator[Any]:
    """The rows, read with the reader's language active: a streamed response is written after
    the view returned."""
    with translation.override(language):
        yield from rows


def export_response(*, actor: Actor, fmt: str, name: str, title: str,
                    columns: Sequence[Column], rows: Iterable[Any],
                    filters: Mapping[str, Any], case_id: int | None = None,
                    scopes: Iterable[str] = ()) -> StreamingHttpResponse | FileResponse:
    """The list as a download in ``fmt`` (csv or xlsx; anything else is a 404).

    The audit event (a read, ``export NAME FMT: filter``) is committed before the first row is
    read: an export is never sent without its event, even though the response streams.
    ``rows`` should be a lazy iterator (a selector over ``.iterator(chunk_size=...)``)."""
    if fmt not in FORMATS:
        raise Http404
    with transaction.atomic():
        audit_record(actor=actor, action=Action.READ, case_id=case_id, scopes=scopes,
                     basis=f"export {name} {fmt}: {filter_text(filters)}")
    filename = export_filename(name, fmt)
    if fmt == "csv":
        language = translation.get_language() or "en"
        response = StreamingHttpResponse(
            csv_chunks(columns, _translated(rows, language)), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        response = FileResponse(xlsx_file(columns, rows, title=title), as_attachment=True,
                                filename=filename, content_type=CONTENT_TYPES["xlsx"])
        response.block_size = XLSX_BLOCK
    response["Cache-Control"] = "no-store"
    return response


def export_links(url_name: str, *, args: Sequence[object] = (),
                 query: Mapping[str, Any] | None = None) -> list[tuple[str, str]]:
    """(label, URL) of each format for ``core/_export_links.html``. The export's URL takes the
    format as its last argument; ``query`` holds the screen's filters (codes, dates and ids
    only, never personal data), empty values dropped, so that it exports what is shown."""
    kept = urlencode({key: value for key, value in (query or {}).items()
                      if value not in (None, "")})
    return [(fmt.upper(), reverse(url_name, args=[*args, fmt]) + (f"?{kept}" if kept else ""))
            for fmt in FORMATS]

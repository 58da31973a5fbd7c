"""Reading an export back in tests: the CSV or XLSX rows, the screen's table heads, and the
export's audit event."""

from __future__ import annotations

import csv
import html
import io
import re

from django.http import HttpResponse
from openpyxl import load_workbook

from relais.audit.models import AuditEvent

TH = re.compile(r'<th scope="col">(.*?)</th>', re.S)
TAG = re.compile(r"<[^>]+>")


def body(response: HttpResponse) -> bytes:
    """The whole body, streamed or not (reading it runs the streaming iterator)."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def csv_rows(response: HttpResponse) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def xlsx_rows(response: HttpResponse) -> list[list[object]]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(body(response)))
    sheet = book.worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def xlsx_cells(response: HttpResponse):
    """The first sheet's cells (to check types and quote prefixes)."""
    book = load_workbook(io.BytesIO(body(response)))
    return [list(row) for row in book.worksheets[0].iter_rows()]


def screen_heads(page: str, table: int = 0) -> list[str]:
    """The column heads of the ``table``-th table of a page, as text."""
    tables = page.split("<table")[1:]
    heads = TH.findall(tables[table].split("</thead>")[0])
    return [html.unescape(TAG.sub("", head)).strip() for head in heads]


def export_event(basis_start: str) -> AuditEvent:
    return AuditEvent.objects.filter(basis__startswith=basis_start).latest("id")

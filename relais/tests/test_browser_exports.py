"""List exports in a real Chromium (issue 19 §5): the legal advisor filters the prosecution
table to the overdue reports and downloads it as CSV with the filter kept; the counsellor
downloads the programme's waiting list as XLSX. Each file holds the screen's columns."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast
from relais.justice.tests.factories import (
    entry_of,
    family_section,
    make_overdue,
    record_report,
    report_on,
    second_case,
)
from relais.programmes.tests.factories import judicial_file, walk_in
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser
SLOW_MS = 60_000  # downloads on a loaded machine: more patience than the shared default


@pytest.fixture(autouse=True)
def patient(context: BrowserContext) -> None:
    context.set_default_timeout(SLOW_MS)
    context.set_default_navigation_timeout(SLOW_MS)


def heads(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("table.table thead th").all_inner_texts()]


def test_the_prosecution_table_downloads_what_it_shows(live_server, cast: Cast,
                                                       context: BrowserContext, page: Page):
    family_section(cast, readers=[])
    make_overdue(entry_of(record_report(cast)), days=5)
    report_on(cast, second_case(cast, same_victim=False))
    base = live_server.url
    sign_in_as(context, base, cast.legal_advisor)
    page.goto(base + "/prosecution/")
    page.select_option("#f-status", "overdue")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.table tbody tr")).to_have_count(1)
    links = page.locator("p.exports")
    expect(links).to_contain_text("Export this list:")
    expect(links.get_by_role("link", name="CSV")).to_have_attribute(
        "href", "/prosecution/export.csv?status=overdue")
    shot(page, "240-prosecution-table-export-links")
    with page.expect_download() as download:
        links.get_by_role("link", name="CSV").click()
    assert download.value.suggested_filename.startswith("relais-prosecution-")
    text = download.value.path().read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == heads(page)
    assert len(rows) == 2 and rows[1][2] == cast.case.reference  # the overdue one only


def test_the_waiting_list_downloads_as_xlsx(live_server, cast: Cast, directory,
                                            context: BrowserContext, page: Page):
    judicial_file(cast, directory)
    walk_in(cast, requested_days_ago=3)
    base = live_server.url
    sign_in_as(context, base, cast.counsellor)
    page.goto(base + "/programmes/?tab=waiting")
    expect(page.locator("table.table tbody tr")).to_have_count(2)
    links = page.locator("p.exports")
    expect(links.get_by_role("link", name="XLSX")).to_have_attribute(
        "href", "/programmes/export.xlsx?tab=waiting")
    shot(page, "241-programme-waiting-list-export-links")
    with page.expect_download() as download:
        links.get_by_role("link", name="XLSX").click()
    sheet = load_workbook(io.BytesIO(download.value.path().read_bytes())).worksheets[0]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0] == heads(page)
    assert values[1][0].startswith("Bruno Fictif") and values[1][3] == 40

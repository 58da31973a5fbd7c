"""The prosecution tracking table in a real Chromium: the legal advisor signs in, opens the table
from the menu, sees the overdue report first and in words, opens it, is told a decision needs a
reader, takes the report, records a hearing with a no-contact order; the police zone's officer
then sees the decision on the case page (the loop is closed)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast
from relais.justice.models import Decision, Entry, Measure
from relais.justice.tests.factories import (
    entry_of,
    family_section,
    make_overdue,
    record_report,
    report_on,
    second_case,
)
from relais.tests.test_browser import (
    browser,
    context,
    current_code,
    open_sections,
    page,
    shot,
    sign_in_as,
    sign_in_with_password,
)

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser


@pytest.fixture
def late_entry(cast: Cast) -> Entry:
    """Two reports in the office's table, nobody assigned: the cast case's, five days overdue,
    and another couple's, due in a month."""
    family_section(cast, readers=[])
    late = make_overdue(entry_of(record_report(cast)), days=5)
    report_on(cast, second_case(cast, same_victim=False))
    return late


def test_the_legal_advisor_decides_and_the_zone_sees_it(live_server, cast: Cast,
                                                        late_entry: Entry, context: BrowserContext,
                                                        page: Page):
    base = live_server.url
    sign_in_with_password(page, base, "legal_advisor")
    page.fill("#id_token", current_code())
    page.locator("main form button[type=submit]").click()
    menu = page.locator("nav[aria-label=Main]")
    prosecution = menu.get_by_role("link", name=re.compile(r"^Prosecution"))
    expect(prosecution).to_contain_text("1")  # the office's overdue report: she reads none

    # The table: the overdue report first, marked and said in words.
    prosecution.click()
    expect(page.locator("h1")).to_have_text("Prosecution tracking table")
    expect(menu.locator("a[aria-current=page]")).to_contain_text("Prosecution")
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(2)
    first = rows.first
    expect(first).to_have_class("flag")
    expect(first).to_contain_text("overdue by 5 days")
    expect(first).to_contain_text(cast.case.reference)
    expect(first).to_contain_text("Alice Exemple")
    expect(first).to_contain_text("nobody yet")
    expect(rows.nth(1)).not_to_contain_text("overdue")
    expect(page.locator("main")).to_contain_text("1 overdue")
    shot(page, "60-prosecution-table-overdue")

    # The entry: the report as the office sees it, and its history.
    first.get_by_role("link", name=late_entry.report.pv_number or "Official report").click()
    expect(page).to_have_url(f"{base}/prosecution/entries/{late_entry.pk}/")
    expect(page.locator(".page-head")).to_contain_text("overdue by 5 days")
    expect(page.locator("main")).to_contain_text("He pushed her against the wall")
    expect(page.get_by_role("link", name=cast.case.reference).first).to_have_attribute(
        "href", f"/cases/{cast.case.pk}/")
    expect(page.locator("main")).to_contain_text("No reader is assigned yet")
    shot(page, "61-prosecution-entry")

    # A decision without a reader: a clear error, nothing saved, her choice kept.
    decision = page.get_by_role("group", name="Decision")
    measures = page.get_by_role("group", name="Measures ordered")
    decision.get_by_label("Hearing", exact=True).check()
    measures.get_by_label("No contact", exact=True).check()
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".error-summary")).to_contain_text("A decision needs a reader")
    expect(page.get_by_role("group", name="Decision").get_by_label("Hearing", exact=True)
           ).to_be_checked()
    late_entry.refresh_from_db()
    assert not late_entry.is_decided

    # She takes the report, then records the decision.
    page.get_by_label("Who reads this report").select_option(label="Legal Test")
    page.get_by_role("button", name="Save the reader").click()
    expect(page.locator(".message-success")).to_have_text("The reader is saved.")
    late_entry.refresh_from_db()
    assert late_entry.reader == cast.legal_advisor
    page.get_by_role("group", name="Decision").get_by_label("Hearing", exact=True).check()
    measures = page.get_by_role("group", name="Measures ordered")
    measures.get_by_label("No contact", exact=True).check()
    measures.get_by_label("Seizure (e.g. weapons)").check()
    page.get_by_label("Note for the office").fill("Hearing planned; check the weapons seized.")
    page.get_by_role("button", name="Save the decision").click()
    expect(page.locator(".message-success")).to_contain_text("The decision is recorded")
    late_entry.refresh_from_db()
    assert late_entry.decision == Decision.HEARING
    assert late_entry.measures == [Measure.NO_CONTACT, Measure.SEIZURE]
    assert late_entry.decided_by == cast.legal_advisor
    expect(page.locator(".page-head")).not_to_contain_text("overdue")
    history = page.locator("section", has=page.get_by_role("heading", name="History"))
    expect(history).to_contain_text("Reader assigned")
    expect(history).to_contain_text("Decision recorded: Hearing — No contact, Seizure")
    shot(page, "62-prosecution-entry-decided")

    # Back in the table: nothing overdue; the decided report under "Decided".
    page.locator(".crumb").get_by_role("link", name="Prosecution tracking table").click()
    expect(page.locator("main")).not_to_contain_text("overdue by")
    page.get_by_label("Status").select_option("decided")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("table.table tbody tr")).to_have_count(1)
    expect(page.locator("table.table tbody tr")).to_contain_text("Hearing")
    shot(page, "63-prosecution-table-decided")

    # The loop is closed: zone A's officer sees the decision on the case, not who read it.
    police = context.browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    try:
        officer_page = police.new_page()
        sign_in_as(police, base, cast.officer_a)
        officer_page.goto(f"{base}/cases/{cast.case.pk}/")
        open_sections(officer_page)
        panel = officer_page.locator("details#section-prosecution")
        expect(panel).to_contain_text("Hearing")
        expect(panel).to_contain_text("No contact, Seizure (e.g. weapons)")
        expect(panel).to_contain_text("Family and youth section")
        expect(panel).not_to_contain_text("Legal Test")
        expect(officer_page.locator("main")).not_to_contain_text("check the weapons seized")
        expect(officer_page.locator("ol.timeline")).to_contain_text(
            "Decision of the prosecutor's office")
        panel.scroll_into_view_if_needed()
        shot(officer_page, "64-case-prosecution-decision-zone")
        # Another zone's officer: the entry and the case answer 404.
        sign_in_as(police, base, cast.officer_b)
        response = officer_page.goto(f"{base}/prosecution/entries/{late_entry.pk}/")
        assert response is not None and response.status == 404
        response = officer_page.goto(f"{base}/cases/{cast.case.pk}/")
        assert response is not None and response.status == 404
    finally:
        police.close()

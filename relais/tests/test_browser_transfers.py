"""A transfer in a real Chromium: zone A's officer asks zone B to take the case over (the victim
moved), zone B's officer finds it in the menu, reads the request without seeing the family and
accepts; zone B now holds the case, and zone A keeps reading its judicial narrative only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast
from relais.tests.test_browser import browser, context, open_sections, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser

REASON = "The victim moved to zone B's area last week."


def test_zone_a_requests_a_transfer_and_zone_b_accepts(live_server, cast: Cast,
                                                       context: BrowserContext, page: Page):
    base = live_server.url
    case_url = f"{base}/cases/{cast.case.pk}/"

    # Zone A asks, from the case page.
    sign_in_as(context, base, cast.officer_a)
    page.goto(case_url)
    open_sections(page)
    panel = page.locator("details#section-transfer")
    panel.get_by_role("link", name="Transfer to another agency").click()
    expect(page.locator("h1")).to_have_text("Transfer to another agency")
    agencies = page.locator("#id_to_agency option")
    expect(agencies).to_have_count(2)  # "—" and the other police zone only
    page.select_option("#id_to_agency", label="Zone B (test)")
    page.fill("#id_reason", REASON)
    expect(page.locator("#id_person_agreed")).to_have_count(0)  # police zones: the law
    shot(page, "90-transfer-request-form")
    page.get_by_role("button", name="Request the transfer").click()
    expect(page).to_have_url(case_url)
    expect(page.locator("main")).to_contain_text("The transfer is requested")
    open_sections(page)
    panel = page.locator("details#section-transfer")
    expect(panel).to_contain_text("waits for its answer")
    panel.scroll_into_view_if_needed()
    shot(page, "91-transfer-pending-on-the-case")

    # Zone B answers, from its menu.
    zone_b = context.browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    try:
        other = zone_b.new_page()
        sign_in_as(zone_b, base, cast.officer_b)
        other.goto(base + "/")
        menu = other.locator("nav[aria-label=Main]")
        transfers = menu.get_by_role("link", name=re.compile(r"^Transfers"))
        expect(transfers).to_contain_text("1")
        transfers.click()
        rows = other.locator("table.table tbody tr")
        expect(rows).to_have_count(1)
        expect(rows.first).to_contain_text(cast.case.reference)
        expect(rows.first).to_contain_text("Zone A (test)")
        expect(rows.first).to_contain_text(REASON)
        expect(other.locator("main")).not_to_contain_text("Alice")
        shot(other, "92-transfers-to-accept")
        rows.first.get_by_role("link", name="Accept or decline").click()
        expect(other.locator("h1")).to_contain_text(cast.case.reference)
        expect(other.locator("main")).not_to_contain_text("Alice")
        shot(other, "93-transfer-answer")
        other.get_by_role("button", name="Accept the case").click()
        expect(other).to_have_url(case_url)
        expect(other.locator("main")).to_contain_text("Your agency now holds case")
        expect(other.locator("dl.facts")).to_contain_text("Zone B (test)")
        expect(other.locator("main")).to_contain_text("Alice")
        expect(other.locator("ol.timeline")).to_contain_text("Case transferred to another agency")
        shot(other, "94-case-held-by-zone-b")
    finally:
        zone_b.close()

    # Zone A keeps the judicial narrative, not where she lives; no more transfer action.
    page.goto(case_url)
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text("Zone B (test)")
    expect(facts).to_contain_text("Judicial narrative")
    expect(facts).not_to_contain_text("Contact details")
    expect(page.locator("main")).to_contain_text("Contact details and whereabouts are not shared")
    expect(page.get_by_role("link", name="Transfer to another agency")).to_have_count(0)
    shot(page, "95-former-zone-reads-the-judicial-narrative")


def test_two_zones_merge_their_cases_by_agreement(live_server, cast: Cast,
                                                  context: BrowserContext, page: Page):
    from datetime import timedelta

    from django.utils import timezone

    from relais.access.services import consultation_open
    from relais.cases import services as case_services
    from relais.conftest import actor

    base = live_server.url
    officer_b = actor(cast.officer_b)
    case_b = case_services.case_open(actor=officer_b, situation="couple", municipality="21009")
    consultation_open(actor=officer_b, case_id=case_b.pk, agency_ids=[cast.zone_a.pk],
                      purpose="Same couple in both zones",
                      ends_at=timezone.now() + timedelta(days=30), scopes=["judicial"])

    # Zone A proposes, from its case page.
    sign_in_as(context, base, cast.officer_a)
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    page.get_by_role("link", name="Propose a merge").click()
    page.fill("#id_other_case", case_b.reference)
    page.check("input[name=keep][value=this]")
    page.fill("#id_reason", "Same couple: she called both zones this month.")
    shot(page, "96-merge-proposal-form")
    page.get_by_role("button", name="Propose the merge").click()
    expect(page.locator("main")).to_contain_text("nothing moves until it accepts")

    # Zone B answers, from its own case page.
    zone_b = context.browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    try:
        other = zone_b.new_page()
        sign_in_as(zone_b, base, cast.officer_b)
        other.goto(f"{base}/cases/{case_b.pk}/")
        open_sections(other)
        other.get_by_role("link", name="Open the proposal").click()
        expect(other.locator("dl.facts")).to_contain_text(cast.case.reference)
        expect(other.locator("main")).not_to_contain_text("Alice")
        shot(other, "97-merge-proposal-answer")
        other.get_by_role("button", name="Accept the merge").click()
        expect(other).to_have_url(f"{base}/cases/{cast.case.pk}/")
        open_sections(other)
        expect(other.locator("main")).to_contain_text("Either agency can undo it")
        expect(other.locator("dl.facts")).to_contain_text("Zone A (test)")  # the kept case
        expect(other.locator("main")).to_contain_text("Alice")  # the former owner's share
        shot(other, "98-kept-case-seen-by-the-former-owner")
    finally:
        zone_b.close()

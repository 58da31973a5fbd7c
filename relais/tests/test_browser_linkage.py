"""Linkage in a real Chromium: an officer of zone B adds a person to a new case and, as she
types, sees that zone A probably knows her (the evidence, no data of zone A); the case page
then proposes the link; the prosecutor's legal advisor reviews it from the "Same person?" queue
and confirms it with a reason; zone A's officer opens the family's file."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.cases import services as case_services
from relais.conftest import Cast, actor
from relais.justice.tests.factories import record_report
from relais.linkage.models import LinkStatus, PersonLink
from relais.tests.test_browser import browser, context, open_sections, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def test_an_officer_sees_the_likely_family_and_the_office_confirms_it(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    base = live_server.url
    record_report(cast)  # zone A's case is in the office's table
    case = case_services.case_open(actor=actor(cast.officer_b), situation="couple",
                                   municipality="21004")
    sign_in_as(context, base, cast.officer_b)
    page.goto(f"{base}/cases/{case.pk}/persons/new/")
    page.select_option("#id_role", "victim")
    page.fill("#id_first_name", "Exemple")  # typed the other way round
    page.fill("#id_last_name", "Alice")
    page.fill("#id_birth_date", "1988-03-14")
    page.select_option("#id_sex", "F")
    proposals = page.locator(".proposals")
    expect(proposals).to_contain_text("Maybe already known")
    expect(proposals).to_contain_text("A case of Zone A (test)")
    expect(proposals).not_to_contain_text("Alice Exemple")
    proposals.locator("summary").first.click()
    expect(proposals.locator("table.evidence")).to_contain_text("Date of birth")
    expect(proposals).to_contain_text("given name and surname written the other way round")
    shot(page, "80-linkage-likely-known-while-typing")
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(f"{base}/cases/{case.pk}/")
    open_sections(page)
    panel = page.locator("section[aria-labelledby=linkage-h]")
    expect(panel).to_contain_text("may be")
    expect(panel).to_contain_text("A case of Zone A (test)")
    shot(page, "81-linkage-case-panel")

    # The office reviews it from its queue.
    context.clear_cookies()
    sign_in_as(context, base, cast.legal_advisor)
    page.goto(f"{base}/")
    page.locator("nav[aria-label=Main]").get_by_role(
        "link", name=re.compile(r"^Same person\?")).click()
    expect(page.locator("h1")).to_have_text("Same person?")
    rows = page.locator("table.table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Alice Exemple")  # the case in its table
    shot(page, "82-linkage-queue-office")
    rows.first.get_by_role("link").first.click()
    expect(page.locator("table.evidence")).to_contain_text("National number")
    page.get_by_label("The same person", exact=True).check()
    page.get_by_label("Reason").fill("Same national number as on the ID card.")
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("State: Same person")
    shot(page, "83-linkage-confirmed")
    assert PersonLink.objects.get().status == LinkStatus.CONFIRMED

    # Zone A's officer: the family's file across both zones.
    context.clear_cookies()
    sign_in_as(context, base, cast.officer_a)
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    page.get_by_role("link", name=re.compile("The family's file")).click()
    expect(page.locator("h1")).to_have_text("The family's file")
    expect(page.locator("main")).to_contain_text("Zone B (test)")
    expect(page.locator("main")).to_contain_text("A case you may not open")
    shot(page, "84-linkage-family-view")

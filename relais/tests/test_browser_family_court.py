"""A family court's record in a real Chromium (issue 18 §3): zone A opens its case to the
family court; the court's clerk records parallel parenting; the case shows it among the
family proceedings in force, and the zone reads it on its own case page. The court never sees
where she lives."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import VICTIM_PHONE, VICTIM_STREET, Cast
from relais.family.tests.factories import Courts, courts, open_to_court
from relais.tests.test_browser import browser, context, open_sections, page, shot, sign_in_as

__all__ = ["browser", "context", "courts", "page"]

pytestmark = pytest.mark.browser


def test_a_court_clerk_records_parallel_parenting(live_server, cast: Cast, courts: Courts,
                                                  context: BrowserContext, page: Page):
    open_to_court(cast, courts)
    sign_in_as(context, live_server.url, courts.clerk)
    case_url = f"{live_server.url}/cases/{cast.case.pk}/"
    page.goto(case_url)
    open_sections(page)
    panel = page.locator("section", has=page.locator("#family-h"))
    expect(panel).to_contain_text("No decision of a family or youth court recorded.")
    expect(page.locator("main")).to_contain_text("Alice")  # the persons of the case
    expect(page.locator("main")).not_to_contain_text(VICTIM_STREET)  # never where she lives
    expect(page.locator("main")).not_to_contain_text(VICTIM_PHONE)
    shot(page, "180-family-court-case")

    panel.get_by_role("link", name="Record a court decision").click()
    expect(page.locator("h1")).to_have_text("Record a court decision")
    page.get_by_label("Parallel parenting").check()
    today = timezone.localdate().strftime("%Y-%m-%d")
    page.fill("#id_decided_on", today)
    shot(page, "181-family-court-record")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("h1")).to_have_text("Parallel parenting")
    expect(page.locator("main")).to_contain_text("Family court (test)")
    expect(page.locator("main")).to_contain_text("further decision")

    page.goto(case_url)
    open_sections(page)
    panel = page.locator("section", has=page.locator("#family-h"))
    expect(panel).to_contain_text("Parallel parenting")
    expect(panel).to_contain_text("in force")
    shot(page, "182-family-court-in-force")

    sign_in_as(context, live_server.url, cast.officer_a)  # the zone that owns the case
    page.goto(case_url)
    open_sections(page)
    panel = page.locator("section", has=page.locator("#family-h"))
    expect(panel).to_contain_text("Parallel parenting")
    expect(panel).to_contain_text("Family court (test)")

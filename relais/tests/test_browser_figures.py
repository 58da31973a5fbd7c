"""The zone analyst's figures in a real Chromium: the dashboard with its chart drawn on the
server, its table beside it, the reference date and N, and the period filter."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.accounts.models import JurisdictionMunicipality
from relais.conftest import Cast
from relais.followup.tests.factories import record_report
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def test_the_analyst_reads_the_zones_figures(live_server, cast: Cast, context: BrowserContext,
                                             page: Page):
    JurisdictionMunicipality.objects.create(agency=cast.zone_a, refnis="21009")
    # This month: 6 information reports and 5 official ones (no small cell: the share shows).
    for hours, official in [(2 + h, h % 2 == 1) for h in range(11)]:
        record_report(cast, official=official, offence_at=timezone.now() - timedelta(hours=hours))
    sign_in_as(context, live_server.url, cast.analyst_a)
    page.goto(live_server.url + "/")
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Figures").click()
    expect(page.locator("h1")).to_have_text("Figures")
    panel = page.locator("section.card").first
    expect(panel).to_contain_text("by date of the facts")
    expect(panel).to_contain_text("N = 11 reports")
    expect(panel.locator("table")).to_contain_text("54.5")  # 6 of 11 this month
    expect(panel.locator("svg").first).to_be_visible()
    expect(panel.locator("[role=img]")).to_have_attribute("aria-label", re.compile(
        "Share of information reports"))
    expect(panel).to_contain_text("per 10,000 inhabitants")
    expect(page.locator("main")).not_to_contain_text("Alice")
    shot(page, "120-figures-dashboard")
    page.fill("#start", (timezone.localdate() - timedelta(days=20)).strftime("%Y-%m"))
    page.get_by_role("button", name="Show").click()
    expect(page.locator("section.card").first).to_contain_text("N = ")

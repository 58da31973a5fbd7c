"""The zone analyst's figures in a real Chromium: the dashboard with its chart drawn on the
server, its table beside it, the reference date and N, and the period filter."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.accounts.models import JurisdictionMunicipality
from relais.conftest import Cast, make_user
from relais.figures.aggregates import refresh_counts
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
    refresh_counts()
    sign_in_as(context, live_server.url, cast.analyst_a)
    page.goto(live_server.url + "/")  # the analyst lands on the figures
    expect(page.locator("h1")).to_have_text("Figures")
    expect(page.locator("main")).to_contain_text("Computed from the records on")
    panel = page.locator("section.card").first
    expect(panel).to_contain_text("by date of the facts")
    expect(panel).to_contain_text("N = 11 reports")
    expect(panel.locator("table")).to_contain_text("54.5")  # 6 of 11 this month
    expect(panel.locator("svg").first).to_be_visible()
    expect(panel.locator("[role=img]")).to_have_attribute("aria-label", re.compile(
        "Share of information reports"))
    rates = page.locator("section.card", has_text="per 10,000 inhabitants").first
    expect(rates).to_contain_text("Ixelles")
    expect(rates).to_contain_text("Statbel")
    expect(page.locator("section.card", has_text="Forms of violence")).to_contain_text(
        "Several answers possible")
    expect(page.locator("main")).not_to_contain_text("Alice")
    shot(page, "120-figures-dashboard")
    page.fill("#start", (timezone.localdate() - timedelta(days=20)).strftime("%Y-%m"))
    page.get_by_role("button", name="Show").click()
    expect(page.locator("section.card").first).to_contain_text("N = ")


def test_a_national_analyst_narrows_to_a_zone_and_counts_by_recording(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    from relais.accounts.models import Agency, AgencyKind, Role

    JurisdictionMunicipality.objects.create(agency=cast.zone_a, refnis="21009")  # Brussels
    JurisdictionMunicipality.objects.create(agency=cast.zone_b, refnis="62063")  # Liège
    observatory = Agency.objects.create(name="Observatoire fictif (test)", code="test-obs",
                                        kind=AgencyKind.PLATFORM, languages=["fr"])
    for refnis in ("21009", "62063"):
        JurisdictionMunicipality.objects.create(agency=observatory, refnis=refnis)
    analyst = make_user("oscar_obs", observatory, Role.ANALYST)
    for days in range(6):
        record_report(cast, official=True, offence_at=timezone.now() - timedelta(hours=2 + days))
    refresh_counts()
    sign_in_as(context, live_server.url, analyst)
    page.goto(live_server.url + "/figures/")
    expect(page.locator("main")).to_contain_text("Counts only, for Belgium")
    expect(page.locator("section.card").first).to_contain_text("N = 6 reports")
    same_month = page.locator("section.card", has_text="same month of other years")
    expect(same_month).to_contain_text("All regions")
    shot(page, "121-figures-national")
    page.select_option("#area", label="Zone B (test)")
    page.select_option("#reference", "recorded")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("main")).to_contain_text("Nothing to count in this period.")
    page.select_option("#area", label="Zone A (test)")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("section.card").first).to_contain_text("by date of recording")
    shot(page, "122-figures-zone-by-recording")

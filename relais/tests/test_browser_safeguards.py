"""The safeguards in a real Chromium (issue 18 §4–5): the zone records a victim's residence
that depends on the partner and sees the date to apply by; a hospital sets a presence alert
that the zone sees on the case page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast
from relais.safeguards.tests.factories import alert, hospital, share
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def test_the_zone_records_her_residence_and_sees_the_hospital_alert(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    place = hospital(cast)
    share(cast, place.agency)
    alert(cast, place, note="Fictitious: enter through the staff entrance, ask for the nurse")
    sign_in_as(context, live_server.url, cast.officer_a)
    page.goto(f"{live_server.url}/safeguards/cases/{cast.case.pk}/residence/")
    page.get_by_label("Card A: family reunification with a non-EU national").check()
    page.fill("#id_facts_on", (timezone.localdate() - timedelta(days=25)).isoformat())
    page.select_option("#id_via", "intake")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("details#section-safeguards > summary").click()  # sections load when opened
    panel = page.locator("#safeguards")
    expect(panel).to_contain_text("Apply to the Immigration Office by")
    expect(panel).to_contain_text("5 days left")
    expect(panel).to_contain_text("art. 11 §2")
    expect(panel).to_contain_text("not verified: ask a legal service")
    expect(panel).to_contain_text("Hospital presence alert")
    expect(panel).to_contain_text("Fictitious: enter through the staff entrance")
    panel.scroll_into_view_if_needed()
    shot(page, "190-safeguards-case-panel")
    panel.get_by_role("link", name="Find a specialised legal service").click()
    expect(page.locator("main")).to_contain_text("Family reunification: legal aid")
    shot(page, "191-safeguards-legal-service")

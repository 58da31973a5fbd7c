"""The crisis switch in a real Chromium: the prosecutor's office declares floods in its
district, the banner shows on the staff pages and the public finder with the alternative
channels first, the shelter confirms today's status, the office lifts the crisis and opens the
debrief."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.accounts.models import JurisdictionMunicipality
from relais.conftest import Cast
from relais.directory.tests.factories import build_directory
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def test_the_crisis_switch(live_server, cast: Cast, context: BrowserContext, page: Page):
    JurisdictionMunicipality.objects.create(agency=cast.shelter, refnis="21009")
    build_directory(cast)
    base = live_server.url
    today = timezone.localdate()

    sign_in_as(context, base, cast.magistrate)
    page.goto(base + "/crises/")
    expect(page.locator(".crisis-banner")).to_have_count(0)
    page.get_by_role("link", name="Declare a crisis").click()
    page.select_option("#id_kind", "flood")
    page.select_option("#id_area", "district:brussel")
    page.fill("#id_starts_on", today.isoformat())
    page.fill("#id_expected_end", (today + timedelta(days=7)).isoformat())
    shot(page, "140-crisis-declare")
    page.get_by_role("button", name="Declare the crisis").click()
    expect(page.locator(".messages")).to_contain_text("The crisis is declared.")
    expect(page.locator(".crisis-banner")).to_contain_text("Flood in Bruxelles")
    shot(page, "141-crisis-declared-banner")

    context.clear_cookies()
    sign_in_as(context, base, cast.shelter_worker)
    page.goto(base + "/directory/mine/")
    expect(page.locator(".crisis-banner")).to_be_visible()
    row = page.locator("tr", has_text="test-shelter")
    expect(row.locator(".crisis-unconfirmed")).to_be_visible()
    confirm = row.locator("form.crisis-confirm")
    confirm.locator("select[name=status]").select_option("reduced")
    confirm.locator("input[name=free_places]").fill("1")
    confirm.get_by_role("button", name="Confirm today's status").click()
    expect(page.locator(".messages")).to_contain_text("today's status is confirmed")
    expect(page.locator("tr", has_text="test-shelter").locator(".crisis-confirmed")).to_be_visible()
    shot(page, "142-crisis-service-confirmed")

    context.clear_cookies()
    page.goto(base + "/help/fr/")
    expect(page.locator(".crisis-banner")).to_contain_text("Bruxelles")
    expect(page.locator(".crisis-channels")).to_contain_text("Masque 19")
    shot(page, "143-crisis-public-finder")

    sign_in_as(context, base, cast.magistrate)
    page.goto(base + "/crises/")
    page.locator("table a").first.click()
    expect(page.locator("main table")).to_contain_text("Reduced service")
    page.get_by_role("button", name="Lift the crisis").click()
    expect(page.locator(".messages")).to_contain_text("The crisis is lifted.")
    expect(page.locator(".crisis-banner")).to_have_count(0)
    page.get_by_role("link", name="Debrief").click()
    expect(page.locator("h1")).to_have_text("Debrief of the crisis")
    page.fill("#id_what_worked", "The chat line answered all week.")
    page.get_by_role("button", name="Save the debrief").click()
    expect(page.locator(".messages")).to_contain_text("The debrief is saved.")
    shot(page, "144-crisis-debrief")

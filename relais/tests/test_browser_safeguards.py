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


def test_the_officer_answers_her_residence_in_the_intake(live_server, cast: Cast,
                                                         context: BrowserContext, page: Page):
    """The intake asks, as an optional section, whether her residence permit depends on the
    partner; the answer records it as from the case page (date to apply by, task, legal
    services)."""
    base = live_server.url
    sign_in_as(context, base, cast.officer_a)
    page.goto(f"{base}/cases/{cast.case.pk}/reports/new/")
    for item, value in (("children", "no"), ("weapons_threats_substances", "no"),
                        ("escalation", "unknown"), ("isolation", "yes"), ("stalking", "no")):
        page.locator(f'input[name="item_{item}"][value="{value}"]').check()
    page.locator("#id_victim_id").select_option(str(cast.victim_id))
    page.locator('input[name="kind"][value="official"]').check()
    page.get_by_label("Source of contact").select_option("walk_in")
    offence = (timezone.localtime() - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date and time of the facts").fill(offence)
    page.get_by_label("Postcode of the place").fill("1060")
    page.locator('input[name="forms"][value="psychological"]').check()
    page.get_by_label("Visible injuries").check()
    page.get_by_label("Context").fill("Fictitious: he keeps her residence card and her "
                                      "passport.")
    page.get_by_label("Words said").fill("He said: 'Without me you will be sent back.'")
    page.locator("#id_facts_actions").fill("He pushed her; bruise on the left arm.")
    page.get_by_label("No children concerned").check()
    page.locator('input[name="seen_alone"][value="yes"]').check()
    page.locator('input[name="spoke_freely"][value="yes"]').check()

    section = page.locator("fieldset.section", has_text="Her residence")
    expect(section.locator("legend").first).to_have_text("Her residence")
    expect(section.get_by_label("No, or not known")).to_be_checked()  # optional
    section.get_by_label("Card F: family of an EU citizen or a Belgian").check()
    section.scroll_into_view_if_needed()
    shot(page, "192-intake-residence-question")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator("h1")).to_have_text("Official report (PV)")
    expect(page.locator(".message-info")).to_contain_text(
        "Safeguards section shows the date to apply to the Immigration Office")
    page.goto(f"{base}/cases/{cast.case.pk}/")
    page.locator("details#section-safeguards > summary").click()  # sections load when opened
    panel = page.locator("#safeguards")
    expect(panel).to_contain_text("Card F: family of an EU citizen or a Belgian")
    expect(panel).to_contain_text("Apply to the Immigration Office by")
    expect(panel).to_contain_text("27 days left")
    expect(panel.get_by_role("link", name="Find a specialised legal service")).to_be_visible()
    panel.scroll_into_view_if_needed()
    shot(page, "193-intake-residence-on-the-case")

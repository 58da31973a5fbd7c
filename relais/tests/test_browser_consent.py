"""Consent to reporting in a real Chromium (issue 20 §6): zone A's officer records on the case
page that Alice declines to be counted in figures beyond what the law requires; the zone's
analyst sees, under each table of the roadmap, how many records were left out (a small count
hidden); and under indicators 2 and 3 and a consultation body's figures."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast, actor
from relais.consultation.tests.conftest import make_body, refer
from relais.figures.aggregates import refresh_if_older
from relais.figures.consent import refusal_record
from relais.followup.tests.factories import another_case, record_report
from relais.tests.axe import assert_accessible
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def test_she_declines_on_the_case_page_and_the_figures_leave_her_out(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    record_report(cast, offence_at=timezone.now() - timedelta(days=2))
    case, dana = another_case(cast)  # another victim's reports: still counted
    for _n in range(6):
        record_report(cast, case=case, victim_id=dana,
                      offence_at=timezone.now() - timedelta(days=2))
    sign_in_as(context, live_server.url, cast.officer_a)
    page.goto(f"{live_server.url}/cases/{cast.case.pk}/")
    page.locator("details#section-consent > summary").click()  # sections load when opened
    section = page.locator("#consent")
    expect(section).to_contain_text("Alice Exemple (Victim): counted")
    section.locator("li", has_text="Alice").get_by_role(
        "link", name="Record a refusal to be counted").click()
    expect(page.locator("h1")).to_contain_text(
        "She declines to be counted in figures beyond what the law requires")
    assert_accessible(page)
    shot(page, "200-consent-form")
    page.get_by_role("button", name="Save", exact=True).click()
    page.locator("details#section-consent > summary").click()
    section = page.locator("#consent")
    expect(section).to_contain_text(
        "declines to be counted in figures beyond what the law requires, since")
    expect(section.get_by_role("link", name="Record the withdrawal")).to_be_visible()
    section.scroll_into_view_if_needed()
    shot(page, "201-consent-case-section")

    refresh_if_older(minutes=60)  # the refusal marked the counts stale
    context.clear_cookies()
    sign_in_as(context, live_server.url, cast.analyst_a)
    page.goto(f"{live_server.url}/figures/")
    expect(page.locator("main")).to_contain_text("N = 6 reports")
    expect(page.locator("main")).to_contain_text(
        "Fewer than 5 records left out at the person's request.")
    page.locator(".left-out").first.scroll_into_view_if_needed()
    shot(page, "202-consent-figures-left-out")


def test_the_zones_follow_up_and_a_bodys_figures_leave_her_out_too(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    record_report(cast)
    record_report(cast)  # a repeat of her household, in the same file
    body = make_body(cast)
    refer(cast, body)
    refusal_record(actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
                   declined_on=timezone.localdate())

    sign_in_as(context, live_server.url, cast.reference_a)
    page.goto(f"{live_server.url}/figures/?view=zone")
    for title in ("(indicator 2)", "(indicator 3)"):
        table = page.locator("section", has_text=title).first
        expect(table.locator(".left-out")).to_contain_text(
            "Fewer than 5 records left out at the person's request.")
    expect(page.locator("main")).not_to_contain_text("not applied to this table yet")
    assert_accessible(page)
    page.locator(".left-out").first.scroll_into_view_if_needed()
    shot(page, "203-consent-zone-follow-up")

    context.clear_cookies()
    sign_in_as(context, live_server.url, cast.coordinator)
    page.goto(f"{live_server.url}/consultation/bodies/{body.pk}/figures/")
    expect(page.locator(".left-out")).to_have_count(2)  # the activity and the actions
    expect(page.locator(".left-out").first).to_contain_text(
        "Fewer than 5 records left out at the person's request.")
    assert_accessible(page)
    page.locator(".left-out").first.scroll_into_view_if_needed()
    shot(page, "204-consent-body-figures")

"""Amendments in a real Chromium: zone A's officer adds the PV number to a saved report by an
addendum (a missing reason is refused with her input kept), reads the corrected record with its
mark and the addendum, and finds the addendum in the case timeline; the prosecutor's legal
advisor lifts a ban only after the confirmation step, her reason carried through it.
Screenshots 260-266."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from relais.amendments.models import Addendum
from relais.conftest import Cast
from relais.followup.tests.factories import record_report
from relais.measures.models import ResidenceBan
from relais.measures.tests.factories import forwarded, order_ban
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser
PV = "BR.21.L3.004321/2026"


def test_the_officer_adds_the_pv_number_by_an_addendum(live_server, cast: Cast, page: Page):
    report = record_report(cast, pv_number="")
    base = live_server.url
    sign_in_as(page.context, base, cast.officer_a)
    page.goto(f"{base}/reports/{report.pk}/")
    expect(page.locator("main")).to_contain_text("not known yet")
    page.get_by_role("link", name="Correct or complete by an addendum").click()
    expect(page.locator("h1")).to_have_text("Correct the record by an addendum")
    page.get_by_label("Official report number").fill(PV)
    page.get_by_role("button", name="Save the addendum").click()

    expect(page.locator(".error-summary")).to_contain_text("Say why you correct the record.")
    expect(page.get_by_label("Official report number")).to_have_value(PV)
    assert not Addendum.objects.exists()
    shot(page, "260-amend-reason-required")

    page.get_by_label("Why do you correct the record?").fill(
        "The prosecutor's office gave the PV number by phone (fictitious).")
    page.get_by_role("button", name="Save the addendum").click()
    expect(page.locator(".message-success")).to_contain_text("The addendum is saved")
    facts = page.locator("dl.facts")
    expect(facts).to_contain_text(PV)
    expect(facts.locator(".badge-corrected")).to_have_text("corrected — see addendum")
    addenda = page.locator("#addenda")
    expect(addenda).to_contain_text("The prosecutor's office gave the PV number")
    expect(addenda.locator("table")).to_contain_text(PV)
    shot(page, "261-amend-record-corrected")
    addenda.scroll_into_view_if_needed()
    shot(page, "262-amend-addendum-on-record")

    page.goto(f"{base}/cases/{cast.case.pk}/")
    entry = page.locator(".timeline li", has_text="Police record corrected by an addendum")
    expect(entry).to_contain_text(PV)
    expect(entry).to_contain_text("The prosecutor's office gave the PV number")
    entry.scroll_into_view_if_needed()
    shot(page, "263-amend-case-timeline")


def test_lifting_a_ban_asks_for_confirmation(live_server, cast: Cast, page: Page):
    forwarded(cast)
    ban = order_ban(cast)
    base = live_server.url
    sign_in_as(page.context, base, cast.legal_advisor)
    page.goto(f"{base}/measures/bans/{ban.pk}/")
    page.get_by_text("Lift the ban early").click()
    page.get_by_label("Why is the ban lifted?").fill("The victim moved abroad (fictitious).")
    shot(page, "264-confirm-ban-lift-asked")
    page.get_by_role("button", name="Lift the ban").click()

    expect(page.locator("h1")).to_have_text("Lift the residence ban?")
    expect(page.locator(".message-warning")).to_contain_text("This cannot be undone.")
    assert ResidenceBan.objects.get(pk=ban.pk).lifted_at is None
    shot(page, "265-confirm-ban-lift-step")

    page.get_by_role("button", name="Yes, lift the ban").click()
    expect(page.locator(".message-success")).to_contain_text("The residence ban is lifted")
    lifted = ResidenceBan.objects.get(pk=ban.pk)
    assert lifted.lifted_at is not None
    shot(page, "266-confirm-ban-lifted")

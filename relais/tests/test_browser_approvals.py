"""Closing a case at high risk in a real Chromium (issue 20 §3–4): zone A's officer closes the
case through the check page (what is still open, with links, and a coded reason); the closure
waits for a supervisor; zone A's IPV reference officer approves it from her list with a reason;
the officer reads the decision."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.approvals.tests.factories import high_risk
from relais.conftest import Cast
from relais.followup.tests.factories import record_report
from relais.tests.axe import assert_accessible
from relais.tests.test_browser import (
    browser,
    context,
    page,
    shot,
    sign_in_as,
    signed_in_elsewhere,
)

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser


def test_close_at_high_risk_through_the_check_and_the_supervisor_approves(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    base = live_server.url
    case_url = f"{base}/cases/{cast.case.pk}/"
    record_report(cast)  # its follow-up tasks are still open
    high_risk(cast)

    sign_in_as(context, base, cast.officer_a)
    page.goto(case_url)
    page.get_by_role("link", name="Close the case").click()
    expect(page.locator("h1")).to_have_text(f"Close case {cast.case.reference}")
    items = page.locator("ul.open-items li")
    expect(items.first).to_contain_text("Open task")
    expect(items.first.locator("a")).to_have_attribute("href", re.compile(r"/follow-up/tasks/"))
    expect(page.locator("main")).to_contain_text("a supervisor of your agency approves")
    assert_accessible(page)
    shot(page, "300-close-check")

    # Without acknowledging what is open: refused, nothing saved, her choice kept.
    page.get_by_label("She is safe, with the measures in place").check()
    page.fill("#id_note", "Ban in force, she has a safe phone.")
    page.get_by_role("button", name="Ask for approval to close").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("She is safe, with the measures in place")).to_be_checked()
    page.get_by_label("I have read what is still open and close the case anyway").check()
    page.get_by_role("button", name="Ask for approval to close").click()
    expect(page).to_have_url(case_url)
    expect(page.locator("main")).to_contain_text("waits for a supervisor's approval")
    expect(page.locator(".page-head .badge")).to_have_text("Open")
    shot(page, "301-close-waits-for-approval")

    with signed_in_elsewhere(context, base, cast.reference_a) as other:
        other.goto(base + "/")
        entry = other.locator("nav[aria-label=Main]").get_by_role(
            "link", name=re.compile(r"^Approvals"))
        expect(entry).to_contain_text("1")
        entry.click()
        card = other.locator("li.card").first
        expect(card).to_contain_text(cast.case.reference)
        expect(card).to_contain_text("She is safe, with the measures in place")
        expect(card).to_contain_text("Ban in force, she has a safe phone.")
        assert_accessible(other)
        shot(other, "302-approvals-to-decide")
        card.get_by_label("Reason (told to the requester)").fill("Checked with the SAPV today.")
        card.get_by_role("button", name=re.compile(r"^Approve")).click()
        expect(other.locator("main")).to_contain_text("Approved: the step was carried out.")
        expect(other.locator("main")).to_contain_text("No request waits for your decision.")
        other.goto(case_url)
        expect(other.locator(".page-head .badge")).to_have_text("Closed")
        expect(other.locator("main")).to_contain_text("She is safe, with the measures in place")
        shot(other, "303-case-closed-with-its-reason")

    page.goto(base + "/approvals/")
    mine = page.locator("section[aria-labelledby=mine-h] tbody tr").first
    expect(mine).to_contain_text("Approved")
    expect(mine).to_contain_text("Checked with the SAPV today.")
    assert_accessible(page)
    shot(page, "304-requester-reads-the-decision")


def test_a_referral_without_consent_waits_and_the_supervisor_sends_it(
        live_server, cast: Cast, directory, context: BrowserContext, page: Page):
    """Issue 20 §3, a consent override: on imminent danger the officer refers without her
    consent; nothing is sent before the zone's IPV reference officer approves, from the notice
    she receives."""
    base = live_server.url
    sign_in_as(context, base, cast.officer_a)
    page.goto(f"{base}/cases/{cast.case.pk}/referrals/new/?service={directory.support_fr.pk}"
              f"&person={cast.victim_id}")
    page.get_by_label("Imminent danger (art. 458bis Penal Code)").check()
    page.get_by_label("Without her consent: why").fill(
        "Fictitious: he said he is coming tonight; she cannot be reached.")
    page.get_by_role("button", name="Send the referral").click()
    expect(page.locator("main")).to_contain_text("waits for a supervisor's approval")
    expect(page.locator("main")).to_contain_text("a supervisor of your agency approves it")
    expect(page.locator(".page-head")).to_contain_text("Proposed")
    assert_accessible(page)
    shot(page, "310-referral-waits-for-approval")

    with signed_in_elsewhere(context, base, cast.reference_a) as other:
        other.goto(base + "/notices/")
        row = other.locator("tr", has_text="A step waits for a supervisor's approval")
        expect(row).to_contain_text(cast.case.reference)
        shot(other, "311-notice-to-the-supervisor")
        row.get_by_role("link").click()
        card = other.locator("li.card").first
        expect(card).to_contain_text("without her consent (imminent danger)")
        expect(card).to_contain_text("he said he is coming tonight")
        shot(other, "312-override-to-decide")
        card.get_by_role("button", name=re.compile(r"^Approve")).click()
        expect(other.locator("main")).to_contain_text("Approved: the step was carried out.")
    page.reload()
    expect(page.locator(".page-head")).to_contain_text("Sent")
    shot(page, "313-referral-sent-after-approval")

"""Deleting a case recorded in error in a real Chromium (issue 20 §3): zone A's officer asks to
delete a duplicate from the closing page, with a coded reason; zone A's IPV reference officer
approves it from her list; the case's address is then a 404, and the officer still reads her
request and its decision."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast
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


def test_a_duplicate_is_deleted_once_a_supervisor_approves(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    base = live_server.url
    case_url = f"{base}/cases/{cast.case.pk}/"
    reference = cast.case.reference

    sign_in_as(context, base, cast.officer_a)
    page.goto(case_url)
    page.get_by_role("link", name="Close the case").click()
    page.get_by_role("link", name="Delete this case").click()
    expect(page.locator("h1")).to_have_text(f"Delete case {reference}")
    expect(page.locator("main")).to_contain_text("A supervisor of your agency approves")
    assert_accessible(page)
    shot(page, "320-delete-ask")

    # A duplicate without the case it duplicates: refused, nothing saved, her choice kept.
    page.get_by_label("A duplicate of another case").check()
    page.get_by_role("button", name="Ask for approval to delete").click()
    expect(page.locator(".error-summary")).to_be_visible()
    expect(page.get_by_label("A duplicate of another case")).to_be_checked()
    page.fill("#id_note", "Duplicate of REL-2026-000001, same intervention.")
    page.get_by_role("button", name="Ask for approval to delete").click()
    expect(page).to_have_url(case_url)
    expect(page.locator("main")).to_contain_text("The deletion waits for a supervisor's approval")
    shot(page, "321-delete-waits-for-approval")

    with signed_in_elsewhere(context, base, cast.reference_a) as other:
        other.goto(base + "/approvals/")
        card = other.locator("li.card").first
        expect(card).to_contain_text("Delete a record")
        expect(card).to_contain_text(f"Delete case {reference}")
        expect(card).to_contain_text("A duplicate of another case")
        expect(card).to_contain_text("Duplicate of REL-2026-000001")
        assert_accessible(other)
        shot(other, "322-delete-to-decide")
        card.get_by_label("Reason (told to the requester)").fill("Checked: same intervention.")
        card.get_by_role("button", name=re.compile(r"^Approve")).click()
        expect(other.locator("main")).to_contain_text("Approved: the step was carried out.")
        expect(other.locator("main")).to_contain_text("No request waits for your decision.")
        response = other.goto(case_url)
        assert response is not None and response.status == 404
        shot(other, "323-deleted-case-is-gone")

    page.goto(base + "/approvals/")
    mine = page.locator("section[aria-labelledby=mine-h] tbody tr").first
    expect(mine).to_contain_text(f"Delete case {reference}")
    expect(mine).to_contain_text("Approved")
    expect(mine).to_contain_text("Checked: same intervention.")
    assert_accessible(page)
    shot(page, "324-requester-reads-the-deletion")

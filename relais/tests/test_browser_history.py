"""Field history in a real Chromium (issue 20 §2): an officer corrects a person and changes
her safe-contact rule; the history opened from the person's card on the case page names the
author and shows each field before and after; a service that does not see her contact details
reads the same history without a single address or phone line."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.access.models import ConsentMethod
from relais.access.scopes import Scope
from relais.access.services import referral_share_grant
from relais.cases import services
from relais.conftest import VICTIM_STREET, Cast, actor
from relais.tests.axe import assert_accessible
from relais.tests.test_browser import browser, context, open_sections, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser


def test_the_history_of_a_person_follows_who_may_see_each_field(live_server, cast: Cast,
                                                                 context: BrowserContext,
                                                                 page: Page):
    base = live_server.url
    officer = actor(cast.officer_a)
    services.person_update(actor=officer, person_id=cast.victim_id, first_name="Alicia")
    services.address_add(actor=officer, person_id=cast.victim_id, street="Rue Nouvelle 8",
                         postcode="1000", municipality="21004")
    services.safe_contact_set(actor=officer, person_id=cast.victim_id, channel="sms",
                              hours="14-16", never=["leave_message"])

    sign_in_as(context, base, cast.officer_a)
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    card = page.locator("#section-persons li.card").filter(has_text="Alicia")
    card.get_by_role("link", name="History of changes").click()
    expect(page.locator("h1")).to_have_text("History of the person")
    table = page.locator("table.history")
    expect(table).to_contain_text("Officer Test")
    expect(table).to_contain_text("Zone A (test)")
    first_name = table.locator("tr").filter(has_text="first name").first
    expect(first_name).to_contain_text("Alice")
    expect(first_name).to_contain_text("Alicia")
    expect(table).to_contain_text("Rue Nouvelle 8")
    assert_accessible(page)
    shot(page, "200-history-person")

    page.goto(f"{base}/persons/{cast.victim_id}/")
    page.get_by_role("link", name="History of the safe-contact instructions").click()
    expect(page.locator("table.history")).to_contain_text("Text message")
    shot(page, "201-history-safe-contact")

    # A victim-support service with her consent to the health scope only.
    referral_share_grant(actor=officer, case_id=cast.case.pk, person_id=cast.victim_id,
                         recipient_agency_id=cast.support.pk, scopes=[Scope.HEALTH],
                         method=ConsentMethod.WRITTEN)
    context.clear_cookies()
    sign_in_as(context, base, cast.support_worker)
    page.goto(f"{base}/persons/{cast.victim_id}/history/")
    table = page.locator("table.history")
    expect(table).to_contain_text("Alicia")
    expect(table).to_contain_text("Specific need")
    for hidden in ("Rue Nouvelle 8", VICTIM_STREET, "Address", "Phone number"):
        expect(table).not_to_contain_text(hidden)
    shot(page, "202-history-without-contact")

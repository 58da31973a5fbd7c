"""The red list in a real Chromium: the dispatcher types the address of a call and sees that it
is listed (priority, zone, flags, red-list reference: nothing else), then a number that is not
listed."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast
from relais.redlist.tests.conftest import place
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def test_the_dispatcher_looks_up_a_listed_address_and_an_unlisted_number(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    entry = place(cast.reference_a, cast.case)  # Rue de la Loi / Wetstraat 16 bte 2, 1050
    sign_in_as(context, live_server.url, cast.dispatcher_a)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Red-list look-up").click()
    expect(page.locator("h1")).to_have_text("Red-list look-up")
    # Typed as the caller says it, in Dutch, without accents or the box's word.
    page.fill("#id_postcode", "1050")
    page.fill("#id_street", "wetstraat")
    page.fill("#id_number", "16")
    page.fill("#id_box", "2")
    page.get_by_role("button", name="Look up").click()
    answer = page.locator("#redlist-answer")
    expect(answer).to_contain_text("LISTED")
    expect(answer).to_contain_text(entry.reference)
    expect(answer).to_contain_text(cast.zone_a.name)
    expect(answer).to_contain_text("Children")
    for never in ("Alice", "Bruno", "Chloé", cast.case.reference, "Rue de la Loi"):
        expect(page.locator("main")).not_to_contain_text(never)
    shot(page, "150-redlist-hit")
    page.fill("#id_postcode", "")
    page.fill("#id_street", "")
    page.fill("#id_number", "")
    page.fill("#id_box", "")
    page.fill("#id_phone", "0470 00 00 01")
    page.get_by_role("button", name="Look up").click()
    expect(page.locator("#redlist-answer")).to_contain_text("Not on the red list")
    expect(page.locator("#redlist-answer")).not_to_contain_text("RL-")
    shot(page, "151-redlist-miss")

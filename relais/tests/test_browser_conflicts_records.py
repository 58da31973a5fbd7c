"""No lost update in two real browsers on records other than a person (issue 20 §1): two
shelter workers update today's free places of the same shelter; two reference officers review
the same red-list entry. The second's save is refused on the record's page with both values
side by side and her typing kept; she keeps hers. Screenshots 320-323."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import Browser, expect

from relais.accounts.models import Role
from relais.conftest import Cast, make_user
from relais.directory.models import Service
from relais.redlist import services as redlist_services
from relais.redlist.models import RedListEntry
from relais.redlist.tests.conftest import place
from relais.tests.axe import assert_accessible
from relais.tests.test_browser import TIMEOUT_MS, browser, shot, sign_in_as

__all__ = ["browser"]

pytestmark = pytest.mark.browser


def pages_of(browser: Browser, base: str, *users):
    pages = []
    for user in users:
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        sign_in_as(context, base, user)
        pages.append(context.new_page())
    return pages


def test_two_shelter_workers_update_the_free_places(live_server, cast: Cast, directory,
                                                    browser: Browser):
    base = live_server.url
    other = make_user("shelter_two", cast.shelter, Role.SHELTER_WORKER)
    first, second = pages_of(browser, base, cast.shelter_worker, other)
    url = f"{base}/directory/{directory.shelter.pk}/"
    first.goto(url)
    second.goto(url)

    first.get_by_label("Free places today").fill("0")
    first.get_by_role("button", name="Update", exact=True).click()
    expect(first.locator(".messages, [role=status]").first).to_be_visible()

    second.get_by_label("Free places today").fill("3")
    second.get_by_role("button", name="Update", exact=True).click()
    box = second.locator(".conflict")
    expect(box).to_contain_text("Someone else saved this record")
    expect(box.locator("tbody tr", has_text="Free places today")).to_contain_text("0")
    expect(box.locator("tbody tr", has_text="Free places today")).to_contain_text("3")
    expect(second.get_by_label("Free places today")).to_have_value("3")
    assert Service.objects.get(pk=directory.shelter.pk).free_places == 0
    shot(second, "330-capacity-conflict")
    assert_accessible(second)

    second.get_by_role("button", name="Keep mine and save").click()
    expect(second.locator(".conflict")).to_have_count(0)
    assert Service.objects.get(pk=directory.shelter.pk).free_places == 3
    shot(second, "331-capacity-kept-mine")
    for page in (first, second):
        page.context.close()


def test_two_officers_review_the_same_red_list_entry(live_server, cast: Cast,
                                                     browser: Browser):
    base = live_server.url
    entry = place(cast.reference_a, cast.case)
    other = make_user("reference_two", cast.zone_a, Role.IPV_REFERENCE_OFFICER)
    first, second = pages_of(browser, base, cast.reference_a, other)
    url = f"{base}/redlist/{entry.pk}/"
    first.goto(url)
    second.goto(url)
    theirs = redlist_services.latest_review_on()
    mine = theirs - timedelta(days=30)

    first.get_by_label("Keep until").fill(theirs.isoformat())
    first.get_by_role("button", name="Keep on the list").click()
    expect(first.locator("dl.facts").first).to_be_visible()

    second.get_by_label("Keep until").fill(mine.isoformat())
    second.get_by_role("button", name="Keep on the list").click()
    box = second.locator(".conflict")
    expect(box).to_contain_text("Someone else saved this record")
    expect(box.locator("tbody tr", has_text="Keep until")).to_contain_text(
        theirs.strftime("%d/%m/%Y"))
    expect(second.get_by_label("Keep until")).to_have_value(mine.isoformat())
    assert RedListEntry.objects.get(pk=entry.pk).review_on == theirs
    shot(second, "332-redlist-review-conflict")
    assert_accessible(second)

    second.get_by_role("button", name="Keep mine and save").click()
    expect(second.locator(".conflict")).to_have_count(0)
    assert RedListEntry.objects.get(pk=entry.pk).review_on == mine
    shot(second, "333-redlist-review-kept-mine")
    for page in (first, second):
        page.context.close()

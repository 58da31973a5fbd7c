"""No lost update in two real browsers (issue 20 §1): zone A's officer and its SAPV worker
open the same person's safe-contact rule; the officer saves first; the SAPV worker's save is
refused, she sees both versions side by side with her typing kept, keeps hers, and the rule
saved is hers. Then the same on her identity, where she takes theirs. Screenshots 290-293."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, expect

from relais.cases.models import Person, SafeContactInstructions
from relais.conftest import Cast
from relais.tests.axe import assert_accessible
from relais.tests.test_browser import TIMEOUT_MS, browser, shot, sign_in_as

__all__ = ["browser"]

pytestmark = pytest.mark.browser


def two_pages(browser: Browser, base: str, cast: Cast):
    pages = []
    for user in (cast.officer_a, cast.sapv_a):
        context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        sign_in_as(context, base, user)
        pages.append(context.new_page())
    return pages


def test_two_colleagues_on_the_same_safe_contact_rule(live_server, cast: Cast,
                                                      browser: Browser):
    base = live_server.url
    officer, sapv = two_pages(browser, base, cast)
    url = f"{base}/persons/{cast.victim_id}/safe-contact/"
    officer.goto(url)
    sapv.goto(url)

    officer.get_by_role("textbox", name="Hours").fill("weekdays 9-12 (officer)")
    officer.get_by_role("button", name="Save", exact=True).click()
    expect(officer.locator("h1")).not_to_have_text("Safe-contact instructions")

    sapv.get_by_role("textbox", name="Hours").fill("evenings after 19:00 (SAPV)")
    sapv.get_by_role("button", name="Save", exact=True).click()
    box = sapv.locator(".conflict")
    expect(box).to_contain_text("Someone else saved this record")
    expect(box.locator("tbody tr", has_text="Hours")).to_contain_text("weekdays 9-12 (officer)")
    expect(box.locator("tbody tr", has_text="Hours")).to_contain_text(
        "evenings after 19:00 (SAPV)")
    expect(sapv.get_by_role("textbox", name="Hours")).to_have_value("evenings after 19:00 (SAPV)")
    assert SafeContactInstructions.objects.get(person_id=cast.victim_id).hours \
        == "weekdays 9-12 (officer)"
    shot(sapv, "290-conflict-both-versions")
    assert_accessible(sapv)

    sapv.get_by_role("button", name="Keep mine and save").click()
    expect(sapv.locator(".conflict")).to_have_count(0)
    assert SafeContactInstructions.objects.get(person_id=cast.victim_id).hours \
        == "evenings after 19:00 (SAPV)"
    shot(sapv, "291-conflict-kept-mine")
    for page in (officer, sapv):
        page.context.close()


def test_two_colleagues_correct_her_identity_the_second_takes_theirs(live_server, cast: Cast,
                                                                    browser: Browser):
    base = live_server.url
    officer, sapv = two_pages(browser, base, cast)
    url = f"{base}/persons/{cast.victim_id}/edit/"
    officer.goto(f"{base}/persons/{cast.victim_id}/")
    officer.get_by_role("link", name="Correct her identity").click()
    sapv.goto(url)

    officer.get_by_label("Last name").fill("Exemple-Nouveau")
    officer.get_by_role("button", name="Save", exact=True).click()
    expect(officer.locator("h1")).to_contain_text("Exemple-Nouveau")

    sapv.get_by_label("First name").fill("Alicia")
    sapv.get_by_role("button", name="Save", exact=True).click()
    expect(sapv.locator(".conflict tbody")).to_contain_text("Exemple-Nouveau")
    shot(sapv, "292-conflict-identity")
    sapv.get_by_role("button", name="Take theirs (reload)").click()
    expect(sapv.get_by_label("Last name")).to_have_value("Exemple-Nouveau")
    expect(sapv.get_by_label("First name")).to_have_value("Alice")
    shot(sapv, "293-conflict-took-theirs")
    person = Person.objects.get(pk=cast.victim_id)
    assert (person.first_name, person.last_name) == ("Alice", "Exemple-Nouveau")
    for page in (officer, sapv):
        page.context.close()

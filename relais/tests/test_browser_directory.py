"""The directory in a real Chromium: the public service finder (no sign-in, nothing kept, the
quick exit) and the referral loop, from an officer's case to the support service's answer."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from relais.accounts.models import User
from relais.cases.services import person_update
from relais.conftest import Cast, actor
from relais.directory.tests.factories import SHELTER_SERVICE_STREET, Directory
from relais.referrals.models import Referral, ReferralStatus
from relais.tests.test_browser import (
    TIMEOUT_MS,
    browser,
    context,
    open_sections,
    page,
    shot,
    sign_in_as,
)

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser


def sign_in_english(context: BrowserContext, base_url: str, user: User) -> None:
    """A verified session reading the pages in English (the language cookie, as a user would
    have chosen it with the header's form)."""
    sign_in_as(context, base_url, user)
    context.add_cookies([{"name": "django_language", "value": "en", "url": base_url}])


def set_cookies(headers: list) -> list[str]:
    """The Set-Cookie values among raw headers (Playwright's `headers` leaves them out)."""
    return [h["value"] for h in headers if h["name"].lower() == "set-cookie"]


def assert_no_confidential_address(page: Page) -> None:
    html = page.content()
    text = page.locator("body").inner_text()
    for blob in (html, text):
        assert SHELTER_SERVICE_STREET not in blob
        assert "Chemin Cach" not in blob  # however the accent is written
        assert "Hélène Contact" not in blob and "Sarah Contact" not in blob  # staff only


# --- The public service finder -------------------------------------------------------------

@pytest.mark.parametrize(("language", "need"), [("fr", "support"), ("nl", "")])
def test_public_finder_helplines_first_search_by_postcode_keeps_nothing(
        live_server, directory: Directory, context: BrowserContext, page: Page,
        language: str, need: str):
    base = live_server.url
    url = f"{base}/help/{language}/"
    response = page.goto(url)
    assert response is not None and response.status == 200
    assert response.headers.get("cache-control") == "no-store"
    assert response.headers.get("referrer-policy") == "no-referrer"
    assert not set_cookies(response.headers_array())
    expect(page.locator("html")).to_have_attribute("lang", language)

    # The 112 banner, at the very top.
    banner = page.locator(".emergency[role=alert]")
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link", name="112")).to_have_attribute("href", "tel:112")
    box = banner.bounding_box()
    assert box is not None and box["y"] < 100

    # The helplines come first, before any search and any service; the page's language first.
    helplines = page.locator("section.helplines li.card h3")
    french, dutch = (0, 1) if language == "fr" else (1, 0)
    expect(helplines.nth(french)).to_have_text("0800 30 030")
    expect(helplines.nth(dutch)).to_have_text("1712")
    expect(helplines.nth(french).get_by_role("link")).to_have_attribute("href", "tel:080030030")
    expect(helplines.nth(dutch).get_by_role("link")).to_have_attribute("href", "tel:1712")
    assert page.evaluate("""() => {
        const lines = document.querySelector("section.helplines");
        const form = document.querySelector("form.public-search");
        return !!(lines.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    expect(page.locator("#results li.card")).to_have_count(0)  # nothing until she searches
    shot(page, f"30-public-finder-{language}")

    # Search: a postcode and a need, posted through htmx into #results.
    history_length = page.evaluate("history.length")
    page.locator("input[name=where]").fill("1050")
    page.locator("select[name=need]").select_option(need)
    with page.expect_response(lambda r: f"/help/{language}/" in r.url
                              and r.request.method == "POST") as response_info:
        page.locator("form.public-search button[type=submit]").click()
    search = response_info.value
    assert search.request.headers.get("hx-request") == "true"
    assert "1050" not in search.url
    assert search.headers.get("cache-control") == "no-store"
    assert not set_cookies(search.headers_array())

    results = page.locator("#results")
    support = results.locator("li.service-card", has_text=directory.support_fr.name)
    expect(support).to_be_visible()
    expect(support).to_contain_text("02 222 22 22")
    expect(support).to_contain_text("Rue Publique 1")  # a public address is shown
    # The Dutch-speaking service of the region too: the public finder does not filter by language.
    expect(results.locator("li.service-card", has_text=directory.caw_nl.name)).to_have_count(1)
    # Helplines are not repeated among the results: they are at the top already.
    expect(results.locator("li.service-card", has_text=directory.helpline.name)).to_have_count(0)
    if need == "":
        # Any help: the shelter is listed, but only its intake phone, never where it is.
        shelter = results.locator("li.service-card", has_text=directory.shelter.name)
        expect(shelter).to_be_visible()
        expect(shelter).to_contain_text("02 111 11 11")
        expect(shelter.locator("p.hint")).to_be_visible()
    else:
        expect(results.locator("li.service-card", has_text=directory.shelter.name)
               ).to_have_count(0)
        expect(results.locator("li.service-card", has_text=directory.programme.name)
               ).to_have_count(0)

    # The address bar, the history and the page: nothing about the search, nothing hidden.
    assert page.url == url
    assert "?" not in page.url and "1050" not in page.url
    assert page.evaluate("history.length") == history_length  # no entry pushed by the search
    assert_no_confidential_address(page)
    cookies_after_search = context.cookies()  # checked at the end, with the rest of the trail
    shot(page, f"31-public-finder-{language}-results")

    # An unknown postcode: an error with the nearest known ones, nothing listed.
    page.locator("input[name=where]").fill("1999")
    with page.expect_response(lambda r: f"/help/{language}/" in r.url
                              and r.request.method == "POST"):
        page.locator("form.public-search button[type=submit]").click()
    error = page.locator("#results .error-summary")
    expect(error).to_be_visible()
    expect(error).to_contain_text("2000")
    expect(error).to_contain_text("1982")
    expect(page.locator("#results li.card")).to_have_count(0)
    assert page.url == url
    assert_no_confidential_address(page)
    shot(page, f"32-public-finder-{language}-unknown-postcode")

    # Nothing kept on the device: no cookie after the search, nor after the error.
    assert cookies_after_search == []
    assert context.cookies() == []
    # A browser also asks for /favicon.ico on its own (when, depends on its cache): that answer
    # must not leave a cookie either.
    favicon = context.request.get(base + "/favicon.ico")
    assert not set_cookies(favicon.headers_array), (favicon.status, favicon.url)
    assert context.cookies() == []


def test_public_finder_without_javascript_posts_the_whole_page(
        live_server, directory: Directory, browser: Browser):
    """Without htmx the form is a plain POST: the same results, still no query string."""
    ctx = browser.new_context(locale="fr-BE", java_script_enabled=False,
                              viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        page = ctx.new_page()
        url = live_server.url + "/help/fr/"
        page.goto(url)
        page.locator("input[name=where]").fill("Ixelles")
        page.locator("form.public-search button[type=submit]").click()
        expect(page.locator("#results li.service-card",
                            has_text=directory.support_fr.name)).to_be_visible()
        assert page.url == url
        assert_no_confidential_address(page)
        assert ctx.cookies() == []
        shot(page, "33-public-finder-no-javascript")
    finally:
        ctx.close()


# --- Quick exit ----------------------------------------------------------------------------

@pytest.fixture
def exit_url(live_server, settings) -> str:
    settings.RELAIS_QUICK_EXIT_URL = live_server.url + "/health"
    return settings.RELAIS_QUICK_EXIT_URL


def _open_finder_after_another_page(page: Page, base: str) -> int:
    # A page before the finder, so that "back" has somewhere to go.
    page.goto(base + "/sign-in/")
    page.goto(base + "/help/fr/")
    expect(page.locator("#quick-exit")).to_be_visible()
    return page.evaluate("history.length")


def _assert_left_without_trace(page: Page, exit_url: str, length_before: int) -> None:
    expect(page).to_have_url(exit_url)
    expect(page.locator("body")).to_have_text("ok")
    # The finder's history entry was replaced, not pushed on top of.
    assert page.evaluate("history.length") == length_before
    page.go_back()
    page.wait_for_load_state()
    assert "/help/" not in page.url
    assert "/help/" not in page.evaluate("location.href")


@pytest.mark.parametrize("how", ["button", "escape"])
def test_quick_exit_replaces_the_page_and_its_history_entry(
        live_server, exit_url: str, page: Page, how: str):
    base = live_server.url
    length = _open_finder_after_another_page(page, base)
    link = page.locator("#quick-exit")
    expect(link).to_have_attribute("href", exit_url)
    expect(link).to_have_attribute("data-exit", exit_url)
    if how == "button":
        shot(page, "34-public-finder-quick-exit")
        link.click()
    else:
        page.locator("input[name=where]").fill("1050")  # even while typing
        page.keyboard.press("Escape")
    _assert_left_without_trace(page, exit_url, length)
    expect(page).to_have_url(re.compile(r"/sign-in/$"))


def test_quick_exit_after_changing_language_and_searching_leaves_no_finder_page_behind(
        live_server, directory: Directory, exit_url: str, page: Page):
    """Moving around the finder (another language, a search) keeps one history entry, so
    that after the quick exit "Back" never shows the finder."""
    base = live_server.url
    page.goto(base + "/sign-in/")
    page.goto(base + "/help/en/")
    length = page.evaluate("history.length")
    page.locator(".public-languages a[hreflang=fr]").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    page.locator(".public-languages a[hreflang=de]").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    page.locator("input[name=where]").fill("1050")
    page.locator(".public-search button[type=submit]").click()
    expect(page.locator(".service-card").first).to_be_visible()
    assert page.evaluate("history.length") == length
    page.locator("#quick-exit").click()
    _assert_left_without_trace(page, exit_url, length)
    expect(page).to_have_url(re.compile(r"/sign-in/$"))
    page.go_forward()  # forward again: the exit page, never the finder
    page.wait_for_load_state()
    assert "/help/" not in page.url


# --- A referral, from the case to the service's answer ------------------------------------

@pytest.fixture
def support_page(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


def test_refer_from_a_case_then_the_service_receives_and_accepts(
        live_server, cast: Cast, directory: Directory, page: Page, support_page: Page):
    base = live_server.url
    sign_in_english(page.context, base, cast.officer_a)
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    expect(page.get_by_role("heading", name="Referrals")).to_be_visible()
    expect(page.locator("main")).to_contain_text("No referral yet.")
    page.get_by_role("link", name="Find help and refer").click()

    # Suggestions for the victim, around her address, each with the services that answer it.
    expect(page).to_have_url(re.compile(rf"/cases/{cast.case.pk}/help/$"))
    expect(page.locator("h1")).to_have_text("Find help and refer")
    expect(page.locator("#person-select")).to_have_value(str(cast.victim_id))
    expect(page.locator("main")).to_contain_text("Searching around 1050")
    sections = page.locator("section.suggestion")
    # The cast's victim: no language recorded, a child in the case. Support, with the question
    # to ask her about her language, and the children's suggestion (no service for it here).
    expect(sections).to_have_count(2)
    unknown = sections.filter(has=page.get_by_role("heading", name="Support for victims"))
    expect(unknown.locator(".why")).to_contain_text("ask her which language")
    children = sections.filter(has=page.get_by_role("heading", name="Children and young people"))
    expect(children).to_contain_text("No service found for this")
    expect(page.locator("main")).to_contain_text("Children are concerned")
    shot(page, "40-find-help-victim-no-language")

    # She speaks French (recorded through the service: the screens have no form for it yet):
    # a French-speaking support service comes first.
    person_update(actor=actor(cast.officer_a), person_id=cast.victim_id, languages=["fr"])
    page.reload()
    # (The page shows the code, "fr", where other screens name the language.)
    expect(page.locator("main")).to_contain_text(re.compile(r"Languages: (fr|French)"))
    support = sections.filter(has=page.get_by_role("heading", name="Support for victims"))
    expect(support).to_have_count(1)
    expect(support.locator(".why")).to_contain_text("French-speaking service")
    expect(support.locator("li.service-card").first).to_contain_text(directory.support_fr.name)
    expect(support.locator("li.service-card", has_text=directory.caw_nl.name)).to_have_count(0)
    headings = [h.strip() for h in sections.locator("h2").all_inner_texts()]
    assert headings[0] == "Support for victims" and "Children and young people" in headings
    shot(page, "41-find-help-victim-french")

    card = support.locator("li.service-card", has_text=directory.support_fr.name)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Sarah Contact")  # the contact person, for professionals
    assert SHELTER_SERVICE_STREET not in page.content()  # she does not keep the shelter's entry
    card.get_by_role("button", name="Refer to this service").click()

    # The referral form.
    expect(page).to_have_url(re.compile(rf"/cases/{cast.case.pk}/referrals/new/\?"))
    expect(page.locator("h1")).to_contain_text(directory.support_fr.name)
    expect(page.locator("h1")).to_contain_text("Alice Exemple")
    consent = page.get_by_role("radio", name="Her consent", exact=True)
    expect(consent).to_be_checked()  # the default basis
    consent.check()
    page.locator("select[name=consent_method]").select_option(label="Orally, in person")
    mismatch = page.locator("input[name=confirm_mismatches]")
    if mismatch.count():
        mismatch.check()
    shot(page, "42-referral-form")
    page.get_by_role("button", name="Send the referral").click()

    # Sent.
    expect(page).to_have_url(re.compile(r"/referrals/\d+/$"))
    expect(page.locator(".message-success")).to_contain_text("The referral is sent.")
    expect(page.locator(".page-head .badge").first).to_have_text("Sent")
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.SENT
    assert referral.service_id == directory.support_fr.pk
    assert referral.basis == "consent" and referral.consent is not None
    assert referral.consent.method == "oral_in_person"
    expect(page.locator("main")).to_contain_text("Orally, in person")
    shot(page, "43-referral-sent")

    # The support worker, in her own browser: incoming, received, accepted.
    other = support_page
    sign_in_english(other.context, base, cast.support_worker)
    other.goto(f"{base}/referrals/?direction=incoming")
    expect(other.locator("h1")).to_have_text("Referrals")
    expect(other.locator("nav.filters a[aria-current=page]")).to_have_text(
        "Received by my service")
    row = other.locator("table.table tbody tr", has_text=cast.case.reference)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Zone A (test)")
    expect(row.locator(".badge").first).to_have_text("Sent")
    shot(other, "44-referrals-incoming-support")
    row.get_by_role("link", name=cast.case.reference).click()
    expect(other).to_have_url(re.compile(rf"/referrals/{referral.pk}/$"))
    status = other.locator(".page-head .badge").first
    expect(status).to_have_text("Sent")

    other.get_by_role("button", name="Receipt acknowledged", exact=True).click()
    expect(other.locator(".message-success")).to_contain_text("The referral is updated.")
    expect(status).to_have_text("Receipt acknowledged")
    other.get_by_role("button", name="Accepted", exact=True).click()
    expect(status).to_have_text("Accepted")
    expect(other.locator("ol.timeline")).to_contain_text("Accepted")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    shot(other, "45-referral-accepted-support")

    # And the officer's case page follows.
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    referrals = page.locator("section[aria-labelledby=referrals-h]")
    expect(referrals.locator("tbody tr")).to_have_count(1)
    expect(referrals.locator(".badge").first).to_have_text("Accepted")
    shot(page, "46-case-with-referral-accepted")

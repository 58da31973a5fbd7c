"""Browser tests: a real headless Chromium, driven by Playwright, against the live server.

They sign in for real (password, then TOTP), move around with the keyboard, search through
htmx and check that what the access policy withholds never reaches the page. Full-page
screenshots land in test-artifacts/screenshots/ for a human look.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django_otp.oath import totp
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from relais.access.scopes import Scope
from relais.access.services import referral_share_grant
from relais.accounts.models import User
from relais.conftest import (
    PERPETRATOR_PHONE,
    TEST_PASSWORD,
    TEST_TOTP_SECRET,
    VICTIM_PHONE,
    VICTIM_STREET,
    Cast,
    actor,
    verified_client,
)

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an asyncio loop in this thread; the ORM refuses to run next
    # to one unless told it is safe (it is: nothing here is concurrent). Only while Chromium
    # runs: the variable must not leak into other tests (`check --deploy` rejects it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    # English: the source language, so the assertions hold whatever translations exist.
    ctx = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


def shot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 0
    return path


def open_sections(page: Page) -> None:
    """Open every collapsed section of the case page, as she would, and wait until the
    sections loaded on demand (htmx) are in."""
    closed = page.locator("details.case-section:not([open])")
    for _ in range(closed.count()):
        section = closed.first
        name = section.get_attribute("id")
        section.locator("> summary").click()
        expect(page.locator(f"details#{name} .panel-loading")).to_have_count(0)


def current_code(drift: int = 0) -> str:
    """The TOTP code of the test devices, `drift` time steps away from now."""
    return f"{totp(base64.b32decode(TEST_TOTP_SECRET), drift=drift):06d}"


def sign_in_with_password(page: Page, base_url: str, username: str) -> None:
    page.goto(base_url + "/sign-in/")
    expect(page.locator("h1")).to_have_text("Sign in")
    page.fill("#id_username", username)
    page.fill("#id_password", TEST_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#id_token")).to_be_visible()


def sign_in_as(context: BrowserContext, base_url: str, user: User) -> None:
    """Shortcut for tests about something else: a session that already passed both steps."""
    client = verified_client(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                          "url": base_url}])


@contextmanager
def signed_in_elsewhere(context: BrowserContext, base: str, user: User) -> Iterator[Page]:
    """A second person's browser (a supervisor, a colleague), signed in as ``user``, closed
    after."""
    other = context.browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    try:
        sign_in_as(other, base, user)
        yield other.new_page()
    finally:
        other.close()


def test_sign_in_with_totp_case_person_and_language(live_server, cast: Cast, page: Page):
    base = live_server.url
    sign_in_with_password(page, base, "officer_a")
    expect(page).to_have_url(re.compile(r"/sign-in/code/$"))
    expect(page.locator("#id_token")).to_be_focused()  # autofocus: type the code straight in
    shot(page, "00-sign-in-code-page")
    page.fill("#id_token", current_code())
    page.locator("main form button[type=submit]").click()

    # She lands on the zone's day (relais.access.landing); "My cases" is one click away.
    expect(page.locator("h1")).to_have_text("Today")
    page.locator("nav[aria-label=Main]").get_by_role("link", name="My cases").click()
    expect(page.locator("h1")).to_have_text("My cases")
    expect(page.locator("nav[aria-label=Main] a[aria-current=page]")).to_have_text("My cases")
    expect(page.locator(".who")).to_contain_text("Zone A (test)")
    case_link = page.get_by_role("link", name=cast.case.reference)
    expect(case_link).to_be_visible()
    expect(page.locator("table.table tbody")).to_contain_text("Alice Exemple")
    shot(page, "01-my-cases-officer")

    # The case: persons, the victim's contact details (owner sees them) and the timeline.
    case_link.click()
    expect(page.locator("h1")).to_contain_text(cast.case.reference)
    expect(page).to_have_url(re.compile(rf"/cases/{cast.case.pk}/$"))
    open_sections(page)
    victim_card = page.locator("li.card", has_text="Alice Exemple")
    expect(victim_card).to_be_visible()
    expect(victim_card).to_contain_text("Victim")
    expect(victim_card).to_contain_text(VICTIM_STREET)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    timeline = page.locator("ol.timeline > li")
    expect(timeline.first).to_be_visible()
    assert timeline.count() >= 3  # case opened, persons added, ...
    shot(page, "02-case-detail-officer-en")

    # Switch to Dutch with the header's language form (POST to /i18n/setlang/).
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#language-select", "nl")
    with page.expect_response(lambda r: "/i18n/setlang/" in r.url
                              and r.request.method == "POST"):
        page.locator("form.lang-form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page).to_have_url(re.compile(rf"/cases/{cast.case.pk}/$"))  # back on the same page
    expect(page.locator("#language-select")).to_have_value("nl")
    expect(page.locator("h1")).to_contain_text(cast.case.reference)
    shot(page, "03-case-detail-officer-nl")

    # The victim's person page.
    open_sections(page)
    page.locator("li.card h3 a", has_text="Alice Exemple").click()
    expect(page).to_have_url(re.compile(rf"/persons/{cast.victim_id}/$"))
    expect(page.locator("h1")).to_have_text("Alice Exemple")
    expect(page.locator("main")).to_contain_text(VICTIM_STREET)
    expect(page.locator("main")).to_contain_text("+32 470 12 34 56")
    expect(page.locator("main")).to_contain_text("Tigrinya")
    shot(page, "04-person-victim-officer-nl")


def test_wrong_second_factor_code_is_refused(live_server, cast: Cast, page: Page):
    base = live_server.url
    sign_in_with_password(page, base, "officer_a")
    valid = {current_code(drift) for drift in (-2, -1, 0, 1, 2)}
    wrong = next(c for c in ("000000", "123456", "999999", "424242") if c not in valid)
    page.fill("#id_token", wrong)
    page.locator("main form button[type=submit]").click()

    expect(page.locator(".errorlist")).to_contain_text("not right")
    expect(page).to_have_url(re.compile(r"/sign-in/code/$"))
    expect(page.locator("#id_token")).to_be_visible()
    # No main navigation: the session is not verified.
    expect(page.locator("nav[aria-label=Main]")).to_have_count(0)
    shot(page, "05-verify-wrong-code")

    # And the case list is still out of reach.
    page.goto(base + "/")
    expect(page).to_have_url(re.compile(r"/sign-in/code/$"))
    page.goto(base + f"/cases/{cast.case.pk}/")
    expect(page).to_have_url(re.compile(r"/sign-in/code/$"))
    assert "Alice" not in page.content()


FOCUSED = "(() => { const e = document.activeElement; return e ? e.tagName + '#' + e.id + '.' "\
          "+ e.className : '' })()"


def test_keyboard_skip_link_and_sign_in_form(live_server, cast: Cast, page: Page):
    page.goto(live_server.url + "/sign-in/")
    username = page.locator("#id_username")
    # Nothing is autofocused: the first Tab stop is the skip link.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED) == "A#.skip-link"
    skip = page.locator("a.skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()  # it shows itself when focused
    expect(skip).to_have_attribute("href", "#main")
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0
    assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    shot(page, "06-login-skip-link-focused")

    # The next stops are the header: brand link, language select.
    page.keyboard.press("Tab")
    expect(page.locator(".brand a")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#language-select")).to_be_focused()

    # Back to the skip link; following it moves focus to main.
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    assert page.url.endswith("#main")

    # From main, Tab goes into the form: the user name field first, then the password.
    page.keyboard.press("Tab")
    expect(username).to_be_focused()
    page.keyboard.type("officer_a")
    page.keyboard.press("Tab")
    expect(page.locator("#id_password")).to_be_focused()
    page.keyboard.type(TEST_PASSWORD)
    expect(username).to_have_value("officer_a")
    expect(page.locator("#id_password")).to_have_value(TEST_PASSWORD)
    # And Enter submits: the code page comes next.
    page.keyboard.press("Enter")
    # (The browser keeps the #main fragment across the redirect.)
    expect(page).to_have_url(re.compile(r"/sign-in/code/(#main)?$"))
    # With #main in the URL the browser focuses main and skips the code field's autofocus;
    # one Tab reaches it.
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("#id_token")).to_be_focused()

    # Every control of the two sign-in screens has an accessible name.
    expect(page.get_by_label("Language")).to_have_count(1)
    expect(page.get_by_label("Code from your authenticator app")).to_have_count(1)


def test_search_is_a_post_and_shows_the_case(live_server, cast: Cast, context: BrowserContext,
                                             page: Page):
    base = live_server.url
    sign_in_as(context, base, cast.officer_a)
    page.goto(base + "/cases/search/")
    expect(page.locator("h1")).to_have_text("Search")
    field = page.get_by_label("Name, national number or case reference")
    field.fill("Exemple")
    with page.expect_response(lambda r: "/cases/search/" in r.url) as response_info:
        page.locator("main form button[type=submit]").click()
    response = response_info.value
    assert response.request.method == "POST"
    assert response.request.headers.get("hx-request") == "true"
    assert "Exemple" not in response.url

    results = page.locator("#results")
    expect(results.get_by_role("link", name=cast.case.reference)).to_be_visible()
    expect(results).to_contain_text("1 case found")
    expect(results).to_contain_text("Alice Exemple")
    assert page.url == base + "/cases/search/"
    assert "Exemple" not in page.url and "q=" not in page.url
    shot(page, "07-search-results")


def test_programme_counsellor_never_sees_the_victims_whereabouts(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.perpetrator_id,
        recipient_agency_id=cast.programme.pk, scopes=list(Scope.values), method="written")
    base = live_server.url
    sign_in_as(context, base, cast.counsellor)

    page.goto(base + "/cases/")  # "My cases" (she lands on the programme's files)
    expect(page.get_by_role("link", name=cast.case.reference)).to_be_visible()
    page.get_by_role("link", name=cast.case.reference).click()
    expect(page.locator("h1")).to_contain_text(cast.case.reference)
    open_sections(page)
    expect(page.locator("main")).to_contain_text("Alice Exemple")  # identity comes with access
    perpetrator_card = page.locator("li.card", has_text="Bruno Fictif")
    expect(perpetrator_card).to_contain_text("+32 470 65 43 21")  # contact data do render
    victim_card = page.locator("li.card", has_text="Alice Exemple")
    expect(victim_card).to_contain_text("not shared with you")
    shot(page, "08-case-detail-programme-counsellor")

    def assert_no_victim_whereabouts() -> None:
        text = page.locator("body").inner_text()
        html = page.content()
        for blob in (text, html):
            squeezed = re.sub(r"\s", "", blob)
            assert VICTIM_STREET not in blob
            assert VICTIM_PHONE not in squeezed
            assert VICTIM_PHONE[3:] not in squeezed  # 470123456, however it is formatted
            assert "0470123456" not in squeezed

    assert_no_victim_whereabouts()
    assert PERPETRATOR_PHONE[3:] in re.sub(r"\s", "", page.locator("body").inner_text())

    # The victim's own page says so too.
    page.goto(base + f"/persons/{cast.victim_id}/")
    expect(page.locator("h1")).to_have_text("Alice Exemple")
    expect(page.locator("main")).to_contain_text("not shared with you")
    assert_no_victim_whereabouts()
    shot(page, "09-person-victim-programme-counsellor")


OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    ctx = browser.new_context(locale="en-GB", viewport={"width": 375, "height": 700})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


def test_narrow_screen_case_page_fits(live_server, cast: Cast, phone_page: Page):
    base = live_server.url
    sign_in_as(phone_page.context, base, cast.officer_a)
    phone_page.goto(base + f"/cases/{cast.case.pk}/")
    expect(phone_page.locator("h1")).to_contain_text(cast.case.reference)
    assert phone_page.evaluate(OVERFLOW) <= 0
    # The header wraps rather than overflowing.
    header = phone_page.locator(".site-header")
    assert header.evaluate("e => e.scrollWidth <= e.clientWidth")
    shot(phone_page, "10-case-detail-phone-375px")


def test_narrow_screen_my_cases_table_fits(live_server, cast: Cast, phone_page: Page):
    base = live_server.url
    sign_in_as(phone_page.context, base, cast.officer_a)
    phone_page.goto(base + "/cases/")
    expect(phone_page.get_by_role("link", name=cast.case.reference)).to_be_visible()
    shot(phone_page, "11-my-cases-phone-375px")
    assert phone_page.evaluate(OVERFLOW) <= 0

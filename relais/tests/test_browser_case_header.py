"""The case on one screen (issue 19 §2), in a real Chromium: the summary and the collapsed
sections above the fold of a 1,366 × 768 screen, a section loaded by htmx when opened, the
intake form in sections with the municipality found from the postcode, and the phone layout
(360 × 740 and 390 × 844): a compact staff header, no page wider than the screen, tables that
scroll inside their box."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from relais.alarms.tests.factories import assess, forward
from relais.conftest import Cast
from relais.measures.tests.factories import order_ban
from relais.tests.test_browser import SCREENSHOTS, TIMEOUT_MS, browser, shot, sign_in_as

__all__ = ["browser"]

pytestmark = pytest.mark.browser

OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"
PHONE_HEADER_MAX = 120


def sized_page(browser: Browser, width: int, height: int) -> Iterator[Page]:
    ctx = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx.new_page()
    finally:
        ctx.close()


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    yield from sized_page(browser, 1366, 768)


@pytest.fixture(params=[(360, 740), (390, 844)], ids=["360x740", "390x844"])
def phone(request, browser: Browser) -> Iterator[Page]:
    yield from sized_page(browser, *request.param)


def fill_the_case(cast: Cast) -> None:
    forward(cast)  # an official report: the prosecution entry, the follow-up tasks
    assess(cast, threats_to_kill="no", stalking="yes")
    assess(cast)  # threats to kill and a weapon: the level rises, with critical signals
    order_ban(cast)


def bottom(page: Page, selector: str) -> float:
    box = page.locator(selector).last.bounding_box()
    assert box is not None, selector
    return box["y"] + box["height"]


def test_the_case_fits_one_laptop_screen_and_opens_a_section(live_server, cast: Cast,
                                                             laptop: Page):
    fill_the_case(cast)
    base = live_server.url
    sign_in_as(laptop.context, base, cast.officer_a)
    laptop.goto(f"{base}/cases/{cast.case.pk}/")
    summary = laptop.locator(".case-summary")
    expect(summary.locator('[data-item="risk"]')).to_contain_text("→")
    expect(summary.locator('[data-item="signals"]')).to_contain_text("kill")
    expect(summary.locator('[data-item="measures"]')).to_contain_text("Residence ban")
    expect(summary.locator('[data-item="children"]')).to_contain_text("Chloé")
    expect(summary.locator('[data-item="deadlines"] a').first).to_be_visible()
    expect(summary.locator('[data-item="safe_contact"]')).to_contain_text("9-12")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    laptop.screenshot(path=str(SCREENSHOTS / "210-case-summary-1366x768.png"))  # the fold
    # Above the fold: the summary and every collapsed section, nothing open.
    assert laptop.locator("details.case-section[open]").count() == 0
    assert bottom(laptop, ".case-summary") <= 768
    assert bottom(laptop, "details.case-section") <= 768, "the sections run below the fold"
    assert laptop.evaluate(OVERFLOW) <= 0

    # Opening a section loads it (htmx), once.
    section = laptop.locator("details#section-intake")
    with laptop.expect_response(lambda r: "/sections/intake/" in r.url) as answer:
        section.locator("summary").click()
    assert answer.value.request.headers.get("hx-request") == "true"
    expect(section.get_by_role("link", name="Record an intervention")).to_be_visible()
    expect(section.locator("tbody tr")).to_have_count(1)
    # The risk section too: its trend table.
    laptop.locator("details#section-risk > summary").click()
    expect(laptop.locator("details#section-risk table.trend tbody tr").nth(1)).to_be_visible()
    shot(laptop, "211-case-sections-opened")


def test_the_intake_form_in_sections_with_the_municipality_from_the_postcode(
        live_server, cast: Cast, laptop: Page):
    base = live_server.url
    sign_in_as(laptop.context, base, cast.officer_a)
    laptop.goto(f"{base}/cases/{cast.case.pk}/reports/new/")
    progress = laptop.locator("nav.form-progress")
    # checklist, 7 sections, her residence (relais.safeguards' question), safe contact
    expect(progress.locator("li")).to_have_count(10)
    # Two columns on a laptop: the record's first two fields side by side.
    victim = laptop.locator("#id_victim_id").bounding_box()
    perpetrator = laptop.locator("#id_perpetrator_id").bounding_box()
    assert victim and perpetrator and abs(victim["y"] - perpetrator["y"]) < 5
    assert perpetrator["x"] > victim["x"] + 200

    started = int(progress.locator("progress").get_attribute("value") or 0)
    laptop.locator('input[name="item_children"][value="yes"]').check()
    expect(progress.locator("progress")).to_have_attribute("value", str(started + 1))
    expect(progress.locator("li").first).to_have_class("done")

    postcode = laptop.get_by_label("Postcode of the place")
    postcode.press_sequentially("1060", delay=40)
    expect(laptop.locator("#id_municipality")).to_have_value("21013")  # Saint-Gilles
    expect(laptop.locator("#postcode-municipality")).to_contain_text("1060")
    shot(laptop, "216-intake-sections-postcode")
    # A postcode of several municipalities puts them first and lets her choose.
    postcode.fill("")
    postcode.press_sequentially("1050", delay=40)
    expect(laptop.locator("#postcode-municipality")).to_contain_text("several")
    expect(laptop.locator("#id_municipality")).to_have_value("")
    expect(laptop.locator('#id_municipality optgroup[label="1050"] option')).to_have_count(2)
    laptop.locator("#id_municipality").select_option("21009")  # Ixelles
    # The draft keeps what she typed, the municipality included.
    laptop.get_by_role("button", name="Save as draft").click()
    expect(laptop.locator(".message-success")).to_contain_text("Draft saved")
    laptop.goto(f"{base}/cases/{cast.case.pk}/reports/new/")
    expect(laptop.get_by_label("Postcode of the place")).to_have_value("1050")
    expect(laptop.locator("#id_municipality")).to_have_value("21009")


def test_the_phone_layout(live_server, cast: Cast, phone: Page):
    fill_the_case(cast)
    base = live_server.url
    width = phone.viewport_size["width"]
    sign_in_as(phone.context, base, cast.officer_a)
    phone.goto(f"{base}/cases/{cast.case.pk}/")
    header = phone.locator(".site-header")
    box = header.bounding_box()
    assert box is not None and box["height"] <= PHONE_HEADER_MAX, box
    assert phone.evaluate(OVERFLOW) <= 0
    expect(phone.locator("nav[aria-label=Main]")).to_be_hidden()
    shot(phone, f"212-case-phone-{width}")

    # The menu folds behind one button.
    menu = phone.get_by_role("button", name="Menu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_role("link", name="Follow-up")).to_be_visible()
    assert phone.evaluate(OVERFLOW) <= 0
    shot(phone, f"213-menu-open-phone-{width}")
    phone.keyboard.press("Escape")
    expect(phone.locator("nav[aria-label=Main]")).to_be_hidden()

    # A section opened on the phone stays within the screen.
    phone.locator("details#section-followup > summary").click()
    expect(phone.locator("details#section-followup tbody tr").first).to_be_visible()
    assert phone.evaluate(OVERFLOW) <= 0

    # The follow-up queue (the SAPV's): the table scrolls inside its box, the page does not.
    sign_in_as(phone.context, base, cast.sapv_a)
    phone.goto(f"{base}/follow-up/")
    wrap = phone.locator(".table-wrap").first
    expect(wrap.locator("tbody tr").first).to_be_attached()
    assert phone.evaluate(OVERFLOW) <= 0
    assert wrap.evaluate("e => e.scrollWidth > e.clientWidth"), "the table should scroll"
    assert wrap.evaluate("e => e.getBoundingClientRect().right <= window.innerWidth + 0.5")
    shot(phone, f"214-queue-phone-{width}")

    # The intake form: one column.
    sign_in_as(phone.context, base, cast.officer_a)
    phone.goto(f"{base}/cases/{cast.case.pk}/reports/new/")
    victim = phone.locator("#id_victim_id").bounding_box()
    perpetrator = phone.locator("#id_perpetrator_id").bounding_box()
    assert victim and perpetrator and perpetrator["y"] > victim["y"] + 20
    assert phone.evaluate(OVERFLOW) <= 0
    shot(phone, f"215-intake-phone-{width}")

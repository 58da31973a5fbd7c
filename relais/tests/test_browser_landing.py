"""Each role lands on its work, in a real Chromium (issue 19 §1): four people sign in with
password and code and arrive on their own screen, with a menu of what they can use; the
"Relais" link takes them back there. Screenshots 200-204."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.alarms.tests.factories import (
    add_device,
    assess,
    assign,
    forward,
    grant,
    press,
    request_alarm,
)
from relais.conftest import Cast
from relais.directory.tests.factories import build_directory
from relais.followup.models import TaskKind
from relais.followup.tests.factories import move_due, task_of
from relais.justice.tests.factories import entry_of, family_section, make_overdue
from relais.referrals.tests.test_views import refer
from relais.tests.test_browser import (
    browser,
    context,
    current_code,
    page,
    shot,
    sign_in_with_password,
)

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    sign_in_with_password(page, base, username)
    page.fill("#id_token", current_code())
    page.locator("main form button[type=submit]").click()


def menu(page: Page) -> list[str]:
    links = page.locator("nav[aria-label=Main] a")
    return [re.sub(r"\s+\d+$", "", text.strip()) for text in links.all_inner_texts()]


def test_four_roles_land_on_their_work(live_server, cast: Cast, context: BrowserContext,
                                       page: Page):
    base = live_server.url
    # The world: an official report forwarded last night, its victim-assistance contact two
    # hours overdue and its entry three days late in the office's table; a press of the
    # victim's alarm; a referral to the shelter.
    family_section(cast)  # the office's section, read by its legal advisor
    report = forward(cast)
    assess(cast)
    assign(cast, grant(cast, request_alarm(cast)), add_device(cast, "BTN-A-0001"))
    make_overdue(entry_of(report), days=3)
    move_due(task_of(report, TaskKind.VICTIM_ASSISTANCE_CONTACT),
             timezone.now() - timedelta(hours=2))
    press(cast, "BTN-A-0001")
    refer(cast, build_directory(cast).shelter)

    # The intervention officer: the day's deadlines over the zone's open cases.
    sign_in(page, base, "officer_a")
    expect(page).to_have_url(re.compile(r"/today/$"))
    expect(page.locator("h1")).to_have_text("Today")
    expect(page.locator("#deadlines-today")).to_be_visible()
    expect(page.locator("main")).to_contain_text(cast.case.reference)
    assert menu(page)[:3] == ["My cases", "Search", "Follow-up"]
    shot(page, "200-landing-officer-today")
    page.locator("nav[aria-label=Main]").get_by_role("link", name="My cases").click()
    expect(page.locator("h1")).to_have_text("My cases")
    page.locator(".brand").get_by_role("link", name="Relais").click()
    expect(page).to_have_url(re.compile(r"/today/$"))

    # The dispatcher: the alarm board, and a menu of three entries.
    sign_in(page, base, "dispatcher_a")
    expect(page).to_have_url(re.compile(r"/alarms/"))
    assert menu(page) == ["Notices", "Alarms", "Red-list look-up"]
    expect(page.locator("nav[aria-label=Main] a[aria-current=page]")).to_contain_text("Alarms")
    shot(page, "201-landing-dispatcher-alarm-board")

    # The legal advisor: the prosecution tracking table, overdue first.
    sign_in(page, base, "legal_advisor")
    expect(page).to_have_url(re.compile(r"/prosecution/"))
    expect(page.locator("nav[aria-label=Main] a[aria-current=page]")).to_contain_text(
        "Prosecution")
    expect(page.locator("main")).to_contain_text(cast.case.reference)
    shot(page, "202-landing-legal-advisor-table")

    # The shelter worker: the referrals her service received.
    sign_in(page, base, "shelter_worker")
    expect(page).to_have_url(re.compile(r"/referrals/\?direction=incoming$"))
    expect(page.locator("main")).to_contain_text(cast.case.reference)
    assert "Prosecution" not in menu(page) and "Alarms" not in menu(page)
    shot(page, "203-landing-shelter-referrals")

    # The analyst: the figures and nothing else.
    sign_in(page, base, "analyst_a")
    expect(page.locator("h1")).to_have_text("Figures")
    assert menu(page) == ["Figures"]
    shot(page, "204-landing-analyst-figures")

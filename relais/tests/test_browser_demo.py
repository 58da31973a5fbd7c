"""The README's walkthrough of the demo, in a real Chromium: each account it names, signed in,
finds what the README says it will. Screenshots in test-artifacts/screenshots/demo-*.png."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import BrowserContext, Page, expect

from relais.accounts.models import User
from relais.measures.models import BreachKind, ResidenceBan
from relais.tests.test_browser import (  # noqa: F401
    browser,
    context,
    open_sections,
    page,
    shot,
    sign_in_as,
)

pytestmark = pytest.mark.browser


def as_user(ctx: BrowserContext, tab: Page, base: str, username: str) -> None:
    ctx.clear_cookies()
    sign_in_as(ctx, base, User.objects.get(username=username))
    tab.goto(base + "/")


def menu(tab: Page, label: str) -> None:
    tab.get_by_role("navigation", name="Main").get_by_role("link", name=re.compile(
        rf"^{label}")).click()


def test_the_readme_walkthrough(live_server, context: BrowserContext, page: Page):  # noqa: F811
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url

    # bxl.intervention → "Today" or "My cases" → the first case → "Record an intervention" or
    # "Find help and refer".
    as_user(context, page, base, "bxl.intervention")
    expect(page.locator("h1")).to_have_text("Today")
    page.goto(base + reverse("cases:my_cases"))
    page.locator("main a[href^='/cases/']").filter(has_text=re.compile(r"REL-")).first.click()
    open_sections(page)
    expect(page.get_by_role("link", name="Record an intervention")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Find help and refer"))).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Liège")
    shot(page, "demo-01-intervention-first-case")

    # bxl.sapv lands on Follow-up: one task is late; open it, "Could she speak freely?".
    as_user(context, page, base, "bxl.sapv")
    expect(page).to_have_url(re.compile(r"/follow-up/$"))
    late = page.locator("tr", has_text="overdue").first
    expect(late).to_be_visible()
    late.locator("a").first.click()
    expect(page.get_by_text("Could she speak freely?").first).to_be_visible()
    expect(page.get_by_text("At intake, could she speak freely?")).to_be_visible()
    shot(page, "demo-02-sapv-late-task")

    # bxl.reference → Follow-up → Crisis re-contact; bxl.admin → Follow-up → Zone policy.
    as_user(context, page, base, "bxl.reference")
    menu(page, "Follow-up")
    page.get_by_role("link", name="Crisis re-contact").click()
    expect(page.locator("h1")).to_contain_text("Crisis")
    as_user(context, page, base, "bxl.admin")
    menu(page, "Follow-up")
    page.get_by_role("link", name="Zone policy").click()
    expect(page.locator("main form")).to_be_visible()

    # bxl.shelter → Directory → Entries I keep current; the referral of the case, accepted.
    as_user(context, page, base, "bxl.shelter")
    menu(page, "Directory")
    page.get_by_role("link", name="Entries I keep current").click()
    expect(page.locator("main")).to_contain_text("Refuge")
    page.goto(base + reverse("referrals:list"))
    page.get_by_role("link", name="Received by my service").click()
    expect(page.locator("main")).to_contain_text("Accepted")
    shot(page, "demo-03-shelter-referrals")

    # bxl.directory → Import and export.
    as_user(context, page, base, "bxl.directory")
    menu(page, "Directory")
    page.get_by_role("link", name="Import and export").click()
    expect(page.locator("main form").first).to_be_visible()

    # bxl.legal lands on Prosecution: one report is overdue.
    as_user(context, page, base, "bxl.legal")
    expect(page).to_have_url(re.compile(r"/prosecution/$"))
    expect(page.locator("main")).to_contain_text("overdue")
    shot(page, "demo-04-legal-prosecution")

    # bxl.magistrate → Measures: a ban in force with its notice in FR/NL/DE; a release.
    as_user(context, page, base, "bxl.magistrate")
    menu(page, "Measures")
    expect(page.locator("main")).to_contain_text("In force")
    page.locator("main a[href^='/measures/bans/']").first.click()
    for language in ("fr", "nl", "de"):
        expect(page.locator(f"a[href$='notice.pdf?lang={language}']")).to_be_visible()
    expect(page.locator("main")).to_contain_text("In the file: Police risk-assessment grid")
    shot(page, "demo-05-magistrate-ban")
    # A second ban on him at that home: the form names the one in force and asks to confirm;
    # the police grid in the file ticks its legal condition.
    ban = ResidenceBan.objects.get(case__owner_agency__code="demo-bxl-police-zone")
    page.goto(base + reverse("measures:ban_new", args=[ban.case_id]))
    expect(page.locator("main")).to_contain_text("is already banned from this home")
    expect(page.locator("input[value='risk_assessed']")).to_be_checked()
    expect(page.locator("input[name='confirm_overlap']")).to_be_visible()
    shot(page, "demo-05b-magistrate-second-ban")

    # bxl.dispatch lands on Alarms: one press waits; its summary shows the ban's breach.
    as_user(context, page, base, "bxl.dispatch")
    expect(page).to_have_url(re.compile(r"/alarms/$"))
    page.locator("main a[href^='/alarms/activations/']").first.click()
    expect(page.locator("main")).to_contain_text("Last events")
    # Relais's own words, in the reader's language (the browser's: English).
    with translation.override("en"):
        expect(page.locator("main")).to_contain_text(str(BreachKind.ENTERED_HOME.label))
    shot(page, "demo-06-dispatch-summary")

    # bxl.programme → Programme: the waiting list and a file in progress.
    as_user(context, page, base, "bxl.programme")
    menu(page, "Programme")
    expect(page.locator("main")).to_contain_text("In progress")
    expect(page.locator("main")).to_contain_text("Waiting list")
    shot(page, "demo-07-programme")

    # The public finder, without signing in.
    context.clear_cookies()
    page.goto(base + "/help/")
    expect(page.locator("h1")).to_be_visible()

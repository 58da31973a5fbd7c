"""axe-core on the screens people use every day, and a walk in German (issue 19).

The demo is seeded once; every page below is opened by the demo account that works on it and
checked with axe-core (relais/tests/axe.py): no critical and no serious violation. Then the
intervention officer switches the interface to Deutsch and walks her screens: the language
menu offers it, the pages say they are German, and no English source string is left on them.
Screenshots in test-artifacts/screenshots/ (accessibility-*, german-*)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from relais.accounts.models import User
from relais.cases.models import Case
from relais.followup.models import Task
from relais.intake.models import Report
from relais.justice.models import Entry
from relais.tests.axe import assert_accessible
from relais.tests.test_browser import browser, context, page, shot, sign_in_as  # noqa: F401

pytestmark = pytest.mark.browser


def as_user(ctx: BrowserContext, username: str, base: str) -> None:
    ctx.clear_cookies()
    sign_in_as(ctx, base, User.objects.get(username=username))


def pages_by_account() -> dict[str, list[str]]:
    """Who opens which page: each URL is one the account uses in its daily work."""
    officer = User.objects.get(username="bxl.intervention")
    case = Case.objects.filter(owner_agency=officer.agency).order_by("pk").first()
    report = Report.objects.filter(case__owner_agency=officer.agency).order_by("pk").first()
    task = Task.objects.filter(case__owner_agency=officer.agency).order_by("pk").first()
    magistrate = User.objects.get(username="bxl.magistrate")
    entry = Entry.objects.filter(agency=magistrate.agency).order_by("pk").first()
    pages = {
        "": [reverse("accounts:login"), reverse("directory:public_language", args=["fr"]),
             reverse("directory:public_language", args=["de"])],
        "bxl.intervention": [reverse("cases:my_cases"), reverse("cases:case_detail",
                                                                  args=[case.pk]),
                             reverse("intake:report_new", args=[case.pk]),
                             reverse("intake:report_detail", args=[report.pk]),
                             reverse("referrals:find_help", args=[case.pk]),
                             reverse("directory:search"), reverse("referrals:list")],
        "bxl.sapv": [reverse("followup:queue"), reverse("followup:task", args=[task.pk])],
        "bxl.magistrate": [reverse("justice:table"), reverse("justice:entry", args=[entry.pk]),
                           reverse("measures:list")],
        "bxl.dispatch": [reverse("alarms:board")],
        "bxl.programme": [reverse("programmes:files")],
        "bxl.platform": [reverse("consultation:bodies")],
        "bxl.reference": [reverse("redlist:entries"), reverse("crisis:list")],
        "bxl.admin": [reverse("followup:policy")],
        "bxl.analyst": [reverse("figures:dashboard")],
    }
    return pages


# English source strings of the staff header and the case screens; none may be left once
# the reader chose Deutsch.
ENGLISH = ["My cases", "Sign out", "Change language", "Directory", "Follow-up", "Timeline",
           "Record an intervention", "Find help and refer", "Save the record"]


def test_axe_core_on_the_daily_screens_and_a_walk_in_german(
        live_server, context: BrowserContext, page: Page):  # noqa: F811
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url

    checked = 0
    for username, urls in pages_by_account().items():
        if username:
            as_user(context, username, base)
        else:
            context.clear_cookies()
        for url in dict.fromkeys(urls):
            answer = page.goto(base + url)
            assert answer is not None and answer.status == 200, (username, url)
            assert_accessible(page)
            checked += 1
            name = re.sub(r"[^a-z0-9]+", "-", f"{username or 'public'}{url}".lower()).strip("-")
            shot(page, f"accessibility-{name}"[:80])
    assert checked >= 15

    # The walk in German: chosen from the language menu, kept from page to page.
    as_user(context, "bxl.intervention", base)
    page.goto(base + reverse("cases:my_cases"))
    page.select_option("#language-select", "de")
    page.locator(".lang-form button").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("navigation", name="Hauptmenü")).to_contain_text("Meine Fälle")
    shot(page, "german-01-my-cases")
    officer = User.objects.get(username="bxl.intervention")
    case = Case.objects.filter(owner_agency=officer.agency).order_by("pk").first()
    for step, url in enumerate([reverse("cases:case_detail", args=[case.pk]),
                                reverse("intake:report_new", args=[case.pk]),
                                reverse("referrals:find_help", args=[case.pk]),
                                reverse("directory:search")], start=2):
        page.goto(base + url)
        expect(page.locator("html")).to_have_attribute("lang", "de")
        text = page.locator("body").inner_text()
        left = [phrase for phrase in ENGLISH if phrase in text]
        assert not left, f"English left on {url} in German: {left}"
        assert_accessible(page)
        shot(page, f"german-{step:02d}-{url.strip('/').split('/')[-1] or 'page'}")
    page.goto(base + reverse("cases:case_detail", args=[case.pk]))
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()

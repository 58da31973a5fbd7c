"""The protective measures in a real Chromium: the prosecutor's legal advisor orders a
residence ban from the case page (a ban too long is refused with her input kept), prints the
notice (no whereabouts in it), the zone serves it; the magistrate records the release and the
SAPV of the zone where the victim now lives opens the warning task with her safe-contact
instructions. Screenshots 80-84."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from relais.conftest import VICTIM_STREET, Cast
from relais.followup.models import Task, TaskKind
from relais.followup.rules import later_same_clock
from relais.measures.models import ResidenceBan
from relais.measures.tests.factories import (
    LIEGE,
    SHELTER_STREET_FOR_HER,
    detain,
    forwarded,
    shelter_address,
    zone_of,
)
from relais.tests.test_browser import browser, context, open_sections, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser
LOCAL = "%Y-%m-%dT%H:%M"


def test_the_office_orders_a_ban_and_the_zone_serves_it(live_server, cast: Cast, page: Page):
    forwarded(cast)
    shelter_address(cast)
    base = live_server.url
    sign_in_as(page.context, base, cast.legal_advisor)
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    panel = page.locator("details#section-measures")
    expect(panel).to_contain_text("No residence ban or detention recorded.")
    panel.get_by_role("link", name="Order a residence ban").click()
    expect(page.locator("h1")).to_have_text("Order a residence ban")

    # The shelter address is never offered; the shared home is chosen by default.
    main = page.locator("main")
    expect(main).not_to_contain_text(SHELTER_STREET_FOR_HER)
    expect(main).to_contain_text("A confidential address exists on this case")
    home = page.get_by_role("group", name="The home he must leave")
    expect(home.get_by_label(re.compile(VICTIM_STREET))).to_be_checked()
    expect(page.get_by_role("group", name="Who must leave the home")
           .get_by_label("Bruno Fictif")).to_be_checked()
    link = page.get_by_role("link", name="Search the directory for perpetrator accommodation")
    assert "need=perpetrator_accommodation" in (link.get_attribute("href") or "")

    conditions = page.get_by_role("group", name="Legal conditions")
    for label in ("adult", "same residence", "serious and immediate threat"):
        conditions.get_by_label(re.compile(label)).check()
    page.get_by_label("Facts and circumstances").fill("Fictitious: threats to kill tonight.")
    start = timezone.localtime().replace(second=0, microsecond=0)
    page.get_by_label("Starts").fill(start.strftime(LOCAL))
    page.get_by_label("Ends").fill(later_same_clock(start, days=14).strftime(LOCAL))
    page.get_by_role("button", name="Order the ban").click()

    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Longer than the law allows")
    expect(page.get_by_label("Facts and circumstances")).to_have_value(
        "Fictitious: threats to kill tonight.")
    assert not ResidenceBan.objects.exists()
    shot(page, "80-measures-ban-order-too-long")

    page.get_by_label("Ends").fill(later_same_clock(start, days=10).strftime(LOCAL))
    page.get_by_role("button", name="Order the ban").click()
    expect(page.locator("h1")).to_have_text("Residence ban")
    expect(page.locator(".page-head")).to_contain_text("Ordered, not served yet")
    ban = ResidenceBan.objects.get()
    tasks = page.locator("section", has=page.get_by_role("heading", name="Who does what"))
    expect(tasks).to_contain_text("Residence ban: serve the notice")
    expect(tasks).to_contain_text(cast.house_of_justice.name)
    shot(page, "81-measures-ban-page-office")

    # The notice, in Dutch: the banned home, no shelter.
    with page.expect_download() as download:
        page.get_by_role("link", name="Nederlands (PDF)").click()
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Tijdelijk huisverbod" in text and VICTIM_STREET in text
    assert SHELTER_STREET_FOR_HER not in text

    # Zone A's officer serves it.
    page.context.clear_cookies()
    sign_in_as(page.context, base, cast.officer_a)
    page.goto(f"{base}/measures/")
    expect(page.locator("h1")).to_have_text("Protective measures")
    page.get_by_role("link", name="Bruno Fictif").click()
    page.get_by_role("button", name="The notice was handed to him now").click()
    expect(page.locator(".message-success")).to_contain_text("served")
    expect(page.locator(".page-head")).to_contain_text("In force")
    ban.refresh_from_db()
    assert ban.served_at is not None
    shot(page, "82-measures-ban-served-police")


def test_a_release_reaches_the_sapv_of_her_zone(live_server, cast: Cast, page: Page):
    forwarded(cast)
    liege = zone_of(LIEGE)
    shelter_address(cast, municipality=LIEGE, postcode="4000")
    detention = detain(cast)
    base = live_server.url
    sign_in_as(page.context, base, cast.magistrate)
    page.goto(f"{base}/measures/")
    page.get_by_role("link", name="Bruno Fictif").click()
    expect(page.locator("h1")).to_have_text("Detention")
    page.get_by_label("Released on").fill(timezone.localtime().strftime(LOCAL))
    page.get_by_role("button", name="Record the release").click()
    # Her zone was found from the shelter's (confidential) address: it is not named here.
    expect(page.locator(".message-success")).to_contain_text("the police zone where she lives")
    expect(page.locator("main")).not_to_contain_text(liege.zone.name)
    expect(page.locator("main")).to_contain_text("Release: warn the victim")
    shot(page, "83-measures-release-recorded")

    task = Task.objects.get(kind=TaskKind.RELEASE_WARNING)
    assert task.agency == liege.zone and task.case_id == detention.case_id
    page.context.clear_cookies()
    sign_in_as(page.context, base, liege.sapv)
    page.goto(f"{base}/follow-up/?queue=team")
    page.get_by_role("link", name="Release: warn the victim").click()
    safe = page.locator("section", has=page.get_by_role("heading", name="Before you contact her"))
    expect(safe).to_contain_text("Never leave a voice message")
    expect(safe).to_contain_text("9-12")
    expect(page.locator("main")).not_to_contain_text(SHELTER_STREET_FOR_HER)
    shot(page, "84-measures-release-warning-task")

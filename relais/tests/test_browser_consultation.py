"""The multi-agency consultation in a real Chromium, the whole cycle: zone A's officer refers the
case on criteria; the coordinator plans a meeting and builds its agenda; the victim-support
service adds what it knows; at the meeting the coordinator records attendance, the hearing and
the joint plan's actions; the actions reach the zone's and the service's follow-up queues; their
outcome comes back to the coordinator."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast
from relais.consultation.models import Plan
from relais.consultation.tests.conftest import make_body
from relais.tests.test_browser import browser, context, open_sections, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def as_user(context: BrowserContext, base: str, user) -> tuple[BrowserContext, Page]:
    other = context.browser.new_context(locale="en-GB", viewport={"width": 1366, "height": 900})
    sign_in_as(other, base, user)
    return other, other.new_page()


def test_the_whole_consultation_cycle(live_server, cast: Cast, context: BrowserContext,
                                      page: Page):
    base = live_server.url
    body = make_body(cast, name="DIViCo Test")

    # 1. Zone A refers from the case page; the form says which criteria are met.
    sign_in_as(context, base, cast.officer_a)
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    page.get_by_role("link", name="Refer to DIViCo Test").click()
    expect(page.locator("h1")).to_have_text("Refer to DIViCo Test")
    page.fill("#id_concern", "He said he would kill her if she leaves; she is terrified.")
    page.check("input[name=informed][value=yes]")
    page.check("#id_consents")
    page.check("input[name=basis][value=consent]")
    shot(page, "100-consultation-referral-form")
    page.get_by_role("button", name="Refer the case").click()
    expect(page.locator("main")).to_contain_text("It waits for the next agenda")
    expect(page.locator("dl.facts")).to_contain_text("Professional concern")
    shot(page, "101-consultation-referral")

    # 2. The coordinator plans a meeting and puts the case on its agenda.
    coordinator_context, coordinator = as_user(context, base, cast.coordinator)
    try:
        coordinator.goto(base + "/")
        coordinator.locator("nav[aria-label=Main]").get_by_role(
            "link", name=re.compile(r"^Consultation")).click()
        coordinator.get_by_role("link", name="DIViCo Test").click()
        expect(coordinator.locator("table.table").first).to_contain_text(cast.case.reference)
        shot(coordinator, "102-consultation-body-waiting")
        coordinator.get_by_role("link", name="Plan a meeting").click()
        starts = (timezone.localtime() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
        coordinator.fill("#id_starts_at", starts)
        coordinator.fill("#id_place", "Salle du conseil (test)")
        coordinator.get_by_role("button", name="Plan the meeting").click()
        coordinator.check("input[name=referrals]")
        coordinator.get_by_role("button", name="Put on the agenda").click()
        agenda = coordinator.locator("table.table").first
        expect(agenda).to_contain_text("Alice Exemple")
        expect(agenda).to_contain_text("Professional concern")
        shot(coordinator, "103-consultation-agenda")
        meeting_url = coordinator.url

        # 3. The victim-support service sees the agenda and adds what it knows.
        support_context, support = as_user(context, base, cast.support_worker)
        try:
            support.goto(meeting_url)
            expect(support.locator("table.table").first).to_contain_text(
                "Not in your agency's files")
            support.get_by_role("link", name="Add what your agency knows").click()
            support.select_option("#id_risk_seen", "very_high")
            support.fill("#id_situation", "She sleeps at her sister's since Monday.")
            support.fill("#id_health", "Anxious, not sleeping.")
            support.get_by_role("button", name="Save for the meeting").click()
            expect(support.locator("main")).to_contain_text("saved for the meeting")

            # 4. The meeting: attendance, the hearing, the plan's actions.
            coordinator.goto(meeting_url)
            for agency in (cast.zone_a, cast.support, cast.platform):
                coordinator.check(f"#present-{agency.pk}")
            coordinator.select_option(f"#attendee-{cast.support.pk}",
                                      str(cast.support_worker.pk))
            coordinator.get_by_role("button", name="Record attendance").click()
            coordinator.get_by_role("link", name="Record the hearing").click()
            expect(coordinator.locator("main")).to_contain_text("She sleeps at her sister's")
            coordinator.check("input[name=level][value=very_high]")
            coordinator.fill("#id_decisions", "Patrol twice a day; weekly call by the service.")
            coordinator.fill("#id_children", "The school is asked to watch; youth aid told.")
            shot(coordinator, "104-consultation-hearing")
            coordinator.get_by_role("button", name="Record and go to the plan").click()
            expect(coordinator.locator("h1")).to_contain_text("Joint safety plan")
            plan = Plan.objects.get()
            for agency, kind, detail, more in (
                    (cast.zone_a, "patrol", "Pass by twice a day", True),
                    (cast.support, "contact", "Weekly safe call", False)):
                if coordinator.locator("h1").inner_text() != "Add an action":
                    coordinator.get_by_role("link", name="Add an action").click()
                coordinator.select_option("#id_agency", str(agency.pk))
                coordinator.select_option("#id_kind", kind)
                coordinator.fill("#id_detail", detail)
                coordinator.fill("#id_due_on",
                                 (timezone.localdate() + timedelta(days=2)).isoformat())
                coordinator.get_by_role(
                    "button", name="Add and add another" if more else "Add the action").click()
            expect(coordinator.locator("table.table")).to_contain_text("Weekly safe call")
            shot(coordinator, "105-consultation-plan")

            # 5. The actions are in each agency's follow-up queue.
            zone_context, zone = as_user(context, base, cast.reference_a)
            try:
                zone.goto(base + "/follow-up/?queue=team")
                expect(zone.locator("main")).to_contain_text("Safety-plan action")
                shot(zone, "106-consultation-action-in-police-queue")
                zone.get_by_role("link", name=re.compile("Safety-plan action")).first.click()
                expect(zone.locator("main")).to_contain_text("Pass by twice a day")
                zone.check("input[name=outcome][value=done]")
                zone.get_by_role("button", name="Save", exact=True).click()
                expect(zone.locator("main")).to_contain_text("The task is closed")
            finally:
                zone_context.close()
            support.goto(base + "/follow-up/")
            expect(support.locator("main")).to_contain_text("Safety-plan action")
            shot(support, "107-consultation-action-in-caw-queue")
            support.get_by_role("link", name=re.compile("Safety-plan action")).first.click()
            support.check("input[name=outcome][value=blocked]")
            support.fill("#id_note", "Her phone is off; her sister does not answer.")
            support.get_by_role("button", name="Save", exact=True).click()
            expect(support.locator("main")).to_contain_text("The task is closed")
        finally:
            support_context.close()

        # 6. The outcome comes back to the coordinator: blocked first, then done.
        coordinator.goto(f"{base}/consultation/bodies/{body.pk}/actions/")
        rows = coordinator.locator("table.table tbody tr")
        expect(rows).to_have_count(2)
        expect(rows.nth(0)).to_contain_text("Blocked")
        expect(rows.nth(0)).to_contain_text("Her phone is off")
        expect(rows.nth(1)).to_contain_text("Done")
        shot(coordinator, "108-consultation-outcomes-back")
        coordinator.goto(f"{base}/consultation/plans/{plan.pk}/")
        expect(coordinator.locator("table.table")).to_contain_text("Blocked")
    finally:
        coordinator_context.close()

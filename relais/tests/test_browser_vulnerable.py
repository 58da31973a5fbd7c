"""The zone's IPV reference officer in a crisis, in a real Chromium: the most vulnerable
households ranked with their reasons, into the crisis re-contact's preview; then the child
reflex button, and the child check it makes."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast, actor
from relais.core.jobs import run_queued_jobs
from relais.followup.models import Task, TaskKind, TaskStatus
from relais.followup.tests.factories import another_case, record_report
from relais.intake.examples import grid_answers
from relais.risk import services as risk_services
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def test_the_reference_officer_ranks_the_households_and_starts_the_child_reflex(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    record_report(cast)  # Alice: a child, an interpreter need, never reached
    dana_case, dana = another_case(cast, "Dana")
    risk_services.assessment_record(
        actor=actor(cast.officer_a), case_id=dana_case.pk, person_id=dana,
        instrument_code="police_grid",
        answers=grid_answers("police_grid", threats_to_kill="yes", strangulation="yes"))
    Task.objects.filter(kind=TaskKind.REVISIT).update(status=TaskStatus.CANCELLED,
                                                      cancel_reason="test")
    sign_in_as(context, live_server.url, cast.reference_a)

    page.goto(live_server.url + "/follow-up/crisis/vulnerable/")
    expect(page.locator("h1")).to_have_text("The most vulnerable households")
    rows = page.locator("#vulnerable-list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(dana_case.reference)
    expect(rows.nth(0)).to_contain_text("Risk level in force: Very high risk.")
    expect(rows.nth(1)).to_contain_text(cast.case.reference)
    expect(rows.nth(1)).to_contain_text("Children on the case: 1.")
    expect(rows.nth(1)).to_contain_text("Isolation: she needs an interpreter.")
    shot(page, "130-crisis-vulnerable-households")

    page.locator("#vulnerable-preview").click()
    expect(page.locator("h1")).to_have_text("Crisis re-contact")
    preview = page.locator("#preview-h").locator("xpath=..")
    expect(preview).to_contain_text("2 tasks would be created")
    expect(preview.locator("tbody tr").first).to_contain_text(dana_case.reference)
    expect(preview).to_contain_text("Children on the case: 1.")
    shot(page, "131-crisis-vulnerable-preview")
    page.get_by_role("button", name="Create 2 tasks").click()
    # A job (relais.core.jobs): its page follows the worker's progress.
    run_queued_jobs()
    expect(page.locator("#job")).to_contain_text("2 re-contact tasks were created.")
    page.get_by_role("link", name="Continue").click()
    expect(page.locator("main")).to_contain_text("The most vulnerable households")

    page.get_by_role("button", name="Schools are closed: start the child reflex").click()
    expect(page.locator("main")).to_contain_text("The child reflex is started.")
    expect(page.locator("#child-reflex-h").locator("xpath=..")).to_contain_text("1 child check")
    shot(page, "132-crisis-child-reflex")

    check = Task.objects.get(kind=TaskKind.CHILD_CHECK)
    page.goto(live_server.url + f"/follow-up/tasks/{check.pk}/")
    card = page.locator("#child-check")
    expect(card).to_contain_text("Chloé Fictif")
    expect(card).to_contain_text("458bis")
    expect(page.locator("main")).to_contain_text("Done: concern for a child (notify youth aid)")
    shot(page, "133-crisis-child-check")

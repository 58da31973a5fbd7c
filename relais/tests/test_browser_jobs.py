"""Progress on long work (issue 19 §9) in a real Chromium: the crisis re-contact started from its
page runs as a job; its page polls every second, shows "Waiting to start", then the tasks made
once the worker ran it, with a link back; another job is cancelled from its page. A partner
series and a linkage batch run as jobs too; a bad series comes back to its form with the
report."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.conftest import Cast
from relais.core.jobs import run_queued_jobs
from relais.core.models import Job, JobState
from relais.figures.tests.test_views_series import CALLS
from relais.followup.models import Task, TaskKind, TaskStatus
from relais.followup.tests.factories import another_case, record_report
from relais.linkage.models import PersonLink
from relais.linkage.tests.factories import couple_case
from relais.tests.axe import assert_accessible
from relais.tests.test_browser import browser, context, page, shot
from relais.tests.test_browser_directory import sign_in_english

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def victims_to_recontact(cast: Cast) -> None:
    record_report(cast, day2_contact_agreed=False)
    case, victim = another_case(cast)
    record_report(cast, case=case, victim_id=victim, day2_contact_agreed=False)
    Task.objects.filter(kind=TaskKind.REVISIT).update(status=TaskStatus.CANCELLED,
                                                      cancel_reason="test")


def test_the_crisis_re_contact_shows_its_progress_and_can_be_cancelled(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    base = live_server.url
    context.set_default_timeout(30_000)  # the preview plans every victim: slow on a busy machine
    victims_to_recontact(cast)
    sign_in_english(context, base, cast.reference_a)

    page.goto(f"{base}/follow-up/crisis/?months=6")
    page.get_by_role("button", name=re.compile(r"^Create \d+ tasks?$")).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.locator("h1")).to_have_text("Crisis re-contact")
    job = page.locator("#job")
    expect(job.get_by_role("status")).to_contain_text("Waiting to start")
    expect(job).to_have_attribute("hx-trigger", "every 1s")
    shot(page, "273-job-waiting")
    assert_accessible(page)

    # The worker runs it; the page, polling, shows the end without a reload.
    assert run_queued_jobs() == 1
    expect(job.get_by_role("status")).to_contain_text("Done", timeout=5_000)
    expect(page.locator("#job progress")).to_have_attribute("value", "2")
    expect(page.locator("#job")).to_contain_text("2 of 2")
    expect(page.locator("#job")).to_contain_text("2 re-contact tasks were created.")
    expect(page.locator("#job")).not_to_have_attribute("hx-trigger", "every 1s")
    expect(page.get_by_role("button", name="Cancel")).to_have_count(0)
    shot(page, "274-job-done")
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/follow-up/crisis/$"))
    expect(page.get_by_role("button", name="Undo")).to_have_count(1)

    # Another one, cancelled before the worker takes it: nothing is made.
    victims_to_recontact(cast)
    page.goto(f"{base}/follow-up/crisis/?months=6")
    page.get_by_role("button", name=re.compile(r"^Create \d+ tasks?$")).click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    page.get_by_role("button", name="Cancel").click()
    expect(page.locator("#job").get_by_role("status")).to_contain_text("Cancelled")
    shot(page, "275-job-cancelled")
    latest = Job.objects.order_by("-pk").first()
    assert latest is not None and latest.state == JobState.CANCELLED
    run_queued_jobs()
    latest.refresh_from_db()
    assert latest.done == 0 and latest.started_at is None


def test_a_partner_series_imports_as_a_job_and_a_bad_one_comes_back_with_its_report(
        live_server, cast: Cast, context: BrowserContext, page: Page, tmp_path):
    base = live_server.url
    sign_in_english(context, base, cast.analyst_a)
    good = tmp_path / "calls.csv"
    good.write_text(CALLS)
    page.goto(f"{base}/figures/series/import/")
    page.get_by_label("CSV or XLSX file").set_input_files(good)
    page.get_by_label("What N counts").fill("calls")
    page.get_by_role("button", name="Import").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    expect(page.locator("h1")).to_have_text("Partner series import")
    assert run_queued_jobs() == 1
    expect(page.locator("#job")).to_contain_text("imported: 6 counts", timeout=5_000)
    shot(page, "276-series-job-done")
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/figures/series/\d+/$"))

    bad = tmp_path / "bad.csv"
    bad.write_text(CALLS.replace("2024-02,Belgium,phone", "2024-13,Belgium,phone"))
    page.goto(f"{base}/figures/series/import/")
    page.get_by_label("CSV or XLSX file").set_input_files(bad)
    page.get_by_label("What N counts").fill("calls answered")
    page.get_by_role("button", name="Import").click()
    run_queued_jobs()
    expect(page.locator("#job")).to_contain_text("Nothing was imported: the file has 1 problem.",
                                                 timeout=5_000)
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("alert").first).to_contain_text("the file has 1 problem")
    expect(page.get_by_label("What N counts")).to_have_value("calls answered")
    shot(page, "277-series-job-report")
    assert_accessible(page)


def test_the_linkage_batch_runs_from_the_queue(live_server, cast: Cast, context: BrowserContext,
                                               page: Page):
    base = live_server.url
    couple_case(cast, cast.officer_b)
    PersonLink.objects.all().delete()
    sign_in_english(context, base, cast.officer_a)
    page.goto(f"{base}/linkage/")
    expect(page.get_by_text("Nothing to decide.")).to_be_visible()
    page.get_by_role("button", name="Look again in our open cases").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    assert run_queued_jobs() == 1
    expect(page.locator("#job")).to_contain_text("persons looked at again.", timeout=5_000)
    shot(page, "278-linkage-batch-done")
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/linkage/$"))
    expect(page.locator("table tbody tr")).not_to_have_count(0)

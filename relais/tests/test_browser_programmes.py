"""The perpetrator programme in a real Chromium: the counsellor opens a judicial file from the
zone's referral and finds him on the waiting list; the file's hours towards completion and a
completion refused below the threshold; a group session with each member's attendance; the
justice assistant's read-only panel on the case page. Screenshots 90–94."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.access.scopes import Scope
from relais.conftest import VICTIM_PHONE, VICTIM_STREET, Cast, actor
from relais.followup.tests.factories import record_report
from relais.programmes import services
from relais.programmes.models import Activity, FileStatus, ProgrammeFile
from relais.programmes.tests.factories import (
    days_ago,
    group_of,
    in_group,
    interview,
    judicial_file,
    refer_perpetrator,
    share_with_house_of_justice,
    start,
    walk_in,
)
from relais.tests.test_browser import browser, context, open_sections, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def test_a_judicial_file_opened_from_the_referral_waits_on_the_list(
        live_server, cast: Cast, directory, context: BrowserContext, page: Page):
    record_report(cast, perpetrator_id=cast.perpetrator_id)
    share_with_house_of_justice(cast)
    refer_perpetrator(cast, directory, basis="consent", scopes=list(Scope.values))
    walk_in(cast, requested_days_ago=75)
    base = live_server.url
    sign_in_as(context, base, cast.counsellor)
    page.goto(base + "/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Programme").click()
    page.get_by_role("link", name=re.compile(r"^Referrals received \(1\)")).click()
    page.get_by_role("link", name="Open a file", exact=True).click()
    expect(page.locator("h1")).to_have_text("Open a programme file")
    page.get_by_role("radio", name="Judicial mandate").check()
    page.get_by_label("Judicial measure").select_option(label="Probation")
    page.get_by_label("Mandating prosecutor's office").select_option(label=cast.prosecutor.name)
    page.get_by_label("House of justice of the justice assistant").select_option(
        label=cast.house_of_justice.name)
    page.get_by_label("Request or mandate received on").fill(days_ago(20).isoformat())
    page.get_by_role("checkbox", name="Alcohol").check()
    page.get_by_role("button", name="Open the file").click()

    expect(page.locator("h1")).to_have_text("Bruno Fictif")
    expect(page.locator(".messages")).to_contain_text(
        f"Reported to: {cast.house_of_justice.name}, {cast.prosecutor.name}.")
    file = ProgrammeFile.objects.get(case=cast.case)
    assert file.route == "judicial" and file.substance_use == ["alcohol"]
    page.get_by_role("link", name="Programme").first.click()
    page.get_by_role("link", name=re.compile(r"^Waiting list \(2\)")).click()
    rows = page.locator("table.table tbody tr")
    expect(rows.nth(0)).to_contain_text("Walter Volontaire")  # the longest wait first
    expect(rows.nth(0)).to_contain_text("75 days")
    expect(rows.nth(1)).to_contain_text("Bruno Fictif")
    expect(rows.nth(1)).to_contain_text("20 days")
    content = page.content()
    assert VICTIM_PHONE not in content and VICTIM_STREET not in content
    shot(page, "90-programme-waiting-list")


def test_hours_towards_completion_and_a_completion_refused(
        live_server, cast: Cast, directory, context: BrowserContext, page: Page):
    file = start(cast, judicial_file(cast, directory), on_days_ago=30)
    group = group_of(cast, start_days_ago=20)
    in_group(cast, file, group, joined_days_ago=20)
    for days in (19, 12, 5):
        services.activity_record(actor=actor(cast.counsellor), file_id=file.pk,
                                 kind="group_session", occurred_on=days_ago(days),
                                 scheduled_hours=Decimal("2"), attendance="attended")
    base = live_server.url
    sign_in_as(context, base, cast.counsellor)
    page.goto(f"{base}/programmes/files/{file.pk}/")
    expect(page.locator("h1")).to_have_text("Bruno Fictif")
    progress = page.get_by_role("region", name="Hours towards completion")
    expect(progress).to_contain_text("8 h of 44 h")
    expect(progress).to_contain_text("36 h still to attend.")
    expect(progress).to_contain_text("2 individual interviews attended (2 before a group).")
    page.get_by_role("radio", name="Completed").check()
    page.get_by_role("button", name="Save the change").click()
    expect(page.locator(".error-summary")).to_contain_text(
        "Completion needs 44 h attended; he has attended 8 h.")
    file.refresh_from_db()
    assert file.status == FileStatus.IN_PROGRESS
    shot(page, "91-programme-completion-refused")

    page.get_by_role("link", name="Record an activity").click()
    page.get_by_role("radio", name="Individual interview").check()
    page.get_by_label("Duration (hours)").fill("1")
    page.get_by_label("Hours attended").fill("1.5")
    page.get_by_role("button", name="Record", exact=True).click()
    expect(page.locator(".error-summary")).to_contain_text(
        "He cannot attend 1.5 h of an activity of 1 h.")
    assert not Activity.objects.filter(occurred_on=timezone.localdate()).exists()
    shot(page, "92-programme-hours-that-do-not-add-up")


def test_a_group_session_with_each_members_attendance(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    group = group_of(cast, start_days_ago=20)
    members = []
    for first in ("Walter", "Yves"):
        file = start(cast, walk_in(cast, first_name=first, last_name="Volontaire"))
        in_group(cast, file, group, joined_days_ago=10)
        members.append(file)
    base = live_server.url
    sign_in_as(context, base, cast.counsellor)
    page.goto(base + "/programmes/groups/")
    expect(page.locator("table.table")).to_contain_text(
        "Group open has 2 participants; the programme's minimum is 9.")
    page.get_by_role("link", name="Group open").click()
    page.get_by_label("Date of the session").fill(days_ago(1).isoformat())
    page.get_by_label("Duration (hours)").fill("2")
    page.get_by_role("group", name="Yves Volontaire").get_by_role("radio",
                                                                  name="Excused").check()
    page.get_by_label("Hours attended (Walter Volontaire)").fill("1.5")
    page.get_by_role("button", name="Record the session").click()
    expect(page.locator(".messages")).to_contain_text(
        "The session is recorded for 2 participants.")
    assert sorted(Activity.objects.filter(kind="group_session").values_list(
        "attendance", "attended_hours")) == [("attended", Decimal("1.5")),
                                             ("excused", Decimal("0"))]
    expect(page.locator("main")).to_contain_text("Sessions held")
    shot(page, "93-programme-group-session")


def test_the_justice_assistant_reads_the_progress_on_the_case(
        live_server, cast: Cast, directory, context: BrowserContext, page: Page):
    file = start(cast, judicial_file(cast, directory))
    interview(cast, file, note="Fictitious: content of the interview.")
    services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                status=FileStatus.INCOMPLETE, reason="non_recognition")
    base = live_server.url
    sign_in_as(context, base, cast.justice_assistant)
    page.goto(base + "/notices/")
    expect(page.locator("main")).to_contain_text(cast.case.reference)
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    panel = page.get_by_role("region", name="Perpetrator programme")
    expect(panel).to_contain_text("Incomplete")
    expect(panel).to_contain_text("1 h of 44 h")
    expect(panel).to_contain_text("Non-recognition of the facts")
    assert "content of the interview" not in page.content()
    panel.scroll_into_view_if_needed()
    shot(page, "94-programme-panel-for-the-justice-assistant")

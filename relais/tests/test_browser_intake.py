"""A whole intake at the desk, in a real Chromium: checklist, five-section record with the
wording check, draft and resume, the police risk grid, a declined action, the flyer downloaded."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from relais.conftest import Cast
from relais.followup.models import Task
from relais.intake.models import Report
from relais.risk.models import Decision, RiskAssessment
from relais.tests.test_browser import (
    SCREENSHOTS,
    browser,
    context,
    open_sections,
    page,
    shot,
    sign_in_as,
)

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser


def answer(page: Page, item: str, value: str) -> None:
    page.locator(f'input[name="item_{item}"][value="{value}"]').check()


def test_a_whole_intake_at_the_desk(live_server, cast: Cast, page: Page):
    base = live_server.url
    sign_in_as(page.context, base, cast.officer_a)
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    page.get_by_role("link", name="Record an intervention").click()
    expect(page.locator("h1")).to_have_text("Record an intervention")

    # The counter checklist comes first.
    checklist = page.locator("fieldset.checklist")
    expect(checklist.locator("> legend")).to_contain_text("Counter checklist")
    answer(page, "children", "yes")
    answer(page, "weapons_threats_substances", "yes")
    answer(page, "escalation", "unknown")
    answer(page, "isolation", "no")
    answer(page, "stalking", "yes")

    # The record, typed with the keyboard where it matters.
    page.locator("#id_victim_id").select_option(str(cast.victim_id))
    page.locator('input[name="kind"][value="official"]').check()
    page.get_by_label("Source of contact").select_option("walk_in")
    offence = (timezone.localtime() - timedelta(hours=5)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Date and time of the facts").fill(offence)
    page.get_by_label("Postcode of the place").fill("1060")
    page.locator('input[name="forms"][value="physical"]').check()
    page.locator('input[name="forms"][value="digital_stalking"]').check()
    page.get_by_label("Visible injuries").check()

    # The wording check warns as she types, and does not block.
    context_field = page.get_by_label("Context")
    context_field.fill("Fictitious: a crime of passion, she was hysterical.")
    expect(page.locator("#wording-facts_context")).to_contain_text("crime of passion")
    shot(page, "20-intake-wording-warning")
    context_field.fill("Fictitious: he read her messages every evening and took her phone.")
    page.get_by_label("Words said").fill("He said: 'You belong to me.'")

    # Interrupted: saved as a draft, then resumed without loss.
    page.get_by_role("button", name="Save as draft").click()
    expect(page.locator(".message-success")).to_contain_text("Draft saved")
    page.goto(f"{base}/cases/{cast.case.pk}/reports/new/")
    expect(page.get_by_label("Words said")).to_have_value("He said: 'You belong to me.'")
    expect(page.locator('input[name="item_stalking"][value="yes"]')).to_be_checked()

    # Saving without the children section: a clear error, nothing lost.
    page.locator("#id_facts_actions").fill("He pushed her; bruise on the right arm.")
    page.get_by_role("button", name="Save the record").click()
    expect(page.locator(".error-summary")).to_contain_text("Nothing has been saved yet")
    expect(page.locator(".error-summary")).to_contain_text("no children concerned")
    expect(page.get_by_label("Words said")).to_have_value("He said: 'You belong to me.'")
    shot(page, "21-intake-children-error")
    assert not Report.objects.exists()

    page.locator('input[name="children_present"][value="yes"]').check()
    page.get_by_label("Impact on the children").fill("The two children saw it and hid.")
    page.locator('input[name="seen_alone"][value="yes"]').check()
    page.locator('input[name="spoke_freely"][value="no"]').check()
    page.get_by_label("Agrees to be called on day 2").check()
    page.locator("#id_sc_channel").select_option("sms")
    page.locator("#id_sc_hours").fill("weekdays 9-12")
    shot(page, "22-intake-filled")
    page.get_by_role("button", name="Save the record").click()

    # The record: forwarded to the prosecutor, the SAPV notified.
    expect(page.locator("h1")).to_have_text("Official report (PV)")
    expect(page.locator("main")).to_contain_text("Intimate partner violence")
    expect(page.locator("main")).to_contain_text(cast.prosecutor.name)
    report = Report.objects.get()
    assert report.municipality == "21013" and report.forwarded_to == cast.prosecutor
    assert Task.objects.filter(case=cast.case, kind="victim_assistance_contact",
                               for_role="victim_assistance_worker").exists()
    shot(page, "23-report-detail")

    # The police grid, from the record.
    page.get_by_role("link", name="Complete the police risk grid").click()
    expect(page.locator("h1")).to_contain_text("COL 15/2020")
    for item in _grid_items():
        answer(page, item, "no")
    answer(page, "threats_to_kill", "yes")
    answer(page, "recent_separation", "yes")
    answer(page, "weapons", "unknown")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.locator(".level")).to_contain_text("Level in force")
    expect(page.locator("main")).to_contain_text("Why this level")
    expect(page.locator("main")).to_contain_text("the level may be underestimated")
    shot(page, "24-assessment-explained")

    # Decline one recommended action with its reason; accept another.
    card = page.locator("li.card", has_text="residence ban").first
    card.get_by_label("Reason for declining").fill("The victim is already in a shelter.")
    card.get_by_role("button", name="Decline").click()
    expect(page.locator("li.card", has_text="residence ban").first).to_contain_text(
        "The victim is already in a shelter.")
    assessment = RiskAssessment.objects.get(instrument_code="police_grid")
    assert assessment.report_id == report.pk
    assert assessment.recommended_actions.filter(decision=Decision.DECLINED).count() == 1
    shot(page, "25-action-declined")

    # Back to the record: download the flyer in Dutch.
    page.goto(f"{base}/reports/{report.pk}/")
    page.locator("#doc-lang").select_option("nl")
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Your journey in 4 steps")).click()
    download = download_info.value
    assert download.suggested_filename == f"{cast.case.reference}-flyer-nl.pdf"
    path = SCREENSHOTS / download.suggested_filename
    download.save_as(path)
    text = " ".join(p.extract_text() for p in PdfReader(path).pages)
    assert "1712" in text and "Alice" not in text

    # The case page shows the record and the risk trend.
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    expect(page.get_by_role("heading", name="Police records")).to_be_visible()
    expect(page.locator("table.trend tbody tr")).to_have_count(2)  # checklist and grid
    shot(page, "26-case-with-record-and-risk")


def _grid_items() -> list[str]:
    from relais.risk.instruments import instrument_get

    return [item.code for item in instrument_get("police_grid").items]


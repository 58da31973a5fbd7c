"""The follow-up work queue in a real Chromium: the victim-assistance worker (SAPV) opens the
contact a police report planned, reads the safe-contact instructions first, records that the
victim could not speak freely and sees the task rescheduled, never closed; the contact form
with the keyboard only; two workers closing the same task; the calendar; another zone's 404."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime

import pytest
from django.utils import dateformat, timezone, translation
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from relais.accounts.models import Role
from relais.conftest import Cast, actor, make_user
from relais.followup.models import ContactAttempt, CouldSpeak, Outcome, Task, TaskKind, TaskStatus
from relais.followup.rules import local_day
from relais.intake.examples import report_arguments
from relais.intake.models import Report
from relais.intake.services import report_record
from relais.tests.test_browser import (
    TIMEOUT_MS,
    browser,
    context,
    current_code,
    page,
    shot,
    sign_in_as,
    sign_in_with_password,
)

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser

CONTACT = "Victim-assistance contact"
NOTE = re.compile(r"^Note:?$")  # Django adds the label suffix


@pytest.fixture
def report(cast: Cast) -> Report:
    """An official report recorded by zone A's officer through the real service: it plans the
    follow-up (the SAPV contact today, the day-2 contact she agreed to, the revisit)."""
    return report_record(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         **report_arguments(victim_id=cast.victim_id,
                                            perpetrator_id=cast.perpetrator_id))


def planned(report: Report, kind: str) -> Task:
    return Task.objects.get(source_type="intake.report", source_id=str(report.pk), kind=kind)


def task_url(base: str, task: Task) -> str:
    return f"{base}/follow-up/tasks/{task.pk}/"


def speak_freely(page: Page) -> Locator:
    return page.get_by_role("group", name="Could she speak freely?")


def outcome_group(page: Page) -> Locator:
    return page.get_by_role("group", name="What came of it?")


def due_shown(page: Page) -> datetime:
    """The due time of the task page, as the page states it (its <time datetime>)."""
    raw = page.locator("dl.facts").first.locator("time").get_attribute("datetime")
    assert raw
    return datetime.fromisoformat(raw)


def queue_row(page: Page, kind: str) -> Locator:
    return page.locator("table.table tbody tr", has=page.get_by_role("link", name=kind))


# --- The walk of issue 5: could not speak freely, rescheduled ---------------------------------

def test_could_not_speak_freely_reschedules_the_task(live_server, cast: Cast, report: Report,
                                                     page: Page):
    task = planned(report, TaskKind.VICTIM_ASSISTANCE_CONTACT)
    assert task.for_role == Role.VICTIM_ASSISTANCE_WORKER and task.assignee is None
    assert task.is_open and local_day(task.due_at) == local_day(timezone.now())  # same day
    assert planned(report, TaskKind.DAY2_CONTACT).for_role == Role.VICTIM_ASSISTANCE_WORKER
    assert planned(report, TaskKind.REVISIT).is_open
    due_before = task.due_at

    # Signed in for real: password, then the code of her authenticator app.
    base = live_server.url
    sign_in_with_password(page, base, "sapv_a")
    page.fill("#id_token", current_code())
    page.locator("main form button[type=submit]").click()
    menu = page.locator("nav[aria-label=Main]")
    expect(menu).to_be_visible()

    # Follow-up, from the main menu: nothing is assigned to her by name, so the queue opens
    # on her team's tasks; her own queue is empty.
    menu.get_by_role("link", name="Follow-up").click()
    expect(page.locator("h1")).to_have_text("Follow-up")
    expect(menu.locator("a[aria-current=page]")).to_contain_text("Follow-up")
    queues = page.get_by_role("navigation", name="Queue")
    expect(queues.locator("a[aria-current=page]")).to_have_text("My team")
    queues.get_by_role("link", name="Mine").click()
    expect(page.locator("main")).to_contain_text("Nothing to do in this queue.")
    queues.get_by_role("link", name="My team").click()
    expect(queues.locator("a[aria-current=page]")).to_have_text("My team")
    expect(page.locator("main")).to_contain_text("2 open tasks")  # the contact and day 2
    row = queue_row(page, CONTACT)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(cast.case.reference)
    expect(row).to_contain_text("Alice Exemple")
    expect(row).to_contain_text("Victim-assistance worker (SAPV)")
    expect(queue_row(page, "Revisit (COL 20/2020)")).to_have_count(0)  # not the SAPV's
    shot(page, "50-followup-team-queue")

    # The task: the safe-contact instructions come before the form.
    row.get_by_role("link", name=CONTACT).click()
    expect(page).to_have_url(task_url(base, task))
    expect(page.locator("h1")).to_have_text(CONTACT)
    safe = page.locator("section", has=page.get_by_role("heading", name="Before you contact her"))
    expect(safe).to_be_visible()
    expect(safe).to_contain_text("Never leave a voice message")
    expect(safe.locator("dd").nth(0)).to_have_text("Phone call")
    expect(safe.locator("dd").nth(1)).to_have_text("9-12")
    expect(safe).to_contain_text("+32 470 12 34 56")
    expect(speak_freely(page)).to_be_visible()
    assert page.evaluate("""() => {
        const safe = document.getElementById("safe-h");
        const form = document.getElementById("record-h");
        return !!(safe.compareDocumentPosition(form) & Node.DOCUMENT_POSITION_FOLLOWING);
    }""")
    expect(page.locator("main")).to_contain_text("No attempt yet.")
    assert due_shown(page) == due_before
    shot(page, "51-followup-task")

    # She picks up, but cannot speak freely: "No", and nothing else to say.
    speak_freely(page).get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()

    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and task.outcome == "" and task.attempts == 1
    assert task.due_at > due_before and task.completed_at is None
    attempt = ContactAttempt.objects.get(task=task)
    assert attempt.could_speak_freely == CouldSpeak.NO and attempt.outcome == Outcome.NOT_FREE
    assert attempt.by == cast.sapv_a and attempt.rescheduled_to == task.due_at

    new_due = timezone.localtime(task.due_at).strftime("%d/%m/%Y %H:%M")
    expect(page.locator(".message-success")).to_have_text(
        f"Not closed: the task is rescheduled to {new_due}.")
    expect(page).to_have_url(task_url(base, task))
    expect(page.locator(".page-head .badge", has_text="Open")).to_be_visible()
    assert due_shown(page) == task.due_at
    attempts = page.locator("ol.timeline > li")
    expect(attempts).to_have_count(1)
    expect(attempts.first).to_contain_text("She could not speak freely (rescheduled)")
    expect(attempts.first).to_contain_text("Sapv Test")
    expect(attempts.first).to_contain_text("could speak freely: no")
    expect(attempts.first).to_contain_text(f"rescheduled to {new_due}")
    expect(speak_freely(page)).to_be_visible()  # still open: the form is there for next time
    shot(page, "52-followup-task-rescheduled")

    # Back in the queue the task is still listed, due later, with one attempt.
    page.locator(".crumb").get_by_role("link", name="Follow-up").click()
    page.get_by_role("navigation", name="Queue").get_by_role("link", name="My team").click()
    row = queue_row(page, CONTACT)
    expect(row).to_have_count(1)
    expect(row.locator("time")).to_have_text(new_due)
    expect(row.locator("td").last).to_have_text("1")
    shot(page, "53-followup-queue-after-rescheduling")


# --- The contact form with the keyboard only ----------------------------------------------------

def is_focused(locator: Locator) -> bool:
    return locator.evaluate("e => e === document.activeElement")


def tab_to(page: Page, target: Locator, *, limit: int = 60) -> int:
    """Press Tab until ``target`` has the focus; the number of presses."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if is_focused(target):
            return presses
    raise AssertionError(f"{target} never received the focus in {limit} Tab presses")


def test_contact_form_with_the_keyboard_only(live_server, cast: Cast, report: Report,
                                             context: BrowserContext, page: Page):
    task = planned(report, TaskKind.VICTIM_ASSISTANCE_CONTACT)
    base = live_server.url
    sign_in_as(context, base, cast.sapv_a)
    page.goto(task_url(base, task))

    # Every control has a label (a legend for each group of choices).
    expect(speak_freely(page)).to_have_count(1)
    expect(speak_freely(page)).to_have_accessible_description(re.compile("Ask first"))
    expect(outcome_group(page)).to_have_count(1)
    yes = speak_freely(page).get_by_label("Yes", exact=True)
    expect(speak_freely(page).get_by_label("No", exact=True)).to_have_count(1)
    expect(speak_freely(page).get_by_label("She was not reached")).to_have_count(1)
    done = outcome_group(page).get_by_label("Done", exact=True)
    expect(outcome_group(page).get_by_label("Declined by the victim")).to_have_count(1)
    expect(page.get_by_label("She said everything is fine")).to_have_count(1)
    expect(page.get_by_label("Try again on")).to_have_count(1)
    note = page.get_by_label(NOTE)
    expect(note).to_have_count(1)
    save = page.get_by_role("button", name="Save", exact=True)

    # From the top of the page, Tab reaches the first question; Space answers it.
    tab_to(page, yes)
    assert yes.evaluate("e => getComputedStyle(e).outlineStyle") != "none"  # focus is visible
    page.keyboard.press("Space")
    expect(yes).to_be_checked()
    # One Tab leaves the group for the next question.
    page.keyboard.press("Tab")
    expect(done).to_be_focused()
    page.keyboard.press("Space")
    expect(done).to_be_checked()
    tab_to(page, note, limit=12)
    page.keyboard.type("Fictitious: called at 10:00 on her safe number; appointment made.")
    tab_to(page, save, limit=5)
    shot(page, "54-followup-task-keyboard")
    page.keyboard.press("Enter")

    expect(page.locator(".message-success")).to_have_text("The task is closed.")
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.outcome == Outcome.DONE
    assert task.completed_by == cast.sapv_a
    assert task.outcome_note == "Fictitious: called at 10:00 on her safe number; appointment made."
    attempt = ContactAttempt.objects.get(task=task)
    assert attempt.could_speak_freely == CouldSpeak.YES
    expect(page.locator("dl.facts").first).to_contain_text("Done")
    expect(speak_freely(page)).to_have_count(0)  # closed: no form any more


# --- Two workers on the same task ---------------------------------------------------------------

@pytest.fixture
def second_context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(TIMEOUT_MS)
    try:
        yield ctx
    finally:
        ctx.close()


def close_as_done(page: Page) -> None:
    speak_freely(page).get_by_label("Yes", exact=True).check()
    outcome_group(page).get_by_label("Done", exact=True).check()
    page.get_by_role("button", name="Save", exact=True).click()


def test_two_workers_close_the_same_task_the_second_is_told(
        live_server, cast: Cast, report: Report, context: BrowserContext, page: Page,
        second_context: BrowserContext):
    task = planned(report, TaskKind.VICTIM_ASSISTANCE_CONTACT)
    colleague = make_user("colleague_a", cast.zone_a, Role.VICTIM_ASSISTANCE_WORKER)
    base = live_server.url
    sign_in_as(context, base, cast.sapv_a)
    sign_in_as(second_context, base, colleague)
    other = second_context.new_page()

    # Both open the task while it is open.
    page.goto(task_url(base, task))
    other.goto(task_url(base, task))
    expect(speak_freely(page)).to_be_visible()
    expect(speak_freely(other)).to_be_visible()

    # The first one closes it.
    close_as_done(page)
    expect(page.locator(".message-success")).to_have_text("The task is closed.")

    # The second one, on the page she loaded before, submits too and is told.
    other.get_by_label(NOTE).fill("Fictitious: she is safe at her sister's.")
    close_as_done(other)
    error = other.locator(".message-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("closed")
    expect(error).to_contain_text("nothing was changed")
    expect(other.locator(".message-success")).to_have_count(0)
    expect(other).to_have_url(task_url(base, task))
    outcome = other.locator("dl.facts").first
    expect(outcome).to_contain_text("Done")
    expect(outcome).to_contain_text("Sapv Test")  # who closed it
    expect(speak_freely(other)).to_have_count(0)
    shot(other, "55-followup-task-already-closed")

    # One attempt, the first; the second changed nothing.
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE and task.completed_by == cast.sapv_a
    assert task.attempts == 1 and task.outcome_note == ""
    assert list(ContactAttempt.objects.filter(task=task).values_list("by", flat=True)) == [
        cast.sapv_a.pk]


# --- The calendar -------------------------------------------------------------------------------

def day_card(page: Page, day: date) -> Locator:
    with translation.override("en"):
        heading = dateformat.format(day, "l j F")
    return page.locator("section.card", has=page.get_by_role(
        "heading", name=re.compile(rf"^{re.escape(heading)}\b")))


def test_calendar_shows_the_task_on_its_due_day(live_server, cast: Cast, report: Report,
                                                context: BrowserContext, page: Page):
    contact = planned(report, TaskKind.VICTIM_ASSISTANCE_CONTACT)
    day2 = planned(report, TaskKind.DAY2_CONTACT)
    today = local_day(timezone.now())
    base = live_server.url
    sign_in_as(context, base, cast.sapv_a)
    page.goto(base + "/follow-up/")
    page.get_by_role("navigation", name="Follow-up").get_by_role("link", name="Calendar").click()
    expect(page.locator("h1")).to_have_text("Follow-up calendar")
    page.get_by_role("navigation", name="Queue").get_by_role("link", name="My team").click()
    expect(page.locator("section.card")).to_have_count(7)

    card = day_card(page, today)
    expect(card).to_have_count(1)
    expect(card.locator(".badge", has_text="today")).to_be_visible()
    entry = card.locator("li", has=page.get_by_role("link", name=CONTACT))
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(cast.case.reference)
    expect(entry.locator("time")).to_have_text(timezone.localtime(contact.due_at)
                                               .strftime("%H:%M"))
    shot(page, "56-followup-calendar")

    # The day-2 contact on its own day, in the next week if it falls there.
    day2_day = local_day(day2.due_at)
    if day2_day.isocalendar()[:2] != today.isocalendar()[:2]:
        page.get_by_role("link", name="Next week").click()
    card = day_card(page, day2_day)
    expect(card.get_by_role("link", name="Day-2 proactive contact")).to_be_visible()
    expect(card.locator("time")).to_have_text(timezone.localtime(day2.due_at).strftime("%H:%M"))

    # The link opens the task.
    card.get_by_role("link", name="Day-2 proactive contact").click()
    expect(page).to_have_url(task_url(base, day2))


# --- Another zone -------------------------------------------------------------------------------

def test_officer_of_another_zone_gets_the_404_page(live_server, cast: Cast, report: Report,
                                                   context: BrowserContext, page: Page):
    task = planned(report, TaskKind.VICTIM_ASSISTANCE_CONTACT)
    base = live_server.url
    sign_in_as(context, base, cast.officer_b)
    response = page.goto(task_url(base, task))
    assert response is not None and response.status == 404
    expect(page.locator("h1")).to_have_text("Not found")
    expect(page.locator("main")).to_contain_text("not shared with you")
    html = page.content()
    for secret in ("Alice", "Exemple", cast.case.reference, "voice message", "9-12", CONTACT):
        assert secret not in html
    shot(page, "57-followup-task-other-zone-404")

    # Nor does her zone's queue list it.
    page.goto(base + "/follow-up/?queue=zone")
    expect(page.locator("main")).to_contain_text("Nothing to do in this queue.")
    assert cast.case.reference not in page.content()

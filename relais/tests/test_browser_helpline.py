"""The helpline's call screen in a real Chromium, from the keyboard alone: the operator tabs
through the form in its reading order, picks the answers with Space and the arrow keys, types
the duration and the province, saves with "Save and new call" and lands on a blank call; the
call is in her recent calls."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from relais.accounts.models import AgencyKind, Role
from relais.conftest import make_agency, make_user
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser

# The form's fields in their reading order: the tab order must follow it.
FIELD_ORDER = ["started_at", "duration_minutes", "channel", "language", "caller_type",
               "victim_sex", "victim_age", "province", "violence_forms", "children_present",
               "danger_now", "topics", "referral", "referral_other", "police_called", "note"]


def focused(page: Page) -> dict:
    return page.evaluate("""() => {
        const e = document.activeElement;
        return {name: e.name || "", value: e.value || "", type: e.type || "",
                text: (e.textContent || "").trim()};
    }""")


def tab_to(page: Page, visited: list[str], *, name: str, value: str | None = None,
           limit: int = 80) -> None:
    """Press Tab until the field ``name`` (its checkbox ``value``) has the focus, noting the
    name of every field on the way."""
    for _ in range(limit):
        now = focused(page)
        if now["name"] and (not visited or visited[-1] != now["name"]):
            visited.append(now["name"])
        if now["name"] == name and (value is None or now["value"] == value):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name} {value or ''}: {visited}")


def test_an_operator_records_a_call_from_the_keyboard(live_server, transactional_db,
                                                      context: BrowserContext, page: Page):
    from relais.helpline.models import Call

    base = live_server.url
    line = make_agency("helpline-browser", AgencyKind.HELPLINE, name="Helpline (test)")
    operator = make_user("operator", line, Role.HELPLINE_OPERATOR)
    sign_in_as(context, base, operator)
    page.goto(base + "/helpline/")
    expect(page.locator("h1")).to_have_text("New call")
    expect(page.locator("#id_started_at")).to_be_focused()  # prefilled to now
    expect(page.locator("#id_started_at")).not_to_have_value("")
    keys = page.keyboard
    visited: list[str] = []

    tab_to(page, visited, name="duration_minutes")
    keys.type("18")
    tab_to(page, visited, name="channel")  # Phone is checked: the arrow moves to Chat
    keys.press("ArrowRight")
    tab_to(page, visited, name="language")  # nothing checked yet: French has the focus
    keys.press("Space")
    tab_to(page, visited, name="caller_type")
    keys.press("ArrowDown")  # Victim → Relative or friend
    tab_to(page, visited, name="victim_sex")  # Unknown → Female
    for _ in range(3):
        keys.press("ArrowUp")
    tab_to(page, visited, name="victim_age")  # Unknown → 18–24
    for _ in range(6):
        keys.press("ArrowUp")
    tab_to(page, visited, name="province")
    keys.type("Province de Li")  # type-ahead in the closed list: Liège
    for form in ("physical", "digital_stalking"):
        tab_to(page, visited, name="violence_forms", value=form)
        keys.press("Space")
    tab_to(page, visited, name="children_present")  # Unknown → No
    keys.press("ArrowUp")
    tab_to(page, visited, name="danger_now")  # No → Yes
    keys.press("ArrowUp")
    for topic in ("safety_planning", "police"):
        tab_to(page, visited, name="topics", value=topic)
        keys.press("Space")
    tab_to(page, visited, name="referral_other")
    keys.type("Fictitious legal desk")
    tab_to(page, visited, name="police_called")  # No → Yes
    keys.press("ArrowUp")
    tab_to(page, visited, name="note")
    keys.type("Called back later, fictitious.")
    tab_to(page, visited, name="_new_call")
    assert visited[:len(FIELD_ORDER)] == FIELD_ORDER, visited
    expect(page.locator("input[name=channel][value=chat]")).to_be_checked()
    expect(page.locator("input[name=danger_now][value=yes]")).to_be_checked()
    expect(page.locator("#id_province")).to_have_value("60000")
    shot(page, "helpline-01-call-filled-from-the-keyboard")
    keys.press("Enter")  # on "Save and new call"

    expect(page.locator("main")).to_contain_text("The call is saved")
    expect(page.locator("h1")).to_have_text("New call")
    expect(page.locator("#id_started_at")).to_be_focused()
    expect(page.locator("#id_duration_minutes")).to_have_value("")
    call = Call.objects.get()
    assert (call.duration_minutes, call.channel, call.language, call.caller_type) == (
        18, "chat", "fr", "relative")
    assert (call.victim_sex, call.victim_age, call.province) == ("F", "18-24", "60000")
    assert call.violence_forms == ["digital_stalking", "physical"]
    assert (call.children_present, call.danger_now, call.police_called) == ("no", True, True)
    assert sorted(call.topics.values_list("topic", flat=True)) == ["police", "safety_planning"]
    assert call.referral_other == "Fictitious legal desk" and call.agency == line

    page.goto(base + "/helpline/calls/")
    row = page.locator("table.table tbody tr")
    expect(row).to_have_count(1)
    expect(row.first).to_contain_text("Safety planning")
    shot(page, "helpline-02-recent-calls")


def test_the_helplines_analyst_reads_its_figures(live_server, transactional_db,
                                                 context: BrowserContext, page: Page):
    from datetime import timedelta

    from django.utils import timezone

    from relais.conftest import actor
    from relais.helpline.services import call_record

    base = live_server.url
    line = make_agency("helpline-browser", AgencyKind.HELPLINE, name="Helpline (test)")
    operator = actor(make_user("operator", line, Role.HELPLINE_OPERATOR))
    analyst = make_user("line_analyst", line, Role.ANALYST)
    now = timezone.now()
    for i in range(24):
        call_record(actor=operator, started_at=now - timedelta(days=3 * i, hours=i % 5),
                    duration_minutes=10, channel="phone" if i % 4 else "chat", language="fr",
                    caller_type="victim" if i % 6 else "relative", victim_sex="F",
                    victim_age="25-34", topics=["information", *(["shelter"] if i % 2 else [])])
    sign_in_as(context, base, analyst)
    page.goto(base + "/")
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Helpline figures").click()
    expect(page.locator("h1")).to_have_text("Helpline figures")
    expect(page.locator("main")).to_contain_text("N = 24 calls")
    topics = page.locator("table", has=page.locator("caption", has_text="Calls by topic"))
    expect(topics.locator("caption")).to_contain_text("several answers possible")
    expect(topics.locator("tfoot")).to_have_count(0)  # topics are never added up
    shot(page, "helpline-03-figures")

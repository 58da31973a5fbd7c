"""The victim's own safety plan in a real Chromium (issue 20 §5): zone A's SAPV opens the case,
makes a plan with Alice (her code word, the bag ready, who picks Chloé up, her phone, what she
does at the moment of danger), reviews it at the next contact (nothing changed), reads the
versions and prints it in Dutch: a PDF titled "My plan" that names nothing. Zone A's officer
never sees it, not even the section."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from relais.conftest import Cast
from relais.safetyplan.models import SafetyPlan
from relais.tests.axe import assert_accessible
from relais.tests.test_browser import browser, context, open_sections, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]

pytestmark = pytest.mark.browser


def test_a_sapv_makes_reviews_and_prints_a_plan(live_server, cast: Cast,
                                                 context: BrowserContext, page: Page):
    base = live_server.url
    sign_in_as(context, base, cast.sapv_a)
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    panel = page.locator("section", has=page.locator("#safetyplan-h"))
    expect(panel).to_contain_text("No safety plan made by your service on this case.")
    shot(page, "280-safetyplan-case")

    panel.get_by_role("link", name="Make a safety plan with Alice").click()
    expect(page.locator("h1")).to_have_text("Make a safety plan with Alice")
    page.get_by_label("Safe places").fill("Chez ma sœur Léa, rue des Tilleuls")
    page.get_by_label("Trusted persons").fill("Léa, 0470 00 00 00")
    page.fill("#id_code_word", "Tante Rosa")
    page.get_by_label("Identity card, passport or residence permit").check()
    page.get_by_label("A bag packed and ready").check()
    page.get_by_label("Who picks Chloé up").fill("Léa")
    page.get_by_label("Location sharing checked and turned off").check()
    page.get_by_label("Call 112").check()
    page.get_by_label("Her language (for the printed plan)").select_option("nl")
    expect(page.get_by_label("Bruno Fictif")).to_be_checked()  # the alleged perpetrator
    assert_accessible(page)
    shot(page, "281-safetyplan-new")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator("h1")).to_have_text("Safety plan of Alice")
    expect(page.locator("main")).to_contain_text("Tante Rosa")
    expect(page.locator("main")).to_contain_text("picked up by Léa")
    assert_accessible(page)
    shot(page, "282-safetyplan-plan")

    page.get_by_label("Note of this contact").fill("Tout est en place")
    page.get_by_role("button", name="Reviewed with her, nothing changed").click()
    expect(page.locator(".message")).to_contain_text("nothing changed")
    expect(page.locator(".page-head .badge")).to_have_text("version 2")

    page.get_by_role("link", name="Versions").click()
    expect(page.locator("h1")).to_have_text("Versions of the safety plan")
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("nothing changed")
    expect(rows.first).to_contain_text("Tout est en place")
    expect(rows.last).to_contain_text("made with her")
    assert_accessible(page)
    shot(page, "283-safetyplan-versions")

    page.get_by_role("link", name="Safety plan").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Print in Nederlands").click()
    assert download.value.suggested_filename == "plan-nl.pdf"
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Tante Rosa" in text and cast.case.reference not in text
    assert "Zone A" not in text and "Exemple" not in text

    plan = SafetyPlan.objects.get()
    sign_in_as(context, base, cast.officer_a)  # the same zone, not its victim assistance
    page.goto(f"{base}/cases/{cast.case.pk}/")
    open_sections(page)
    expect(page.locator("#safetyplan-h")).to_have_count(0)
    response = page.goto(f"{base}/safety-plans/{plan.pk}/")
    assert response.status == 404
    shot(page, "284-safetyplan-officer-404")

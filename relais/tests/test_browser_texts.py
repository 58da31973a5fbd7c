"""Texts Relais writes, in a real Chromium: written by a French-speaking magistrate, the case's
timeline reads in English for an English browser and in Dutch for a Dutch one (issue 19 §3).
Screenshots 220–221."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Browser, expect

from relais.conftest import Cast, actor
from relais.justice import services as justice_services
from relais.justice.models import Decision, Measure
from relais.justice.tests.factories import entry_of, family_section, record_report
from relais.measures import services as measure_services
from relais.measures.tests.factories import ban_arguments
from relais.tests.test_browser import TIMEOUT_MS, browser, shot, sign_in_as

__all__ = ["browser"]

pytestmark = pytest.mark.browser


def test_the_timeline_written_in_french_reads_in_the_browsers_language(
        live_server, cast: Cast, browser: Browser):
    family_section(cast)
    entry = entry_of(record_report(cast))
    with translation.override("fr"):
        justice_services.entry_decide(actor=actor(cast.magistrate), entry_id=entry.pk,
                                      decision=Decision.HEARING, measures=[Measure.NO_CONTACT])
        measure_services.ban_order(actor=actor(cast.legal_advisor), **ban_arguments(cast))
    base = live_server.url
    for locale, number, said, not_said in (
            ("en-GB", 220, ["Residence ban from", "Hearing — No contact"],
             ["Interdiction de résidence", "Audience"]),
            ("nl-BE", 221, ["Huisverbod van"], ["Interdiction de résidence", "Residence ban"])):
        context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(TIMEOUT_MS)
        try:
            sign_in_as(context, base, cast.legal_advisor)
            page = context.new_page()
            page.goto(base + reverse("cases:case_detail", args=[cast.case.pk]))
            main = page.locator("main")
            for words in said:
                expect(main).to_contain_text(words)
            text = main.inner_text()
            assert not [words for words in not_said if words in text]
            page.get_by_text(said[0]).first.scroll_into_view_if_needed()
            shot(page, f"{number}-timeline-in-the-readers-language-{locale[:2]}")
        finally:
            context.close()

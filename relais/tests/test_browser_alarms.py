"""The harassment alarm in a real Chromium: the dispatcher signs in, a press of the victim's
button arrives through the activation API, the dispatch board shows it by itself (htmx), she
opens the one-screen summary; an unknown device lands on top of the board; the case itself
stays closed to her; the administrator's inventory shows no one."""

from __future__ import annotations

import json
import re
import urllib.request
from datetime import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from relais.accounts.models import ApiTokenKind
from relais.accounts.services import api_token_issue
from relais.alarms.models import AlarmActivation
from relais.alarms.tests.factories import live_alarm
from relais.conftest import Cast
from relais.tests.test_browser import (
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


def post_activation(base: str, token: str, serial: str, at: datetime) -> tuple[int, dict]:
    """What the zone's 112 / alarm platform does: one POST with the service account's token."""
    payload = json.dumps({"device": serial, "at": at.isoformat(), "latitude": 50.827123,
                          "longitude": 4.372456, "accuracy_m": 12}).encode()
    request = urllib.request.Request(  # noqa: S310 (the test's own live server, http only)
        base + "/api/alarms/activations/", data=payload, method="POST",
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json",
                 "Accept-Language": "en"})
    assert base.startswith("http://")
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def test_the_dispatcher_sees_the_press_arrive_and_opens_the_summary(
        live_server, cast: Cast, page: Page):
    live_alarm(cast)
    _token, token = api_token_issue(actor=None, user=cast.dispatcher_a,
                                    kind=ApiTokenKind.GATEWAY, issued_by="test")
    base = live_server.url

    # Signed in for real: password, then the code of her authenticator app.
    sign_in_with_password(page, base, "dispatcher_a")
    page.fill("#id_token", current_code())
    page.locator("main form button[type=submit]").click()
    menu = page.locator("nav[aria-label=Main]")
    expect(menu).to_be_visible()
    menu.get_by_role("link", name="Alarms").click()
    expect(page.locator("h1")).to_have_text("Dispatch board — harassment alarms")
    expect(menu.locator("a[aria-current=page]")).to_contain_text("Alarms")
    expect(page.locator("main")).to_contain_text("No activation yet.")
    shot(page, "70-alarms-board-empty")

    # The victim presses her button: the platform posts it; the board shows it by itself.
    status, answer = post_activation(base, token, "BTN-A-0001", timezone.now())
    assert status == 201 and answer["anomaly"] is None
    row = page.locator("table.table tbody tr", has_text="BTN-A-0001")
    expect(row).to_have_count(1, timeout=12_000)  # htmx polls every 5 s; no reload
    expect(row).to_contain_text(cast.case.reference)
    expect(row).to_contain_text("Not handled")
    expect(page.locator("main")).not_to_contain_text("Alice")  # names only on the summary
    shot(page, "71-alarms-board-activation")

    # The one-screen summary.
    row.get_by_role("link", name=re.compile("Summary")).click()
    expect(page).to_have_url(base + answer["summary_url"])
    main = page.locator("main")
    expect(page.locator("h1")).to_contain_text(cast.case.reference)
    expect(main.locator(".level-label")).to_have_text("Very high risk")
    expect(main).to_contain_text("Critical signals")
    expect(main).to_contain_text("Alice Exemple")
    expect(main).to_contain_text("+32 470 12 34 56")
    expect(main).to_contain_text("Never leave a voice message")
    expect(main).to_contain_text("Bruno Fictif")
    expect(main).to_contain_text("+32 470 65 43 21")
    expect(main).to_contain_text("Chloé Fictif")
    expect(main).to_contain_text("hunting rifle")
    expect(main).to_contain_text("Harassment alarm (COL 3/2023), device BTN-A-0001")
    expect(main).to_contain_text("URGENT: the harassment alarm was pressed")
    # The location on Relais's own map (no outside map site by default).
    expect(main.get_by_role("region", name="Where the alarm was pressed")).to_be_visible()
    expect(main.locator("#map .leaflet-marker-icon")).to_have_count(1)
    expect(main).not_to_contain_text("Rue du Test")  # no address, ever
    expect(main).not_to_contain_text("Tigrinya")  # no health data
    shot(page, "72-alarms-summary")

    main.get_by_role("button", name="Mark handled").click()
    expect(page.locator(".messages")).to_contain_text("marked handled")
    activation = AlarmActivation.objects.get(pk=answer["id"])
    assert activation.handled_by_id == cast.dispatcher_a.pk

    # The case itself stays closed to the dispatcher.
    response = page.goto(base + f"/cases/{cast.case.pk}/")
    assert response is not None and response.status == 404


def test_an_unknown_device_lands_on_top_of_the_board(live_server, cast: Cast,
                                                     context: BrowserContext, page: Page):
    live_alarm(cast)
    _token, token = api_token_issue(actor=None, user=cast.dispatcher_a,
                                    kind=ApiTokenKind.GATEWAY, issued_by="test")
    base = live_server.url
    post_activation(base, token, "BTN-A-0001", timezone.now())
    status, answer = post_activation(base, token, "BTN-UNKNOWN-9", timezone.now())
    assert status == 202 and answer["anomaly"] == "unknown_device"
    sign_in_as(context, base, cast.dispatcher_a)
    page.goto(base + "/alarms/")
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("1 activation with an anomaly to check")
    expect(alert).to_contain_text("Unknown device")
    expect(alert).to_contain_text("BTN-UNKNOWN-9")
    first = page.locator("table.table tbody tr").first
    expect(first).to_contain_text("BTN-UNKNOWN-9")
    expect(page.locator("nav[aria-label=Main] .badge-critical")).to_have_text("2")
    shot(page, "73-alarms-board-anomaly")


def test_the_administrators_inventory_shows_no_one(live_server, cast: Cast,
                                                   context: BrowserContext, page: Page):
    live_alarm(cast)
    base = live_server.url
    sign_in_as(context, base, cast.admin_a)
    page.goto(base + "/alarms/")
    expect(page).to_have_url(base + "/alarms/devices/")
    main = page.locator("main")
    expect(main).to_contain_text("BTN-A-0001")
    expect(main).to_contain_text("Assigned")
    expect(main).not_to_contain_text(cast.case.reference)
    expect(main).not_to_contain_text("Alice")
    page.fill("#id_serial", "BTN-A-0002")
    page.fill("#id_model", "Fictitious button v2")
    main.get_by_role("button", name="Add the device").click()
    expect(page.locator(".messages")).to_contain_text("BTN-A-0002 is in stock")
    shot(page, "74-alarms-inventory-admin")

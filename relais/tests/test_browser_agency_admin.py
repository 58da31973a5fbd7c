"""Agency administration in a real Chromium: zone A's administrator invites a colleague, who
follows the e-mail's link, chooses a password and enrols her authenticator; the administrator
gives her one more role, asks for the reset of an officer's second factor, which a second
administrator of the zone confirms (not she herself), then deactivates the officer."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import BrowserContext, Page, expect

from relais.accounts.models import Role, User
from relais.conftest import Cast, make_user, run_mail_queue
from relais.tests.test_browser import browser, context, page, shot, sign_in_as

__all__ = ["browser", "context", "page"]  # the fixtures, shared with the other browser tests

pytestmark = pytest.mark.browser

PASSWORD = "a-long-passphrase-for-nora-42"


def new_context(context: BrowserContext) -> BrowserContext:
    other = context.browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 800})
    other.set_default_timeout(10_000)
    return other


def test_invite_roles_reset_with_a_second_administrator_and_deactivate(
        live_server, cast: Cast, context: BrowserContext, page: Page):
    base = live_server.url
    second = make_user("admin_a2", cast.zone_a, Role.ADMINISTRATOR)

    # The administrator's menu leads to her agency's accounts.
    sign_in_as(context, base, cast.admin_a)
    page.goto(base + "/account/api-token/", timeout=60_000)  # a light page: the menu is there
    page.locator("nav[aria-label=Main]").get_by_role("link", name="Accounts").click()
    expect(page.locator("h1")).to_have_text("Accounts of the agency")
    table = page.locator("table.table").last
    expect(table).to_contain_text("officer_a")
    expect(table).not_to_contain_text("officer_b")  # zone B's
    shot(page, "250-agency-accounts")

    # Invite a colleague: only the zone's roles are offered.
    page.get_by_role("link", name="Invite a colleague").click()
    expect(page.get_by_label("Magistrate")).to_have_count(0)
    page.fill("#id_username", "nora.nouvelle")
    page.fill("#id_first_name", "Nora")
    page.fill("#id_last_name", "Nouvelle")
    page.fill("#id_email", "nora@zone-a.invalid")
    page.get_by_label("Victim-assistance worker (SAPV)").check()
    shot(page, "251-agency-invite")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".messages")).to_contain_text("nora.nouvelle is invited")
    expect(page.locator("dl.facts")).to_contain_text("invited")

    # Roles: one more, saved.
    page.get_by_label("EVA officer").check()
    page.get_by_role("button", name="Save the roles").click()
    expect(page.locator(".messages")).to_contain_text("The roles are saved")
    expect(page.get_by_label("EVA officer")).to_be_checked()
    shot(page, "252-agency-account-invited")
    assert User.objects.get(username="nora.nouvelle").role_codes == {
        Role.VICTIM_ASSISTANCE_WORKER, Role.EVA_OFFICER}

    # Nora follows the e-mail's link: a password, then her authenticator app.
    run_mail_queue()
    body = mail.outbox[-1].body
    path = re.search(r"(/invitation/[^/\s]+/)", body).group(1)
    nora_context = new_context(context)
    try:
        nora = nora_context.new_page()
        nora.goto(base + path)
        expect(nora.locator("h1")).to_have_text("Choose your password")
        nora.fill("#id_new_password1", PASSWORD)
        nora.fill("#id_new_password2", PASSWORD)
        nora.get_by_role("button", name="Continue").click()
        expect(nora.locator("h1")).to_have_text("Set up your second factor")
        shot(nora, "253-invitation-enrol")
        device = TOTPDevice.objects.get(user__username="nora.nouvelle")
        nora.fill("#id_token", f"{totp(device.bin_key):06d}")
        nora.get_by_role("button", name="Confirm").click()
        expect(nora.locator("nav[aria-label=Main]")).to_be_visible()
        nora.goto(base + path)  # the link works once
        expect(nora.locator("h1")).to_have_text("This link no longer works")
    finally:
        nora_context.close()

    # A second-factor reset for the officer, asked by the administrator ...
    page.goto(base + "/accounts/agency/")
    page.locator("table.table").last.get_by_role("link", name="Officer Test").click()
    page.fill("#id_reason", "Phone lost on duty")
    page.get_by_role("button", name="Ask for a second-factor reset").click()
    expect(page.locator(".messages")).to_contain_text("Another administrator of your agency")
    page.goto(base + "/accounts/agency/")
    resets = page.locator("section", has=page.get_by_role(
        "heading", name="Second-factor resets waiting for a second person"))
    expect(resets).to_contain_text("Phone lost on duty")
    expect(resets.get_by_role("button", name=re.compile("Confirm the reset"))).to_have_count(0)
    expect(resets).to_contain_text("Your request: another administrator confirms it.")
    shot(page, "254-reset-waiting-for-a-second-person")
    assert TOTPDevice.objects.filter(user=cast.officer_a).exists()

    # ... confirmed by the zone's other administrator.
    second_context = new_context(context)
    try:
        other = second_context.new_page()
        sign_in_as(second_context, base, second)
        other.goto(base + "/accounts/agency/")
        other.get_by_role("button", name=re.compile("Confirm the reset")).click()
        expect(other.locator(".messages")).to_contain_text("The second factor is reset")
        shot(other, "255-reset-confirmed-by-the-second-administrator")
    finally:
        second_context.close()
    assert not TOTPDevice.objects.filter(user=cast.officer_a).exists()

    # Deactivate the officer.
    page.goto(base + "/accounts/agency/")
    page.locator("table.table").last.get_by_role("link", name="Officer Test").click()
    expect(page.locator("dl.facts")).to_contain_text("not set up")
    page.get_by_role("button", name="Deactivate the account").click()
    expect(page.locator(".messages")).to_contain_text("The account is deactivated")
    expect(page.locator("dl.facts")).to_contain_text("deactivated")
    expect(page.get_by_role("button", name="Reactivate the account")).to_be_visible()
    shot(page, "256-account-deactivated")
    assert not User.objects.get(pk=cast.officer_a.pk).is_active

"""Sign-in: password, then a mandatory TOTP code; lockout; expiry; demo accounts."""

from __future__ import annotations

import base64
from datetime import timedelta

from django.contrib.sessions.models import Session
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts.models import AgencyKind, Role
from relais.audit.models import Action, AuditEvent
from relais.conftest import TEST_PASSWORD, TEST_TOTP_SECRET, make_agency, make_user

MY_CASES = reverse("cases:my_cases")


def english_client() -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def current_code(secret: str = TEST_TOTP_SECRET) -> str:
    return f"{totp(base64.b32decode(secret)):06d}"


def sign_in_password(client: Client, username: str, password: str = TEST_PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_pages_require_sign_in(cast):
    response = Client().get(MY_CASES)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_password_alone_does_not_open_anything(cast):
    client = english_client()
    response = sign_in_password(client, "officer_a")
    assert response.url == reverse("accounts:verify")
    for url in (MY_CASES, reverse("cases:case_detail", args=[cast.case.pk])):
        assert client.get(url).url == reverse("accounts:verify")
    assert client.get(reverse("api:case_list")).status_code in (401, 403)


def test_second_factor_completes_sign_in_and_is_audited(cast):
    client = english_client()
    sign_in_password(client, "officer_a")
    wrong = client.post(reverse("accounts:verify"), {"token": "000000"})
    assert wrong.status_code == 200
    assert "not right" in wrong.content.decode()
    throttled = client.post(reverse("accounts:verify"), {"token": current_code()})
    assert "wait a few seconds" in throttled.content.decode()
    TOTPDevice.objects.get(user=cast.officer_a).throttle_reset()
    response = client.post(reverse("accounts:verify"), {"token": current_code()})
    assert response.url == reverse("home")  # and from there to her work (tests/test_landing.py)
    assert client.get(MY_CASES).status_code == 200
    event = AuditEvent.objects.filter(action=Action.SIGN_IN).last()
    assert event.user_id == cast.officer_a.pk


def test_new_account_enrols_its_authenticator_first(cast):
    user = make_user("newcomer", cast.zone_a, Role.INTERVENTION_OFFICER)
    TOTPDevice.objects.filter(user=user).delete()
    client = english_client()
    assert sign_in_password(client, "newcomer").url == reverse("accounts:enroll")
    page = client.get(reverse("accounts:enroll"))
    assert b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    code = f"{totp(device.bin_key):06d}"
    assert client.post(reverse("accounts:enroll"), {"token": code}).url == reverse("home")
    device.refresh_from_db()
    assert device.confirmed


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account(cast):
    client = english_client()
    for _attempt in range(3):
        response = sign_in_password(client, "officer_a", "wrong-password")
    response = sign_in_password(client, "officer_a")  # right password, but locked
    assert response.status_code == 429
    assert "locked" in response.content.decode().lower()
    failures = AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, username="officer_a")
    assert failures.count() >= 2


def test_session_expires_after_inactivity(cast, settings):
    assert settings.SESSION_COOKIE_AGE <= 3600
    client = english_client()
    sign_in_password(client, "officer_a")
    client.post(reverse("accounts:verify"), {"token": current_code()})
    assert client.get(MY_CASES).status_code == 200
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(MY_CASES)
    assert response.status_code == 302 and reverse("accounts:login") in response.url


@override_settings(DEBUG=False)
def test_demo_accounts_are_refused_when_debug_is_off(db):
    agency = make_agency("demo-zone", AgencyKind.POLICE_ZONE)
    agency.is_demo = True
    agency.save()
    make_user("demo_user", agency, Role.INTERVENTION_OFFICER)
    response = sign_in_password(english_client(), "demo_user")
    assert response.status_code == 200
    assert "demo server" in response.content.decode()


def test_sign_out_ends_the_session(cast):
    client = english_client()
    sign_in_password(client, "officer_a")
    client.post(reverse("accounts:verify"), {"token": current_code()})
    client.post(reverse("accounts:logout"))
    assert client.get(MY_CASES).status_code == 302


def test_weak_passwords_are_refused(settings):
    import pytest
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("short", "123456789012", "password1234"):
        with pytest.raises(ValidationError):
            validate_password(weak)
    assert validate_password("a long and unusual passphrase 7") is None

"""API tokens: expiry, the agency administrator's list and revocation, personal vs gateway,
and the audit events of their issue and of the second factor's enrolment."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from relais.accounts.models import ApiToken, ApiTokenKind, Role
from relais.accounts.services import api_token_issue
from relais.audit.models import Action, AuditEvent
from relais.conftest import TEST_PASSWORD, api_client, make_user, verified_client

CASES = "/api/cases/"
ACTIVATIONS = "/api/alarms/activations/"


def token_client(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_renewing_the_personal_token_revokes_the_old_one_at_once_and_is_audited(cast):
    client = verified_client(cast.officer_a)
    first = client.post(reverse("accounts:api_token"))
    old_key = first.context["token_key"]
    assert token_client(old_key).get(CASES).status_code == 200
    second = client.post(reverse("accounts:api_token"))
    new_key = second.context["token_key"]
    assert token_client(old_key).get(CASES).status_code == 401
    assert token_client(new_key).get(CASES).status_code == 200
    assert old_key not in str(list(ApiToken.objects.values_list("key_hash", "prefix")))
    live = ApiToken.objects.get(user=cast.officer_a, revoked_at__isnull=True)
    events = AuditEvent.objects.filter(object_type="accounts.apitoken", action=Action.CREATE,
                                       user_id=cast.officer_a.pk)
    assert events.count() == 2 and events.last().object_id == str(live.pk)
    page = client.get(reverse("accounts:api_token")).content.decode()
    assert "It expires on" in page and new_key not in page


def test_an_expired_token_is_refused_like_an_unknown_one(cast):
    with override_settings(API_TOKEN_DAYS=90):
        token, key = api_token_issue(actor=None, user=cast.officer_a, issued_by="test")
    assert token.expires_at - timezone.now() > timedelta(days=89)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    expired = token_client(key).get(CASES)
    unknown = token_client("not-a-token").get(CASES)
    assert expired.status_code == unknown.status_code == 401
    assert expired.json() == unknown.json()


def test_a_gateway_token_only_presses_alarms_and_a_personal_token_never_does(cast):
    gateway = api_client(cast.dispatcher_a, kind=ApiTokenKind.GATEWAY)
    personal = api_client(cast.dispatcher_a)
    press = {"device": "NO-SUCH", "at": timezone.now().isoformat()}
    assert gateway.post(ACTIVATIONS, press, format="json").status_code == 202
    assert personal.post(ACTIVATIONS, press, format="json").status_code == 404
    assert verified_client(cast.dispatcher_a).post(
        ACTIVATIONS, press, content_type="application/json").status_code == 404
    for url in (CASES, "/api/alarms/activations/1/summary/", "/api/schema/",
                f"/api/cases/{cast.case.pk}/"):
        assert gateway.get(url).status_code == 404, url
    assert personal.get(CASES).status_code == 200


def test_the_gateway_token_comes_from_the_command_line(cast, capsys):
    call_command("api_token_issue", "dispatcher_a", "--gateway")
    key = capsys.readouterr().out.split()[-1]
    token = ApiToken.objects.get(user=cast.dispatcher_a, revoked_at__isnull=True)
    assert token.kind == ApiTokenKind.GATEWAY and key.startswith(token.prefix)
    assert token_client(key).post(ACTIVATIONS, {"device": "X", "at": timezone.now().isoformat()},
                                  format="json").status_code == 202
    assert AuditEvent.objects.filter(object_type="accounts.apitoken", object_id=str(token.pk),
                                     username="manage.py api_token_issue").exists()


def test_the_agency_administrator_lists_and_revokes_her_agencys_tokens(
        cast, django_assert_max_num_queries):
    _own, officer_key = api_token_issue(actor=None, user=cast.officer_a, issued_by="test")
    api_token_issue(actor=None, user=cast.dispatcher_a, kind=ApiTokenKind.GATEWAY,
                    issued_by="test")
    api_token_issue(actor=None, user=cast.officer_b, issued_by="test")
    admin = verified_client(cast.admin_a)
    url = reverse("accounts:api_tokens")
    admin.get(url)  # warm the session and the caches
    with django_assert_max_num_queries(14):
        page = admin.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert "officer_a" in html and "dispatcher_a" in html and "Alarm gateway" in html
    assert "officer_b" not in html  # another agency's staff
    assert AuditEvent.objects.filter(user_id=cast.admin_a.pk, action=Action.READ,
                                     basis="API tokens of the agency listed").exists()
    token = ApiToken.objects.get(user=cast.officer_a, revoked_at__isnull=True)
    revoke = reverse("accounts:api_token_revoke", args=[token.pk])
    assert admin.post(revoke).url == url
    assert token_client(officer_key).get(CASES).status_code == 401
    event = AuditEvent.objects.get(object_type="accounts.apitoken", object_id=str(token.pk),
                                   action=Action.DELETE)
    assert event.user_id == cast.admin_a.pk


def test_the_list_grows_in_rows_not_in_queries(cast, django_assert_max_num_queries):
    admin = verified_client(cast.admin_a)
    url = reverse("accounts:api_tokens")
    api_token_issue(actor=None, user=cast.officer_a, issued_by="test")
    admin.get(url)
    with django_assert_max_num_queries(14) as few:
        admin.get(url)
    for user in (cast.sapv_a, cast.reference_a, cast.neighbourhood_a, cast.analyst_a):
        api_token_issue(actor=None, user=user, issued_by="test")
    with django_assert_max_num_queries(len(few.captured_queries)):
        admin.get(url)


@pytest.mark.parametrize("who", ["officer_a", "admin_b"])
def test_only_the_agencys_administrator_sees_or_revokes_its_tokens(cast, who):
    users = {"officer_a": cast.officer_a,
             "admin_b": make_user("admin_b", cast.zone_b, Role.ADMINISTRATOR)}
    token, key = api_token_issue(actor=None, user=cast.sapv_a, issued_by="test")
    client = verified_client(users[who])
    listing = client.get(reverse("accounts:api_tokens"))
    if who == "admin_b":  # her own agency's list, without zone A's tokens
        assert listing.status_code == 200 and "sapv_a" not in listing.content.decode()
    else:
        assert listing.status_code == 404
    assert client.post(reverse("accounts:api_token_revoke", args=[token.pk])).status_code == 404
    assert token_client(key).get(CASES).status_code == 200


def test_the_token_screens_require_sign_in(cast):
    token, _key = api_token_issue(actor=None, user=cast.sapv_a, issued_by="test")
    for url in (reverse("accounts:api_token"), reverse("accounts:api_tokens")):
        assert Client().get(url).url.startswith(reverse("accounts:login"))
    assert Client().post(reverse("accounts:api_token_revoke", args=[token.pk])).url.startswith(
        reverse("accounts:login"))
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None


def test_enrolling_the_authenticator_is_audited(cast):
    user = make_user("newcomer", cast.zone_a, Role.INTERVENTION_OFFICER)
    TOTPDevice.objects.filter(user=user).delete()
    client = Client()
    client.post(reverse("accounts:login"), {"username": "newcomer", "password": TEST_PASSWORD})
    client.get(reverse("accounts:enroll"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    client.post(reverse("accounts:enroll"), {"token": f"{totp(device.bin_key):06d}"})
    event = AuditEvent.objects.get(object_type="otp_totp.totpdevice", object_id=str(device.pk))
    assert event.action == Action.CREATE and event.user_id == user.pk
    assert event.basis == "second factor enrolled"
    assert not AuditEvent.objects.filter(basis__contains=device.key).exists()

"""Sign-ins at /admin/login/ are audited like those at /sign-in/."""

from __future__ import annotations

import base64

from django.test import Client
from django_otp.oath import totp

from relais.accounts.models import User
from relais.audit.models import Action, AuditEvent
from relais.conftest import TEST_PASSWORD, TEST_TOTP_SECRET

ADMIN_LOGIN = "/admin/login/"


def test_a_failed_admin_sign_in_is_audited_with_the_name_tried(cast):
    response = Client().post(ADMIN_LOGIN, {"username": "admin_a", "password": "wrong",
                                           "otp_token": "123456"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=Action.SIGN_IN_FAILED)
    assert event.username == "admin_a" and event.ip == "10.1.2.3" and event.user_id is None
    assert event.basis == "administration sign-in"


def test_a_wrong_second_factor_at_the_admin_is_a_failed_sign_in_too(cast):
    User.objects.filter(pk=cast.admin_a.pk).update(is_staff=True, is_superuser=True)
    device = cast.admin_a.totpdevice_set.get()
    Client().post(ADMIN_LOGIN, {"username": "admin_a", "password": TEST_PASSWORD,
                                "otp_device": device.persistent_id, "otp_token": "000000"})
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, username="admin_a").exists()
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()


def test_a_successful_admin_sign_in_is_audited(cast):
    User.objects.filter(pk=cast.admin_a.pk).update(is_staff=True, is_superuser=True)
    device = cast.admin_a.totpdevice_set.get()
    code = f"{totp(base64.b32decode(TEST_TOTP_SECRET)):06d}"
    response = Client().post(ADMIN_LOGIN, {"username": "admin_a", "password": TEST_PASSWORD,
                                           "otp_device": device.persistent_id,
                                           "otp_token": code})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.user_id == cast.admin_a.pk
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).exists()


def test_an_agency_administrator_does_not_get_into_the_admin_even_as_staff(cast):
    """/admin/ is the platform operators' (superusers'): an agency's administrator manages her
    accounts in Relais's screens (access.accounts.may_use_admin_site)."""
    User.objects.filter(pk=cast.admin_a.pk).update(is_staff=True)
    device = cast.admin_a.totpdevice_set.get()
    code = f"{totp(base64.b32decode(TEST_TOTP_SECRET)):06d}"
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(ADMIN_LOGIN, {"username": "admin_a", "password": TEST_PASSWORD,
                                         "otp_device": device.persistent_id, "otp_token": code})
    assert response.status_code == 200  # the form again, with the refusal
    assert "platform" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()
    # Even with a verified session of her own, the index sends her to the sign-in form.
    from relais.conftest import verified_client

    staff = verified_client(User.objects.get(pk=cast.admin_a.pk))
    assert staff.get("/admin/").status_code == 302
    assert staff.get("/admin/accounts/user/").status_code == 302

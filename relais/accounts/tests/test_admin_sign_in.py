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
    User.objects.filter(pk=cast.admin_a.pk).update(is_staff=True)
    device = cast.admin_a.totpdevice_set.get()
    Client().post(ADMIN_LOGIN, {"username": "admin_a", "password": TEST_PASSWORD,
                                "otp_device": device.persistent_id, "otp_token": "000000"})
    assert AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED, username="admin_a").exists()
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN).exists()


def test_a_successful_admin_sign_in_is_audited(cast):
    User.objects.filter(pk=cast.admin_a.pk).update(is_staff=True)
    device = cast.admin_a.totpdevice_set.get()
    code = f"{totp(base64.b32decode(TEST_TOTP_SECRET)):06d}"
    response = Client().post(ADMIN_LOGIN, {"username": "admin_a", "password": TEST_PASSWORD,
                                           "otp_device": device.persistent_id,
                                           "otp_token": code})
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=Action.SIGN_IN)
    assert event.user_id == cast.admin_a.pk
    assert not AuditEvent.objects.filter(action=Action.SIGN_IN_FAILED).exists()

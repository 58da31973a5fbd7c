"""Staff accounts: creation with roles, second-factor enrolment, sign-in rules."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts.models import Agency, Role, User, UserRole


@transaction.atomic
def user_create(*, username: str, agency: Agency, roles: Iterable[str], password: str | None,
                first_name: str = "", last_name: str = "", email: str = "") -> User:
    """A staff account in one agency with its roles (management and seeding)."""
    roles = list(roles)
    unknown = set(roles) - set(Role.values)
    if unknown or not roles:
        raise ValueError(f"unknown or missing roles: {sorted(unknown)}")
    user = User(username=username, agency=agency, first_name=first_name, last_name=last_name,
                email=email)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.full_clean(exclude=["password"])
    user.save()
    UserRole.objects.bulk_create(UserRole(user=user, role=role) for role in roles)
    return user


def b32_key(base32_secret: str) -> bytes:
    return base64.b32decode(base32_secret)


def totp_device_with_secret(*, user: User, base32_secret: str, name: str = "demo") -> TOTPDevice:
    """Enrol a confirmed TOTP device from a base32 secret (demo accounts)."""
    key = binascii.hexlify(b32_key(base32_secret)).decode()
    device, _created = TOTPDevice.objects.update_or_create(
        user=user, name=name, defaults={"key": key, "confirmed": True}
    )
    return device


def totp_secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def may_sign_in(user: User) -> bool:
    """Demo accounts are refused on a server whose DEBUG is off."""
    agency = user.agency
    return settings.DEBUG or agency is None or not agency.is_demo


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()

"""Staff accounts: creation with roles, second-factor enrolment, sign-in rules."""

from __future__ import annotations

import base64
import binascii
import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.access.accounts import may_revoke
from relais.accounts.models import Agency, ApiToken, ApiTokenKind, Role, User, UserRole
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor


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


@transaction.atomic
def totp_device_to_enrol(*, user: User) -> TOTPDevice:
    """The unconfirmed authenticator a user enrols at her first sign-in (made once)."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="authenticator",
                                                        confirmed=False)
    return device


def totp_confirm(*, actor: Actor, device: TOTPDevice) -> TOTPDevice:
    """The first right code confirms the authenticator being enrolled (audited)."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=actor, action=Action.CREATE, target=device,
                 basis="second factor enrolled")
    return device


# --- API tokens ---------------------------------------------------------------------------


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_lifetime(kind: str) -> timedelta:
    days = settings.GATEWAY_TOKEN_DAYS if kind == ApiTokenKind.GATEWAY else settings.API_TOKEN_DAYS
    return timedelta(days=days)


def api_token_find(*, key: str) -> ApiToken | None:
    """The live token with this key (not revoked, not expired, of an active user), or None."""
    return (ApiToken.objects.select_related("user__agency")
            .filter(key_hash=_key_hash(key), revoked_at__isnull=True,
                    expires_at__gt=timezone.now(), user__is_active=True)
            .first())


def api_token_find_own(*, user: User, kind: str) -> ApiToken | None:
    """The user's own live token of this kind (to show when it expires)."""
    return (ApiToken.objects.filter(user=user, kind=kind, revoked_at__isnull=True,
                                    expires_at__gt=timezone.now()).first())


@transaction.atomic
def api_token_issue(*, actor: Actor | None, user: User, kind: str = ApiTokenKind.PERSONAL,
                    issued_by: str = "") -> tuple[ApiToken, str]:
    """A new token for ``user``; her previous token of the same kind is revoked. Returns the
    token and its key, which is shown once and never stored.

    A person issues her own personal token (``actor`` is her); gateway tokens are issued from
    the command line (``manage.py api_token_issue --gateway``, ``actor`` None, ``issued_by``
    naming the command).
    """
    if kind not in ApiTokenKind.values:
        raise ValueError(f"unknown token kind: {kind}")
    if actor is not None and actor.user_id != user.pk:
        raise Http404
    now = timezone.now()
    ApiToken.objects.select_for_update().filter(user=user, kind=kind,
                                                revoked_at__isnull=True).update(
        revoked_at=now, revoked_by=user if actor else None)
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, kind=kind, key_hash=_key_hash(key),
                                    prefix=key[:6], expires_at=now + api_token_lifetime(kind))
    audit_record(actor=actor, action=Action.CREATE, target=token, username=issued_by,
                 basis=f"API token issued ({kind}) for user {user.pk}")
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: Actor, token_id: int) -> ApiToken:
    """Her agency's administrator, or the token's own user, revokes a token (audited)."""
    token = (ApiToken.objects.select_for_update().select_related("user")
             .filter(pk=token_id, revoked_at__isnull=True).first())
    if token is None:
        raise Http404
    if not may_revoke(actor, token):
        raise Http404
    token.revoked_at = timezone.now()
    token.revoked_by = actor.user
    token.save(update_fields=["revoked_at", "revoked_by"])
    audit_record(actor=actor, action=Action.DELETE, target=token,
                 basis=f"API token revoked ({token.kind}) of user {token.user_id}")
    return token

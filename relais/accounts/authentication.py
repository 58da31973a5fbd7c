"""API tokens on the wire: which token authenticates, and where a gateway token may go.

``ExpiringTokenAuthentication`` accepts ``Authorization: Token <key>`` for a token that is
neither revoked nor expired (otherwise 401, as for an unknown key). A personal token acts as
its user; a gateway token (the harassment-alarm platform) only posts alarm activations:
``PersonalCredentials`` (the default permission) answers 404 to it everywhere else, and
``GatewayCredentials`` (the activation endpoint) answers 404 to anything but it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from relais.accounts.models import ApiToken, ApiTokenKind
from relais.accounts.services import api_token_find


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key: str):
        token = api_token_find(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return token.user, token


def _token_kind(request: Request) -> str | None:
    return request.auth.kind if isinstance(request.auth, ApiToken) else None


class PersonalCredentials(BasePermission):
    """A verified session or a personal token; a gateway token finds nothing here."""

    def has_permission(self, request: Request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if _token_kind(request) == ApiTokenKind.GATEWAY:
            raise exceptions.NotFound
        return True


class GatewayCredentials(BasePermission):
    """Only a gateway token presses an alarm: a person's token or session finds nothing."""

    def has_permission(self, request: Request, view) -> bool:
        if not (request.user and request.user.is_authenticated):
            return False
        if _token_kind(request) != ApiTokenKind.GATEWAY:
            raise exceptions.NotFound
        return True

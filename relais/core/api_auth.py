"""API authentication (kept apart from relais.core.api to avoid an import cycle in DRF)."""

from __future__ import annotations

from drf_spectacular.authentication import SessionScheme
from rest_framework.authentication import SessionAuthentication
from rest_framework.request import Request


class VerifiedSessionAuthentication(SessionAuthentication):
    """A browser session counts for the API only once its second factor is verified."""

    def authenticate(self, request: Request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        is_verified = getattr(request._request.user, "is_verified", None)
        if not (is_verified and is_verified()):
            return None
        return user, auth


class VerifiedSessionScheme(SessionScheme):
    """Describes the verified session in the OpenAPI schema (cookie, like a plain session)."""

    target_class = "relais.core.api_auth.VerifiedSessionAuthentication"
    name = "verifiedSession"

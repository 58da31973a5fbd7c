"""The Actor: who is acting, for which agency, under which roles, from where.

Every service and selector takes an ``actor`` keyword argument; the access policy and the
audit trail read everything they need from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest

    from relais.accounts.models import Agency, User


@dataclass(frozen=True)
class Actor:
    user: User
    agency: Agency | None
    roles: frozenset[str]
    ip: str | None = None
    channel: str = field(default="web")

    @property
    def user_id(self) -> int:
        return self.user.pk

    @property
    def agency_id(self) -> int | None:
        return self.agency.pk if self.agency else None

    def has_role(self, *roles: str) -> bool:
        """The primitive of the access policy (relais.access); apps call the policy."""
        return bool(self.roles.intersection(roles))

    def role_among(self, *roles: str) -> str:
        """The first of ``roles`` she holds, else the last: to address a task to her own role
        (not an access decision)."""
        return next((role for role in roles if role in self.roles), roles[-1])

    @classmethod
    def for_user(cls, user: User, *, ip: str | None = None, channel: str = "web") -> Actor:
        return cls(user=user, agency=user.agency, roles=user.role_codes, ip=ip, channel=channel)


def client_ip(request: HttpRequest) -> str | None:
    """The client address as seen by Django (REMOTE_ADDR, set by the proxy in production)."""
    return request.META.get("REMOTE_ADDR")


def actor_from(request: HttpRequest, *, channel: str = "web") -> Actor:
    """The Actor of a signed-in request, built once per request."""
    actor = getattr(request, "_relais_actor", None)
    if actor is None:
        actor = Actor.for_user(request.user, ip=client_ip(request), channel=channel)
        request._relais_actor = actor
    return actor

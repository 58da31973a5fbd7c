"""Reading accounts across an access boundary: the agency's API tokens."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from relais.access.accounts import may_manage_tokens
from relais.accounts.models import ApiToken
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor


def api_token_list(*, actor: Actor) -> list[ApiToken]:
    """The live tokens (not revoked, not expired) of the actor's agency's staff, for its
    administrator; soonest to expire first. The listing is audited."""
    if not may_manage_tokens(actor):
        raise Http404
    tokens = list(ApiToken.objects.select_related("user")
                  .filter(user__agency_id=actor.agency_id, revoked_at__isnull=True,
                          expires_at__gt=timezone.now())
                  .order_by("expires_at", "pk"))
    audit_record(actor=actor, action=Action.READ, basis="API tokens of the agency listed")
    return tokens

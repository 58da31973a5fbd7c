"""Access policy of accounts: who manages the agency's API tokens.

Each person issues and revokes her own token; the agency's administrator lists and revokes the
tokens of her agency's staff (personal tokens and the alarm gateway's).
"""

from __future__ import annotations

from relais.accounts.models import ApiToken, Role
from relais.core.actor import Actor


def may_manage_tokens(actor: Actor) -> bool:
    """The agency's administrator lists and revokes the API tokens of her agency's staff."""
    return actor.agency_id is not None and actor.has_role(Role.ADMINISTRATOR)


def may_revoke(actor: Actor, token: ApiToken) -> bool:
    """Her own token, or, for the administrator, a token of her agency's staff."""
    return token.user_id == actor.user_id or (
        may_manage_tokens(actor) and token.user.agency_id == actor.agency_id)

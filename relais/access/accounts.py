"""Access policy of accounts: the agency's administration of its own staff, its API tokens, and
who reaches Django's /admin/.

- Each person issues and revokes her own token; the agency's administrator lists and revokes the
  tokens of her agency's staff (personal tokens and the alarm gateway's).
- The agency's administrator (``Role.ADMINISTRATOR``) lists, invites, changes the roles of,
  deactivates and reactivates her own agency's accounts, and asks for their second factor to
  be reset. Another agency's account is not there (404).
- The roles she may give are those of her agency's kind (``ROLES_BY_KIND``): a police zone has
  no magistrate, a shelter no intervention officer.
- A second-factor reset needs two people: one administrator asks, a *different* administrator
  of the same agency confirms (``may_confirm_reset``); nobody confirms her own request.
- The agency keeps at least one active administrator (``administrators_of``, used by the
  services' last-administrator guard).
- ``/admin/`` is for the platform's operators (superusers with a second factor), never for an
  agency's administrator (``may_use_admin_site``): it is neither scoped by agency nor audited.
"""

from __future__ import annotations

from django.db.models import QuerySet

from relais.accounts.models import (
    AgencyKind,
    ApiToken,
    Role,
    SecondFactorReset,
    User,
)
from relais.core.actor import Actor

# Roles every kind of agency may give: its administrator and its analyst (figures only).
_EVERY_KIND = (Role.ADMINISTRATOR, Role.ANALYST)
_SUPPORT = (Role.SUPPORT_WORKER,)

ROLES_BY_KIND: dict[str, frozenset[str]] = {
    kind: frozenset((*_EVERY_KIND, *roles)) for kind, roles in {
        AgencyKind.POLICE_ZONE: (
            Role.INTERVENTION_OFFICER, Role.RECEPTION_OFFICER, Role.NEIGHBOURHOOD_OFFICER,
            Role.IPV_REFERENCE_OFFICER, Role.VICTIM_ASSISTANCE_WORKER, Role.EVA_OFFICER,
            Role.DISPATCHER),
        AgencyKind.PROSECUTOR: (Role.MAGISTRATE, Role.LEGAL_ADVISOR),
        AgencyKind.HOUSE_OF_JUSTICE: (Role.JUSTICE_ASSISTANT,),
        AgencyKind.VICTIM_SUPPORT: _SUPPORT,
        AgencyKind.SHELTER: (Role.SHELTER_WORKER, Role.SUPPORT_WORKER),
        AgencyKind.SEXUAL_VIOLENCE_CENTRE: _SUPPORT,
        AgencyKind.CPAS: _SUPPORT,
        AgencyKind.YOUTH_AID: _SUPPORT,
        AgencyKind.HEALTH: _SUPPORT,
        AgencyKind.PERPETRATOR_PROGRAMME: (Role.PROGRAMME_COUNSELLOR,),
        AgencyKind.HELPLINE: (Role.HELPLINE_OPERATOR,),
        AgencyKind.PLATFORM: (Role.PLATFORM_COORDINATOR, Role.DIRECTORY_EDITOR),
        AgencyKind.MUNICIPALITY: _SUPPORT,
        AgencyKind.FAMILY_COURT: (Role.MAGISTRATE, Role.COURT_CLERK),
        AgencyKind.YOUTH_COURT: (Role.MAGISTRATE, Role.COURT_CLERK),
    }.items()
}


def administers_accounts(actor: Actor) -> bool:
    """The agency's administrator manages its accounts (the menu entry "Accounts")."""
    return actor.agency_id is not None and actor.has_role(Role.ADMINISTRATOR)


def may_manage_tokens(actor: Actor) -> bool:
    """The agency's administrator lists and revokes the API tokens of her agency's staff."""
    return administers_accounts(actor)


def may_revoke(actor: Actor, token: ApiToken) -> bool:
    """Her own token, or, for the administrator, a token of her agency's staff."""
    return token.user_id == actor.user_id or (
        may_manage_tokens(actor) and token.user.agency_id == actor.agency_id)


def account_scope(actor: Actor) -> QuerySet[User]:
    """The accounts the actor administers: her own agency's, for its administrator."""
    if not administers_accounts(actor):
        return User.objects.none()
    return User.objects.filter(agency_id=actor.agency_id)


def assignable_roles(kind: str) -> frozenset[str]:
    """The roles an agency of this kind gives its staff."""
    return ROLES_BY_KIND.get(kind, frozenset(_EVERY_KIND))


def is_administrator_role(role: str) -> bool:
    return role == Role.ADMINISTRATOR


def administrators_of(agency_id: int) -> QuerySet[User]:
    """The agency's active administrators (it must keep one)."""
    return User.objects.filter(agency_id=agency_id, is_active=True,
                               roles__role=Role.ADMINISTRATOR).distinct()


def reset_scope(actor: Actor) -> QuerySet[SecondFactorReset]:
    """The second-factor resets of the actor's agency, for its administrator."""
    if not administers_accounts(actor):
        return SecondFactorReset.objects.none()
    return SecondFactorReset.objects.filter(agency_id=actor.agency_id)


def may_confirm_reset(actor: Actor, reset: SecondFactorReset) -> bool:
    """The second person: an administrator of the same agency who did not ask for it."""
    return (administers_accounts(actor) and reset.agency_id == actor.agency_id
            and reset.is_pending and reset.requested_by_id != actor.user_id)


def may_cancel_reset(actor: Actor, reset: SecondFactorReset) -> bool:
    """Any administrator of the agency withdraws a pending request (the asker or another)."""
    return (administers_accounts(actor) and reset.agency_id == actor.agency_id
            and reset.is_pending)


def may_use_admin_site(user: User) -> bool:
    """Django's /admin/ is the platform operators' (superusers): not scoped by agency, so never
    an agency administrator's, whatever her ``is_staff`` says."""
    return user.is_active and user.is_staff and user.is_superuser

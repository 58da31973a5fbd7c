"""Reading the agency's own accounts, for its administrator. The list and each account read
are audited, like every other list of personal data (names, e-mail addresses)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.http import Http404
from django.utils import timezone

from relais.access import accounts as policy
from relais.accounts.models import AccountInvitation, ApiToken, Role, SecondFactorReset, User
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor

ACTIVE, INVITED, DEACTIVATED = "active", "invited", "deactivated"


def _open_invitation():
    return AccountInvitation.objects.filter(user=OuterRef("pk"), accepted_at__isnull=True,
                                            cancelled_at__isnull=True)


def _pending_reset():
    return SecondFactorReset.objects.filter(user=OuterRef("pk"), confirmed_at__isnull=True,
                                            cancelled_at__isnull=True)


def account_status(account: User) -> str:
    """Active; invited (inactive, its invitation not accepted yet); or deactivated."""
    if account.is_active:
        return ACTIVE
    if getattr(account, "has_open_invitation", False) or not account.has_usable_password():
        return INVITED
    return DEACTIVATED


@dataclass(frozen=True)
class AccountRow:
    account: User
    roles: list[str]  # role labels, in the order of ``Role``
    status: str
    reset_pending: bool


def _role_labels(account: User) -> list[str]:
    codes = {user_role.role for user_role in account.roles.all()}
    return [str(label) for code, label in Role.choices if code in codes]


def _accounts(actor: Actor):
    return (policy.account_scope(actor).select_related("unit")
            .prefetch_related("roles")
            .annotate(has_open_invitation=Exists(_open_invitation()),
                      has_pending_reset=Exists(_pending_reset())))


def agency_account_list(*, actor: Actor) -> list[AccountRow]:
    """The accounts of the actor's agency (her administrator only), by name; audited."""
    if not policy.administers_accounts(actor):
        raise Http404
    rows = [AccountRow(account=account, roles=_role_labels(account),
                       status=account_status(account), reset_pending=account.has_pending_reset)
            for account in _accounts(actor).order_by("last_name", "first_name", "username")]
    audit_record(actor=actor, action=Action.READ, basis="accounts of the agency listed")
    return rows


def pending_resets(*, actor: Actor) -> list[tuple[SecondFactorReset, bool]]:
    """The agency's second-factor resets waiting for a second person, each with whether the
    actor may confirm it (not her own request)."""
    resets = (policy.reset_scope(actor).filter(confirmed_at__isnull=True,
                                               cancelled_at__isnull=True)
              .select_related("user", "requested_by").order_by("requested_at", "pk"))
    return [(reset, policy.may_confirm_reset(actor, reset)) for reset in resets]


@dataclass(frozen=True)
class AccountDetail:
    account: User
    roles: list[str]  # role codes
    status: str
    reset: SecondFactorReset | None  # the pending one
    may_confirm_reset: bool
    tokens: list[ApiToken]  # live ones
    has_second_factor: bool


def agency_account_get(*, actor: Actor, user_id: int) -> AccountDetail:
    """One account of the actor's agency, for its administrator (404 otherwise); audited."""
    account = _accounts(actor).filter(pk=user_id).first()
    if account is None:
        raise Http404
    reset = (SecondFactorReset.objects.select_related("requested_by")
             .filter(user=account, confirmed_at__isnull=True, cancelled_at__isnull=True).first())
    tokens = list(ApiToken.objects.filter(user=account, revoked_at__isnull=True,
                                          expires_at__gt=timezone.now()))
    audit_record(actor=actor, action=Action.READ, target=account, basis="agency account read")
    return AccountDetail(
        account=account, roles=sorted(user_role.role for user_role in account.roles.all()),
        status=account_status(account), reset=reset,
        may_confirm_reset=reset is not None and policy.may_confirm_reset(actor, reset),
        tokens=tokens, has_second_factor=account.totpdevice_set.filter(confirmed=True).exists())

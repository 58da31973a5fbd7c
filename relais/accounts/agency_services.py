"""The agency's administration of its own accounts (docs/agency-administration.md): invite,
change roles, reset the second factor with a second person, deactivate and reactivate.

Every service is atomic, asks the policy (``relais.access.accounts``; every refusal is 404),
locks the agency's row so that two administrators acting at once cannot leave it without an
active administrator, and writes its audit event in the same transaction. E-mails are queued in
that transaction and leave after the answer (``relais.notifications.mail``).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.access import accounts as policy
from relais.accounts.models import (
    AccountInvitation,
    Agency,
    SecondFactorReset,
    User,
    UserRole,
)
from relais.accounts.services import user_create
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.core.links import public_url
from relais.core.versions import values_check, version_of
from relais.notifications.mail import mail_queue

INVITATION_LIFETIME = timedelta(days=7)


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _locked_agency(actor: Actor) -> Agency:
    """The actor's agency, locked until the end of the transaction (serialises the changes
    that the last-administrator guard reads), if she administers its accounts."""
    if not policy.administers_accounts(actor):
        raise Http404
    return Agency.objects.select_for_update().get(pk=actor.agency_id)


def _account(actor: Actor, user_id: int) -> User:
    account = policy.account_scope(actor).filter(pk=user_id).first()
    if account is None:
        raise Http404
    return account


def _field_error(field: str, message: str | Promise, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _check_roles(agency: Agency, roles: list[str]) -> None:
    if not roles:
        raise _field_error("roles", _("Choose at least one role."), "no_role")
    if set(roles) - policy.assignable_roles(agency.kind):
        raise _field_error("roles", _("This role is not one of your agency's."),
                           "role_not_of_agency")


def _keeps_an_administrator(agency: Agency, *, without: User) -> bool:
    """Whether the agency keeps an active administrator other than ``without``."""
    return policy.administrators_of(agency.pk).exclude(pk=without.pk).exists()


LAST_ADMINISTRATOR = gettext_lazy("Your agency must keep at least one active administrator: "
                                  "give the role to someone else first.")

# The e-mails (in the agency's first working language). They name no case and no victim.
INVITATION_SUBJECT = gettext_lazy("Your Relais account")
INVITATION_BODY = gettext_lazy(
    "%(agency)s invites you to Relais (user name: %(username)s).\n\n"
    "Open this link within 7 days to choose your password, then set up the authenticator app "
    "that gives your sign-in codes:\n%(url)s\n\n"
    "The link works once. If you did not expect this e-mail, ignore it.")
RESET_ASKED_SUBJECT = gettext_lazy("Relais: a second-factor reset to confirm")
RESET_ASKED_BODY = gettext_lazy(
    "An administrator of %(agency)s asks for a second-factor reset. It needs a second "
    "administrator: confirm or cancel it in Relais: %(url)s")
RESET_DONE_SUBJECT = gettext_lazy("Relais: your second factor was reset")
RESET_DONE_BODY = gettext_lazy(
    "Two administrators of %(agency)s reset your second factor. At your next sign-in, set up "
    "your authenticator app again: %(url)s\n"
    "If you did not ask for this, tell your administrator at once.")


def _mail(*, sender: Agency, email: str, subject: Promise, body: Promise, **params: str) -> None:
    """One e-mail in the agency's first working language, queued in this transaction."""
    if not email:
        return
    with translation.override(sender.languages[0] if sender.languages else "fr"):
        mail_queue(subject=str(subject), message=str(body) % params, recipients=[email])


# --- Invitations ------------------------------------------------------------------------------


def _invitation_send(*, actor: Actor, account: User, agency: Agency) -> AccountInvitation:
    """A new one-time link for ``account`` (an open one is cancelled), e-mailed after the
    answer."""
    now = timezone.now()
    AccountInvitation.objects.filter(user=account, accepted_at__isnull=True,
                                     cancelled_at__isnull=True).update(cancelled_at=now)
    key = secrets.token_urlsafe(32)
    invitation = AccountInvitation.objects.create(
        user=account, key_hash=_key_hash(key), created_by=actor.user,
        expires_at=now + INVITATION_LIFETIME)
    _mail(sender=agency, email=account.email, subject=INVITATION_SUBJECT, body=INVITATION_BODY,
          agency=agency.name, username=account.get_username(),
          url=public_url(reverse("accounts:invitation", args=[key])))
    return invitation


@transaction.atomic
def account_invite(*, actor: Actor, username: str, first_name: str, last_name: str,
                   email: str, roles: Iterable[str]) -> User:
    """A new account of the actor's agency, inactive until its holder follows the link of the
    invitation e-mail (sets a password, then enrols her second factor)."""
    agency = _locked_agency(actor)
    roles = sorted(set(roles))
    _check_roles(agency, roles)
    if not email:
        raise _field_error("email", _("The invitation goes to this address."), "email_required")
    account = user_create(username=username, agency=agency, roles=roles, password=None,
                          first_name=first_name, last_name=last_name, email=email)
    account.is_active = False
    account.save(update_fields=["is_active"])
    _invitation_send(actor=actor, account=account, agency=agency)
    audit_record(actor=actor, action=Action.CREATE, target=account,
                 basis=f"account invited with roles {','.join(roles)}")
    return account


@transaction.atomic
def invitation_resend(*, actor: Actor, user_id: int) -> AccountInvitation:
    """A fresh link for an account that has not accepted its invitation yet."""
    agency = _locked_agency(actor)
    account = _account(actor, user_id)
    if account.is_active or account.has_usable_password():
        raise ValidationError(_("This account has already accepted its invitation."),
                              code="already_accepted")
    invitation = _invitation_send(actor=actor, account=account, agency=agency)
    audit_record(actor=actor, action=Action.UPDATE, target=account, basis="invitation sent again")
    return invitation


def invitation_find(*, key: str) -> AccountInvitation | None:
    """The open, unexpired invitation with this key, or None."""
    return (AccountInvitation.objects.select_related("user__agency")
            .filter(key_hash=_key_hash(key), accepted_at__isnull=True,
                    cancelled_at__isnull=True, expires_at__gt=timezone.now())
            .first())


@transaction.atomic
def invitation_accept(*, key: str, password: str, ip: str | None = None) -> User:
    """The invited person chose her password (validated by the caller's form): the account is
    active; she enrols her second factor next. The link then works no more."""
    invitation = invitation_find(key=key)
    if invitation is None:
        raise Http404
    invitation = AccountInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_open:
        raise Http404
    account = invitation.user
    account.set_password(password)
    account.is_active = True
    account.save(update_fields=["password", "is_active"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    audit_record(actor=Actor.for_user(account, ip=ip), action=Action.UPDATE, target=account,
                 basis="invitation accepted: password set")
    return account


# --- Roles, deactivation ----------------------------------------------------------------------


@transaction.atomic
def account_roles_set(*, actor: Actor, user_id: int, roles: Iterable[str],
                      version: str | None = None) -> User:
    """Give ``account`` exactly ``roles`` (roles of the agency's kind). The agency keeps an
    active administrator. ``version``: her roles as the administrator read them
    (``roles_version``); changed by another administrator since, ``EditConflict``."""
    agency = _locked_agency(actor)  # locked: one change of the agency's accounts at a time
    account = _account(actor, user_id)
    current = set(account.roles.values_list("role", flat=True))
    values_check({"roles": sorted(current)}, version)
    roles = set(roles)
    _check_roles(agency, sorted(roles))
    removed, added = current - roles, roles - current
    if (account.is_active and any(policy.is_administrator_role(r) for r in removed)
            and not _keeps_an_administrator(agency, without=account)):
        raise _field_error("roles", LAST_ADMINISTRATOR, "last_administrator")
    if not removed and not added:
        return account
    account.roles.filter(role__in=removed).delete()
    UserRole.objects.bulk_create(UserRole(user=account, role=role) for role in sorted(added))
    account._role_codes = frozenset(roles)
    audit_record(actor=actor, action=Action.UPDATE, target=account,
                 basis=f"roles changed: +{','.join(sorted(added))} -{','.join(sorted(removed))}")
    return account


def roles_version(roles: Iterable[str]) -> str:
    """The version of an account's roles, for its form (relais.core.versions)."""
    return version_of({"roles": sorted(roles)})


@transaction.atomic
def account_deactivate(*, actor: Actor, user_id: int) -> User:
    """The account signs in no more, and its API tokens stop working; its open invitation is
    cancelled. Not the agency's last active administrator."""
    agency = _locked_agency(actor)
    account = _account(actor, user_id)
    if not account.is_active and not account.invitations.filter(
            accepted_at__isnull=True, cancelled_at__isnull=True).exists():
        raise ValidationError(_("This account is already deactivated."), code="inactive")
    if (account.is_active and policy.administrators_of(agency.pk).filter(pk=account.pk).exists()
            and not _keeps_an_administrator(agency, without=account)):
        raise ValidationError(LAST_ADMINISTRATOR, code="last_administrator")
    account.is_active = False
    account.save(update_fields=["is_active"])
    account.invitations.filter(accepted_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now())
    audit_record(actor=actor, action=Action.UPDATE, target=account, basis="account deactivated")
    return account


@transaction.atomic
def account_reactivate(*, actor: Actor, user_id: int) -> User:
    """A deactivated account signs in again (with its password and second factor). An account
    that never accepted its invitation gets a new invitation instead."""
    _locked_agency(actor)
    account = _account(actor, user_id)
    if account.is_active:
        raise ValidationError(_("This account is active."), code="active")
    if not account.has_usable_password():
        raise ValidationError(_("This account never chose a password: send the invitation "
                                "again instead."), code="never_accepted")
    account.is_active = True
    account.save(update_fields=["is_active"])
    audit_record(actor=actor, action=Action.UPDATE, target=account, basis="account reactivated")
    return account


# --- Second-factor reset, with a second person -------------------------------------------------


@transaction.atomic
def second_factor_reset_request(*, actor: Actor, user_id: int, reason: str) -> SecondFactorReset:
    """Ask for ``account``'s second factor to be reset; another administrator of the agency
    confirms (they are told by e-mail). Nothing changes until then."""
    agency = _locked_agency(actor)
    account = _account(actor, user_id)
    reason = reason.strip()
    if not reason:
        raise _field_error("reason", _("Say why (e.g. phone lost)."), "no_reason")
    if SecondFactorReset.objects.filter(user=account, confirmed_at__isnull=True,
                                        cancelled_at__isnull=True).exists():
        raise ValidationError(_("A reset of this account's second factor already waits for "
                                "confirmation."), code="pending")
    reset = SecondFactorReset(agency=agency, user=account, reason=reason,
                              requested_by=actor.user)
    reset.full_clean()
    reset.save()
    audit_record(actor=actor, action=Action.CREATE, target=reset,
                 basis=f"second-factor reset requested for user {account.pk}")
    url = public_url(reverse("accounts:agency_accounts"))
    for email in (policy.administrators_of(agency.pk).exclude(pk=actor.user_id)
                  .exclude(email="").values_list("email", flat=True)):
        _mail(sender=agency, email=email, subject=RESET_ASKED_SUBJECT, body=RESET_ASKED_BODY,
              agency=agency.name, url=url)
    return reset


def _pending_reset(actor: Actor, reset_id: int) -> SecondFactorReset:
    reset = (policy.reset_scope(actor).select_for_update().select_related("user")
             .filter(pk=reset_id).first())
    if reset is None:
        raise Http404
    return reset


@transaction.atomic
def second_factor_reset_confirm(*, actor: Actor, reset_id: int) -> SecondFactorReset:
    """The second administrator confirms: the account's authenticators are removed now; at its
    next sign-in it enrols a new one (its signed-in sessions must pass a code again)."""
    _locked_agency(actor)
    reset = _pending_reset(actor, reset_id)
    if not policy.may_confirm_reset(actor, reset):
        raise Http404
    reset.confirmed_by = actor.user
    reset.confirmed_at = timezone.now()
    reset.save(update_fields=["confirmed_by", "confirmed_at"])
    removed, _kinds = TOTPDevice.objects.filter(user=reset.user).delete()
    audit_record(actor=actor, action=Action.UPDATE, target=reset,
                 basis=f"second-factor reset confirmed: {removed} authenticator(s) of user "
                       f"{reset.user_id} removed")
    _mail(sender=reset.user.agency, email=reset.user.email, subject=RESET_DONE_SUBJECT,
          body=RESET_DONE_BODY, agency=reset.user.agency.name,
          url=public_url(reverse("accounts:login")))
    return reset


@transaction.atomic
def second_factor_reset_cancel(*, actor: Actor, reset_id: int) -> SecondFactorReset:
    _locked_agency(actor)
    reset = _pending_reset(actor, reset_id)
    if not policy.may_cancel_reset(actor, reset):
        raise Http404
    reset.cancelled_by = actor.user
    reset.cancelled_at = timezone.now()
    reset.save(update_fields=["cancelled_by", "cancelled_at"])
    audit_record(actor=actor, action=Action.UPDATE, target=reset,
                 basis=f"second-factor reset cancelled for user {reset.user_id}")
    return reset

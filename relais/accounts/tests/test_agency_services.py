"""The agency's administration of its accounts: each service, its audit event, the policy's
404 for another agency, the roles of the agency's kind, the second-person rule of a
second-factor reset and the last-administrator guard."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.http import Http404
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts import agency_selectors as selectors
from relais.accounts import agency_services as services
from relais.accounts.models import AccountInvitation, Role, SecondFactorReset, User
from relais.audit.models import Action, AuditEvent
from relais.conftest import actor, make_user, run_mail_queue


@pytest.fixture
def second_admin(cast) -> User:
    return make_user("admin_a2", cast.zone_a, Role.ADMINISTRATOR)


def last_event(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(**filters).order_by("-id").first()


def invite(cast, username: str = "new_officer", roles=(Role.INTERVENTION_OFFICER,)) -> User:
    return services.account_invite(actor=actor(cast.admin_a), username=username,
                                   first_name="Nora", last_name="Nouvelle",
                                   email=f"{username}@zone-a.invalid", roles=roles)


def invitation_key() -> str:
    """The key of the link in the last e-mail sent."""
    run_mail_queue()
    return re.search(r"/invitation/([^/\s]+)/", mail.outbox[-1].body).group(1)


# --- Invite ----------------------------------------------------------------------------------


def test_inviting_creates_an_inactive_account_mails_a_one_time_link_and_is_audited(cast):
    account = invite(cast)
    assert not account.is_active and not account.has_usable_password()
    assert account.agency_id == cast.zone_a.pk
    assert set(account.role_codes) == {Role.INTERVENTION_OFFICER}
    event = last_event(action=Action.CREATE, object_id=str(account.pk))
    assert event.user_id == cast.admin_a.pk and "invited" in event.basis
    assert mail.outbox == []  # queued in the transaction, sent after the answer
    key = invitation_key()
    assert mail.outbox[-1].to == ["new_officer@zone-a.invalid"]
    assert "Alice" not in mail.outbox[-1].body  # no case data

    accepted = services.invitation_accept(key=key, password="a-long-passphrase-42!")
    assert accepted.is_active and accepted.check_password("a-long-passphrase-42!")
    assert last_event(action=Action.UPDATE, object_id=str(account.pk)).basis.startswith(
        "invitation accepted")
    with pytest.raises(Http404):  # the link works once
        services.invitation_accept(key=key, password="another-passphrase-43!")


def test_only_roles_of_the_agencys_kind_can_be_given(cast):
    with pytest.raises(ValidationError) as error:
        invite(cast, roles=[Role.MAGISTRATE])  # a police zone has no magistrate
    assert "roles" in error.value.message_dict
    assert not User.objects.filter(username="new_officer").exists()
    with pytest.raises(ValidationError):
        invite(cast, roles=[])


def test_a_taken_user_name_is_a_field_error(cast):
    with pytest.raises(ValidationError) as error:
        invite(cast, username="officer_a")
    assert "username" in error.value.message_dict


def test_only_the_agencys_administrator_invites(cast):
    for user in (cast.officer_a, cast.analyst_a, cast.legal_advisor):
        with pytest.raises(Http404):
            services.account_invite(actor=actor(user), username="x", first_name="X",
                                    last_name="Y", email="x@y.invalid",
                                    roles=[Role.ANALYST])


def test_sending_the_invitation_again_ends_the_previous_link(cast):
    account = invite(cast)
    first = invitation_key()
    services.invitation_resend(actor=actor(cast.admin_a), user_id=account.pk)
    second = invitation_key()
    assert first != second
    assert services.invitation_find(key=first) is None
    assert services.invitation_find(key=second) is not None
    assert last_event(action=Action.UPDATE, object_id=str(account.pk)).basis == (
        "invitation sent again")


# --- Roles -----------------------------------------------------------------------------------


def test_changing_roles_is_audited_with_what_changed(cast):
    services.account_roles_set(actor=actor(cast.admin_a), user_id=cast.officer_a.pk,
                               roles=[Role.INTERVENTION_OFFICER, Role.IPV_REFERENCE_OFFICER])
    assert set(User.objects.get(pk=cast.officer_a.pk).role_codes) == {
        Role.INTERVENTION_OFFICER, Role.IPV_REFERENCE_OFFICER}
    event = last_event(action=Action.UPDATE, object_id=str(cast.officer_a.pk))
    assert event.basis == "roles changed: +ipv_reference_officer -"
    assert event.user_id == cast.admin_a.pk


def test_another_agencys_account_is_not_found(cast):
    with pytest.raises(Http404):
        services.account_roles_set(actor=actor(cast.admin_a), user_id=cast.officer_b.pk,
                                   roles=[Role.INTERVENTION_OFFICER])
    with pytest.raises(Http404):
        services.account_deactivate(actor=actor(cast.admin_a), user_id=cast.legal_advisor.pk)
    with pytest.raises(Http404):
        selectors.agency_account_get(actor=actor(cast.admin_a), user_id=cast.officer_b.pk)
    with pytest.raises(Http404):
        services.second_factor_reset_request(actor=actor(cast.admin_a),
                                             user_id=cast.officer_b.pk, reason="lost")


def test_the_last_administrator_keeps_her_role(cast):
    with pytest.raises(ValidationError) as error:
        services.account_roles_set(actor=actor(cast.admin_a), user_id=cast.admin_a.pk,
                                   roles=[Role.ANALYST])
    assert error.value.error_dict["roles"][0].code == "last_administrator"
    assert Role.ADMINISTRATOR in User.objects.get(pk=cast.admin_a.pk).role_codes


def test_with_a_second_administrator_she_may_give_up_the_role(cast, second_admin):
    services.account_roles_set(actor=actor(cast.admin_a), user_id=cast.admin_a.pk,
                               roles=[Role.ANALYST])
    assert User.objects.get(pk=cast.admin_a.pk).role_codes == {Role.ANALYST}


def test_an_inactive_second_administrator_does_not_count(cast, second_admin):
    services.account_deactivate(actor=actor(cast.admin_a), user_id=second_admin.pk)
    with pytest.raises(ValidationError):
        services.account_roles_set(actor=actor(cast.admin_a), user_id=cast.admin_a.pk,
                                   roles=[Role.ANALYST])


# --- Deactivate, reactivate ------------------------------------------------------------------


def test_deactivating_and_reactivating_are_audited(cast):
    services.account_deactivate(actor=actor(cast.admin_a), user_id=cast.officer_a.pk)
    assert not User.objects.get(pk=cast.officer_a.pk).is_active
    assert last_event(object_id=str(cast.officer_a.pk)).basis == "account deactivated"
    with pytest.raises(ValidationError):
        services.account_deactivate(actor=actor(cast.admin_a), user_id=cast.officer_a.pk)
    services.account_reactivate(actor=actor(cast.admin_a), user_id=cast.officer_a.pk)
    assert User.objects.get(pk=cast.officer_a.pk).is_active
    assert last_event(object_id=str(cast.officer_a.pk)).basis == "account reactivated"


def test_the_last_active_administrator_cannot_deactivate_herself(cast, second_admin):
    services.account_deactivate(actor=actor(cast.admin_a), user_id=second_admin.pk)
    with pytest.raises(ValidationError) as error:
        services.account_deactivate(actor=actor(cast.admin_a), user_id=cast.admin_a.pk)
    assert error.value.code == "last_administrator"
    assert User.objects.get(pk=cast.admin_a.pk).is_active


def test_with_another_active_administrator_she_may_deactivate_herself(cast, second_admin):
    services.account_deactivate(actor=actor(cast.admin_a), user_id=cast.admin_a.pk)
    assert not User.objects.get(pk=cast.admin_a.pk).is_active


def test_cancelling_an_invitation_ends_its_link(cast):
    account = invite(cast)
    key = invitation_key()
    services.account_deactivate(actor=actor(cast.admin_a), user_id=account.pk)
    assert services.invitation_find(key=key) is None
    assert not AccountInvitation.objects.filter(user=account, cancelled_at__isnull=True).exists()
    with pytest.raises(ValidationError):  # never accepted: invite again instead
        services.account_reactivate(actor=actor(cast.admin_a), user_id=account.pk)


# --- Second-factor reset, with a second person -------------------------------------------


def test_a_reset_needs_a_second_administrator_and_is_applied_only_then(cast, second_admin):
    reset = services.second_factor_reset_request(actor=actor(cast.admin_a),
                                                 user_id=cast.officer_a.pk, reason="phone lost")
    assert last_event(action=Action.CREATE, object_type="accounts.secondfactorreset").object_id \
        == str(reset.pk)
    assert TOTPDevice.objects.filter(user=cast.officer_a).exists()  # nothing changed yet

    with pytest.raises(Http404):  # nobody confirms her own request
        services.second_factor_reset_confirm(actor=actor(cast.admin_a), reset_id=reset.pk)
    assert TOTPDevice.objects.filter(user=cast.officer_a).exists()

    services.second_factor_reset_confirm(actor=actor(second_admin), reset_id=reset.pk)
    reset.refresh_from_db()
    assert reset.confirmed_by_id == second_admin.pk and not reset.is_pending
    assert not TOTPDevice.objects.filter(user=cast.officer_a).exists()
    event = last_event(action=Action.UPDATE, object_type="accounts.secondfactorreset")
    assert event.user_id == second_admin.pk and "confirmed" in event.basis
    with pytest.raises(Http404):  # done: it cannot be confirmed twice
        services.second_factor_reset_confirm(actor=actor(second_admin), reset_id=reset.pk)


def test_the_other_administrators_are_told_and_the_account_after_the_reset(cast, second_admin):
    User.objects.filter(pk=second_admin.pk).update(email="admin2@zone-a.invalid")
    User.objects.filter(pk=cast.officer_a.pk).update(email="officer@zone-a.invalid")
    reset = services.second_factor_reset_request(actor=actor(cast.admin_a),
                                                 user_id=cast.officer_a.pk, reason="phone lost")
    run_mail_queue()
    assert [m.to for m in mail.outbox] == [["admin2@zone-a.invalid"]]
    services.second_factor_reset_confirm(actor=actor(second_admin), reset_id=reset.pk)
    run_mail_queue()
    assert mail.outbox[-1].to == ["officer@zone-a.invalid"]


def test_an_administrator_of_another_agency_cannot_confirm(cast, second_admin):
    admin_b = make_user("admin_b", cast.zone_b, Role.ADMINISTRATOR)
    reset = services.second_factor_reset_request(actor=actor(cast.admin_a),
                                                 user_id=cast.officer_a.pk, reason="phone lost")
    for user in (admin_b, cast.officer_a, cast.reference_a):
        with pytest.raises(Http404):
            services.second_factor_reset_confirm(actor=actor(user), reset_id=reset.pk)
    assert SecondFactorReset.objects.get(pk=reset.pk).is_pending


def test_one_pending_reset_at_a_time_and_it_can_be_cancelled(cast, second_admin):
    reset = services.second_factor_reset_request(actor=actor(cast.admin_a),
                                                 user_id=cast.officer_a.pk, reason="phone lost")
    with pytest.raises(ValidationError):
        services.second_factor_reset_request(actor=actor(second_admin),
                                             user_id=cast.officer_a.pk, reason="again")
    services.second_factor_reset_cancel(actor=actor(second_admin), reset_id=reset.pk)
    assert last_event(action=Action.UPDATE, object_type="accounts.secondfactorreset").basis \
        .startswith("second-factor reset cancelled")
    with pytest.raises(Http404):
        services.second_factor_reset_confirm(actor=actor(second_admin), reset_id=reset.pk)
    assert TOTPDevice.objects.filter(user=cast.officer_a).exists()


def test_a_reset_needs_a_reason(cast):
    with pytest.raises(ValidationError):
        services.second_factor_reset_request(actor=actor(cast.admin_a),
                                             user_id=cast.officer_a.pk, reason="  ")


# --- Reads -----------------------------------------------------------------------------------


def test_the_account_list_is_the_agencys_and_is_audited(cast):
    rows = selectors.agency_account_list(actor=actor(cast.admin_a))
    names = {row.account.username for row in rows}
    assert "officer_a" in names and "admin_a" in names
    assert "officer_b" not in names and "legal_advisor" not in names
    assert last_event(action=Action.READ).basis == "accounts of the agency listed"
    with pytest.raises(Http404):
        selectors.agency_account_list(actor=actor(cast.officer_a))


def test_reading_an_account_is_audited(cast):
    selectors.agency_account_get(actor=actor(cast.admin_a), user_id=cast.officer_a.pk)
    event = last_event(action=Action.READ)
    assert event.object_id == str(cast.officer_a.pk) and event.user_id == cast.admin_a.pk

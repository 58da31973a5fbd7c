"""Screens of the agency's administration of its accounts: sign-in required, another agency's
account 404, the list's query count, the menu entry, and the invitation link's two steps."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from relais.accounts import agency_services as services
from relais.accounts.models import Role, SecondFactorReset, User
from relais.audit.models import Action, AuditEvent
from relais.conftest import actor, make_user, run_mail_queue, verified_client

LIST = "accounts:agency_accounts"


def test_every_page_requires_sign_in(cast):
    client = Client()
    for name, kwargs in ((LIST, {}), ("accounts:agency_invite", {}),
                         ("accounts:agency_account", {"user_id": cast.officer_a.pk})):
        response = client.get(reverse(name, kwargs=kwargs))
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_only_the_agencys_administrator_gets_the_pages(cast):
    for user in (cast.officer_a, cast.analyst_a, cast.reference_a, cast.legal_advisor):
        client = verified_client(user)
        assert client.get(reverse(LIST)).status_code == 404
        assert client.get(reverse("accounts:agency_invite")).status_code == 404
        assert client.get(reverse("accounts:agency_account",
                                  args=[cast.officer_a.pk])).status_code == 404


def test_another_agencys_account_is_404(cast):
    client = verified_client(cast.admin_a)
    for name in ("accounts:agency_account",):
        assert client.get(reverse(name, args=[cast.officer_b.pk])).status_code == 404
    for name in ("accounts:agency_account_roles", "accounts:agency_account_deactivate",
                 "accounts:agency_account_reactivate", "accounts:agency_invitation_resend",
                 "accounts:agency_reset_request"):
        response = client.post(reverse(name, args=[cast.officer_b.pk]),
                               {"roles": [Role.INTERVENTION_OFFICER], "reason": "x"})
        assert response.status_code == 404, name
    assert User.objects.get(pk=cast.officer_b.pk).is_active


def test_the_list_shows_the_agencys_accounts_in_few_queries(cast, django_assert_max_num_queries):
    for number in range(8):
        make_user(f"extra_{number}", cast.zone_a, Role.INTERVENTION_OFFICER, Role.ANALYST)
    client = verified_client(cast.admin_a)
    client.get(reverse(LIST))  # the menu's badges warm up
    with django_assert_max_num_queries(16):
        response = client.get(reverse(LIST))
    page = response.content.decode()
    assert "extra_7" in page and "officer_a" in page
    assert "officer_b" not in page and "legal_advisor" not in page
    assert AuditEvent.objects.filter(action=Action.READ, user_id=cast.admin_a.pk,
                                     basis="accounts of the agency listed").exists()


def test_the_menu_shows_accounts_to_the_administrator_only(cast):
    url = reverse(LIST)
    assert f'href="{url}"' in verified_client(cast.admin_a).get(
        reverse("accounts:api_token")).content.decode()
    assert f'href="{url}"' not in verified_client(cast.officer_a).get(
        reverse("accounts:api_token")).content.decode()


def test_invite_form_offers_only_the_agencys_roles_and_keeps_input_on_error(cast):
    client = verified_client(cast.admin_a)
    page = client.get(reverse("accounts:agency_invite")).content.decode()
    assert 'value="intervention_officer"' in page and 'value="magistrate"' not in page
    response = client.post(reverse("accounts:agency_invite"), {
        "username": "officer_a", "first_name": "Nora", "last_name": "Nouvelle",
        "email": "nora@zone-a.invalid", "roles": [Role.INTERVENTION_OFFICER]})
    assert response.status_code == 200  # the user name is taken: the form again, kept
    assert 'value="nora@zone-a.invalid"' in response.content.decode()


def test_the_invitation_link_sets_a_password_then_asks_for_the_second_factor(cast):
    admin = verified_client(cast.admin_a)
    response = admin.post(reverse("accounts:agency_invite"), {
        "username": "nora", "first_name": "Nora", "last_name": "Nouvelle",
        "email": "nora@zone-a.invalid", "roles": [Role.VICTIM_ASSISTANCE_WORKER]})
    account = User.objects.get(username="nora")
    assert response.status_code == 302 and not account.is_active
    run_mail_queue()
    link = re.search(r"https?://[^\s]+/invitation/[^\s]+/", mail.outbox[-1].body).group(0)
    path = link[link.index("/invitation/"):]

    visitor = Client()
    step = visitor.get(path)
    assert step.status_code == 302 and step["Location"] == reverse("accounts:invitation_password")
    page = visitor.get(step["Location"])
    assert "nora" in page.content.decode()
    done = visitor.post(step["Location"], {"new_password1": "a-long-passphrase-42!",
                                           "new_password2": "a-long-passphrase-42!"})
    assert done.status_code == 302 and done["Location"] == reverse("accounts:enroll")
    assert visitor.get(reverse("accounts:enroll")).status_code == 200  # the QR code
    assert User.objects.get(pk=account.pk).is_active
    # The link works once.
    assert Client().get(path).status_code == 404
    assert Client().get(reverse("accounts:invitation_password")).status_code == 404


def test_a_wrong_invitation_link_is_404_with_an_explanation(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(
        reverse("accounts:invitation", args=["not-a-key"]))
    assert response.status_code == 404
    assert "no longer works" in response.content.decode()


@pytest.fixture
def second_admin(cast) -> User:
    return make_user("admin_a2", cast.zone_a, Role.ADMINISTRATOR)


def test_the_requester_sees_no_confirm_button_the_second_administrator_does(cast, second_admin):
    reset = services.second_factor_reset_request(actor=actor(cast.admin_a),
                                                 user_id=cast.officer_a.pk, reason="phone lost")
    confirm = reverse("accounts:agency_reset_confirm", args=[reset.pk])
    mine = verified_client(cast.admin_a)
    assert confirm not in mine.get(reverse(LIST)).content.decode()
    assert mine.post(confirm).status_code == 404
    other = verified_client(second_admin)
    assert confirm in other.get(reverse(LIST)).content.decode()
    assert other.post(confirm).status_code == 302
    assert not SecondFactorReset.objects.get(pk=reset.pk).is_pending
    # Another agency's administrator: 404.
    admin_b = verified_client(make_user("admin_b", cast.zone_b, Role.ADMINISTRATOR))
    assert admin_b.post(reverse("accounts:agency_reset_cancel", args=[reset.pk])
                        ).status_code == 404


def test_the_last_administrator_sees_why_she_cannot_leave(cast):
    client = verified_client(cast.admin_a)
    response = client.post(reverse("accounts:agency_account_roles", args=[cast.admin_a.pk]),
                           {"roles": [Role.ANALYST]})
    assert response.status_code == 200
    assert "at least one active administrator" in response.content.decode()
    response = client.post(reverse("accounts:agency_account_deactivate",
                                   args=[cast.admin_a.pk]), follow=True)
    assert "at least one active administrator" in response.content.decode()
    assert User.objects.get(pk=cast.admin_a.pk).is_active


def test_a_deactivated_account_is_signed_out_at_once(cast):
    officer = verified_client(cast.officer_a)
    assert officer.get(reverse("cases:my_cases")).status_code == 200
    verified_client(cast.admin_a).post(reverse("accounts:agency_account_deactivate",
                                               args=[cast.officer_a.pk]))
    response = officer.get(reverse("cases:my_cases"))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_giving_up_her_own_administrator_role_leads_her_to_her_start_page(cast, second_admin):
    client = verified_client(cast.admin_a)
    response = client.post(reverse("accounts:agency_account_roles", args=[cast.admin_a.pk]),
                           {"roles": [Role.ANALYST]})
    assert response.status_code == 302 and response["Location"] == reverse("cases:my_cases")
    assert client.get(reverse(LIST)).status_code == 404


def test_the_demo_zones_have_two_administrators():
    from relais.demo.management.commands.seed_demo import STAFF

    admins = [row for row in STAFF if row[1] == "police_zone" and Role.ADMINISTRATOR in row[2]]
    assert len(admins) == 2

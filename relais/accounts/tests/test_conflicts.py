"""No lost update (issue 20 §1) on an account's roles: two administrators of the agency change
them; the second save over a newer version is refused, shows both and keeps her choice;
"Keep mine" then saves hers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.accounts import agency_services as services
from relais.accounts.models import Role
from relais.conftest import actor, make_user, verified_client
from relais.core.models import FormDraft
from relais.core.tests.conflict_helpers import refused_without_audit, version_in

pytestmark = pytest.mark.django_db


def test_two_administrators_change_the_same_roles_the_second_sees_both_and_decides(cast):
    page_url = reverse("accounts:agency_account", args=[cast.officer_a.pk])
    url = reverse("accounts:agency_account_roles", args=[cast.officer_a.pk])
    second_user = make_user("admin_two", cast.zone_a, Role.ADMINISTRATOR)
    first, second = verified_client(cast.admin_a), verified_client(second_user)
    read = version_in(first.get(page_url).content.decode().split('id="roles-heading"', 1)[1])

    assert first.post(url, {"roles": [Role.INTERVENTION_OFFICER, Role.ANALYST],
                            "version": read}).status_code == 302
    refused = second.post(url, {"roles": [Role.INTERVENTION_OFFICER, Role.EVA_OFFICER],
                                "version": read})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page
    assert "Keep mine and save" in page
    assert FormDraft.objects.filter(user=second_user, path=url).exists()
    assert set(cast.officer_a.roles.values_list("role", flat=True)) == {
        Role.INTERVENTION_OFFICER, Role.ANALYST}

    theirs = second.post(url, {"_discard_draft": "1"})
    assert theirs.status_code == 302 and theirs.url == page_url
    newer = version_in(page.split('id="roles-heading"', 1)[1])
    assert second.post(url, {"roles": [Role.INTERVENTION_OFFICER, Role.EVA_OFFICER],
                             "version": newer}).status_code == 302
    assert set(cast.officer_a.roles.values_list("role", flat=True)) == {
        Role.INTERVENTION_OFFICER, Role.EVA_OFFICER}
    refused_without_audit(lambda: services.account_roles_set(
        actor=actor(cast.admin_a), user_id=cast.officer_a.pk, roles=[Role.ANALYST],
        version=read))

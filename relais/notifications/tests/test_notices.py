"""Notices to the team that contacts the victim."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse

from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.conftest import actor, verified_client
from relais.notifications import selectors, services
from relais.notifications.models import Notice, NoticeKind


@pytest.fixture
def notice(cast) -> Notice:
    return services.notice_send(actor=actor(cast.officer_a), agency=cast.zone_a,
                                for_role=Role.VICTIM_ASSISTANCE_WORKER, case=cast.case,
                                kind=NoticeKind.REVISIT_DONE)


def test_the_inbox_shows_the_teams_notices_and_is_audited(cast, notice):
    client = verified_client(cast.sapv_a)
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert cast.case.reference in page
    assert "A revisit was made" in page
    assert AuditEvent.objects.filter(user_id=cast.sapv_a.pk, action="read",
                                     basis__startswith="notices").exists()
    # The menu shows the count of open notices.
    home = client.get(reverse("cases:my_cases")).content.decode()
    assert 'Notices <span class="badge">1</span>' in home


def test_other_roles_and_agencies_do_not_receive_it(cast, notice):
    assert selectors.notice_list(actor=actor(cast.officer_b)) == []
    assert selectors.notice_list(actor=actor(cast.officer_a)) == []  # not the SAPV
    page = verified_client(cast.officer_b).get(reverse("notifications:inbox")).content.decode()
    assert cast.case.reference not in page


def test_taking_a_notice_is_recorded_once(cast, notice):
    taken = services.notice_acknowledge(actor=actor(cast.sapv_a), notice_id=notice.pk)
    again = services.notice_acknowledge(actor=actor(cast.sapv_a), notice_id=notice.pk)
    assert taken.acknowledged_by == cast.sapv_a
    assert again.acknowledged_at == taken.acknowledged_at
    assert AuditEvent.objects.filter(object_type="notifications.notice", action="update",
                                     object_id=str(notice.pk)).count() == 1
    assert selectors.notice_list(actor=actor(cast.sapv_a)) == []
    assert selectors.notice_list(actor=actor(cast.sapv_a), include_done=True) == [taken]


def test_an_outsider_cannot_take_it(cast, notice):
    with pytest.raises(Http404):
        services.notice_acknowledge(actor=actor(cast.officer_b), notice_id=notice.pk)
    response = verified_client(cast.officer_b).post(
        reverse("notifications:acknowledge", args=[notice.pk]))
    assert response.status_code == 404


def test_the_inbox_requires_sign_in(cast, notice):
    response = Client().get(reverse("notifications:inbox"))
    assert response.status_code == 302
    response = Client().post(reverse("notifications:acknowledge", args=[notice.pk]))
    assert response.status_code == 302

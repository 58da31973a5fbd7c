"""No lost update (issue 20 §1) on a consultation body's protocol: two coordinators edit it;
the second save over a newer version is refused, shows both and keeps her typing; "Keep mine"
then saves hers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.accounts.models import Role
from relais.conftest import actor, make_user, verified_client
from relais.consultation import services
from relais.consultation.tests.conftest import make_body
from relais.core.tests.conflict_helpers import refused_without_audit, second_save_refused

pytestmark = pytest.mark.django_db


def test_two_coordinators_keep_the_protocol_the_second_sees_both_and_decides(cast):
    body = make_body(cast)
    url = reverse("consultation:body_admin", args=[body.pk])
    base = {"protocol_reference": body.protocol_reference, "agenda_fields": ["names"],
            "coordinator": str(cast.coordinator.pk)}
    second = verified_client(make_user("coordinator_two", cast.platform,
                                       Role.PLATFORM_COORDINATOR))
    newer = second_save_refused(
        url=url, first=verified_client(cast.coordinator), second=second, base=base,
        theirs={"protocol_reference": "Protocol 2027/2 (theirs)"},
        mine={"protocol_reference": "Protocol 2027/9 (mine)",
              "agenda_fields": ["names", "birth_dates"]},
        shown=["Protocol 2027/2 (theirs)", "Protocol 2027/9 (mine)"])
    body.refresh_from_db()
    assert body.protocol_reference == "Protocol 2027/2 (theirs)"
    assert body.agenda_fields == ["names"]

    kept = second.post(url, {**base, "protocol_reference": "Protocol 2027/9 (mine)",
                             "agenda_fields": ["names", "birth_dates"], "version": newer})
    assert kept.status_code == 302
    body.refresh_from_db()
    assert body.protocol_reference == "Protocol 2027/9 (mine)"


def test_the_protocol_service_refuses_a_newer_version_and_writes_nothing(cast):
    body = make_body(cast)
    coordinator = actor(cast.coordinator)
    read = services.body_version(body)
    services.body_update(actor=coordinator, body_id=body.pk, protocol_reference="P/2",
                         agenda_fields=["names"], coordinator_id=None, version=read)
    conflict = refused_without_audit(lambda: services.body_update(
        actor=coordinator, body_id=body.pk, protocol_reference="P/3", agenda_fields=["names"],
        coordinator_id=None, version=read))
    assert conflict.current["protocol_reference"] == "P/2"
    body.refresh_from_db()
    assert body.protocol_reference == "P/2"

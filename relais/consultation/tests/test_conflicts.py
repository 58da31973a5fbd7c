"""No lost update (issue 20 §1) on a consultation body's protocol: two coordinators edit it;
the second save over a newer version is refused, shows both and keeps her typing; "Keep mine"
then saves hers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.accounts.models import Role
from relais.conftest import actor, make_user, verified_client
from relais.consultation import services
from relais.consultation.models import Contribution, Membership
from relais.consultation.tests.conftest import hear, make_body
from relais.core.models import FormDraft
from relais.core.tests.conflict_helpers import (
    refused_without_audit,
    second_save_refused,
    version_in,
)

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


def test_two_colleagues_write_their_agencys_contribution(cast, table):
    hearing = table.meeting.hearings.get()
    url = reverse("consultation:contribution", args=[hearing.pk])
    base = {"risk_seen": "high", "facts": "", "situation": "", "children": "", "health": ""}
    second = verified_client(make_user("support_two", cast.support, Role.SUPPORT_WORKER))
    newer = second_save_refused(
        url=url, first=verified_client(cast.support_worker), second=second, base=base,
        theirs={"situation": "She sleeps at her sister's (theirs)."},
        mine={"situation": "She went back home (mine)."},
        shown=["She sleeps at her sister&#x27;s (theirs).", "She went back home (mine)."])
    assert Contribution.objects.get().situation == "She sleeps at her sister's (theirs)."
    assert second.post(url, {**base, "situation": "She went back home (mine).",
                             "version": newer}).status_code == 302
    assert Contribution.objects.get().situation == "She went back home (mine)."


def test_two_coordinators_record_the_same_hearing(cast, table):
    plan = hear(cast, table)
    hearing = table.meeting.hearings.get()
    url = reverse("consultation:hearing", args=[hearing.pk])
    base = {"level": "very_high", "decisions": plan.hearings.get().decisions,
            "children": plan.children}
    second = verified_client(make_user("coordinator_two", cast.platform,
                                       Role.PLATFORM_COORDINATOR))
    newer = second_save_refused(
        url=url, first=verified_client(cast.coordinator), second=second, base=base,
        theirs={"decisions": "Daily patrol (theirs)."}, mine={"level": "high"},
        shown=["Daily patrol (theirs).", "Risk level agreed"])
    hearing.refresh_from_db()
    assert hearing.decisions == "Daily patrol (theirs)." and hearing.level == "very_high"
    assert second.post(url, {**base, "decisions": "Daily patrol (theirs).", "level": "high",
                             "version": newer}).status_code == 302
    hearing.refresh_from_db()
    assert hearing.level == "high"
    refused_without_audit(lambda: services.hearing_record(
        actor=actor(cast.coordinator), hearing_id=hearing.pk, level="medium",
        decisions="x", children="y", version=newer))


def test_two_coordinators_publish_criteria_the_second_sees_both_and_decides(cast):
    from relais.consultation.tests.test_admin import criteria_post

    body = make_body(cast)
    url = reverse("consultation:criteria", args=[body.pk])
    second = verified_client(make_user("coordinator_two", cast.platform,
                                       Role.PLATFORM_COORDINATOR))
    newer = second_save_refused(
        url=url, first=verified_client(cast.coordinator), second=second, base=criteria_post(),
        theirs={"emergency_hours": "12"}, mine={"repeat_months": "18"},
        shown=["Emergency: heard within how many hours", "Repeat:"])
    criteria = services.criteria_current(body)
    assert criteria.rules["emergency_hours"] == 12 and criteria.rules["repeat_months"] == 12

    kept = second.post(url, criteria_post(emergency_hours="12", repeat_months="18",
                                          version=newer))
    assert kept.status_code == 302
    criteria = services.criteria_current(body)
    assert criteria.rules["emergency_hours"] == 12 and criteria.rules["repeat_months"] == 18
    refused_without_audit(lambda: services.criteria_publish(
        actor=actor(cast.coordinator), body_id=body.pk, rules=criteria.rules, note="again",
        version=newer))


def test_two_coordinators_change_the_same_member(cast):
    body = make_body(cast)
    member = Membership.objects.get(body=body, agency=cast.zone_a)
    page_url = reverse("consultation:body_admin", args=[body.pk]) + f"?member={member.pk}"
    url = reverse("consultation:member_save", args=[body.pk])
    officer_two = make_user("officer_two", cast.zone_a, Role.INTERVENTION_OFFICER)
    first = verified_client(cast.coordinator)
    second_user = make_user("coordinator_two", cast.platform, Role.PLATFORM_COORDINATOR)
    second = verified_client(second_user)
    read = version_in(first.get(page_url).content.decode().split('id="members-h"', 1)[1])
    base = {"agency": cast.zone_a.pk, "representative": cast.reference_a.pk}

    assert first.post(url, {**base, "deputy": cast.officer_a.pk,
                            "version": read}).status_code == 302
    refused = second.post(url, {**base, "deputy": officer_two.pk, "version": read})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page
    assert "Keep mine and save" in page and "Deputy" in page
    assert FormDraft.objects.filter(user=second_user, path=url).exists()
    member.refresh_from_db()
    assert member.deputy_id == cast.officer_a.pk

    theirs = second.post(url, {"_discard_draft": "1"})
    assert theirs.status_code == 302 and theirs.url.endswith("#members-h")
    newer = version_in(page.split('id="members-h"', 1)[1])
    assert second.post(url, {**base, "deputy": officer_two.pk,
                             "version": newer}).status_code == 302
    member.refresh_from_db()
    assert member.deputy_id == officer_two.pk
    refused_without_audit(lambda: services.member_save(
        actor=actor(cast.coordinator), body_id=body.pk, agency_id=cast.zone_a.pk,
        representative_id=None, deputy_id=None, version=read))

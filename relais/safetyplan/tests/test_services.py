"""The safety plan's writes, each with its audit event in the same transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from relais.audit.models import Action, AuditEvent
from relais.conftest import actor
from relais.safetyplan import services
from relais.safetyplan.models import PlanConsent, PlanVersion
from relais.safetyplan.tests.factories import content, make_plan


def test_a_sapv_makes_a_plan_with_her(cast):
    plan = make_plan(cast)
    version = plan.versions.get()
    assert (version.number, version.changed, version.reviewed_by_id) == (1, True, cast.sapv_a.pk)
    assert version.children.get().picked_up_by == "Léa"
    assert set(plan.risk_persons.values_list("pk", flat=True)) == {cast.perpetrator_id}
    event = AuditEvent.objects.filter(action=Action.CREATE, case_id=cast.case.pk).last()
    assert event.scopes == "safety_plan" and "safety plan made" in event.basis


def test_an_officer_cannot_make_one(cast):
    with pytest.raises(Http404):
        services.plan_create(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             person_id=cast.victim_id, content=content(cast))


def test_only_for_a_victim_of_the_case(cast):
    with pytest.raises(Http404):
        services.plan_create(actor=actor(cast.sapv_a), case_id=cast.case.pk,
                             person_id=cast.perpetrator_id, content=content(cast))


def test_one_plan_per_service(cast):
    make_plan(cast)
    with pytest.raises(ValidationError):
        make_plan(cast)


def test_a_child_must_be_a_child_of_the_case(cast):
    from relais.safetyplan.services import ChildLine

    with pytest.raises(ValidationError):
        make_plan(cast, children=(ChildLine(child_id=cast.perpetrator_id, what_they_do="x"),))


def test_review_adds_a_version_and_keeps_the_previous(cast):
    plan = make_plan(cast)
    version = services.plan_review(actor=actor(cast.sapv_a), plan_id=plan.pk,
                                   content=content(cast, code_word="Mamie Jo"), language="nl",
                                   review_note="Second contact", read_number=1)
    assert (version.number, version.changed) == (2, True)
    assert PlanVersion.objects.get(plan=plan, number=1).code_word == "Tante Rosa"
    assert version.code_word == "Mamie Jo"
    event = AuditEvent.objects.filter(action=Action.REVIEW, case_id=cast.case.pk).last()
    assert "version 2, changed" in event.basis


def test_a_review_with_nothing_changed_is_recorded_as_such(cast):
    plan = make_plan(cast)
    version = services.plan_review(actor=actor(cast.sapv_a), plan_id=plan.pk,
                                   content=content(cast), language="nl", read_number=1)
    assert (version.number, version.changed) == (2, False)
    confirmed = services.plan_confirm(actor=actor(cast.sapv_a), plan_id=plan.pk,
                                      review_note="Rien de neuf", read_number=2)
    assert (confirmed.number, confirmed.changed) == (3, False)
    assert confirmed.code_word == "Tante Rosa" and confirmed.children.count() == 1
    assert AuditEvent.objects.filter(action=Action.REVIEW, case_id=cast.case.pk,
                                     basis__contains="nothing changed").count() == 2


def test_a_review_over_a_newer_version_is_refused(cast):
    plan = make_plan(cast)
    services.plan_confirm(actor=actor(cast.sapv_a), plan_id=plan.pk, read_number=1)
    with translation.override("en"), pytest.raises(ValidationError, match="meanwhile"):
        services.plan_review(actor=actor(cast.sapv_a), plan_id=plan.pk,
                             content=content(cast, code_word="Other"), language="nl",
                             read_number=1)
    assert plan.versions.count() == 2


def test_consent_recorded_and_withdrawn_audited(cast):
    plan = make_plan(cast)
    consent = services.consent_record(actor=actor(cast.sapv_a), plan_id=plan.pk,
                                      agency_id=cast.shelter.pk, method="oral_in_person")
    assert AuditEvent.objects.filter(action=Action.SHARE, case_id=cast.case.pk,
                                     basis__contains="safety plan").exists()
    services.consent_revoke(actor=actor(cast.sapv_a), consent_id=consent.pk)
    consent.refresh_from_db()
    assert consent.revoked_at is not None and consent.revoked_by_id == cast.sapv_a.pk
    assert AuditEvent.objects.filter(action=Action.UNSHARE, case_id=cast.case.pk,
                                     basis__contains="safety plan").exists()


def test_no_consent_to_a_perpetrator_programme(cast):
    plan = make_plan(cast)
    with pytest.raises(ValidationError):
        services.consent_record(actor=actor(cast.sapv_a), plan_id=plan.pk,
                                agency_id=cast.programme.pk, method="written")
    assert not PlanConsent.objects.exists()


def test_only_the_service_that_made_it_reviews_it(cast):
    plan = make_plan(cast)
    services.consent_record(actor=actor(cast.sapv_a), plan_id=plan.pk,
                            agency_id=cast.prosecutor.pk, method="written")
    for user in (cast.officer_a, cast.legal_advisor, cast.officer_b):
        with pytest.raises(Http404):
            services.plan_confirm(actor=actor(user), plan_id=plan.pk)

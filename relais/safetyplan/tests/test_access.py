"""The access rule of the safety plan (relais/access/safetyplan.py): her support service; others
only on her consent; never a perpetrator programme, never an agency working with a person the
plan names as a risk. Every refusal is the same 404."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.http import Http404

from relais.access import safetyplan as policy
from relais.access.cases import case_access
from relais.accounts.models import AgencyKind, Role
from relais.cases import services as case_services
from relais.cases.models import ParticipantRole
from relais.conftest import actor, make_agency, make_user
from relais.safetyplan import selectors, services
from relais.safetyplan.models import PlanConsent
from relais.safetyplan.tests.factories import make_plan, refer


def _reads(user, plan) -> bool:
    try:
        selectors.plan_get(actor=actor(user), plan_id=plan.pk)
    except Http404:
        return False
    return True


def _consent(cast, plan, agency) -> PlanConsent:
    return services.consent_record(actor=actor(cast.sapv_a), plan_id=plan.pk,
                                   agency_id=agency.pk, method="oral_in_person")


def test_only_the_support_staff_of_the_service_that_made_it(cast):
    plan = make_plan(cast)
    assert _reads(cast.sapv_a, plan)
    # The same police zone, but not its victim-assistance service: no.
    for user in (cast.officer_a, cast.reference_a, cast.neighbourhood_a, cast.admin_a,
                 cast.officer_b, cast.shelter_worker, cast.support_worker, cast.counsellor,
                 cast.legal_advisor):
        assert not _reads(user, plan), user.username


def test_another_agency_reads_it_with_her_consent_until_she_withdraws_it(cast):
    plan = make_plan(cast)
    refer(cast, cast.shelter, cast.victim_id)  # the shelter sees the case
    assert not _reads(cast.shelter_worker, plan)
    consent = _consent(cast, plan, cast.shelter)
    assert _reads(cast.shelter_worker, plan)
    services.consent_revoke(actor=actor(cast.sapv_a), consent_id=consent.pk)
    assert not _reads(cast.shelter_worker, plan)


def test_consent_alone_does_not_open_a_case_she_does_not_see(cast):
    plan = make_plan(cast)
    _consent(cast, plan, cast.shelter)  # no referral: the shelter does not see the case
    assert not _reads(cast.shelter_worker, plan)


def test_never_a_perpetrator_programme_even_with_consent(cast):
    plan = make_plan(cast)
    refer(cast, cast.programme, cast.perpetrator_id)
    # Even a consent row written behind the services' back opens nothing.
    PlanConsent.objects.create(plan=plan, agency=cast.programme, method="written",
                               recorded_by=cast.sapv_a)
    assert not _reads(cast.counsellor, plan)
    access = case_access(actor=actor(cast.counsellor), case_id=cast.case.pk)
    assert not policy.case_plans(access).exists()
    assert selectors.case_panel(access, frozenset({"plans"})) is None


def test_never_an_agency_working_with_the_alleged_perpetrator(cast):
    """The support service takes the perpetrator's referral: it works with him, so it never
    sees her plan, whatever she consented; a consent to it cannot be recorded."""
    plan = make_plan(cast, risk_person_ids=())  # not ticked: the perpetrator counts anyway
    refer(cast, cast.support, cast.perpetrator_id)
    PlanConsent.objects.create(plan=plan, agency=cast.support, method="written",
                               recorded_by=cast.sapv_a)
    assert not _reads(cast.support_worker, plan)
    assert cast.support not in policy.consent_targets(plan)


def test_never_an_agency_working_with_a_person_the_plan_names_as_a_risk(cast):
    brother = case_services.person_add_to_case(
        actor=actor(cast.officer_a), case_id=cast.case.pk, role=ParticipantRole.HOUSEHOLD_MEMBER,
        first_name="Marc", last_name="Fictif").person_id
    refer(cast, cast.shelter, brother)  # the shelter works with her brother
    plan = make_plan(cast)
    _consent(cast, plan, cast.shelter)
    assert _reads(cast.shelter_worker, plan)  # he is not named as a risk: her consent counts
    current = services.PlanContent.of_version(plan.versions.get())
    services.plan_review(actor=actor(cast.sapv_a), plan_id=plan.pk, language="nl",
                         content=replace(current, risk_person_ids=(cast.perpetrator_id, brother)))
    assert not _reads(cast.shelter_worker, plan)  # named as a risk: closed at once


def test_the_maker_is_a_support_worker_of_a_support_service_or_the_zone_sapv(cast):
    assert policy.is_support_worker(actor(cast.sapv_a))
    assert policy.is_support_worker(actor(cast.support_worker))
    assert policy.is_support_worker(actor(cast.shelter_worker))
    for user in (cast.officer_a, cast.counsellor, cast.legal_advisor, cast.justice_assistant,
                 cast.coordinator):
        assert not policy.is_support_worker(actor(user)), user.username
    cpas = make_agency("cpas", AgencyKind.CPAS)  # a CPAS is not a victim-support service
    cpas_worker = make_user("cpas_worker", cpas, Role.SUPPORT_WORKER)
    assert not policy.is_support_worker(actor(cpas_worker))


def test_a_referred_support_service_makes_its_own_plan_and_zone_a_never_sees_it(cast):
    refer(cast, cast.support, cast.victim_id)
    plan = services.plan_create(actor=actor(cast.support_worker), case_id=cast.case.pk,
                                person_id=cast.victim_id,
                                content=services.PlanContent(safe_places="Chez Léa"))
    assert _reads(cast.support_worker, plan)
    assert not _reads(cast.sapv_a, plan)  # another support service: her consent first
    assert not _reads(cast.officer_a, plan)


@pytest.mark.parametrize("user", ["officer_b", "counsellor", "analyst_a"])
def test_making_a_plan_is_refused_alike(cast, user):
    with pytest.raises(Http404):
        selectors.make_form_context(actor=actor(getattr(cast, user)), case_id=cast.case.pk,
                                    person_id=cast.victim_id)

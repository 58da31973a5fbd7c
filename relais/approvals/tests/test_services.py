"""Approvals: asking, approving (the step runs), refusing; the supervisor rule; the audit."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from relais.access import approvals as policy
from relais.accounts.models import Role
from relais.approvals import selectors, services
from relais.approvals.models import ApprovalState
from relais.approvals.rules import approval_rules
from relais.approvals.tests.factories import ask_to_close
from relais.audit.models import AuditEvent
from relais.cases.models import CaseClosure
from relais.conftest import actor, make_agency, make_user


def events(request, action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(object_type="approvals.approvalrequest",
                                          object_id=str(request.pk), action=action))


def test_closing_at_high_risk_waits_and_closes_on_approval(cast):
    request = ask_to_close(cast)
    assert request.state == ApprovalState.PENDING
    assert request.requested_by == cast.officer_a and request.agency == cast.zone_a
    assert request.payload["reason"] == "safe"
    assert request.rules_version == approval_rules().version
    assert events(request, "create")[0].case_id == cast.case.pk
    assert not CaseClosure.objects.exists()

    services.approval_approve(actor=actor(cast.reference_a), request_id=request.pk,
                              reason="Measures checked with her.")
    request.refresh_from_db()
    cast.case.refresh_from_db()
    assert request.state == ApprovalState.APPROVED and request.decided_by == cast.reference_a
    assert cast.case.status == "closed"
    closure = CaseClosure.objects.get(case=cast.case)
    assert closure.reason == "safe" and closure.closed_by == cast.officer_a
    assert closure.approved_by == cast.reference_a
    [decided] = events(request, "update")
    assert decided.basis == "approval approved: case_close_high_risk"
    assert AuditEvent.objects.filter(object_type="cases.caseclosure",
                                     object_id=str(closure.pk), action="create").exists()


def test_a_refusal_needs_a_reason_and_leaves_the_case_open(cast):
    request = ask_to_close(cast)
    with pytest.raises(ValidationError):
        services.approval_refuse(actor=actor(cast.reference_a), request_id=request.pk,
                                 reason=" ")
    services.approval_refuse(actor=actor(cast.reference_a), request_id=request.pk,
                             reason="The ban ends next week: keep it open.")
    request.refresh_from_db()
    cast.case.refresh_from_db()
    assert request.state == ApprovalState.REFUSED and cast.case.status == "open"
    assert events(request, "update")[0].basis == "approval refused: case_close_high_risk"
    # The requester's notice: the decision and its reason on her list, counted until read.
    officer = actor(cast.officer_a)
    assert selectors.badge_count(actor=officer) == 1
    assert selectors.approval_lists(actor=officer).mine[0].decision_reason.startswith("The ban")
    services.approval_seen(actor=officer)
    assert selectors.badge_count(actor=officer) == 0
    with pytest.raises(ValidationError):  # decided already
        services.approval_approve(actor=actor(cast.reference_a), request_id=request.pk)


def test_nobody_approves_her_own_request(cast):
    request = ask_to_close(cast, user=cast.reference_a)
    with pytest.raises(Http404):
        services.approval_approve(actor=actor(cast.reference_a), request_id=request.pk)
    second = make_user("reference_a2", cast.zone_a, Role.IPV_REFERENCE_OFFICER)
    services.approval_approve(actor=actor(second), request_id=request.pk)
    cast.case.refresh_from_db()
    assert cast.case.status == "closed"


def test_another_agencys_supervisor_and_a_non_supervisor_get_404(cast):
    request = ask_to_close(cast)
    reference_b = make_user("reference_b", cast.zone_b, Role.IPV_REFERENCE_OFFICER)
    for user in (reference_b, cast.sapv_a, cast.neighbourhood_a, cast.admin_a, cast.magistrate):
        with pytest.raises(Http404):
            services.approval_approve(actor=actor(user), request_id=request.pk)
        with pytest.raises(Http404):
            services.approval_refuse(actor=actor(user), request_id=request.pk, reason="No.")
        assert not selectors.approval_lists(actor=actor(user)).to_decide
    assert not events(request, "update")


def test_one_pending_request_per_step_and_record(cast):
    ask_to_close(cast)
    from relais.cases import services as case_services

    with pytest.raises(ValidationError):
        case_services.case_close(actor=actor(cast.sapv_a), case_id=cast.case.pk,
                                 reason="declined", acknowledged=True)


def test_the_supervisor_role_follows_the_agency_kind(cast):
    assert policy.is_supervisor(actor(cast.reference_a))
    assert not policy.is_supervisor(actor(cast.officer_a))
    assert policy.is_supervisor(actor(cast.magistrate))
    assert not policy.is_supervisor(actor(cast.legal_advisor))
    assert policy.is_supervisor(actor(cast.shelter_worker))
    assert policy.is_supervisor(actor(cast.support_worker))
    assert not policy.is_supervisor(actor(cast.analyst_a))
    court = make_agency("court", "family_court", arrondissement="brussel")
    assert not policy.is_supervisor(actor(make_user("judge", court, Role.MAGISTRATE)))


def test_a_lowered_level_is_a_request_a_colleague_approves_from_the_list(cast):
    from relais.intake.examples import grid_answers
    from relais.risk import services as risk_services

    lowered = risk_services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers("police_grid", weapons="yes"),
        final_level="low", justification="The weapon was handed in.")
    colleague = make_user("colleague_a", cast.zone_a, Role.INTERVENTION_OFFICER)
    [request] = selectors.approval_lists(actor=actor(colleague)).to_decide
    assert request.step == "risk_lower_level" and request.reason == "The weapon was handed in."
    services.approval_approve(actor=actor(colleague), request_id=request.pk)
    lowered.refresh_from_db()
    assert lowered.confirmed_by == colleague and lowered.level_in_force == "low"
    assert AuditEvent.objects.filter(object_type="risk.riskassessment", action="review",
                                     object_id=str(lowered.pk)).exists()


def test_the_assessment_page_confirmation_settles_the_request(cast):
    from relais.intake.examples import grid_answers
    from relais.risk import services as risk_services

    lowered = risk_services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers("police_grid", weapons="yes"),
        final_level="low", justification="The weapon was handed in.")
    risk_services.assessment_confirm_lowering(actor=actor(cast.reference_a),
                                              assessment_id=lowered.pk)
    request = selectors.approval_lists(actor=actor(cast.officer_a)).mine[0]
    assert request.state == ApprovalState.APPROVED and request.decided_by == cast.reference_a

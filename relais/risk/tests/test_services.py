"""Risk assessments: recording, justified overrides, second-person confirmation, decisions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from relais.access import services as access_services
from relais.access.models import ConsentMethod
from relais.access.scopes import Scope
from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.conftest import actor, make_user
from relais.intake.examples import grid_answers
from relais.risk import selectors, services
from relais.risk.models import Decision, RecommendedAction, RiskAssessment


def assess(cast, user=None, code="police_grid", **kwargs) -> RiskAssessment:
    answers = kwargs.pop("answers", None) or grid_answers(code)
    return services.assessment_record(actor=actor(user or cast.officer_a), case_id=cast.case.pk,
                                      person_id=cast.victim_id, instrument_code=code,
                                      answers=answers, **kwargs)


def test_an_assessment_keeps_answers_score_signals_and_levels(cast):
    answers = grid_answers("police_grid", threats_to_kill="yes", recent_separation="yes",
                           weapons="unknown")
    assessment = assess(cast, answers=answers)

    assert assessment.answers == answers
    assert assessment.critical_signals == ["threats_to_kill"]
    assert assessment.unknown_items == ["weapons"]
    assert assessment.computed_level == assessment.final_level == "high"
    assert assessment.score > 0
    assert assessment.instrument_version == 1
    assert assessment.scope == Scope.JUDICIAL


def test_the_next_reassessment_follows_the_level(cast):
    low = assess(cast)
    high = assess(cast, answers=grid_answers("police_grid", threats_to_kill="yes",
                                              strangulation="yes"))
    today = timezone.localdate()
    assert high.computed_level == "very_high"
    assert high.next_reassessment == today + timedelta(days=2)
    assert low.next_reassessment == today + timedelta(days=90)


def test_recommended_actions_are_kept_with_their_reasons(cast):
    assessment = assess(cast, answers=grid_answers(
        "police_grid", threats_to_kill="yes", recent_separation="yes"))

    codes = set(assessment.recommended_actions.values_list("code", flat=True))
    assert {"examine_residence_ban", "harassment_alarm_eligibility", "high_risk_consultation",
            "prosecutor_same_day"} <= codes
    ban = assessment.recommended_actions.get(code="examine_residence_ban")
    assert {"items": ["threats_to_kill", "recent_separation"]} in ban.reasons
    assert all(action.decision == Decision.PENDING
               for action in assessment.recommended_actions.all())


def test_a_missing_answer_is_an_error_on_that_question(cast):
    answers = grid_answers("police_grid")
    del answers["strangulation"]
    with pytest.raises(ValidationError) as excinfo:
        assess(cast, answers=answers)
    assert "item_strangulation" in excinfo.value.message_dict
    assert not RiskAssessment.objects.exists()


def test_another_level_needs_a_justification(cast):
    with pytest.raises(ValidationError) as excinfo:
        assess(cast, final_level="high")
    assert "justification" in excinfo.value.message_dict

    raised = assess(cast, final_level="high", justification="She fears for her children.")
    assert raised.final_level == "high" and raised.computed_level == "low"
    assert not raised.awaiting_confirmation
    assert raised.level_in_force == "high"


def test_a_lower_level_waits_for_a_second_person(cast):
    answers = grid_answers("police_grid", threats_to_kill="yes")
    lowered = assess(cast, answers=answers, final_level="moderate",
                     justification="Threat made in 2019, none since; perpetrator abroad.")

    assert lowered.awaiting_confirmation
    assert lowered.level_in_force == "high"  # the computed level stays in force
    with pytest.raises(ValidationError):
        services.assessment_confirm_lowering(actor=actor(cast.officer_a),
                                             assessment_id=lowered.pk)

    confirmed = services.assessment_confirm_lowering(actor=actor(cast.reference_a),
                                                     assessment_id=lowered.pk)
    assert confirmed.confirmed_by == cast.reference_a
    assert confirmed.level_in_force == "moderate"
    assert confirmed.next_reassessment == timezone.localdate() + timedelta(days=30)
    event = AuditEvent.objects.filter(action="review", object_id=str(lowered.pk)).get()
    assert event.user_id == cast.reference_a.pk


def test_another_agency_cannot_confirm(cast):
    lowered = assess(cast, answers=grid_answers("police_grid", threats_to_kill="yes"),
                     final_level="low", justification="Fictitious test reason.")
    access_services.case_forward_to_prosecutor(actor=actor(cast.officer_a), case_id=cast.case.pk)
    with pytest.raises(Http404):
        services.assessment_confirm_lowering(actor=actor(cast.legal_advisor),
                                             assessment_id=lowered.pk)
    with pytest.raises(Http404):
        services.assessment_confirm_lowering(actor=actor(cast.officer_b),
                                             assessment_id=lowered.pk)


def test_declining_an_action_needs_a_reason(cast):
    assessment = assess(cast, answers=grid_answers("police_grid", weapons="yes"))
    action = assessment.recommended_actions.get(code="seize_weapons")

    with pytest.raises(ValidationError) as excinfo:
        services.action_decide(actor=actor(cast.officer_a), action_id=action.pk,
                               decision=Decision.DECLINED, reason="  ")
    assert "reason" in excinfo.value.message_dict

    declined = services.action_decide(actor=actor(cast.officer_a), action_id=action.pk,
                                      decision=Decision.DECLINED,
                                      reason="The weapon was already seized on 3 May.")
    assert declined.decision == Decision.DECLINED
    assert declined.decided_by == cast.officer_a
    assert AuditEvent.objects.filter(object_type="risk.recommendedaction",
                                     object_id=str(action.pk), action="update").exists()


def test_accepting_an_action(cast):
    assessment = assess(cast, answers=grid_answers("police_grid", weapons="yes"))
    action = assessment.recommended_actions.get(code="seize_weapons")
    accepted = services.action_decide(actor=actor(cast.sapv_a), action_id=action.pk,
                                      decision=Decision.ACCEPTED)
    assert RecommendedAction.objects.get(pk=accepted.pk).decision == Decision.ACCEPTED


def test_another_agency_cannot_decide(cast):
    assessment = assess(cast, answers=grid_answers("police_grid", weapons="yes"))
    action = assessment.recommended_actions.first()
    with pytest.raises(Http404):
        services.action_decide(actor=actor(cast.officer_b), action_id=action.pk,
                               decision=Decision.ACCEPTED)


def test_recording_is_audited(cast):
    assessment = assess(cast)
    event = AuditEvent.objects.get(object_type="risk.riskassessment",
                                   object_id=str(assessment.pk), action="create")
    assert event.case_id == cast.case.pk
    assert event.scopes == Scope.JUDICIAL


def test_instruments_are_offered_by_type_of_agency(cast):
    access_services.referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.shelter.pk, scopes=[Scope.HEALTH],
        method=ConsentMethod.ORAL_IN_PERSON)
    with pytest.raises(Http404):
        assess(cast, code="police_grid", user=cast.shelter_worker)
    with pytest.raises(Http404):
        assess(cast, code="no_such_grid", answers={"anything": "yes"})


def test_a_psycho_social_service_assesses_with_the_criticality_grid_on_health_consent(cast):
    access_services.referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.support.pk, scopes=[Scope.CONTACT, Scope.HEALTH],
        method=ConsentMethod.ORAL_IN_PERSON)
    answers = grid_answers("criticality_grid", risk_femicide_signs="yes",
                           risk_suicide_victim="yes")
    assessment = assess(cast, user=cast.support_worker, code="criticality_grid", answers=answers)

    assert assessment.scope == Scope.HEALTH
    assert assessment.computed_level == "critical"
    assert "high_risk_consultation" in set(
        assessment.recommended_actions.values_list("code", flat=True))


def test_the_case_trend_shows_only_what_the_reader_may_see(cast):
    assess(cast)
    assess(cast, answers=grid_answers("police_grid", threats_to_kill="yes"))
    access_services.referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.support.pk, scopes=[Scope.HEALTH],
        method=ConsentMethod.ORAL_IN_PERSON)
    assess(cast, user=cast.support_worker, code="criticality_grid")

    from relais.access.cases import case_access

    police = selectors.case_risk(access=case_access(actor=actor(cast.officer_a),
                                                    case_id=cast.case.pk))
    support = selectors.case_risk(access=case_access(actor=actor(cast.support_worker),
                                                     case_id=cast.case.pk))
    assert [p.assessment.instrument_code for p in police.points] == [
        "criticality_grid", "police_grid", "police_grid"]
    # The support service has no judicial scope: it sees its own (health) assessment only.
    assert [p.assessment.instrument_code for p in support.points] == ["criticality_grid"]
    assert police.latest.level_label


def test_reading_an_assessment_is_audited_and_explains_the_level(cast):
    assessment = assess(cast, answers=grid_answers("police_grid", threats_to_kill="yes",
                                                   isolation="yes", weapons="unknown"))
    view = selectors.assessment_get(actor=actor(cast.reference_a), assessment_id=assessment.pk)

    assert view.raised_by_signals  # the critical signal raised the level above the score's
    assert [line.item.code for line in view.drivers][0] == "threats_to_kill"
    assert [line.item.code for line in view.unknown] == ["weapons"]
    assert AuditEvent.objects.filter(action="read", object_type="risk.riskassessment",
                                     user_id=cast.reference_a.pk).exists()


def test_an_outsider_gets_404(cast):
    assessment = assess(cast)
    with pytest.raises(Http404):
        selectors.assessment_get(actor=actor(cast.officer_b), assessment_id=assessment.pk)


def test_a_colleague_confirms_only_within_the_agency(cast):
    colleague = make_user("colleague_a", cast.zone_a, Role.INTERVENTION_OFFICER)
    lowered = assess(cast, answers=grid_answers("police_grid", strangulation="yes"),
                     final_level="moderate", justification="Fictitious test reason.")
    view = selectors.assessment_get(actor=actor(colleague), assessment_id=lowered.pk)
    assert view.can_confirm
    own = selectors.assessment_get(actor=actor(cast.officer_a), assessment_id=lowered.pk)
    assert not own.can_confirm


def test_a_quick_checklist_never_hides_a_full_grid_in_the_case_headline(cast):
    from relais.access.cases import case_access
    from relais.intake.examples import checklist_answers

    grid = assess(cast, answers=grid_answers("police_grid", threats_to_kill="yes",
                                             strangulation="yes"))
    assess(cast, code="counter_checklist", answers=checklist_answers("no"))

    risk = selectors.case_risk(access=case_access(actor=actor(cast.officer_a),
                                                  case_id=cast.case.pk))
    assert risk.points[0].assessment.instrument_code == "counter_checklist"  # newest
    assert risk.latest.assessment == grid
    assert risk.next_reassessment == grid.next_reassessment


def test_a_lowered_level_is_announced_to_the_reference_officers(cast):
    from relais.notifications.models import Notice
    from relais.notifications.selectors import notice_list

    lowered = assess(cast, answers=grid_answers("police_grid", threats_to_kill="yes"),
                     final_level="low", justification="Fictitious test reason.")
    notice = Notice.objects.get(kind="risk_lowered")
    assert notice.source_id == str(lowered.pk)
    assert notice_list(actor=actor(cast.reference_a)) == [notice]
    assert notice_list(actor=actor(cast.sapv_a)) == []


def test_a_newer_assessment_supersedes_only_what_can_never_be_the_headline_again(cast):
    def current() -> set[int]:
        return set(RiskAssessment.objects.filter(case=cast.case, superseded=False)
                   .values_list("pk", flat=True))

    first_screening = assess(cast, code="counter_checklist")
    second_screening = assess(cast, code="counter_checklist")
    assert current() == {second_screening.pk}  # a screening supersedes the older screening
    full = assess(cast)
    assert current() == {full.pk}  # a full assessment supersedes everything older
    later_screening = assess(cast, code="counter_checklist")
    assert current() == {full.pk, later_screening.pk}  # a screening never hides a full one
    newer_full = assess(cast)
    assert current() == {newer_full.pk}
    assert first_screening.pk not in current()


def test_the_superseded_rule_of_the_migration_is_the_services_one(cast):
    from relais.risk.headline import superseded_ids

    made = [assess(cast, code=code) for code in
            ("counter_checklist", "police_grid", "counter_checklist", "counter_checklist")]
    rows = (RiskAssessment.objects.filter(case=cast.case).order_by("case_id", "-assessed_at", "-id")
            .values("pk", "case_id", "instrument_code"))
    assert set(superseded_ids(rows)) == set(RiskAssessment.objects.filter(
        case=cast.case, superseded=True).values_list("pk", flat=True))
    assert set(superseded_ids(rows)) == {made[0].pk, made[2].pk}

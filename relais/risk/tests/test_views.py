"""Risk screens: fill in an instrument, see why the level, decide the actions, confirm."""

from __future__ import annotations

import re

from django.urls import reverse

from relais.audit.models import AuditEvent
from relais.conftest import actor, verified_client
from relais.intake.examples import grid_answers
from relais.risk import services
from relais.risk.models import Decision, RiskAssessment


def posted_answers(code: str = "police_grid", **overrides) -> dict:
    return {f"item_{k}": v for k, v in grid_answers(code, **overrides).items()}


def test_the_grid_screen_asks_every_question_with_its_help(cast):
    page = verified_client(cast.officer_a).get(
        reverse("risk:assessment_new", args=[cast.case.pk, "police_grid"])).content.decode()
    assert "aid to professional judgement" in page.lower()
    assert page.count('type="radio"') >= 3 * 20
    assert 'name="item_threats_to_kill"' in page
    assert "Your final level" in page


def test_an_instrument_not_offered_to_the_agency_is_404(cast):
    client = verified_client(cast.officer_a)
    assert client.get(reverse("risk:assessment_new",
                              args=[cast.case.pk, "no_such_grid"])).status_code == 404


def test_assessing_through_the_screen_explains_the_level(cast):
    client = verified_client(cast.officer_a)
    data = {"person_id": cast.victim_id, "final_level": "", "justification": "",
            **posted_answers(threats_to_kill="yes", recent_separation="yes", weapons="unknown")}
    response = client.post(reverse("risk:assessment_new", args=[cast.case.pk, "police_grid"]),
                           data)

    assessment = RiskAssessment.objects.get()
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Why this level" in page
    assert "critical signal" in page
    assert "the level may be underestimated" in page
    assert "Examine a temporary residence ban" in page or "residence ban" in page.lower()
    assert assessment.computed_level == "high"


def test_a_missing_answer_is_shown_on_its_question_and_answers_are_kept(cast):
    client = verified_client(cast.officer_a)
    data = {"person_id": cast.victim_id, **posted_answers(threats_to_kill="yes")}
    del data["item_strangulation"]
    response = client.post(reverse("risk:assessment_new", args=[cast.case.pk, "police_grid"]),
                           data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "unknown is not no" in page
    assert re.search(r'name="item_threats_to_kill" value="yes"[^>]*checked', page)
    assert not RiskAssessment.objects.exists()


def test_another_level_without_justification_is_refused_on_the_screen(cast):
    client = verified_client(cast.officer_a)
    data = {"person_id": cast.victim_id, "final_level": "low", "justification": "",
            **posted_answers(threats_to_kill="yes")}
    response = client.post(reverse("risk:assessment_new", args=[cast.case.pk, "police_grid"]),
                           data)
    assert response.status_code == 200
    assert "say why" in response.content.decode()
    assert not RiskAssessment.objects.exists()


def test_declining_from_the_screen_needs_a_reason(cast):
    assessment = services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers("police_grid", weapons="yes"))
    action = assessment.recommended_actions.get(code="seize_weapons")
    client = verified_client(cast.officer_a)
    url = reverse("risk:action_decide", args=[action.pk])

    response = client.post(url, {"decision": "declined", "reason": ""}, follow=True)
    action.refresh_from_db()
    assert action.decision == Decision.PENDING
    assert "Say why you decline this action." in response.content.decode()

    client.post(url, {"decision": "declined", "reason": "Already seized."})
    action.refresh_from_db()
    assert action.decision == Decision.DECLINED and action.decline_reason == "Already seized."


def test_outsiders_cannot_decide_or_confirm(cast):
    assessment = services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers("police_grid", weapons="yes"),
        final_level="low", justification="Fictitious reason.")
    client = verified_client(cast.officer_b)
    action = assessment.recommended_actions.first()
    assert client.post(reverse("risk:action_decide", args=[action.pk]),
                       {"decision": "accepted"}).status_code == 404
    assert client.post(reverse("risk:assessment_confirm",
                               args=[assessment.pk])).status_code == 404
    assert client.get(reverse("risk:assessment_detail", args=[assessment.pk])).status_code == 404


def test_a_colleague_confirms_the_lower_level_on_the_screen(cast):
    assessment = services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers("police_grid", weapons="yes"),
        final_level="low", justification="The weapon was handed in yesterday.")
    colleague = verified_client(cast.reference_a)
    page = colleague.get(reverse("risk:assessment_detail", args=[assessment.pk])).content
    assert b"Confirm the lower level" in page
    colleague.post(reverse("risk:assessment_confirm", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.confirmed_by == cast.reference_a
    assert AuditEvent.objects.filter(action="review", user_id=cast.reference_a.pk).exists()

"""No lost update (issue 20 §1) on a recommended action's decision: two colleagues decide the
same action; the second, over a newer version, is refused on the assessment's page with both
decisions on the action's card and her reason kept; deciding again keeps hers."""

from __future__ import annotations

import pytest
from django.urls import reverse

from relais.conftest import actor, verified_client
from relais.core.models import FormDraft
from relais.core.tests.conflict_helpers import refused_without_audit, version_in
from relais.intake.examples import grid_answers
from relais.risk import services
from relais.risk.models import Decision

pytestmark = pytest.mark.django_db


def test_two_colleagues_decide_the_same_action_the_second_sees_both_and_decides(cast):
    assessment = services.assessment_record(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        instrument_code="police_grid", answers=grid_answers("police_grid", weapons="yes"))
    action = assessment.recommended_actions.get(code="seize_weapons")
    page_url = reverse("risk:assessment_detail", args=[assessment.pk])
    url = reverse("risk:action_decide", args=[action.pk])
    first, second = verified_client(cast.officer_a), verified_client(cast.sapv_a)
    card = f'id="action-{action.pk}"'
    read = version_in(first.get(page_url).content.decode().split(card, 1)[1])
    assert version_in(second.get(page_url).content.decode().split(card, 1)[1]) == read

    assert first.post(url, {"decision": "accepted", "version": read}).status_code == 302
    refused = second.post(url, {"decision": "declined", "reason": "Already seized (mine).",
                                "version": read})
    page = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved this record" in page
    assert 'value="Already seized (mine)."' in page and "Accept" in page
    assert FormDraft.objects.filter(user=cast.sapv_a, path=url).exists()
    action.refresh_from_db()
    assert action.decision == Decision.ACCEPTED

    theirs = second.post(url, {"_discard_draft": "1"})
    assert theirs.status_code == 302 and theirs.url.endswith(f"#action-{action.pk}")
    newer = version_in(page.split(card, 1)[1])
    assert second.post(url, {"decision": "declined", "reason": "Already seized (mine).",
                             "version": newer}).status_code == 302
    action.refresh_from_db()
    assert action.decision == Decision.DECLINED
    refused_without_audit(lambda: services.action_decide(
        actor=actor(cast.officer_a), action_id=action.pk, decision="accepted", version=read))

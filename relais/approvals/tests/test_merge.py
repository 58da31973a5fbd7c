"""A merge through approvals (the shipped rules ask for it at prosecutors' offices): the legal
advisor asks, a magistrate approves, the merge runs; nobody approves her own."""

from __future__ import annotations

import pytest
from django.http import Http404

from relais.approvals import services
from relais.approvals.models import ApprovalState
from relais.approvals.rules import approval_rules
from relais.conftest import actor
from relais.followup.tests.factories import record_report
from relais.justice.merge import case_merge
from relais.justice.models import CaseMerge
from relais.justice.tests.factories import report_on, second_case


def test_a_merge_waits_for_a_magistrate_and_runs_on_approval(cast):
    record_report(cast)  # forwarded: the office sees both cases
    other = second_case(cast)
    report_on(cast, other)
    assert case_merge(actor=actor(cast.legal_advisor), source_id=other.pk,
                      target_id=cast.case.pk, reason="Same couple") is None
    assert not CaseMerge.objects.exists()
    request = services.pending_for(step="case_merge", target=other)
    assert request.rules_version == approval_rules().version and request.case == cast.case
    with pytest.raises(Http404):  # not her own, and a legal advisor is no supervisor
        services.approval_approve(actor=actor(cast.legal_advisor), request_id=request.pk)
    services.approval_approve(actor=actor(cast.magistrate), request_id=request.pk)
    merge = CaseMerge.objects.get()
    assert (merge.source, merge.target, merge.merged_by) == (other, cast.case, cast.magistrate)
    request.refresh_from_db()
    assert request.state == ApprovalState.APPROVED


def test_a_magistrates_own_merge_waits_for_another_magistrate(cast):
    record_report(cast)
    other = second_case(cast)
    report_on(cast, other)
    assert case_merge(actor=actor(cast.magistrate), source_id=other.pk,
                      target_id=cast.case.pk, reason="Same couple") is None
    request = services.pending_for(step="case_merge", target=other)
    with pytest.raises(Http404):  # no one approves her own request
        services.approval_approve(actor=actor(cast.magistrate), request_id=request.pk)
    assert not CaseMerge.objects.exists()


def test_a_refused_merge_moves_nothing_and_the_refusal_says_why(cast):
    record_report(cast)
    other = second_case(cast)
    report_on(cast, other)
    case_merge(actor=actor(cast.legal_advisor), source_id=other.pk, target_id=cast.case.pk,
               reason="Same couple")
    request = services.pending_for(step="case_merge", target=other)
    services.approval_refuse(actor=actor(cast.magistrate), request_id=request.pk,
                             reason="Two different couples")
    request.refresh_from_db()
    assert request.state == ApprovalState.REFUSED
    assert request.decision_reason == "Two different couples"
    assert not CaseMerge.objects.exists()

"""A merge through approvals, where the rules file asks for it (the shipped file does not yet:
docs/approvals-and-closure.md): the legal advisor asks, a magistrate approves, the merge runs."""

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

RULES = """version: 9
steps:
  - code: case_merge
    approver: supervisor
kinds:
  prosecutor: [case_merge]
"""


@pytest.fixture
def merges_need_approval(tmp_path, settings):
    path = tmp_path / "rules.yaml"
    path.write_text(RULES, encoding="utf-8")
    settings.RELAIS_APPROVAL_RULES = str(path)
    approval_rules.cache_clear()
    yield
    approval_rules.cache_clear()


def test_a_merge_waits_for_a_magistrate_and_runs_on_approval(cast, merges_need_approval):
    record_report(cast)  # forwarded: the office sees both cases
    other = second_case(cast)
    report_on(cast, other)
    assert case_merge(actor=actor(cast.legal_advisor), source_id=other.pk,
                      target_id=cast.case.pk, reason="Same couple") is None
    assert not CaseMerge.objects.exists()
    request = services.pending_for(step="case_merge", target=other)
    assert request.rules_version == 9 and request.case == cast.case
    with pytest.raises(Http404):  # not her own, and a legal advisor is no supervisor
        services.approval_approve(actor=actor(cast.legal_advisor), request_id=request.pk)
    services.approval_approve(actor=actor(cast.magistrate), request_id=request.pk)
    merge = CaseMerge.objects.get()
    assert (merge.source, merge.target, merge.merged_by) == (other, cast.case, cast.magistrate)
    request.refresh_from_db()
    assert request.state == ApprovalState.APPROVED


def test_with_the_shipped_rules_the_office_merges_at_once(cast):
    record_report(cast)  # forwarded: the office sees both cases
    other = second_case(cast)
    report_on(cast, other)
    merge = case_merge(actor=actor(cast.legal_advisor), source_id=other.pk,
                       target_id=cast.case.pk, reason="Same couple")
    assert merge is not None and merge.merged_by == cast.legal_advisor

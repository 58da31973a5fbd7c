"""Merging cases of two owners: by the prosecutor's office, or by agreement of both zones;
what the former owner keeps, and undoing it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from relais.access.cases import case_access
from relais.access.models import Share, ShareKind
from relais.access.scopes import OWNER_SCOPES, Scope
from relais.access.services import consultation_open
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.models import Case, CaseStatus, ParticipantRole
from relais.conftest import actor, case_page_with_sections, verified_client
from relais.intake import services as intake_services
from relais.intake.examples import report_arguments
from relais.intake.selectors import case_reports
from relais.justice.merge import case_merge, case_unmerge
from relais.justice.models import MergeProposal, ProposalStatus
from relais.justice.proposals import (
    merge_proposal_accept,
    merge_proposal_cancel,
    merge_proposal_decline,
    merge_propose,
)
from relais.justice.tests.factories import family_section, record_report
from relais.notifications.models import Notice, NoticeKind
from relais.transfers.services import transfer_request


@pytest.fixture(autouse=True)
def _merges_at_once(approvals_off):
    """What a merge does, not who approves it (relais/approvals/tests/test_merge.py)."""
    approvals_off("case_merge", "family_file_continue")



def zone_b_case(cast) -> tuple[Case, object]:
    """Zone B's own case about the same couple (facts in Brussels: forwarded to the office)."""
    officer_b = actor(cast.officer_b)
    case = case_services.case_open(actor=officer_b, situation="couple", municipality="21009")
    victim = case_services.person_add_to_case(
        actor=officer_b, case_id=case.pk, role=ParticipantRole.VICTIM, first_name="Alice",
        last_name="Exemple").person_id
    report = intake_services.report_record(actor=officer_b, case_id=case.pk,
                                           **report_arguments(victim_id=victim))
    return case, report


@pytest.fixture
def two_zones(cast):
    family_section(cast)
    record_report(cast)
    case_b, report_b = zone_b_case(cast)
    return cast, case_b, report_b


def consult_zone_a(cast, case_b: Case) -> None:
    """Zone B opens its case to zone A (a case consultation): zone A can now see it."""
    consultation_open(actor=actor(cast.officer_b), case_id=case_b.pk,
                      agency_ids=[cast.zone_a.pk], purpose="Same couple in both zones",
                      ends_at=timezone.now() + timedelta(days=30), scopes=[Scope.JUDICIAL])


def former_owner_share(case: Case, agency) -> Share | None:
    return Share.objects.filter(case=case, kind=ShareKind.MERGED_OWNER,
                                recipient_agency=agency).first()


def test_the_office_merges_cases_of_two_zones_and_the_former_owner_keeps_the_file(two_zones):
    cast, case_b, report_b = two_zones
    merge = case_merge(actor=actor(cast.legal_advisor), source_id=case_b.pk,
                       target_id=cast.case.pk, reason="Same couple in two zones")

    share = merge.former_owner_share
    assert (share.kind, share.recipient_agency, share.case, set(share.scopes)) == (
        ShareKind.MERGED_OWNER, cast.zone_b, cast.case, set(OWNER_SCOPES))
    assert AuditEvent.objects.filter(object_type="access.share", object_id=str(share.pk),
                                     action="share", basis="merged case: former owner").exists()
    zone_b = case_access(actor=actor(cast.officer_b), case_id=cast.case.pk)
    assert not zone_b.is_owner and zone_b.scopes == OWNER_SCOPES
    assert report_b.pk in {r.pk for r in case_reports(access=zone_b)}
    assert {n.agency for n in Notice.objects.filter(kind=NoticeKind.CASES_MERGED)} == {
        cast.zone_a, cast.zone_b}
    # Zone B's staff add nothing to the merged case; it writes on the kept file within its
    # share (a note), not as the owner.
    with pytest.raises(Http404):
        case_services.note_add(actor=actor(cast.officer_b), case_id=case_b.pk, text="x")

    case_unmerge(actor=actor(cast.magistrate), merge_id=merge.pk, reason="Two couples")
    share.refresh_from_db()
    assert share.ended_at is not None and share.end_reason == "merge undone"
    assert AuditEvent.objects.filter(object_type="access.share", object_id=str(share.pk),
                                     action="unshare").exists()
    with pytest.raises(Http404):
        case_access(actor=actor(cast.officer_b), case_id=cast.case.pk)
    case_b.refresh_from_db()
    assert case_b.status == CaseStatus.OPEN and case_b.owner_agency == cast.zone_b
    assert case_access(actor=actor(cast.officer_b), case_id=case_b.pk).is_owner


def test_a_case_waiting_for_a_transfer_is_not_merged(two_zones):
    cast, case_b, _report = two_zones
    transfer_request(actor=actor(cast.officer_a), case_id=cast.case.pk,
                     to_agency_id=cast.zone_b.pk, reason="Moved")
    with pytest.raises(ValidationError) as error:
        case_merge(actor=actor(cast.legal_advisor), source_id=case_b.pk,
                   target_id=cast.case.pk, reason="Same couple")
    assert "transfer" in error.value.message_dict["other_case"][0]


def test_two_zones_merge_by_agreement_and_either_undoes_it(two_zones):
    cast, case_b, report_b = two_zones
    consult_zone_a(cast, case_b)
    officer_a, officer_b = actor(cast.officer_a), actor(cast.officer_b)
    proposal = merge_propose(actor=officer_a, case_id=cast.case.pk, other_case_id=case_b.pk,
                             keep="this", reason="Same couple: Alice moved")
    assert (proposal.source, proposal.target) == (case_b, cast.case)
    assert (proposal.proposing_agency, proposal.answering_agency) == (cast.zone_a, cast.zone_b)
    for case in (cast.case, case_b):
        assert AuditEvent.objects.filter(object_type="justice.mergeproposal", action="create",
                                         case_id=case.pk).exists()
        assert case.timeline.filter(kind="merge_proposed", scope="owner").exists()
    notice = Notice.objects.get(kind=NoticeKind.MERGE_PROPOSED)
    assert (notice.agency, notice.case) == (cast.zone_b, case_b)
    assert notice.link == reverse("justice:proposal", args=[proposal.pk])
    assert Case.objects.get(pk=case_b.pk).status == CaseStatus.OPEN  # nothing moved yet

    for user in (cast.officer_a, cast.shelter_worker, cast.legal_advisor, cast.analyst_a):
        with pytest.raises(Http404):
            merge_proposal_accept(actor=actor(user), proposal_id=proposal.pk)
    merge_proposal_accept(actor=officer_b, proposal_id=proposal.pk)

    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.ACCEPTED and proposal.merge is not None
    case_b.refresh_from_db()
    assert case_b.status == CaseStatus.MERGED and case_b.merged_into == cast.case
    zone_b = case_access(actor=officer_b, case_id=cast.case.pk)
    assert zone_b.scopes == OWNER_SCOPES
    assert report_b.pk in {r.pk for r in case_reports(access=zone_b)}
    assert former_owner_share(cast.case, cast.zone_b) == proposal.merge.former_owner_share
    assert Notice.objects.filter(kind=NoticeKind.MERGE_ANSWERED, agency=cast.zone_a).exists()
    assert AuditEvent.objects.filter(object_type="justice.mergeproposal", action="update",
                                     basis="merge proposal accepted").count() == 2
    # Not the office's merge: it does not undo it; either zone does.
    with pytest.raises(Http404):
        case_unmerge(actor=actor(cast.legal_advisor), merge_id=proposal.merge_id, reason="x")
    case_unmerge(actor=officer_b, merge_id=proposal.merge_id, reason="Two couples after all")
    case_b.refresh_from_db()
    assert case_b.status == CaseStatus.OPEN
    assert former_owner_share(cast.case, cast.zone_b).ended_at is not None
    # The consultation zone B opened still lets zone A see its case: it moved back with it.
    assert case_access(actor=officer_a, case_id=case_b.pk).scopes == frozenset({Scope.JUDICIAL})


def test_the_zone_that_proposed_may_undo_too(two_zones):
    cast, case_b, _report = two_zones
    consult_zone_a(cast, case_b)
    proposal = merge_propose(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             other_case_id=case_b.pk, keep="other", reason="Same couple")
    assert (proposal.source, proposal.target) == (cast.case, case_b)
    merge_proposal_accept(actor=actor(cast.officer_b), proposal_id=proposal.pk)
    # Zone A's case went into zone B's: zone A keeps the file through its share.
    assert case_access(actor=actor(cast.officer_a), case_id=case_b.pk).scopes == OWNER_SCOPES
    proposal.refresh_from_db()
    case_unmerge(actor=actor(cast.reference_a), merge_id=proposal.merge_id, reason="Mistake")
    assert Case.objects.get(pk=cast.case.pk).status == CaseStatus.OPEN


def test_who_may_propose_and_with_which_case(two_zones):
    cast, case_b, _report = two_zones
    officer_a = actor(cast.officer_a)
    arguments = {"case_id": cast.case.pk, "other_case_id": case_b.pk, "keep": "this",
                 "reason": "Same couple"}
    with pytest.raises(Http404):  # zone A cannot open zone B's case yet
        merge_propose(actor=officer_a, **arguments)
    consult_zone_a(cast, case_b)
    case_services.case_assign(actor=officer_a, case_id=cast.case.pk,
                              user_id=cast.neighbourhood_a.pk)
    for user in (cast.neighbourhood_a, cast.shelter_worker, cast.legal_advisor, cast.admin_a):
        with pytest.raises(Http404):
            merge_propose(actor=actor(user), **arguments)
    with pytest.raises(ValidationError) as error:
        merge_propose(actor=officer_a, **{**arguments, "reason": " "})
    assert "reason" in error.value.message_dict
    own = case_services.case_open(actor=officer_a, situation="couple", municipality="21009")
    with pytest.raises(ValidationError) as error:  # its own case: the office merges those
        merge_propose(actor=officer_a, **{**arguments, "other_case_id": own.pk})
    assert "other_case" in error.value.message_dict
    merge_propose(actor=officer_a, **arguments)
    with pytest.raises(ValidationError) as error:
        merge_propose(actor=officer_a, **arguments)
    assert "already waits" in error.value.message_dict["other_case"][0]
    # A shelter's file never becomes another agency's by a merge.
    shelter = actor(cast.shelter_worker)
    shelter_case = case_services.case_open(actor=shelter, situation="couple",
                                           municipality="21009")
    with pytest.raises(Http404):
        merge_propose(actor=shelter, case_id=shelter_case.pk, other_case_id=cast.case.pk,
                      keep="this", reason="Same")


def test_decline_and_cancel_move_nothing(two_zones):
    cast, case_b, _report = two_zones
    consult_zone_a(cast, case_b)
    officer_a, officer_b = actor(cast.officer_a), actor(cast.officer_b)
    proposal = merge_propose(actor=officer_a, case_id=cast.case.pk, other_case_id=case_b.pk,
                             keep="this", reason="Same couple")
    with pytest.raises(ValidationError):
        merge_proposal_decline(actor=officer_b, proposal_id=proposal.pk, reason="")
    with pytest.raises(Http404):
        merge_proposal_decline(actor=officer_a, proposal_id=proposal.pk, reason="No")
    merge_proposal_decline(actor=officer_b, proposal_id=proposal.pk, reason="Another Alice")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DECLINED and proposal.merge is None
    assert Notice.objects.filter(kind=NoticeKind.MERGE_ANSWERED, agency=cast.zone_a).exists()
    assert AuditEvent.objects.filter(object_type="justice.mergeproposal", action="update",
                                     basis="merge proposal declined").count() == 2
    assert cast.case.timeline.filter(kind="merge_proposal_declined").exists()

    again = merge_propose(actor=officer_a, case_id=cast.case.pk, other_case_id=case_b.pk,
                          keep="this", reason="Same couple, checked")
    with pytest.raises(Http404):
        merge_proposal_cancel(actor=officer_b, proposal_id=again.pk)
    merge_proposal_cancel(actor=officer_a, proposal_id=again.pk, reason="Wrong case")
    again.refresh_from_db()
    assert again.status == ProposalStatus.CANCELLED
    with pytest.raises(Http404):
        merge_proposal_accept(actor=officer_b, proposal_id=again.pk)
    assert Case.objects.get(pk=case_b.pk).status == CaseStatus.OPEN
    assert not Share.objects.filter(kind=ShareKind.MERGED_OWNER).exists()


# --- Screens ---------------------------------------------------------------------------------

def test_proposal_screens_require_sign_in_and_answer_404_to_others(two_zones):
    cast, case_b, _report = two_zones
    consult_zone_a(cast, case_b)
    proposal = merge_propose(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             other_case_id=case_b.pk, keep="this", reason="Same couple")
    urls = [reverse("justice:proposal_new", args=[cast.case.pk]),
            reverse("justice:proposal", args=[proposal.pk])]
    for url in urls:
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/")
    for user in (cast.shelter_worker, cast.legal_advisor, cast.counsellor):
        client = verified_client(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("justice:proposal_cancel", args=[proposal.pk])
                           ).status_code == 404
    assert verified_client(cast.officer_b).get(urls[0]).status_code == 404
    assert verified_client(cast.officer_a).post(
        urls[1], {"decision": "accept"}).status_code == 404


def test_zone_a_proposes_on_screen_and_zone_b_accepts(two_zones):
    cast, case_b, _report = two_zones
    consult_zone_a(cast, case_b)
    zone_a = verified_client(cast.officer_a)
    page = case_page_with_sections(zone_a, cast.case.pk)
    assert reverse("justice:proposal_new", args=[cast.case.pk]) in page
    response = zone_a.post(reverse("justice:proposal_new", args=[cast.case.pk]),
                           {"other_case": "REL-NOPE", "keep": "this", "reason": "Same"})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    response = zone_a.post(reverse("justice:proposal_new", args=[cast.case.pk]),
                           {"other_case": case_b.reference, "keep": "this",
                            "reason": "Same couple"})
    assert response.status_code == 302
    proposal = MergeProposal.objects.get()
    zone_b = verified_client(cast.officer_b)
    page = case_page_with_sections(zone_b, case_b.pk)
    assert reverse("justice:proposal", args=[proposal.pk]) in page
    detail = zone_b.get(reverse("justice:proposal", args=[proposal.pk])).content.decode()
    assert "Accept the merge" in detail and "Alice" not in detail
    response = zone_b.post(reverse("justice:proposal", args=[proposal.pk]),
                           {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    assert response.url == reverse("cases:case_detail", args=[cast.case.pk])
    assert zone_b.get(response.url).status_code == 200
    # Either zone finds the merge in its list of merges, with Undo.
    proposal.refresh_from_db()
    for client in (zone_a, zone_b):
        merges = client.get(reverse("justice:merges"))
        assert merges.status_code == 200
        assert reverse("justice:merge_undo", args=[proposal.merge_id]) in merges.content.decode()

"""Deleting a case recorded in error (issue 20 §3): the owning agency asks with a coded reason,
a supervisor approves (the rules file), nothing of the case may have left the agency; the case,
its own persons, their history and drafts go, the audit trail stays."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.approvals import services as approvals
from relais.approvals.models import ApprovalRequest, ApprovalState
from relais.approvals.rules import approval_rules
from relais.approvals.tests.factories import ask_to_close, high_risk
from relais.audit.models import AuditEvent
from relais.cases import services
from relais.cases.models import Case, CaseParticipant, ParticipantRole, Person
from relais.conftest import actor, verified_client
from relais.core.models import FormDraft
from relais.followup.tests.factories import another_case, record_report
from relais.linkage.models import PersonKey

NO_APPROVAL = """version: 7
steps:
  - code: record_delete
    approver: supervisor
kinds:
  prosecutor: [record_delete]
"""


@pytest.fixture
def deleted_at_once(tmp_path, settings):
    """A rules file where zone A deletes without a second person."""
    path = tmp_path / "rules.yaml"
    path.write_text(NO_APPROVAL, encoding="utf-8")
    settings.RELAIS_APPROVAL_RULES = str(path)
    approval_rules.cache_clear()
    yield
    approval_rules.cache_clear()


def ask(cast, user=None, reason: str = "duplicate", note: str = "Duplicate of REL-2026-000001"):
    return services.case_delete(actor=actor(user or cast.officer_a), case_id=cast.case.pk,
                                reason=reason, note=note)


def history_rows(model, pk) -> int:
    return model.history.model.objects.filter(id=pk).count()


# --- the service ------------------------------------------------------------------------


def test_a_reason_from_the_list_and_for_a_duplicate_the_case_it_duplicates(cast):
    for reason in ("", "bored"):
        with pytest.raises(ValidationError) as raised:
            ask(cast, reason=reason)
        assert "reason" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        ask(cast, note=" ")
    assert "note" in raised.value.message_dict
    assert not ApprovalRequest.objects.exists()


def test_deleting_asks_a_supervisor_who_approves_and_the_case_is_gone(cast):
    record_report(cast, official=False)  # tasks, a report: what belongs to the case only
    high_risk(cast)  # an assessment of the victim
    request = ask(cast)
    assert isinstance(request, ApprovalRequest) and request.step == "record_delete"
    assert request.payload == {"reason": "duplicate", "note": "Duplicate of REL-2026-000001",
                               "reference": cast.case.reference}
    assert Case.objects.filter(pk=cast.case.pk).exists()  # nothing yet
    with pytest.raises(ValidationError):  # one request at a time
        ask(cast)

    approvals.approval_approve(actor=actor(cast.reference_a), request_id=request.pk,
                               reason="Same family as the other case.")
    assert not Case.objects.filter(pk=cast.case.pk).exists()
    request.refresh_from_db()
    assert request.state == ApprovalState.APPROVED and request.case is None
    assert cast.case.reference in request.summary_text  # the list still says which case
    event = AuditEvent.objects.get(object_type="cases.case", object_id=str(cast.case.pk),
                                   action="delete")
    assert event.case_id == cast.case.pk
    assert event.basis == "case deleted: duplicate (approved)"
    assert "Alice" not in event.basis and "Exemple" not in event.basis


def test_the_persons_of_no_other_case_their_keys_history_and_drafts_go_with_it(cast):
    # The child also appears in another case of the zone: she stays, with her history.
    other, _victim = another_case(cast)
    CaseParticipant.objects.create(case=other, person_id=cast.child_id,
                                   role=ParticipantRole.CHILD)
    assert PersonKey.objects.filter(person_id=cast.victim_id).exists()
    assert history_rows(Person, cast.victim_id) and history_rows(Case, cast.case.pk)
    FormDraft.objects.create(user=cast.officer_a, path=f"/cases/{cast.case.pk}/notes/new/")
    FormDraft.objects.create(user=cast.sapv_a, path=f"/persons/{cast.victim_id}/edit/")
    FormDraft.objects.create(user=cast.officer_a, path=f"/cases/{other.pk}/notes/new/")
    request = ask(cast, reason="wrong_family", note="")
    approvals.approval_approve(actor=actor(cast.reference_a), request_id=request.pk)

    assert not Person.objects.filter(pk__in=[cast.victim_id, cast.perpetrator_id]).exists()
    assert Person.objects.filter(pk=cast.child_id).exists()
    assert not PersonKey.objects.filter(person_id=cast.victim_id).exists()
    assert history_rows(Person, cast.victim_id) == 0 and history_rows(Case, cast.case.pk) == 0
    assert history_rows(Person, cast.child_id) > 0
    assert list(FormDraft.objects.values_list("path", flat=True)) == [
        f"/cases/{other.pk}/notes/new/"]
    deleted = set(AuditEvent.objects.filter(action="delete", object_type="cases.person")
                  .values_list("object_id", flat=True))
    assert deleted == {str(cast.victim_id), str(cast.perpetrator_id)}
    assert AuditEvent.objects.filter(action="delete", object_type="cases.case").exists()


def test_a_refusal_keeps_the_case(cast):
    request = ask(cast)
    approvals.approval_refuse(actor=actor(cast.reference_a), request_id=request.pk,
                              reason="It is not a duplicate: two different incidents.")
    assert Case.objects.filter(pk=cast.case.pk).exists()
    assert not AuditEvent.objects.filter(object_type="cases.case", action="delete").exists()
    request.refresh_from_db()
    assert request.state == ApprovalState.REFUSED and request.case == cast.case


def test_no_one_approves_her_own_request_nor_another_agency(cast):
    request = ask(cast, user=cast.reference_a)
    for user in (cast.reference_a, cast.officer_a, cast.officer_b, cast.magistrate):
        with pytest.raises(Http404):
            approvals.approval_approve(actor=actor(user), request_id=request.pk)
    assert Case.objects.filter(pk=cast.case.pk).exists()


def test_without_an_approval_in_the_rules_it_deletes_at_once(cast, deleted_at_once):
    assert ask(cast) is None
    assert not Case.objects.filter(pk=cast.case.pk).exists()
    event = AuditEvent.objects.get(object_type="cases.case", action="delete")
    assert event.basis == "case deleted: duplicate"


def test_only_the_owning_agency_deletes(cast):
    for user in (cast.officer_b, cast.legal_advisor, cast.shelter_worker, cast.analyst_a,
                 cast.admin_a, cast.magistrate):
        with pytest.raises(Http404):
            ask(cast, user=user)


@pytest.mark.parametrize("what", ["forwarded", "referral_sent", "transfer"])
def test_a_case_that_left_the_agency_is_closed_instead(cast, directory, what):
    if what == "forwarded":
        from relais.access.services import case_forward_to_prosecutor

        case_forward_to_prosecutor(actor=actor(cast.officer_a), case_id=cast.case.pk)
        expected = "shared with another agency"
    elif what == "referral_sent":
        from relais.referrals.services import referral_create

        referral_create(actor=actor(cast.officer_a), case_id=cast.case.pk,
                        person_id=cast.victim_id, service_id=directory.support_fr.pk,
                        basis="consent", consent_method="oral_in_person",
                        confirm_mismatches=True)
        expected = "A referral was sent"
    else:
        from relais.transfers.services import transfer_request

        transfer_request(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         to_agency_id=cast.zone_b.pk, reason="She moved to Liège.")
        expected = "A transfer to another agency was requested"
    with pytest.raises(ValidationError) as raised:
        ask(cast)
    message = " ".join(raised.value.messages)
    assert expected in message and "Close it with a reason instead" in message
    assert not ApprovalRequest.objects.filter(step="record_delete").exists()


def test_the_approver_checks_again_what_keeps_the_case(cast):
    request = ask(cast)
    from relais.transfers.services import transfer_request

    transfer_request(actor=actor(cast.officer_a), case_id=cast.case.pk,
                     to_agency_id=cast.zone_b.pk, reason="She moved to Liège.")
    with pytest.raises(ValidationError):
        approvals.approval_approve(actor=actor(cast.reference_a), request_id=request.pk)
    request.refresh_from_db()
    assert request.state == ApprovalState.PENDING
    assert Case.objects.filter(pk=cast.case.pk).exists()


def test_another_pending_request_keeps_the_case(cast):
    ask_to_close(cast)
    with pytest.raises(ValidationError) as raised:
        ask(cast)
    assert "waits for approval" in " ".join(raised.value.messages)


def test_a_protected_reference_is_a_validation_error(cast, deleted_at_once, monkeypatch):
    from relais.cases import deletion

    other, _victim = another_case(cast)
    other.merged_into, other.status = cast.case, "merged"  # no merge record: only the key
    other.save(update_fields=["merged_into", "status"])
    monkeypatch.setattr(deletion, "BLOCKERS", {})
    with pytest.raises(ValidationError) as raised:
        ask(cast)
    assert "other records still refer to it" in " ".join(raised.value.messages)
    assert Case.objects.filter(pk=cast.case.pk).exists()
    assert not AuditEvent.objects.filter(object_type="cases.case", action="delete").exists()


# --- the screen -------------------------------------------------------------------------


def test_the_delete_page_requires_sign_in_and_the_owning_agency(cast):
    url = reverse("cases:case_delete", args=[cast.case.pk])
    assert Client().get(url).status_code == 302
    for user in (cast.officer_b, cast.legal_advisor, cast.shelter_worker, cast.analyst_a):
        assert verified_client(user).get(url).status_code == 404
        assert verified_client(user).post(url, {"reason": "mistake"}).status_code == 404
    assert Case.objects.filter(pk=cast.case.pk).exists()


def test_the_delete_page_asks_and_redirects_to_the_case(cast):
    client = verified_client(cast.officer_a)
    url = reverse("cases:case_delete", args=[cast.case.pk])
    page = client.get(url).content.decode()
    assert "Ask for approval to delete" in page
    assert reverse("cases:case_close", args=[cast.case.pk]) in page
    assert url in client.get(reverse("cases:case_close", args=[cast.case.pk])).content.decode()
    refused = client.post(url, {"reason": "duplicate"})
    assert refused.status_code == 200 and b"reference of the case it duplicates" in refused.content
    done = client.post(url, {"reason": "mistake"})
    assert done.status_code == 302
    assert done.url == reverse("cases:case_detail", args=[cast.case.pk])
    assert ApprovalRequest.objects.filter(step="record_delete", case=cast.case).exists()
    assert b"already waits" in client.get(url).content


def test_deleted_at_once_the_case_url_is_a_404(cast, deleted_at_once):
    client = verified_client(cast.officer_a)
    done = client.post(reverse("cases:case_delete", args=[cast.case.pk]), {"reason": "mistake"})
    assert done.status_code == 302 and done.url == reverse("cases:my_cases")
    assert client.get(reverse("cases:case_detail", args=[cast.case.pk])).status_code == 404


def test_the_delete_page_says_why_a_shared_case_stays(cast):
    from relais.access.services import case_forward_to_prosecutor

    case_forward_to_prosecutor(actor=actor(cast.officer_a), case_id=cast.case.pk)
    page = verified_client(cast.officer_a).get(
        reverse("cases:case_delete", args=[cast.case.pk])).content.decode()
    assert "This case cannot be deleted" in page and "shared with another agency" in page
    assert "Ask for approval to delete" not in page


def test_the_delete_page_reads_a_fixed_number_of_queries(cast):
    client = verified_client(cast.officer_a)
    url = reverse("cases:case_delete", args=[cast.case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    record_report(cast, official=False)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(few)


def test_the_requester_still_reads_the_decision_once_the_case_is_gone(cast):
    request = ask(cast)
    approvals.approval_approve(actor=actor(cast.reference_a), request_id=request.pk,
                               reason="Checked: same family.")
    page = verified_client(cast.officer_a).get(reverse("approvals:list")).content.decode()
    assert cast.case.reference in page and "Checked: same family." in page
    assert "Deleted" in page


def test_every_way_out_of_the_agency_is_registered():
    from relais.cases.deletion import BLOCKERS

    assert {"access_shares", "referrals_sent", "transfers", "justice_entries", "justice_merges",
            "justice_proposals", "measures_bans", "measures_detentions", "alarms_requests",
            "alarms_activations", "consultation_referrals", "consultation_plans", "programmes",
            "redlist", "femicide", "family_proceedings", "family_notices",
            "safeguards_hospital", "approvals_pending"} <= set(BLOCKERS)


def test_a_measure_keeps_the_case_and_the_page_says_each_reason_once(cast):
    from relais.cases.deletion import deletion_blockers
    from relais.measures.tests.factories import forwarded, order_ban

    forwarded(cast)  # an official report reaches the office, which orders a ban
    order_ban(cast)
    assert deletion_blockers(cast.case) == [
        "It was shared with another agency.",
        "An official report was forwarded to the prosecutor's office.",
        "A residence ban is recorded on it."]


def test_a_closed_case_recorded_in_error_is_deleted_from_its_page(cast, deleted_at_once):
    services.case_close(actor=actor(cast.officer_a), case_id=cast.case.pk, reason="declined",
                        acknowledged=True)
    client = verified_client(cast.officer_a)
    url = reverse("cases:case_delete", args=[cast.case.pk])
    assert url in client.get(reverse("cases:case_detail", args=[cast.case.pk])).content.decode()
    assert client.post(url, {"reason": "wrong_family"}).status_code == 302
    assert not Case.objects.filter(pk=cast.case.pk).exists()

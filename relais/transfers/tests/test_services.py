"""Transfers of a case: request, cancel, decline, accept; what the former owner keeps."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from relais.access.cases import case_access, person_access
from relais.access.models import Share, ShareKind
from relais.access.scopes import Scope
from relais.accounts.models import AgencyKind, Role
from relais.audit.models import AuditEvent
from relais.cases import services as case_services
from relais.cases.models import Case
from relais.conftest import actor, make_agency, make_user
from relais.notifications.models import Notice, NoticeKind
from relais.transfers import selectors
from relais.transfers.models import CaseTransfer, TransferStatus
from relais.transfers.services import (
    transfer_accept,
    transfer_cancel,
    transfer_decline,
    transfer_request,
)

REASON = "The victim moved to zone B"


def request(cast, **kwargs) -> CaseTransfer:
    arguments = {"case_id": cast.case.pk, "to_agency_id": cast.zone_b.pk, "reason": REASON,
                 **kwargs}
    return transfer_request(actor=actor(cast.officer_a), **arguments)


def audited(transfer: CaseTransfer, action: str, basis: str = "") -> bool:
    return AuditEvent.objects.filter(object_type="transfers.casetransfer",
                                     object_id=str(transfer.pk), action=action,
                                     case_id=transfer.case_id,
                                     basis__startswith=basis).exists()


@pytest.fixture
def reference_b(cast):
    return make_user("reference_b", cast.zone_b, Role.IPV_REFERENCE_OFFICER)


def test_a_request_is_audited_and_told_to_the_receiving_zone(cast, reference_b):
    transfer = request(cast)
    assert transfer.status == TransferStatus.PENDING
    assert transfer.from_agency == cast.zone_a and transfer.requested_by == cast.officer_a
    assert audited(transfer, "create", "transfer requested")
    assert cast.case.timeline.filter(kind="transfer_requested", scope="owner").exists()
    notice = Notice.objects.get(kind=NoticeKind.TRANSFER_REQUESTED)
    assert (notice.agency, notice.for_role, notice.case) == (
        cast.zone_b, Role.IPV_REFERENCE_OFFICER, cast.case)
    assert notice.link == f"/transfers/{transfer.pk}/"
    # While it waits, zone B sees the request, not the case.
    assert [t.pk for t in selectors.inbox(actor=actor(cast.officer_b)).to_accept] == [
        transfer.pk]
    with pytest.raises(Http404):
        case_access(actor=actor(cast.officer_b), case_id=cast.case.pk)


def test_only_the_owners_staff_who_reach_every_case_request(cast):
    # The neighbourhood officer sees the cases she is assigned to, and does not hand them over.
    case_services.case_assign(actor=actor(cast.officer_a), case_id=cast.case.pk,
                              user_id=cast.neighbourhood_a.pk)
    assignee = actor(cast.neighbourhood_a)
    assert case_access(actor=assignee, case_id=cast.case.pk).is_owner
    for user in (cast.officer_b, cast.shelter_worker, cast.legal_advisor, cast.analyst_a,
                 cast.admin_a, cast.counsellor):
        with pytest.raises(Http404):
            transfer_request(actor=actor(user), case_id=cast.case.pk,
                             to_agency_id=cast.zone_b.pk, reason=REASON)
    with pytest.raises(Http404):
        transfer_request(actor=assignee, case_id=cast.case.pk, to_agency_id=cast.zone_b.pk,
                         reason=REASON)
    assert not CaseTransfer.objects.exists()


def test_a_request_names_an_agency_of_the_same_kind_and_a_reason(cast):
    with pytest.raises(ValidationError) as error:
        request(cast, to_agency_id=cast.shelter.pk, reason=" ")
    assert set(error.value.message_dict) == {"to_agency", "reason"}
    with pytest.raises(ValidationError) as error:
        request(cast, to_agency_id=cast.zone_a.pk)
    assert "to_agency" in error.value.message_dict
    request(cast)
    with pytest.raises(ValidationError) as error:
        request(cast)
    assert "already waiting" in error.value.messages[0]
    assert CaseTransfer.objects.count() == 1


def test_the_requester_cancels_and_the_case_stays(cast):
    transfer = request(cast)
    for user in (cast.officer_b, cast.shelter_worker, cast.neighbourhood_a):
        with pytest.raises(Http404):
            transfer_cancel(actor=actor(user), transfer_id=transfer.pk)
    transfer_cancel(actor=actor(cast.reference_a), transfer_id=transfer.pk,
                    reason="She stays after all")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert transfer.answered_by == cast.reference_a
    assert audited(transfer, "update", "transfer cancelled")
    assert cast.case.timeline.filter(kind="transfer_cancelled").exists()
    assert Case.objects.get(pk=cast.case.pk).owner_agency == cast.zone_a
    # Answered or cancelled: nobody acts on it any more.
    for act in (lambda: transfer_accept(actor=actor(cast.officer_b), transfer_id=transfer.pk),
                lambda: transfer_cancel(actor=actor(cast.officer_a), transfer_id=transfer.pk)):
        with pytest.raises(Http404):
            act()
    with pytest.raises(Http404):
        transfer_cancel(actor=actor(cast.officer_a), transfer_id=987654)


def test_the_receiver_declines_with_a_reason_and_the_case_stays(cast, reference_b):
    transfer = request(cast)
    with pytest.raises(ValidationError) as error:
        transfer_decline(actor=actor(cast.officer_b), transfer_id=transfer.pk, reason="  ")
    assert "reason" in error.value.message_dict
    for user in (cast.officer_a, cast.shelter_worker, cast.legal_advisor):
        with pytest.raises(Http404):
            transfer_decline(actor=actor(user), transfer_id=transfer.pk, reason="No")
    transfer_decline(actor=actor(cast.officer_b), transfer_id=transfer.pk,
                     reason="The address is in zone C")
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DECLINED
    assert audited(transfer, "update", "transfer declined")
    assert Case.objects.get(pk=cast.case.pk).owner_agency == cast.zone_a
    assert not Share.objects.filter(kind=ShareKind.TRANSFER).exists()
    notice = Notice.objects.get(kind=NoticeKind.TRANSFER_ANSWERED)
    assert notice.agency == cast.zone_a and notice.for_role == Role.IPV_REFERENCE_OFFICER
    with pytest.raises(Http404):
        case_access(actor=actor(cast.officer_b), case_id=cast.case.pk)
    # A new request can follow.
    assert request(cast).is_pending


def test_accepting_moves_the_ownership_and_the_former_zone_keeps_the_judicial_narrative(
        cast, reference_b):
    case_services.case_assign(actor=actor(cast.officer_a), case_id=cast.case.pk,
                              user_id=cast.neighbourhood_a.pk)
    transfer = request(cast)
    for user in (cast.officer_a, cast.shelter_worker, cast.analyst_a):
        with pytest.raises(Http404):
            transfer_accept(actor=actor(user), transfer_id=transfer.pk)
    transfer_accept(actor=actor(cast.officer_b), transfer_id=transfer.pk)

    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACCEPTED and transfer.answered_by == cast.officer_b
    assert Case.objects.get(pk=cast.case.pk).owner_agency == cast.zone_b
    new_owner = case_access(actor=actor(cast.officer_b), case_id=cast.case.pk)
    assert new_owner.is_owner and new_owner.can_edit
    # The former zone: identities and the judicial narrative, nothing else, and no writes.
    share = transfer.former_owner_share
    assert (share.kind, share.recipient_agency, share.scopes) == (
        ShareKind.TRANSFER, cast.zone_a, [Scope.JUDICIAL])
    former = case_access(actor=actor(cast.officer_a), case_id=cast.case.pk)
    assert not former.is_owner and former.scopes == frozenset({Scope.JUDICIAL})
    assert "former owner" in former.basis
    victim = person_access(actor=actor(cast.officer_a), person_id=cast.victim_id)
    assert Scope.CONTACT not in victim.scopes and Scope.HEALTH not in victim.scopes
    with pytest.raises(Http404):
        transfer_request(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         to_agency_id=cast.zone_b.pk, reason=REASON)
    with pytest.raises(Http404):  # her assignment gave her the case as owner: no longer
        case_access(actor=actor(cast.neighbourhood_a), case_id=cast.case.pk)
    # Audited: the answer, the owner change, the share; timeline and notice.
    assert audited(transfer, "update", "transfer accepted")
    assert AuditEvent.objects.filter(object_type="cases.case", object_id=str(cast.case.pk),
                                     action="update", basis="owner changed by transfer").exists()
    assert AuditEvent.objects.filter(object_type="access.share", object_id=str(share.pk),
                                     action="share").exists()
    assert cast.case.timeline.filter(kind="case_transferred", scope="").exists()
    assert Notice.objects.filter(kind=NoticeKind.TRANSFER_ANSWERED, agency=cast.zone_a).exists()
    # The new owner may end what the former one keeps.
    from relais.access.services import share_end

    share_end(actor=actor(cast.officer_b), share_id=share.pk, reason="")
    with pytest.raises(Http404):
        case_access(actor=actor(cast.officer_a), case_id=cast.case.pk)


def test_a_shelter_hands_a_file_over_only_with_her_agreement_and_keeps_nothing(cast):
    other_shelter = make_agency("shelter-2", AgencyKind.SHELTER)
    worker_2 = make_user("worker_2", other_shelter, Role.SHELTER_WORKER)
    worker = actor(cast.shelter_worker)
    case = case_services.case_open(actor=worker, situation="couple", municipality="21009")
    arguments = {"case_id": case.pk, "to_agency_id": other_shelter.pk, "reason": "She moved"}
    with pytest.raises(ValidationError) as error:
        transfer_request(actor=worker, **arguments)
    assert "person_agreed" in error.value.message_dict
    with pytest.raises(ValidationError):  # shelters hand over to shelters only
        transfer_request(actor=worker, **{**arguments, "to_agency_id": cast.zone_b.pk},
                         person_agreed=True)
    transfer = transfer_request(actor=worker, person_agreed=True, **arguments)
    assert not Notice.objects.exists()  # no notice role in a shelter: its list says it
    transfer_accept(actor=actor(worker_2), transfer_id=transfer.pk)
    transfer.refresh_from_db()
    assert transfer.former_owner_share is None
    assert case_access(actor=actor(worker_2), case_id=case.pk).is_owner
    with pytest.raises(Http404):
        case_access(actor=worker, case_id=case.pk)


def test_closing_the_case_cancels_its_pending_transfer(cast):
    transfer = request(cast)
    case_services.case_close(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             reason="declined", acknowledged=True)
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.CANCELLED
    assert audited(transfer, "update", "transfer cancelled: case closed")
    with pytest.raises(Http404):
        transfer_accept(actor=actor(cast.officer_b), transfer_id=transfer.pk)


def test_the_former_zones_open_tasks_go_with_the_case(cast):
    from relais.followup.models import Task, TaskStatus
    from relais.followup.notes import render
    from relais.followup.tests.factories import record_report

    record_report(cast)
    open_tasks = list(Task.objects.filter(case=cast.case, status=TaskStatus.OPEN)
                      .values_list("pk", flat=True))
    assert open_tasks and set(Task.objects.filter(pk__in=open_tasks)
                              .values_list("agency_id", flat=True)) == {cast.zone_a.pk}
    transfer_accept(actor=actor(cast.officer_b), transfer_id=request(cast).pk)
    for task in Task.objects.filter(pk__in=open_tasks):
        assert (task.agency_id, task.unit_id, task.assignee_id) == (cast.zone_b.pk, None, None)
        assert "Handed over with the case by Zone A (test)." in render(task.reason)
        assert AuditEvent.objects.filter(object_type="followup.task", object_id=str(task.pk),
                                         basis__contains="transfer").exists()

"""The supervisors are told a step waits for them (in Relais and by e-mail, no person named);
the notice is done with once someone decides."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse

from relais.accounts.models import Role
from relais.approvals import services
from relais.approvals.tests.factories import ask_to_close
from relais.conftest import actor, run_mail_queue, verified_client
from relais.notifications.models import Notice, NoticeKind


def test_a_request_notifies_the_supervisors_and_the_decision_settles_it(cast):
    cast.reference_a.email = "reference.a@example.test"
    cast.reference_a.save(update_fields=["email"])
    request = ask_to_close(cast)
    notice = Notice.objects.get(kind=NoticeKind.APPROVAL_REQUESTED)
    assert (notice.agency, notice.for_role, notice.case) == (
        cast.zone_a, Role.IPV_REFERENCE_OFFICER, cast.case)
    assert notice.link == f"{reverse('approvals:list')}#request-{request.pk}"
    run_mail_queue()
    sent = [message for message in mail.outbox if cast.reference_a.email in message.to]
    assert sent and cast.case.reference in sent[0].subject
    assert request.reason not in sent[0].body or not request.reason
    inbox = verified_client(cast.reference_a).get(reverse("notifications:inbox"))
    assert f"#request-{request.pk}" in inbox.content.decode()

    services.approval_approve(actor=actor(cast.reference_a), request_id=request.pk)
    notice.refresh_from_db()
    assert notice.acknowledged_by == cast.reference_a and notice.acknowledged_at is not None


def test_a_lowered_risk_level_keeps_its_own_notice(cast):
    from relais.approvals.models import ApprovalRequest

    services.approval_request(actor=actor(cast.officer_a), step="risk_lower_level",
                              target=cast.case, case=cast.case)
    assert ApprovalRequest.objects.exists()
    assert not Notice.objects.filter(kind=NoticeKind.APPROVAL_REQUESTED).exists()

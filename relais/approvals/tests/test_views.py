"""The approvals screens: sign-in, the agency's supervisor only, a fixed number of queries."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.accounts.models import Role
from relais.approvals.models import ApprovalState
from relais.approvals.tests.factories import ask_to_close
from relais.conftest import make_user, verified_client


def test_the_screens_require_sign_in(cast):
    request = ask_to_close(cast)
    assert Client().get(reverse("approvals:list")).status_code == 302
    for name in ("approvals:approve", "approvals:refuse"):
        response = Client().post(reverse(name, args=[request.pk]))
        assert response.status_code == 302 and "sign-in" in response.url


def test_another_agency_and_the_requester_get_404(cast):
    request = ask_to_close(cast)
    reference_b = make_user("reference_b", cast.zone_b, Role.IPV_REFERENCE_OFFICER)
    for user in (reference_b, cast.officer_a, cast.sapv_a, cast.magistrate):
        client = verified_client(user)
        for name in ("approvals:approve", "approvals:refuse"):
            assert client.post(reverse(name, args=[request.pk]),
                               {"reason": "No."}).status_code == 404
        assert f'id="request-{request.pk}"' not in client.get(
            reverse("approvals:list")).content.decode()
    request.refresh_from_db()
    assert request.state == ApprovalState.PENDING


def test_the_supervisor_approves_on_the_list_and_the_requester_reads_why(cast):
    request = ask_to_close(cast)
    supervisor = verified_client(cast.reference_a)
    page = supervisor.get(reverse("approvals:list")).content.decode()
    assert cast.case.reference in page and f'id="request-{request.pk}"' in page
    response = supervisor.post(reverse("approvals:approve", args=[request.pk]),
                               {"reason": "Checked with the SAPV."})
    assert response.status_code == 302
    cast.case.refresh_from_db()
    assert cast.case.status == "closed"
    mine = verified_client(cast.officer_a).get(reverse("approvals:list")).content.decode()
    assert "Checked with the SAPV." in mine and "Approved" in mine


def test_the_list_reads_a_fixed_number_of_queries(cast):
    from relais.cases import services as case_services
    from relais.conftest import actor

    ask_to_close(cast)
    client = verified_client(cast.reference_a)
    client.get(reverse("approvals:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("approvals:list"))
    for n in range(3):
        case = case_services.case_open(actor=actor(cast.officer_a), situation="couple",
                                       municipality="21009")
        from relais.approvals.services import approval_request

        approval_request(actor=actor(cast.officer_a), step="case_close_high_risk",
                         target=case, case=case, payload={"reason": "declined"},
                         reason=f"Case {n}")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("approvals:list"))
    assert len(many) == len(few)

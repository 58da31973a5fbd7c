"""Transfer screens: sign-in, 404 for everyone else, the request, the list, the answer; query
counts on the list."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from relais.cases import services as case_services
from relais.cases.models import Case
from relais.conftest import actor, case_page_with_sections, verified_client
from relais.transfers.models import CaseTransfer, TransferStatus
from relais.transfers.services import transfer_request


@pytest.fixture
def transfer(cast) -> CaseTransfer:
    return transfer_request(actor=actor(cast.officer_a), case_id=cast.case.pk,
                            to_agency_id=cast.zone_b.pk, reason="The victim moved to zone B")


def urls(cast, transfer: CaseTransfer) -> list[str]:
    return [reverse("transfers:request", args=[cast.case.pk]), reverse("transfers:inbox"),
            reverse("transfers:transfer", args=[transfer.pk])]


def test_every_screen_requires_sign_in(cast, transfer):
    for url in urls(cast, transfer):
        response = Client().get(url)
        assert response.status_code == 302 and response.url.startswith("/sign-in/"), url
    response = Client().post(reverse("transfers:cancel", args=[transfer.pk]))
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


def test_other_agencies_get_404(cast, transfer):
    for user in (cast.shelter_worker, cast.legal_advisor, cast.counsellor):
        client = verified_client(user)
        for url in urls(cast, transfer):
            response = client.get(url)
            if url == reverse("transfers:inbox"):  # each agency's own list: not this one
                assert cast.case.reference not in response.content.decode()
                continue
            assert response.status_code == 404, (user, url)
        assert client.post(reverse("transfers:cancel", args=[transfer.pk])).status_code == 404
        assert client.post(reverse("transfers:transfer", args=[transfer.pk]),
                           {"decision": "accept"}).status_code == 404
    # Zone B is asked, but the request page of zone A's case is not its own; nor is the
    # cancellation.
    zone_b = verified_client(cast.officer_b)
    assert zone_b.get(reverse("transfers:request", args=[cast.case.pk])).status_code == 404
    assert zone_b.post(reverse("transfers:cancel", args=[transfer.pk])).status_code == 404
    # Zone A asked: it cannot answer its own request.
    zone_a = verified_client(cast.officer_a)
    assert zone_a.post(reverse("transfers:transfer", args=[transfer.pk]),
                       {"decision": "accept"}).status_code == 404
    # Roles that reach no case have no list.
    assert verified_client(cast.analyst_a).get(reverse("transfers:inbox")).status_code == 404
    assert CaseTransfer.objects.get().status == TransferStatus.PENDING


def test_zone_a_requests_and_zone_b_accepts(cast):
    zone_a = verified_client(cast.officer_a)
    page = case_page_with_sections(zone_a, cast.case.pk)
    assert reverse("transfers:request", args=[cast.case.pk]) in page
    form = zone_a.get(reverse("transfers:request", args=[cast.case.pk])).content.decode()
    assert "Zone B (test)" in form and "Test shelter" not in form
    assert "person_agreed" not in form  # police zones transfer on the law
    response = zone_a.post(reverse("transfers:request", args=[cast.case.pk]),
                           {"to_agency": "", "reason": ""})
    assert response.status_code == 200 and "field-error" in response.content.decode()
    response = zone_a.post(reverse("transfers:request", args=[cast.case.pk]),
                           {"to_agency": cast.zone_b.pk, "reason": "The victim moved to zone B"})
    assert response.status_code == 302
    transfer = CaseTransfer.objects.get()
    page = case_page_with_sections(zone_a, cast.case.pk)
    assert reverse("transfers:transfer", args=[transfer.pk]) in page
    # One at a time: the request page shows the pending one.
    response = zone_a.get(reverse("transfers:request", args=[cast.case.pk]))
    assert response.status_code == 302
    assert response.url == reverse("transfers:transfer", args=[transfer.pk])

    zone_b = verified_client(cast.officer_b)
    inbox = zone_b.get(reverse("transfers:inbox")).content.decode()
    assert cast.case.reference in inbox and "The victim moved to zone B" in inbox
    assert "Alice" not in inbox  # nothing of the family
    detail = zone_b.get(reverse("transfers:transfer", args=[transfer.pk])).content.decode()
    assert "Accept the case" in detail and "Alice" not in detail
    response = zone_b.post(reverse("transfers:transfer", args=[transfer.pk]),
                           {"decision": "decline", "reason": ""})
    assert response.status_code == 200  # a decline needs a reason: nothing done
    assert CaseTransfer.objects.get().status == TransferStatus.PENDING
    response = zone_b.post(reverse("transfers:transfer", args=[transfer.pk]),
                           {"decision": "accept", "reason": ""})
    assert response.status_code == 302
    assert response.url == reverse("cases:case_detail", args=[cast.case.pk])
    assert Case.objects.get(pk=cast.case.pk).owner_agency == cast.zone_b
    assert zone_b.get(response.url).status_code == 200
    # The former zone still opens the case, read-only, without the transfer panel.
    page = case_page_with_sections(zone_a, cast.case.pk)
    assert reverse("transfers:request", args=[cast.case.pk]) not in page


def test_the_requester_cancels_from_the_transfer_page(cast, transfer):
    zone_a = verified_client(cast.officer_a)
    page = zone_a.get(reverse("transfers:transfer", args=[transfer.pk])).content.decode()
    assert reverse("transfers:cancel", args=[transfer.pk]) in page
    response = zone_a.post(reverse("transfers:cancel", args=[transfer.pk]), {"reason": ""})
    assert response.status_code == 302
    assert CaseTransfer.objects.get().status == TransferStatus.CANCELLED


def test_the_list_costs_the_same_queries_for_one_or_many(cast, transfer):
    zone_b = verified_client(cast.officer_b)
    url = reverse("transfers:inbox")
    zone_b.get(url)
    with CaptureQueriesContext(connection) as few:
        assert zone_b.get(url).status_code == 200
    officer = actor(cast.officer_a)
    for _n in range(4):
        case = case_services.case_open(actor=officer, situation="couple", municipality="21009")
        transfer_request(actor=officer, case_id=case.pk, to_agency_id=cast.zone_b.pk,
                         reason="Moved")
    with CaptureQueriesContext(connection) as many:
        response = zone_b.get(url)
    assert response.content.decode().count("Accept or decline") == 5
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]

"""The access matrix: every role × every kind of access × case page, person page and API.

The expected answer is written out per role *reach* (see relais.access.scopes.ROLE_REACH):
roles that reach every case of their agency, roles that reach only assigned cases (the
neighbourhood officer, the dispatcher) and roles that never see personal data (analyst,
administrator).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from relais.access import services
from relais.access.models import ConsentMethod, Share
from relais.access.scopes import ROLE_REACH, Reach, Scope
from relais.accounts.models import AgencyKind, Role
from relais.cases import services as case_services
from relais.conftest import (
    SHELTER_STREET,
    VICTIM_PHONE,
    VICTIM_STREET,
    actor,
    api_client,
    make_agency,
    make_user,
    verified_client,
)

KINDS = ["own_agency", "other_agency", "shared_with_scope", "shared_without_scope",
         "consultation_ended", "consent_withdrawn", "break_glass"]

# Does the role see the case at all? (per reach)
SEES = {
    Reach.ALL: {"own_agency": True, "other_agency": False, "shared_with_scope": True,
                "shared_without_scope": True, "consultation_ended": False,
                "consent_withdrawn": False, "break_glass": True},
    Reach.ASSIGNED: dict.fromkeys(KINDS, False),
    Reach.NONE: dict.fromkeys(KINDS, False),
}
# Does it see the victim's phone and address? (only where it sees the case)
SEES_CONTACT = {"own_agency": True, "shared_with_scope": True, "shared_without_scope": False,
                "break_glass": True}


def reach(role: str) -> Reach:
    return ROLE_REACH.get(role, Reach.ALL)


def setup_kind(cast, kind: str, role: str):
    """Create the user holding ``role`` and the situation ``kind`` describes."""
    owner = actor(cast.officer_a)
    if kind == "own_agency":
        return make_user(f"u_{role}", cast.zone_a, role)
    if kind in ("other_agency", "break_glass"):
        user = make_user(f"u_{role}", cast.zone_b, role)
        if kind == "break_glass":
            try:
                services.break_glass_open(actor=actor(user), case_reference=cast.case.reference,
                                          justification="Imminent danger: she called 112 from "
                                                        "our zone.")
            except Http404:
                assert reach(role) < Reach.ALL
        return user
    recipient = make_agency("recipient", AgencyKind.VICTIM_SUPPORT)
    user = make_user(f"u_{role}", recipient, role)
    if kind in ("shared_with_scope", "shared_without_scope", "consent_withdrawn"):
        scopes = ([Scope.CONTACT, Scope.JUDICIAL] if kind != "shared_without_scope"
                  else [Scope.HEALTH])
        share = services.referral_share_grant(
            actor=owner, case_id=cast.case.pk, person_id=cast.victim_id,
            recipient_agency_id=recipient.pk, scopes=scopes, method=ConsentMethod.WRITTEN)
        if kind == "consent_withdrawn":
            services.consent_withdraw(actor=owner, consent_id=share.consent_id)
    elif kind == "consultation_ended":
        services.consultation_open(
            actor=owner, case_id=cast.case.pk, agency_ids=[recipient.pk], purpose="Risk",
            ends_at=timezone.now() + timedelta(days=1), scopes=[Scope.CONTACT])
        Share.objects.filter(recipient_agency=recipient).update(
            ends_at=timezone.now() - timedelta(minutes=1))
    return user


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("role", Role.values)
def test_access_matrix(cast, role, kind):
    user = setup_kind(cast, kind, role)
    expected = SEES[reach(role)][kind]
    client, api = verified_client(user), api_client(user)
    surfaces = {
        "case page": client.get(reverse("cases:case_detail", args=[cast.case.pk])),
        "person page": client.get(reverse("cases:person_detail", args=[cast.victim_id])),
        "case API": api.get(reverse("api:case_detail", args=[cast.case.pk])),
        "person API": api.get(reverse("api:person_detail", args=[cast.victim_id])),
    }
    for name, response in surfaces.items():
        assert response.status_code == (200 if expected else 404), (name, role, kind)
    if expected:
        page = surfaces["case page"].content.decode()
        sees_contact = SEES_CONTACT[kind]
        assert (VICTIM_STREET in page) is sees_contact
        data = surfaces["person API"].json()
        assert (data["phones"] is not None) is sees_contact
        if sees_contact:
            assert data["phones"][0]["number"] == VICTIM_PHONE


def test_assigned_neighbourhood_officer_sees_only_her_cases(cast):
    client = verified_client(cast.neighbourhood_a)
    url = reverse("cases:case_detail", args=[cast.case.pk])
    assert client.get(url).status_code == 404
    case_services.case_assign(actor=actor(cast.officer_a), case_id=cast.case.pk,
                              user_id=cast.neighbourhood_a.pk)
    assert client.get(url).status_code == 200


def test_perpetrator_programme_never_sees_the_victims_address_or_phone(cast):
    """Even with every scope shared, the programme sees only the perpetrator's contact."""
    owner = actor(cast.officer_a)
    shelter = actor(cast.shelter_worker)
    services.referral_share_grant(
        actor=owner, case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.shelter.pk, scopes=[Scope.CONTACT, Scope.CONFIDENTIAL_LOCATION],
        method=ConsentMethod.WRITTEN)
    case_services.address_add(actor=shelter, person_id=cast.victim_id, street=SHELTER_STREET,
                              postcode="1000", municipality="21004", confidential=True)
    services.referral_share_grant(
        actor=owner, case_id=cast.case.pk, person_id=cast.perpetrator_id,
        recipient_agency_id=cast.programme.pk, scopes=list(Scope.values),
        method=ConsentMethod.WRITTEN)
    client, api = verified_client(cast.counsellor), api_client(cast.counsellor)

    case_page = client.get(reverse("cases:case_detail", args=[cast.case.pk])).content.decode()
    victim_page = client.get(reverse("cases:person_detail", args=[cast.victim_id]))
    victim_api = api.get(reverse("api:person_detail", args=[cast.victim_id])).json()
    case_api = api.get(reverse("api:case_detail", args=[cast.case.pk])).json()

    for text in (VICTIM_STREET, SHELTER_STREET, "470 12 34 56"):
        assert text not in case_page
        assert text not in victim_page.content.decode()
        assert text not in str(case_api)
    assert victim_api["addresses"] is None and victim_api["phones"] is None
    child = next(p for p in case_api["persons"] if p["id"] == cast.child_id)
    assert child["addresses"] is None
    perpetrator = next(p for p in case_api["persons"] if p["id"] == cast.perpetrator_id)
    assert perpetrator["phones"][0]["number"] == "+32470654321"


def test_confidential_address_only_for_keeper_and_explicit_scope(cast):
    owner = actor(cast.officer_a)
    services.referral_share_grant(
        actor=owner, case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.shelter.pk, scopes=[Scope.CONTACT], method=ConsentMethod.WRITTEN)
    case_services.address_add(actor=actor(cast.shelter_worker), person_id=cast.victim_id,
                              street=SHELTER_STREET, postcode="1000", municipality="21004",
                              confidential=True)
    services.referral_share_grant(
        actor=owner, case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.support.pk, scopes=[Scope.CONTACT], method=ConsentMethod.WRITTEN)
    url = reverse("cases:person_detail", args=[cast.victim_id])
    seen = {user.username: SHELTER_STREET in verified_client(user).get(url).content.decode()
            for user in (cast.shelter_worker, cast.officer_a, cast.support_worker)}
    assert seen == {"shelter_worker": True, "officer_a": False, "support_worker": False}
    services.referral_share_grant(
        actor=owner, case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.support.pk, scopes=[Scope.CONFIDENTIAL_LOCATION, Scope.CONTACT],
        method=ConsentMethod.WRITTEN)
    assert SHELTER_STREET in verified_client(cast.support_worker).get(url).content.decode()


def test_judicial_forwarding_opens_the_case_to_the_district_prosecutor(cast):
    url = reverse("cases:case_detail", args=[cast.case.pk])
    client = verified_client(cast.legal_advisor)
    assert client.get(url).status_code == 404
    services.case_forward_to_prosecutor(actor=actor(cast.officer_a), case_id=cast.case.pk)
    page = client.get(url).content.decode()
    assert "visible marks of strangulation" in page
    assert VICTIM_STREET in page


def test_search_finds_only_visible_cases(cast):
    from relais.cases.selectors import case_search

    assert [c.pk for c in case_search(actor=actor(cast.officer_a), query="Exemple")] == [
        cast.case.pk]
    assert case_search(actor=actor(cast.officer_b), query="Exemple") == []
    assert case_search(actor=actor(cast.analyst_a), query="Exemple") == []


def test_a_referral_opens_only_the_data_of_the_person_who_consented(cast):
    """The perpetrator's consent to a referral never opens the victim's data."""
    services.referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.perpetrator_id,
        recipient_agency_id=cast.support.pk, scopes=[Scope.CONTACT, Scope.HEALTH],
        method=ConsentMethod.WRITTEN)
    api = api_client(cast.support_worker)
    case = api.get(reverse("api:case_detail", args=[cast.case.pk])).json()
    persons = {p["id"]: p for p in case["persons"]}
    assert persons[cast.perpetrator_id]["phones"][0]["number"] == "+32470654321"
    assert persons[cast.victim_id]["phones"] is None
    assert persons[cast.victim_id]["needs"] is None
    assert "Tigrinya" not in str(case)


def test_perpetrator_programme_cannot_write_to_the_victims_record(cast):
    services.consultation_open(
        actor=actor(cast.officer_a), case_id=cast.case.pk, agency_ids=[cast.programme.pk],
        purpose="Safety plan", ends_at=timezone.now() + timedelta(days=7),
        scopes=[Scope.JUDICIAL, Scope.CONTACT, Scope.HEALTH])
    client = verified_client(cast.counsellor)
    for name in ("cases:need_add", "cases:phone_add", "cases:address_add", "cases:safe_contact"):
        response = client.post(reverse(name, args=[cast.victim_id]),
                               {"kind": "other", "number": "+32470000000"})
        assert response.status_code == 404, name
    page = client.get(reverse("cases:person_detail", args=[cast.victim_id])).content.decode()
    assert "Tigrinya" not in page
    assert reverse("cases:need_add", args=[cast.victim_id]) not in page


def test_perpetrator_programme_reads_no_note_on_whereabouts_nor_where_she_was_referred(cast):
    owner = actor(cast.officer_a)
    case_services.note_add(actor=owner, case_id=cast.case.pk, scope=Scope.CONTACT,
                           text="Fictitious: she now stays at her sister's, Rue Cachée 3")
    services.referral_share_grant(
        actor=owner, case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.shelter.pk, scopes=[Scope.CONTACT],
        method=ConsentMethod.WRITTEN)
    services.consultation_open(
        actor=owner, case_id=cast.case.pk, agency_ids=[cast.programme.pk],
        purpose="Safety plan", ends_at=timezone.now() + timedelta(days=7),
        scopes=[Scope.JUDICIAL, Scope.CONTACT])
    page = verified_client(cast.counsellor).get(
        reverse("cases:case_detail", args=[cast.case.pk])).content.decode()
    api = str(api_client(cast.counsellor).get(
        reverse("api:case_detail", args=[cast.case.pk])).json())
    for text in ("Rue Cachée", cast.shelter.name):
        assert text not in page and text not in api
    assert "visible marks of strangulation" in page  # the judicial narrative is shared
    owner_page = verified_client(cast.officer_a).get(
        reverse("cases:case_detail", args=[cast.case.pk])).content.decode()
    assert "Rue Cachée" in owner_page and cast.shelter.name in owner_page


def test_a_consultation_never_opens_confidential_addresses(cast):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.consultation_open(
            actor=actor(cast.officer_a), case_id=cast.case.pk, agency_ids=[cast.support.pk],
            purpose="Risk", ends_at=timezone.now() + timedelta(days=1),
            scopes=[Scope.CONTACT, Scope.CONFIDENTIAL_LOCATION])
    assert not Share.objects.exists()

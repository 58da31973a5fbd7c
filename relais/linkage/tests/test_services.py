"""Links are found when a person is recorded, decided by a person with a reason, undone, and
every step is audited; the policy decides who learns that a match exists."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from relais.audit.models import Action, AuditEvent
from relais.cases import services as case_services
from relais.conftest import actor
from relais.linkage import selectors, services
from relais.linkage.models import LinkDecision, LinkStatus, PersonKey, PersonLink
from relais.linkage.records import record_from_fields
from relais.linkage.tests.factories import couple_case, person_of

pytestmark = pytest.mark.django_db


def link_between(a: int, b: int) -> PersonLink | None:
    left, right = sorted((a, b))
    return PersonLink.objects.filter(left_id=left, right_id=right).first()


def test_a_recorded_person_is_filed_under_her_blocking_keys(cast):
    keys = set(PersonKey.objects.filter(person_id=cast.victim_id).values_list("key", flat=True))
    assert any(k.startswith("n:") for k in keys)
    assert {k for k in keys if k.startswith("d:1988-03-14|")}  # the date, with an initial
    assert "p:+32470123456" in keys  # the phone added after her
    assert any(k.startswith("a:1050|") for k in keys)


def test_a_shelter_address_is_never_a_key(cast):
    case_services.address_add(actor=actor(cast.officer_a), person_id=cast.victim_id,
                              street="Rue Cachée 1", postcode="1000", municipality="21004",
                              confidential=True)
    keys = PersonKey.objects.filter(person_id=cast.victim_id).values_list("key", flat=True)
    assert not any("1000" in k for k in keys)


def test_another_zone_recording_the_same_couple_gets_a_proposed_link(cast):
    other = couple_case(cast, cast.officer_b, victim_first="Exemple", victim_last="Alice")
    link = link_between(cast.victim_id, person_of(other))
    assert link is not None and link.status == LinkStatus.PROPOSED
    assert link.evidence["names_swapped"] is True
    assert link.probability > 0.99
    assert AuditEvent.objects.filter(action=Action.SEARCH, user_id=cast.officer_b.pk,
                                     basis__startswith="linkage: links").exists()


def test_a_doubtful_match_goes_to_review(cast):
    # Same name, birth year off by one, no national number: between the thresholds.
    other = couple_case(cast, cast.officer_b, birth_date=date(1989, 3, 14), national_number="")
    link = link_between(cast.victim_id, person_of(other))
    assert link is not None
    assert link.status in (LinkStatus.REVIEW, LinkStatus.PROPOSED)


def test_a_shelter_never_learns_of_a_police_record_nor_the_police_of_hers(cast):
    shelter_case = couple_case(cast, cast.shelter_worker)
    shelter_victim = person_of(shelter_case)
    assert link_between(cast.victim_id, shelter_victim) is None
    # The police zone B recording her later is not matched against the shelter's record.
    zone_case = couple_case(cast, cast.officer_b)
    assert link_between(shelter_victim, person_of(zone_case)) is None
    assert link_between(cast.victim_id, person_of(zone_case)) is not None


def test_the_search_answers_the_same_whether_or_not_another_agency_knows_her(cast):
    record = record_from_fields(first_name="Nadia", last_name="Inventée",
                                birth_date=date(1990, 1, 2))
    shelter = actor(cast.shelter_worker)
    before = selectors.candidates_for(actor=shelter, record=record)
    couple_case(cast, cast.support_worker, victim_first="Nadia", victim_last="Inventée",
                birth_date=date(1990, 1, 2), national_number="")
    after = selectors.candidates_for(actor=shelter, record=record)
    assert before == after == []


def test_the_judicial_chain_sees_a_case_of_another_zone_without_its_data(cast):
    record = record_from_fields(first_name="Alice", last_name="Exemple",
                                birth_date=date(1988, 3, 14), sex="F")
    found = selectors.candidates_for(actor=actor(cast.officer_b), record=record)
    assert len(found) == 1
    candidate = found[0]
    assert candidate.name == "" and not candidate.visible
    assert [ref.agency for ref in candidate.cases] == ["Zone A (test)"]
    fields = {e.field: e.level for e in candidate.match.evidence}
    assert fields["given_name"] == "exact" and fields["birth_date"] == "exact"
    # Zone A sees its own record by name.
    mine = selectors.candidates_for(actor=actor(cast.officer_a), record=record)
    assert mine[0].name == "Alice Exemple" and mine[0].visible


def test_deciding_needs_a_reason_is_audited_and_can_be_undone(cast):
    other = couple_case(cast, cast.officer_b)
    link = link_between(cast.victim_id, person_of(other))
    officer = actor(cast.officer_b)
    with pytest.raises(ValidationError):
        services.link_decide(actor=officer, link_id=link.pk, same=True, reason=" ")
    services.link_decide(actor=officer, link_id=link.pk, same=True, reason="Same ID card")
    link.refresh_from_db()
    assert link.status == LinkStatus.CONFIRMED
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(link.pk),
                                     basis="linkage: proposed -> confirmed").exists()
    services.link_undo(actor=officer, link_id=link.pk, reason="Wrong card")
    link.refresh_from_db()
    assert link.status == LinkStatus.PROPOSED
    assert [d.is_undo for d in LinkDecision.objects.filter(link=link)] == [True, False]
    with pytest.raises(ValidationError):
        services.link_undo(actor=officer, link_id=link.pk, reason="Again")


def test_a_decided_link_keeps_its_decision_when_the_person_changes(cast):
    other = couple_case(cast, cast.officer_b)
    link = link_between(cast.victim_id, person_of(other))
    services.link_decide(actor=actor(cast.officer_b), link_id=link.pk, same=False,
                         reason="Different mother's name")
    case_services.person_update(actor=actor(cast.officer_a), person_id=cast.victim_id,
                                gender="woman")
    link.refresh_from_db()
    assert link.status == LinkStatus.REJECTED


@pytest.mark.parametrize("who", ["shelter_worker", "support_worker", "counsellor",
                                 "analyst_a", "justice_assistant", "coordinator"])
def test_those_who_do_not_see_a_link_cannot_decide_it(cast, who):
    other = couple_case(cast, cast.officer_b)
    link = link_between(cast.victim_id, person_of(other))
    with pytest.raises(Http404):
        services.link_decide(actor=actor(getattr(cast, who)), link_id=link.pk, same=True,
                             reason="x")
    with pytest.raises(Http404):
        selectors.link_get(actor=actor(getattr(cast, who)), link_id=link.pk)


def test_the_prosecutor_sees_links_of_the_cases_in_its_table(cast):
    from relais.justice.tests.factories import record_report

    record_report(cast)  # an official report forwards zone A's case to the office
    other = couple_case(cast, cast.officer_b)
    link = link_between(cast.victim_id, person_of(other))
    view = selectors.link_get(actor=actor(cast.legal_advisor), link_id=link.pk)
    assert view.mine == cast.victim_id and view.mine_name == "Alice Exemple"
    assert view.other.name == ""  # zone B's case is not in its table

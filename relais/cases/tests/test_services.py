"""Case-file services: each writes, validates and leaves its audit event."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation

from relais.access.models import ConsentMethod
from relais.access.scopes import Scope
from relais.audit.models import Action, AuditEvent
from relais.cases import services
from relais.cases.models import Case, CaseParticipant, Person, TimelineEntry
from relais.conftest import actor


def last_event() -> AuditEvent:
    """The service's own last event (the linkage's search, run by the hook after it, aside)."""
    return AuditEvent.objects.exclude(basis__startswith="linkage:").order_by("-id").first()


def test_case_open_belongs_to_the_agency_and_is_audited(cast):
    case = services.case_open(actor=actor(cast.officer_b), situation="ex_couple",
                              municipality="62063")
    assert case.owner_agency == cast.zone_b
    assert case.reference.startswith("REL-") and case.reference.endswith(f"{case.pk:06d}")
    event = last_event()
    assert (event.action, event.object_type, event.case_id) == (Action.CREATE, "cases.case",
                                                                 case.pk)
    assert TimelineEntry.objects.filter(case=case, kind="case_opened").exists()


def test_unknown_municipality_is_refused_and_nothing_is_saved(cast):
    before = (Case.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.case_open(actor=actor(cast.officer_a), situation="couple", municipality="99999")
    assert "municipality" in error.value.message_dict
    assert (Case.objects.count(), AuditEvent.objects.count()) == before


def test_invalid_national_number_is_refused_with_a_clear_message(cast):
    persons = Person.objects.count()
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            services.person_add_to_case(actor=actor(cast.officer_a), case_id=cast.case.pk,
                                        role="witness", first_name="Test", last_name="Témoin",
                                        national_number="85.07.30-033.99")
        assert "national number" in " ".join(error.value.message_dict["national_number"])
    assert Person.objects.count() == persons


def test_person_added_is_audited(cast):
    participant = services.person_add_to_case(
        actor=actor(cast.officer_a), case_id=cast.case.pk, role="witness", first_name="Test",
        last_name="Témoin", national_number="85.07.30-033.28")
    assert participant.person.national_number == "85073003328"
    event = last_event()
    assert (event.action, event.object_type, event.object_id) == (
        Action.CREATE, "cases.person", str(participant.person_id))


def test_phone_numbers_are_validated_and_normalised(cast):
    with pytest.raises(ValidationError):
        services.phone_add(actor=actor(cast.officer_a), person_id=cast.victim_id, number="12")
    phone = services.phone_add(actor=actor(cast.officer_a), person_id=cast.victim_id,
                               number="0470 11 22 33")
    assert phone.number == "+32470112233"
    assert last_event().scopes == "contact"


def test_confidential_address_is_kept_by_the_recording_agency(cast):
    address = services.address_add(actor=actor(cast.officer_a), person_id=cast.victim_id,
                                   street="Rue Cachée 1", postcode="1050", municipality="21009",
                                   confidential=True)
    assert address.keeper_agency == cast.zone_a
    assert last_event().scopes == "confidential_location,contact"


def test_outsider_cannot_write(cast):
    with pytest.raises(Http404):
        services.note_add(actor=actor(cast.officer_b), case_id=cast.case.pk, text="x")
    with pytest.raises(Http404):
        services.phone_add(actor=actor(cast.officer_b), person_id=cast.victim_id,
                           number="+32470000000")


def test_share_holder_reads_but_does_not_edit_identity(cast):
    from relais.access.services import referral_share_grant

    referral_share_grant(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         person_id=cast.victim_id, recipient_agency_id=cast.shelter.pk,
                         scopes=[Scope.CONTACT], method=ConsentMethod.WRITTEN)
    shelter = actor(cast.shelter_worker)
    with pytest.raises(Http404):
        services.person_update(actor=shelter, person_id=cast.victim_id, first_name="Other")
    with pytest.raises(Http404):
        services.person_add_to_case(actor=shelter, case_id=cast.case.pk, role="witness",
                                    first_name="A", last_name="B")
    # ...but records the safe-contact instructions it agreed with her (contact scope).
    services.safe_contact_set(actor=shelter, person_id=cast.victim_id, channel="sms",
                              never=["visit_home"])
    assert last_event().agency_id == cast.shelter.pk


def test_note_needs_the_scope_it_is_written_in(cast):
    with pytest.raises(Http404):
        services.note_add(actor=actor(cast.officer_a), case_id=cast.case.pk, text="x",
                          scope=Scope.CONFIDENTIAL_LOCATION)
    note = services.note_add(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             text="Fictitious note", scope=Scope.HEALTH)
    assert last_event().object_id == str(note.pk)


def test_person_update_is_audited(cast):
    services.person_update(actor=actor(cast.officer_a), person_id=cast.victim_id,
                           first_name="Alicia")
    event = last_event()
    assert (event.action, event.object_id) == (Action.UPDATE, str(cast.victim_id))


def test_need_and_safe_contact_are_audited_in_their_scope(cast):
    services.need_add(actor=actor(cast.officer_a), person_id=cast.victim_id, kind="disability",
                      detail="wheelchair")
    assert last_event().scopes == "health"
    with pytest.raises(ValidationError):
        services.safe_contact_set(actor=actor(cast.officer_a), person_id=cast.victim_id,
                                  channel="phone", never=["shout"])


def test_assign_and_close(cast):
    services.case_assign(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         user_id=cast.neighbourhood_a.pk)
    assert last_event().object_type == "cases.caseassignment"
    with pytest.raises(Http404):
        services.case_assign(actor=actor(cast.officer_a), case_id=cast.case.pk,
                             user_id=cast.officer_b.pk)
    case = services.case_close(actor=actor(cast.officer_a), case_id=cast.case.pk,
                               reason="declined", acknowledged=True)
    assert case.status == "closed"
    assert last_event().action == Action.UPDATE
    assert CaseParticipant.objects.filter(case=case).count() == 3

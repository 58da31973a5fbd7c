"""Cases of the same fictitious couple recorded by other agencies, for the linkage tests."""

from __future__ import annotations

from datetime import date

from relais.cases import services as case_services
from relais.cases.models import Case, ParticipantRole
from relais.conftest import Cast, actor
from relais.core.synthetic import fictitious_national_number


def couple_case(cast: Cast, user, *, victim_first: str = "Alice",
                victim_last: str = "Exemple", birth_date: date | None = date(1988, 3, 14),
                national_number: str | None = None, perpetrator: bool = True,
                perpetrator_birth: date | None = None) -> Case:
    """A case of ``user``'s agency with the same couple as ``cast.case`` (spellings may vary)."""
    who = actor(user)
    case = case_services.case_open(actor=who, situation="couple", municipality="21004")
    case_services.person_add_to_case(
        actor=who, case_id=case.pk, role=ParticipantRole.VICTIM, first_name=victim_first,
        last_name=victim_last, birth_date=birth_date, sex="F",
        national_number=(fictitious_national_number(date(1988, 3, 14), 2)
                         if national_number is None else national_number))
    if perpetrator:
        case_services.person_add_to_case(
            actor=who, case_id=case.pk, role=ParticipantRole.ALLEGED_PERPETRATOR,
            first_name="Bruno", last_name="Fictif", birth_date=perpetrator_birth, sex="M")
    return case


def person_of(case: Case, role: str = ParticipantRole.VICTIM) -> int:
    return case.participants.get(role=role).person_id


def perpetrator_born(cast: Cast, born: date = date(1985, 6, 1)) -> date:
    """Give the cast's alleged perpetrator a birth date and sex (a name alone links nobody)."""
    case_services.person_update(actor=actor(cast.officer_a), person_id=cast.perpetrator_id,
                                birth_date=born, sex="M")
    return born

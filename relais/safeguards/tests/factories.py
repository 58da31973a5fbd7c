"""Around the fixed cast: a hospital (health service) with an emergency nurse, and the case
shared on the victim's consent with the hospital, the shelter and the perpetrator programme."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from relais.access.models import ConsentMethod
from relais.access.scopes import Scope
from relais.access.services import referral_share_grant
from relais.accounts.models import Agency, AgencyKind, Role, User
from relais.conftest import Cast, actor, make_agency, make_user
from relais.safeguards import services
from relais.safeguards.models import HospitalAlert, ResidenceSituation


@dataclass
class Hospital:
    agency: Agency
    nurse: User
    other_hospital: Agency
    other_nurse: User


def hospital(cast: Cast) -> Hospital:
    agency = make_agency("hospital", AgencyKind.HEALTH, name="Hôpital Démo (test)")
    other = make_agency("hospital-b", AgencyKind.HEALTH, name="Other hospital (test)")
    return Hospital(agency=agency, nurse=make_user("nurse_h", agency, Role.SUPPORT_WORKER),
                    other_hospital=other,
                    other_nurse=make_user("nurse_b", other, Role.SUPPORT_WORKER))


def share(cast: Cast, recipient: Agency, *, person_id: int | None = None,
          scopes: tuple[str, ...] = (Scope.HEALTH,)) -> None:
    referral_share_grant(actor=actor(cast.officer_a), case_id=cast.case.pk,
                         person_id=person_id or cast.victim_id, recipient_agency_id=recipient.pk,
                         scopes=list(scopes), method=ConsentMethod.ORAL_IN_PERSON)


def residence(cast: Cast, *, permit: str = "card_a", facts_on: date | None = None,
              user: User | None = None) -> ResidenceSituation:
    return services.residence_record(actor=actor(user or cast.officer_a), case_id=cast.case.pk,
                                     person_id=cast.victim_id, permit=permit,
                                     facts_on=facts_on or date.today(), via="intake")


def alert(cast: Cast, place: Hospital, **kwargs) -> HospitalAlert:
    values = {"starts_on": date.today(), "note": "Fictitious: use the staff entrance"}
    values.update(kwargs)
    return services.hospital_alert_set(actor=actor(place.nurse), case_id=cast.case.pk,
                                       person_id=cast.victim_id, **values)

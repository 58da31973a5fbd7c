"""Building measure situations on the fixed cast with the real services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from relais.access.scopes import Scope
from relais.access.services import referral_share_grant
from relais.accounts.models import (
    Agency,
    AgencyKind,
    JurisdictionMunicipality,
    Role,
    Unit,
    UnitKind,
    User,
)
from relais.cases import services as case_services
from relais.cases.models import Address
from relais.conftest import VICTIM_STREET, Cast, actor, make_agency, make_user
from relais.followup.rules import later_same_clock
from relais.followup.tests.factories import record_report
from relais.measures import services
from relais.measures.models import Detention, DetentionKind, ResidenceBan
from relais.measures.rules import ban_rules

SHELTER_STREET_FOR_HER = "Refuge Caché 3"  # her confidential address (shelter)
OTHER_STREET = "Chaussée Ailleurs 99"  # another address of hers, not the shared home
LIEGE = "62063"


def forwarded(cast: Cast):
    """An official report by zone A: the case reaches the Brussels prosecutor's office."""
    return record_report(cast)


def victim_home(cast: Cast) -> Address:
    return Address.objects.get(person_id=cast.victim_id, street=VICTIM_STREET)


def shelter_address(cast: Cast, *, municipality: str = "21004", postcode: str = "1000") -> Address:
    """Zone A refers her to the shelter with her consent; the shelter records its confidential
    address for her."""
    referral_share_grant(
        actor=actor(cast.officer_a), case_id=cast.case.pk, person_id=cast.victim_id,
        recipient_agency_id=cast.shelter.pk,
        scopes=[Scope.CONTACT, Scope.CONFIDENTIAL_LOCATION], method="oral_in_person")
    return case_services.address_add(actor=actor(cast.shelter_worker), person_id=cast.victim_id,
                                     street=SHELTER_STREET_FOR_HER, postcode=postcode,
                                     municipality=municipality, confidential=True)


def other_address(cast: Cast) -> Address:
    return case_services.address_add(actor=actor(cast.officer_a), person_id=cast.victim_id,
                                     street=OTHER_STREET, postcode="1000", municipality="21004")


def ban_arguments(cast: Cast, **overrides: Any) -> dict[str, Any]:
    start = timezone.now().replace(second=0, microsecond=0)
    data: dict[str, Any] = {
        "case_id": cast.case.pk, "perpetrator_id": cast.perpetrator_id,
        "protected_ids": [cast.victim_id, cast.child_id],
        "address_ids": [victim_home(cast).pk],
        "conditions": sorted(ban_rules().required_codes),
        "starts_at": start, "ends_at": later_same_clock(start, days=10),
        "grounds": "Fictitious: he threatened to kill her tonight.",
    }
    data.update(overrides)
    return data


def order_ban(cast: Cast, *, by: User | None = None, **overrides: Any) -> ResidenceBan:
    return services.ban_order(actor=actor(by or cast.legal_advisor),
                              **ban_arguments(cast, **overrides)).ban


def move_ban(ban: ResidenceBan, *, starts_at: datetime, ends_at: datetime) -> ResidenceBan:
    """Put a ban in the past (dates only, as if ordered earlier)."""
    ResidenceBan.objects.filter(pk=ban.pk).update(starts_at=starts_at, ends_at=ends_at,
                                                  ordered_ends_at=ends_at,
                                                  ordered_at=starts_at)
    ban.refresh_from_db()
    return ban


def detain(cast: Cast, *, by: User | None = None, **overrides: Any) -> Detention:
    data: dict[str, Any] = {
        "case_id": cast.case.pk, "person_id": cast.perpetrator_id,
        "kind": DetentionKind.ARREST_WARRANT, "since": timezone.now() - timedelta(days=3),
        "place": "Prison de Haren", "conditions": ["no_contact"]}
    data.update(overrides)
    return services.detention_record(actor=actor(by or cast.magistrate), **data)


@dataclass
class ZoneC:
    zone: Agency
    unit: Unit
    sapv: User
    reference: User
    officer: User


def zone_of(municipality: str, code: str = "zone-c") -> ZoneC:
    """A second police zone whose territory holds ``municipality``, with its SAPV unit."""
    zone = make_agency(code, AgencyKind.POLICE_ZONE, name=f"Zone {code} (test)")
    JurisdictionMunicipality.objects.create(agency=zone, refnis=municipality)
    unit = Unit.objects.create(agency=zone, kind=UnitKind.VICTIM_ASSISTANCE, name="SAPV C")
    sapv = make_user(f"sapv_{code.replace('-', '')}", zone, Role.VICTIM_ASSISTANCE_WORKER)
    sapv.unit = unit
    sapv.save(update_fields=["unit"])
    return ZoneC(zone=zone, unit=unit, sapv=sapv,
                 reference=make_user(f"reference_{code.replace('-', '')}", zone,
                                     Role.IPV_REFERENCE_OFFICER),
                 officer=make_user(f"officer_{code.replace('-', '')}", zone,
                                   Role.INTERVENTION_OFFICER))

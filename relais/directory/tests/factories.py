"""Directory entries for tests, written through the real service (hours and areas as text)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from relais.accounts.models import Agency
from relais.directory.models import Service
from relais.directory.reference import upsert

SHELTER_SERVICE_STREET = "Chemin Caché 99"  # the test shelter's confidential address


def make_service(code: str, *, type: str = "victim_support", areas=(("municipality", "21009"),),
                 hours: str = "mon-fri 09:00-17:00", agency: Agency | None = None,
                 **fields: Any) -> Service:
    entry = {"code": code, "name": fields.pop("name", f"Service {code} (test)"), "type": type,
             "hours": hours, "areas": list(areas), "agency": agency,
             "languages": fields.pop("languages", ["fr"]),
             "target_groups": fields.pop("target_groups", ["victims"]), **fields}
    return upsert(entry, fictitious=True)


@dataclass
class Directory:
    shelter: Service  # kept by the cast's shelter, confidential address
    support_fr: Service  # kept by the cast's support service, French
    caw_nl: Service  # Dutch-speaking, not in Relais
    helpline: Service  # national, 24/7
    cpvs: Service
    programme: Service  # kept by the cast's perpetrator programme
    legal: Service  # accepts undocumented people


def build_directory(cast) -> Directory:
    return Directory(
        shelter=make_service(
            "test-shelter", type="shelter", agency=cast.shelter, always_open=True, hours="",
            address_confidential=True, street=SHELTER_SERVICE_STREET, postcode="1050",
            intake_phone="02 111 11 11", free_places=2, accepts_men=False,
            requires_income=True, contact_person="Hélène Contact",
            areas=[("district", "brussel")]),
        support_fr=make_service(
            "test-support-fr", agency=cast.support, street="Rue Publique 1", postcode="1050",
            latitude="50.82700", longitude="4.37200", phone="02 222 22 22",
            contact_person="Sarah Contact", accessibility=["wheelchair"]),
        caw_nl=make_service("test-caw-nl", languages=["nl"], areas=[("region", "04000")],
                            phone="02 333 33 33"),
        helpline=make_service("test-helpline", type="helpline", always_open=True, hours="",
                              areas=[("national", "")], phone="0800 30 030"),
        cpvs=make_service("test-cpvs", type="sexual_violence_centre", always_open=True,
                          hours="", areas=[("district", "brussel")], accepts_undocumented=True),
        programme=make_service("test-programme", type="perpetrator_programme",
                               agency=cast.programme, target_groups=["perpetrators"],
                               areas=[("district", "brussel")], waiting_days=30),
        legal=make_service("test-legal", type="legal_aid", accepts_undocumented=True,
                           areas=[("region", "04000")], languages=["fr", "nl", "ar"]),
    )

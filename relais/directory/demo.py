"""Fictitious directory entries for the demo networks: every one says "demo" and is flagged
``is_fictitious``. The demo shelter's confidential address is invented too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from relais.accounts.models import Agency, AgencyKind
from relais.directory.models import ServiceType
from relais.directory.places import postcode_of
from relais.directory.reference import upsert

WEEKDAYS = "mon-fri 09:00-17:00"

# (code suffix, agency kind or None, type, FR name, NL name, extra fields)
DEMO_SERVICES: list[tuple[str, str | None, str, str, str, dict[str, Any]]] = [
    ("support", AgencyKind.VICTIM_SUPPORT, ServiceType.VICTIM_SUPPORT,
     "Service d'aide aux victimes Démo {label}", "CAW Slachtofferhulp Demo {label}",
     {"target_groups": ["victims", "relatives"], "accessibility": ["wheelchair", "easy_read"],
      "contact_person": "Sarah Soutien (démo)", "contact_phone": "02 000 00 11 (demo)"}),
    ("shelter", AgencyKind.SHELTER, ServiceType.SHELTER,
     "Refuge Démo {label}", "Vluchthuis Demo {label}",
     {"target_groups": ["victims", "children"], "always_open": True,
      "address_confidential": True, "street": "Rue Fictive 1 (adresse secrète démo)",
      "intake_phone": "02 000 00 12 (demo)", "accepts_men": False, "accepts_pets": False,
      "requires_income": True, "free_places": 2, "waiting_days": 0,
      "contact_person": "Hélène Refuge (démo)"}),
    ("shelter-open", None, ServiceType.SHELTER,
     "Maison d'accueil ouverte Démo {label}", "Open opvanghuis Demo {label}",
     {"target_groups": ["victims", "children"], "always_open": True,
      "address_confidential": True, "intake_phone": "02 000 00 13 (demo)",
      "accepts_undocumented": True, "accepts_pets": True, "free_places": 0, "waiting_days": 12,
      "capacity_stale": True}),
    ("cpvs", AgencyKind.SEXUAL_VIOLENCE_CENTRE, ServiceType.SEXUAL_VIOLENCE_CENTRE,
     "CPVS Démo {label}", "ZSG Demo {label}",
     {"target_groups": ["victims"], "always_open": True, "accepts_undocumented": True,
      "accessibility": ["wheelchair", "lift", "adapted_toilets"]}),
    ("cpas", AgencyKind.CPAS, ServiceType.CPAS, "CPAS Démo {label}", "OCMW Demo {label}",
     {"target_groups": ["victims", "relatives"], "hours": "mon-fri 08:30-12:00"}),
    ("youth", AgencyKind.YOUTH_AID, ServiceType.YOUTH_AID, "SAJ Démo {label}",
     "Jeugdhulp Demo {label}", {"target_groups": ["children"]}),
    ("programme", AgencyKind.PERPETRATOR_PROGRAMME, ServiceType.PERPETRATOR_PROGRAMME,
     "Programme auteurs Démo {label}", "Daderhulp Demo {label}",
     {"target_groups": ["perpetrators"], "waiting_days": 60,
      "hours": "mon-thu 09:00-17:00; sat 09:00-16:00"}),
    ("accommodation", None, ServiceType.PERPETRATOR_ACCOMMODATION,
     "Hébergement temporaire auteurs Démo {label}", "Tijdelijke opvang plegers Demo {label}",
     {"target_groups": ["perpetrators"], "always_open": True, "free_places": 1}),
    ("legal", None, ServiceType.LEGAL_AID, "Bureau d'aide juridique Démo {label}",
     "Bureau voor juridische bijstand Demo {label}",
     {"target_groups": ["victims", "perpetrators"], "hours": "mon-fri 09:00-12:00",
      "accepts_undocumented": True}),
    ("migration", None, ServiceType.MIGRATION_ADVICE, "Conseil séjour et migration Démo {label}",
     "Advies verblijf en migratie Demo {label}",
     {"target_groups": ["victims", "professionals"], "accepts_undocumented": True,
      "languages_extra": ["en", "ar"]}),
    ("interpreters", None, ServiceType.INTERPRETERS, "Interprètes sociaux Démo {label}",
     "Sociaal tolken Demo {label}",
     {"target_groups": ["professionals"], "languages_extra": ["ar", "tr", "ro", "sgn"]}),
    ("early", None, ServiceType.EARLY_CHILDHOOD, "Consultation ONE Démo {label}",
     "Kind & Gezin Demo {label}", {"target_groups": ["children", "relatives"]}),
    # Pharmacy relays (issue 18 §5): where a victim may ask for help discreetly.
    ("pharmacy", None, ServiceType.PHARMACY_RELAY, "Pharmacie relais Démo {label}",
     "Apotheek-relais Demo {label}",
     {"target_groups": ["victims"], "hours": "mon-sat 08:30-19:00",
      "descriptions": {
          "fr": "Pharmacie fictive (démo) : demandez à parler au pharmacien en privé.",
          "nl": "Fictieve apotheek (demo): vraag de apotheker om een gesprek onder vier ogen.",
          "en": "Fictitious pharmacy (demo): ask to speak to the pharmacist in private.",
          "de": "Fiktive Apotheke (Demo): bitten Sie, allein mit dem Apotheker zu sprechen.",
      }}),
    ("pharmacy-station", None, ServiceType.PHARMACY_RELAY,
     "Pharmacie de la Gare relais Démo {label}", "Stationsapotheek-relais Demo {label}",
     {"target_groups": ["victims"], "hours": "mon-fri 08:00-20:00; sat 09:00-13:00"}),
]


def load_demo(*, key: str, label: str, language: str, municipalities: tuple[str, ...],
              centre: tuple[float, float], agencies: dict[str, Agency]) -> int:
    """The fictitious services of one demo network (idempotent)."""
    now = timezone.now()
    count = 0
    for index, (suffix, kind, type_, name_fr, name_nl, extra) in enumerate(DEMO_SERVICES):
        extra = dict(extra)
        capacity_stale = extra.pop("capacity_stale", False)
        languages = [language, *extra.pop("languages_extra", [])]
        name = (name_fr if language == "fr" else name_nl).format(label=label)
        entry: dict[str, Any] = {
            "code": f"demo-{key}-{suffix}", "name": name, "type": type_,
            "agency": agencies.get(kind) if kind else None, "languages": languages,
            "hours": "" if extra.get("always_open") else WEEKDAYS,
            "phone": "" if extra.get("address_confidential") else f"02 000 01 {index:02d} (demo)",
            "areas": [("municipality", code) for code in municipalities],
            "municipality": municipalities[0], "postcode": postcode_of(municipalities[0]),
            "descriptions": {
                "fr": f"Service fictif de démonstration ({label}).",
                "nl": f"Fictieve demodienst ({label}).",
                "en": f"Fictitious demo service ({label}).",
                "de": f"Fiktiver Demodienst ({label}).",
            },
            **extra,
        }
        if not entry.get("address_confidential"):
            entry.setdefault("street", f"Rue de la Démo {index + 1}")
            entry["latitude"] = f"{centre[0] + 0.004 * (index % 4):.5f}"
            entry["longitude"] = f"{centre[1] + 0.005 * (index // 4):.5f}"
        if entry.get("free_places") is not None:
            entry["capacity_updated_at"] = now - timedelta(days=20 if capacity_stale else 0)
        if entry["type"] == ServiceType.PERPETRATOR_PROGRAMME:
            entry["areas"] = [("district", agencies[AgencyKind.PROSECUTOR].arrondissement)]
        upsert(entry, fictitious=True)
        count += 1
    return count


# The German-speaking Community (judicial district of Eupen): the reference data hold its
# listening line (108) but no specialised service there, so the demo adds fictitious ones, in
# German, that say so in their names and numbers.
EUPEN_SERVICES: list[dict[str, Any]] = [
    {"code": "demo-eupen-support", "name": "Opferhilfe Demo Ostbelgien (fiktiv)",
     "type": ServiceType.VICTIM_SUPPORT, "hours": WEEKDAYS, "street": "Demostraße 1 (fiktiv)",
     "latitude": "50.62800", "longitude": "6.03200", "phone": "087 000 00 01 (demo)",
     "target_groups": ["victims", "relatives"]},
    {"code": "demo-eupen-shelter", "name": "Frauenhaus Demo Ostbelgien (fiktiv)",
     "type": ServiceType.SHELTER, "always_open": True, "address_confidential": True,
     "intake_phone": "087 000 00 02 (demo)", "free_places": 1, "waiting_days": 0,
     "target_groups": ["victims", "children"]},
]


def load_demo_eupen() -> int:
    """The fictitious services of the Eupen area (idempotent)."""
    for service in EUPEN_SERVICES:
        entry: dict[str, Any] = {
            "languages": ["de", "fr"], "areas": [("district", "eupen")],
            "municipality": "63023", "postcode": "4700",
            "descriptions": {
                "fr": "Service fictif de démonstration (Eupen), en allemand et en français.",
                "nl": "Fictieve demodienst (Eupen), in het Duits en het Frans.",
                "en": "Fictitious demo service (Eupen), in German and French.",
                "de": "Fiktiver Demodienst (Eupen), auf Deutsch und Französisch.",
            },
            **service,
        }
        if entry.get("free_places") is not None:
            entry["capacity_updated_at"] = timezone.now()
        upsert(entry, fictitious=True)
    return len(EUPEN_SERVICES)

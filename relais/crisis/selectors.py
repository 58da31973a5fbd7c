"""Reading crisis mode: the crises in force, the one over an agency or a service, whether a
service has confirmed its status lately, and who could not be reached during a crisis.

Crises are public information (no personal data): their reads are not audited. The banner
reads ``crises_in_force`` once per request (``relais.crisis.templatetags.crisis``).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from relais.access.crisis import covers
from relais.accounts.models import Agency, JurisdictionMunicipality
from relais.crisis.models import Confirmation, Crisis
from relais.directory.models import Service
from relais.directory.places import place_for
from relais.figures.population import area_name

# A service that has not confirmed its status for this long is shown "unconfirmed".
UNCONFIRMED_AFTER = timedelta(hours=48)


def crises_in_force(*, on: date | None = None) -> list[Crisis]:
    """The crises in force today (or on the day ``on``): started, and not lifted (by then)."""
    if on is None:
        rows = Crisis.objects.filter(starts_on__lte=timezone.localdate(), lifted_at__isnull=True)
    else:
        rows = Crisis.objects.filter(Q(lifted_at__isnull=True) | Q(lifted_at__date__gt=on),
                                     starts_on__lte=on)
    return list(rows)


def crisis_list() -> QuerySet[Crisis]:
    return Crisis.objects.select_related("declared_by", "lifted_by")


def _municipalities(agency: Agency) -> list[str]:
    return list(JurisdictionMunicipality.objects.filter(agency=agency)
                .values_list("refnis", flat=True))


def crisis_for_agency(agency: Agency | None, *,
                      crises: list[Crisis] | None = None) -> Crisis | None:
    """The crisis in force whose area covers part of the agency's jurisdiction (a prosecutor's
    office without municipalities: its judicial district); the latest declared first."""
    crises = crises_in_force() if crises is None else crises
    if agency is None or not crises:
        return None
    national = [c for c in crises if c.area_level == "country"]
    if national:
        return national[0]
    refnis = _municipalities(agency)
    for crisis in crises:
        if any(covers(level=crisis.area_level, code=crisis.area_code, refnis=r) for r in refnis):
            return crisis
        if (not refnis and crisis.area_level == "district"
                and crisis.area_code == agency.arrondissement):
            return crisis
    return None


def agencies_in_area(crisis: Crisis) -> list[int]:
    """The agencies with part of their jurisdiction in the crisis' area (a prosecutor's office
    without municipalities: by its judicial district): those whose open cases with children
    the child reflex reaches when the crisis closes schools."""
    found: set[int] = set()
    for agency_id, refnis in JurisdictionMunicipality.objects.values_list("agency_id", "refnis"):
        if covers(level=crisis.area_level, code=crisis.area_code, refnis=refnis):
            found.add(agency_id)
    if crisis.area_level == "district":
        found |= set(Agency.objects.filter(arrondissement=crisis.area_code, jurisdiction=None)
                     .values_list("pk", flat=True))
    elif crisis.area_level == "country":
        found |= set(Agency.objects.values_list("pk", flat=True))
    return sorted(found)


def crisis_for_service(service: Service, crises: list[Crisis]) -> Crisis | None:
    """The crisis over a service: its address (its municipality, else one of its postcode's)
    lies in the crisis' area; every service in a national crisis."""
    places = ([service.municipality] if service.municipality
              else list(place_for(service.postcode).municipalities) if service.postcode
              else [""])
    for crisis in crises:
        if any(covers(level=crisis.area_level, code=crisis.area_code, refnis=refnis)
               for refnis in places):
            return crisis
    return None


def is_unconfirmed(service: Service, *, now: datetime | None = None) -> bool:
    """Its status and capacity were last confirmed more than 48 hours ago (or never)."""
    now = now or timezone.now()
    confirmed = service.capacity_updated_at
    return confirmed is None or confirmed < now - UNCONFIRMED_AFTER


def area_label(crisis: Crisis, language: str | None = None) -> str:
    language = (language or get_language() or "fr")[:2]
    return area_name(level=crisis.area_level, code=crisis.area_code, language=language)


def services_in_area(crisis: Crisis) -> list[Service]:
    rows = Service.objects.all() if crisis.area_level == "country" \
        else Service.objects.exclude(municipality="", postcode="")
    return [s for s in rows.only("pk", "name", "municipality", "postcode", "agency_id")
            if crisis_for_service(s, [crisis]) is not None]


def confirmations_of(crisis: Crisis, *, limit: int = 200) -> list[Confirmation]:
    return list(crisis.confirmations.select_related("service", "confirmed_by")[:limit])


def unreachable_during(crisis: Crisis, *, now: datetime | None = None) -> list[Service]:
    """The services of the area that were "unconfirmed" at some time during the crisis: more
    than 48 hours without a confirmation after its start, between two, or before its end."""
    now = now or timezone.now()
    start = timezone.make_aware(datetime.combine(crisis.starts_on, datetime.min.time()))
    end = min(crisis.lifted_at or now, now)
    services = services_in_area(crisis)
    moments: dict[int, list[datetime]] = defaultdict(list)
    for service_id, when in (Confirmation.objects
                             .filter(service__in=[s.pk for s in services],
                                     confirmed_at__gte=start, confirmed_at__lte=end)
                             .order_by("confirmed_at").values_list("service_id", "confirmed_at")):
        moments[service_id].append(when)
    out = []
    for service in services:
        marks = [start, *moments[service.pk], end]
        if any(b - a > UNCONFIRMED_AFTER for a, b in zip(marks, marks[1:], strict=False)):
            out.append(service)
    return out

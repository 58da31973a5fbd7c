"""Reading the directory: search with ranked, explained results, and one service as a reader
may see it.

The directory holds no victim data; what it guards is a shelter's confidential address (only
the staff of the agency that keeps the entry see it) and the named contact person (staff only,
never the public finder). Every screen and API answer goes through ``ServiceView`` for both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from relais.access.directory import is_directory_editor, keeps
from relais.access.history import service_history_access
from relais.accounts.models import Agency, Unit, UnitKind, municipality_name
from relais.core.actor import Actor
from relais.core.history import HistoryPage, history_read
from relais.core.ids import parse_id
from relais.directory.hours import holidays_around
from relais.directory.models import (
    Accessibility,
    AreaLevel,
    CrisisStatus,
    Hours,
    OpeningPeriod,
    ScheduleException,
    Service,
    ServiceArea,
    ServiceType,
    TargetGroup,
)
from relais.directory.needs import needs, victim_search
from relais.directory.places import Place

# Points per area level: the more local, the better the service knows the place.
AREA_POINTS = {
    AreaLevel.POSTCODE: 50, AreaLevel.MUNICIPALITY: 45, AreaLevel.DISTRICT: 30,
    AreaLevel.PROVINCE: 20, AreaLevel.REGION: 15, AreaLevel.NATIONAL: 10,
}
HELPLINE_NUMBERS = ("0800 30 030", "1712")


def entry_stale_after() -> timedelta:
    return timedelta(days=settings.RELAIS_DIRECTORY_STALE_DAYS)


def capacity_stale_after() -> timedelta:
    return timedelta(days=settings.RELAIS_CAPACITY_STALE_DAYS)


@dataclass(frozen=True)
class SearchQuery:
    """What a reader looks for. Empty fields do not filter."""

    place: Place | None = None
    need: str = ""
    types: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    target_group: str = ""
    open_now: bool = False
    free_places: bool = False
    accepts_undocumented: bool = False
    no_income_required: bool = False
    accepts_men: bool = False
    accepts_children: bool = False
    accepts_pets: bool = False
    accessibility: tuple[str, ...] = ()
    public_only: bool = False
    include_closed: bool = False
    exclude_types: tuple[str, ...] = ()
    # Languages that raise a service's rank without filtering (the reader's page language).
    prefer_languages: tuple[str, ...] = ()
    # A victim's search: specialised help for victims first, perpetrator services only when
    # her need names them (relais/directory/data/needs.yaml, ``victim_search``).
    for_victims: bool = False
    # High risk: services open around the clock first, then those open now, at any hour.
    urgent: bool = False

    def wanted_types(self) -> tuple[str, ...]:
        if self.types:
            return self.types
        need = needs().get(self.need)
        return need.types if need else ()

    def hidden_types(self) -> tuple[str, ...]:
        """Types left out unless asked for: perpetrator services in a victim's search."""
        if not self.for_victims:
            return ()
        wanted = set(self.wanted_types())
        return tuple(t for t in victim_search().on_request if t not in wanted)


class Ranked(NamedTuple):
    """The columns of a service that its rank reads: a search ranks every match on these,
    then loads whole only the services it keeps."""

    pk: int
    name: str
    type: str
    languages: list[str]
    target_groups: list[str]
    accessibility: list[str]
    always_open: bool
    closed_on_public_holidays: bool
    free_places: int | None
    waiting_days: int | None
    capacity_updated_at: datetime | None
    crisis_status: str
    updated_at: datetime


RANKED_FIELDS = ("id", *Ranked._fields[1:])

# A reason in words, or what gives them: put into words only for the matches kept.
Reason = str | Promise | Callable[[], str]


@dataclass
class Match:
    """One result with its rank and the reasons for it (plus or minus)."""

    service: Service  # a Ranked while the search ranks
    score: int = 0
    reasons: list[tuple[str, int]] = field(default_factory=list)
    open_now: bool = False
    opens_next: datetime | None = None
    area_level: str = ""

    def add(self, points: int, reason: Reason) -> None:
        self.score += points
        self.reasons.append((reason, points))

    def explain(self) -> None:
        """The reasons in the reader's language."""
        self.reasons = [(reason() if callable(reason) else str(reason), points)
                        for reason, points in self.reasons]


def _area_q(place: Place) -> Q:
    q = Q(level=AreaLevel.NATIONAL)
    for level, codes in place.codes().items():
        if codes:
            q |= Q(level=level, code__in=codes)
    return q


def filtered_services(query: SearchQuery) -> QuerySet[Service]:
    """The database filter of a search (area, type, eligibility), without ranking.

    Languages, target groups and accessibility are lists: they are checked in Python on the
    rows this returns, identically on SQLite and PostgreSQL.
    """
    qs = Service.objects.all()
    if query.place is not None and query.place.known:
        # Driven from the areas (service_area_idx), not an EXISTS per service: 4x faster on
        # SQLite for a search by place only (bench/directory.py).
        qs = qs.filter(pk__in=ServiceArea.objects.filter(_area_q(query.place))
                       .values("service_id"))
    if types := query.wanted_types():
        qs = qs.filter(type__in=types)
    if excluded := (*query.exclude_types, *query.hidden_types()):
        qs = qs.exclude(type__in=excluded)
    if query.public_only:
        qs = qs.filter(is_public=True)
    if not query.include_closed:
        qs = qs.exclude(crisis_status=CrisisStatus.CLOSED)
    if query.accepts_undocumented:
        qs = qs.filter(accepts_undocumented=True)
    if query.no_income_required:
        qs = qs.filter(requires_income=False)
    for flag in ("accepts_men", "accepts_children", "accepts_pets"):
        if getattr(query, flag):
            qs = qs.filter(**{flag: True})
    if query.free_places:
        qs = qs.filter(free_places__gt=0)
    return qs


def _list_filters(service: Service, query: SearchQuery) -> bool:
    if query.languages and not set(query.languages) & set(service.languages):
        return False
    if query.target_group and query.target_group not in service.target_groups:
        return False
    return not (query.accessibility and not set(query.accessibility) <= set(service.accessibility))


def _area_levels(place: Place | None) -> dict[int, str]:
    """Service id → the most local of its areas that covers ``place``: the rows the filter
    matched on (one short query, without the ids of the matches)."""
    if place is None or not place.known:
        return {}
    best: dict[int, str] = {}
    for service_id, level in (ServiceArea.objects.filter(_area_q(place))
                              .values_list("service_id", "level")):
        if service_id not in best or AREA_POINTS[level] > AREA_POINTS[best[service_id]]:
            best[service_id] = level
    return best


def _hours(services: list[Service], now: datetime) -> dict[int, Hours]:
    """Service id → its hours as plain values: the weekly periods and the exceptions of the
    coming days (two queries, no model instance per period)."""
    ids = [s.pk for s in services if not s.always_open]
    weekly: dict[int, list] = {pk: [] for pk in ids}
    exceptions: dict[int, list] = {pk: [] for pk in ids}
    if ids:
        for service_id, *period in (OpeningPeriod.objects.filter(service_id__in=ids)
                                    .order_by("weekday", "opens")
                                    .values_list("service_id", "weekday", "opens", "closes")):
            weekly[service_id].append(tuple(period))
        today = timezone.localdate(now)
        for service_id, *day in (ScheduleException.objects.filter(
                service_id__in=ids, day__gte=today - timedelta(days=1),
                day__lte=today + timedelta(days=9))
                .values_list("service_id", "day", "opens", "closes")):
            exceptions[service_id].append(tuple(day))
    return {s.pk: Hours(always_open=s.always_open,
                        closed_on_public_holidays=s.closed_on_public_holidays,
                        weekly=tuple(weekly.get(s.pk, ())),
                        exceptions=tuple(exceptions.get(s.pk, ()))) for s in services}


AREA_REASONS = {
    AreaLevel.POSTCODE: gettext_lazy("Serves this postcode"),
    AreaLevel.MUNICIPALITY: gettext_lazy("Serves this municipality"),
    AreaLevel.DISTRICT: gettext_lazy("Serves this judicial district"),
    AreaLevel.PROVINCE: gettext_lazy("Serves this province"),
    AreaLevel.REGION: gettext_lazy("Serves this region"),
    AreaLevel.NATIONAL: gettext_lazy("Serves the whole country"),
}
VICTIMS_FIRST = gettext_lazy("Specialised help for victims")
ALWAYS_OPEN = gettext_lazy("Open 24/7")
OPEN_NOW = gettext_lazy("Open now")
CLOSED_NOW = gettext_lazy("Closed now")
NO_FREE_PLACE = gettext_lazy("No free place")
CAPACITY_STALE = gettext_lazy("Capacity not confirmed recently")
REDUCED = gettext_lazy("Reduced service at the moment")
CLOSED = gettext_lazy("Closed at the moment")
ENTRY_STALE = gettext_lazy("Entry not checked for a long time")


def _works_in(language: str) -> Callable[[], str]:
    return lambda: _("Works in %(language)s") % {
        "language": dict(settings.RELAIS_LANGUAGE_NAMES).get(language, language)}


def _free_places(count: int) -> Callable[[], str]:
    return lambda: ngettext("%(count)d free place", "%(count)d free places", count) % {
        "count": count}


def _waiting(days: int) -> Callable[[], str]:
    return lambda: ngettext("Waiting time about %(count)d day",
                            "Waiting time about %(count)d days", days) % {"count": days}


def _rank(match: Match, query: SearchQuery, local: datetime, calendar, hours: Hours) -> None:
    """The score of a match, with its reasons (put into words by ``Match.explain``);
    ``local``: the time of the search in the local time zone."""
    now = local
    service = match.service
    level = match.area_level
    if level:
        match.add(AREA_POINTS[level], AREA_REASONS[level])
    for language in dict.fromkeys((*query.languages, *query.prefer_languages)):
        if language in service.languages:
            match.add(20, _works_in(language))
    if query.for_victims and service.type in victim_search().first:
        match.add(30, VICTIMS_FIRST)
    if service.always_open:
        match.open_now = True
        match.add(20, ALWAYS_OPEN)
    elif hours.open_at(local, holidays=calendar):
        match.open_now = True
        match.add(15, OPEN_NOW)
    else:
        match.opens_next = hours.next_opening(local, holidays=calendar)
        match.add(0, CLOSED_NOW)
    if service.free_places is not None:
        if service.free_places > 0:
            match.add(15, _free_places(service.free_places))
        else:
            match.add(-10, NO_FREE_PLACE)
        if service.waiting_days:
            match.add(0, _waiting(service.waiting_days))
        if service.capacity_updated_at is None or \
                now - service.capacity_updated_at > capacity_stale_after():
            match.add(-5, CAPACITY_STALE)
    if service.crisis_status == CrisisStatus.REDUCED:
        match.add(-10, REDUCED)
    elif service.crisis_status == CrisisStatus.CLOSED:
        match.add(-40, CLOSED)
    if now - service.updated_at > entry_stale_after():
        match.add(-5, ENTRY_STALE)


def service_search(*, query: SearchQuery, at: datetime | None = None,
                   limit: int = 50) -> list[Match]:
    """Services matching ``query``, best first, each with the reasons for its rank.

    Every match is ranked, on the few columns the ranking reads, its covering areas and its
    hours as plain values; only the best ``limit`` are then loaded whole (five queries, and
    a cost that follows the matches only as far as the ranking needs).
    """
    now = timezone.localtime(at or timezone.now())
    calendar = holidays_around(now)
    rows = [service for service in map(Ranked._make, filtered_services(query)
                                       .values_list(*RANKED_FIELDS))
            if _list_filters(service, query)]
    levels = _area_levels(query.place)
    hours = _hours(rows, now)
    matches = []
    for service in rows:
        match = Match(service=service, area_level=levels.get(service.pk, ""))
        _rank(match, query, now, calendar, hours[service.pk])
        if query.open_now and not match.open_now:
            continue
        matches.append(match)
    matches.sort(key=lambda m: (*_tier(m, query), -m.score, m.service.name))
    kept = matches[:limit]
    whole = Service.objects.in_bulk([match.service.pk for match in kept])
    for match in kept:
        match.explain()
    return [replace(match, service=whole[match.service.pk]) for match in kept
            if match.service.pk in whole]  # (unless deleted meanwhile)


def _tier(match: Match, query: SearchQuery) -> tuple[int, ...]:
    """What comes before the score: for high risk, 24/7 then open now then closed (a closed
    service never outranks an open one); in a victim's search, specialised help for victims
    before any other help."""
    tiers: list[int] = []
    if query.urgent:
        service = match.service
        tiers.append(0 if service.always_open else 1 if match.open_now else 2)
    if query.for_victims:
        tiers.append(0 if match.service.type in victim_search().first else 1)
    return tuple(tiers)


@dataclass(frozen=True)
class ServiceView:
    """A service as one reader may see it."""

    service: Service
    keeper: bool  # the reader works for the agency that keeps the entry
    staff: bool  # a signed-in professional (not the public)

    @property
    def address(self) -> str:
        """The street address, or "" when it is confidential and the reader is not its keeper."""
        service = self.service
        if service.address_confidential and not self.keeper:
            return ""
        if not service.street:
            return ""
        place = municipality_name(service.municipality) if service.municipality else ""
        return f"{service.street}, {service.postcode} {place}".strip()

    @property
    def town(self) -> str:
        """Postcode and municipality, hidden like the street when the address is confidential."""
        service = self.service
        if service.address_confidential and not self.keeper:
            return ""
        if not service.municipality:
            return ""
        return f"{service.postcode} {municipality_name(service.municipality)}".strip()

    @property
    def contact_person(self) -> str:
        return self.service.contact_person if self.staff else ""

    @property
    def location(self) -> tuple[float, float] | None:
        service = self.service
        if service.address_confidential or service.latitude is None:
            return None
        return float(service.latitude), float(service.longitude)

    @property
    def phone(self) -> str:
        return self.service.phone or self.service.intake_phone

    def stale(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return now - self.service.updated_at > entry_stale_after()

    def capacity_stale(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        service = self.service
        if service.free_places is None:
            return False
        return (service.capacity_updated_at is None
                or now - service.capacity_updated_at > capacity_stale_after())


def service_labels(service: Service, language: str) -> dict[str, Any]:
    """An entry's lists in words, in ``language``."""
    from relais.directory.models import Accessibility, TargetGroup
    from relais.directory.places import area_label

    names = dict(settings.RELAIS_LANGUAGE_NAMES)
    groups, access = dict(TargetGroup.choices), dict(Accessibility.choices)
    areas = []
    for area in service.areas.all():
        if area.level == AreaLevel.NATIONAL:
            areas.append(str(_("the whole country")))
        else:
            name = area_label(area.level, area.code, language)
            areas.append(f"{area.get_level_display()}: {name}")
    return {
        "description": service.description(language),
        "groups": [str(groups.get(g, g)) for g in service.target_groups],
        "languages": [names.get(c, c) for c in service.languages],
        "accessibility": [str(access.get(a, a)) for a in service.accessibility],
        "areas": areas,
    }


def view_for(service: Service, actor: Actor | None) -> ServiceView:
    """How ``actor`` (None for the public) sees ``service``."""
    if actor is None:
        return ServiceView(service=service, keeper=False, staff=False)
    return ServiceView(service=service, keeper=keeps(actor, service), staff=True)


def service_get(*, actor: Actor | None, service_id: int) -> ServiceView:
    service = (Service.objects.select_related("agency", "capacity_updated_by", "updated_by")
               .prefetch_related("periods", "exceptions", "areas").filter(pk=service_id).first())
    if service is None or (actor is None and not service.is_public):
        raise Http404
    return view_for(service, actor)


def service_for_referral(*, service_id: str | int) -> Service:
    """The directory entry a referral goes to (every professional reads the directory); 404
    for an id that is not one."""
    number = parse_id(service_id)
    service = (Service.objects.prefetch_related("areas").filter(pk=number).first()
               if number is not None else None)
    if service is None:
        raise Http404
    return service


def poster_unit(*, agency: Agency, kind: str) -> Unit | None:
    """The zone's victim-assistance service or EVA unit with a phone, for its poster."""
    if kind not in (UnitKind.VICTIM_ASSISTANCE, UnitKind.EVA):
        return None
    return agency.units.filter(kind=kind).exclude(phone="").order_by("pk").first()


def kept_services(*, actor: Actor, limit: int = 300) -> list[Service]:
    """The entries the actor keeps current: her agency's, all of them for an editor."""
    qs = Service.objects.select_related("capacity_updated_by").order_by("name")
    if not is_directory_editor(actor):
        qs = qs.filter(agency_id=actor.agency_id) if actor.agency_id else qs.none()
    return list(qs[:limit])


def keeps_entries(*, actor: Actor) -> bool:
    """Her agency keeps at least one entry (the "Entries I keep current" link)."""
    return bool(actor.agency_id) and Service.objects.filter(agency_id=actor.agency_id).exists()


def stale_services(*, actor: Actor) -> list[Service]:
    """Entries of the actor's agency (or all, for a directory editor) that need checking."""
    now = timezone.now()
    qs = Service.objects.filter(Q(updated_at__lt=now - entry_stale_after())
                                | Q(free_places__isnull=False, capacity_updated_at__isnull=True)
                                | Q(free_places__isnull=False,
                                    capacity_updated_at__lt=now - capacity_stale_after()))
    if not is_directory_editor(actor):
        qs = qs.filter(agency_id=actor.agency_id)
    return list(qs.order_by("updated_at")[:200])


def type_label(code: str) -> str:
    return str(dict(ServiceType.choices).get(code, code))


def service_history(*, actor: Actor, service_id: int) -> HistoryPage:
    """The entry's fields, change by change, for whoever may edit it (audited); a
    confidential address for its keeper only (docs/history.md)."""
    reader = service_history_access(actor=actor, service_id=service_id)
    found = history_read(reader=reader, sources=[Service.history.filter(id=service_id)],
                         list_labels={"target_groups": dict(TargetGroup.choices),
                                      "accessibility": dict(Accessibility.choices)})
    return HistoryPage(title=_("History of the directory entry"), subject=reader.target.name,
                       back_url=reverse("directory:detail", args=[service_id]), changes=found)

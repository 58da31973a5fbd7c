"""Access policy of the field history (issue 20 §2; docs/history.md).

The history of a field is shown only to whom may see the field itself: someone who cannot see
her address cannot see its history either.

- Each tracked field is mapped to the scope that governs it (``FIELD_SCOPES``); a field that is
  not mapped is never shown. ``IDENTITY`` fields (names, birth date, the case's status...) come
  with any access to the record.
- A person's history (her identity, addresses, phone numbers, specific needs) follows
  ``person_access``: the scopes open on her in the cases the reader sees (a perpetrator
  programme never sees the others' contact or health data). An address's history also follows
  the address rule: a confidential address (before or after the change) only for its keeper
  agency and shares of the confidential-location scope (``PersonAccess.address_visible``).
- A case's history: whoever sees the case (``case_access``).
- A safe-contact rule's history: whoever sees her contact scope; anyone else gets 404.
- A measure's history (residence ban, detention): whoever reads the measure (``measures_access``:
  police and justice with the judicial scope).
- A directory entry's history: whoever may edit the entry (``directory.may_edit``); a
  confidential address (street, postcode, municipality, position) only for the entry's keeper.
- Every refusal is the same 404.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import Http404

from relais.access.cases import case_access, person_access
from relais.access.directory import keeps, may_edit
from relais.access.measures import measures_access
from relais.access.scopes import Scope
from relais.cases.models import SafeContactInstructions
from relais.core.actor import Actor
from relais.directory.models import Service
from relais.measures.models import Detention, ResidenceBan

# Comes with any access to the record.
IDENTITY = ""


def _all(scope: str, *names: str) -> dict[str, str]:
    return dict.fromkeys(names, scope)


# The scope that governs each tracked field, per model ("app.model"). Not mapped: never shown.
FIELD_SCOPES: dict[str, dict[str, str]] = {
    "cases.case": _all(IDENTITY, "reference", "owner_agency", "situation", "municipality",
                       "status", "closed_at", "merged_into"),
    "cases.person": _all(IDENTITY, "first_name", "last_name", "birth_date", "sex", "gender",
                         "languages", "file_language", "national_number"),
    "cases.address": _all(Scope.CONTACT, "street", "postcode", "municipality", "confidential",
                          "keeper_agency", "current"),
    "cases.phonenumber": _all(Scope.CONTACT, "number", "label", "safe"),
    "cases.specificneed": _all(Scope.HEALTH, "kind", "detail"),
    "cases.safecontactinstructions": _all(Scope.CONTACT, "channel", "hours", "can_speak_freely",
                                          "never", "notes"),
    "measures.residenceban": _all(
        Scope.JUDICIAL, "perpetrator", "ordered_by_agency", "ordered_by", "starts_at", "ends_at",
        "ordered_ends_at", "conditions", "rules_version", "grounds", "perpetrator_stays_at",
        "serving_agency", "monitor_agency", "served_at", "served_by", "lifted_at", "lifted_by",
        "lift_reason"),
    "measures.detention": _all(
        Scope.JUDICIAL, "person", "kind", "since", "place", "expected_release_on", "conditions",
        "conditions_note", "recorded_by", "recorded_by_agency", "released_at",
        "release_recorded_by", "release_zone"),
    "directory.service": {
        **_all(IDENTITY, "code", "name", "type", "agency", "descriptions", "target_groups",
               "languages", "address_confidential", "intake_phone", "phone", "email",
               "website", "contact_person", "contact_phone", "contact_email", "always_open",
               "closed_on_public_holidays", "accessibility", "requires_income",
               "requires_residence_status", "accepts_undocumented", "accepts_men",
               "accepts_children", "accepts_pets", "free_places", "waiting_days",
               "crisis_status", "is_public", "is_fictitious"),
        # A shelter's location: its keeper only, when the address is confidential.
        **_all(Scope.CONFIDENTIAL_LOCATION, "street", "postcode", "municipality", "latitude",
               "longitude"),
    },
}


@dataclass(frozen=True)
class HistoryAccess:
    """What one actor may read of one record's history, and on which basis (for the audit)."""

    actor: Actor
    target: models.Model  # the record read (the audit event's target)
    case_id: int | None
    basis: str
    scopes: frozenset[str]  # the scopes open on the record
    address_visible: Callable[[Any], bool] | None = None  # a person's addresses
    keeper: bool = False  # a directory entry: her agency keeps it
    governed: frozenset[str] = field(default=frozenset())  # scopes of the fields read

    def shows(self, model: str, name: str, before: Any, after: Any) -> bool:
        """She may see this field's change (``before`` is None when the record was created)."""
        scope = FIELD_SCOPES.get(model, {}).get(name)
        if scope is None:
            return False
        versions = [row for row in (before, after) if row is not None]
        if model == "directory.service":
            return (scope != Scope.CONFIDENTIAL_LOCATION or self.keeper
                    or not any(row.address_confidential for row in versions))
        if scope != IDENTITY and scope not in self.scopes:
            return False
        if model == "cases.address":
            return self.address_visible is not None and all(
                self.address_visible(row) for row in versions)
        return True

    @property
    def audit_scopes(self) -> list[str]:
        """The scopes of the fields she was shown, for the audit event."""
        return sorted(self.scopes & self.governed)


PERSON_SCOPES_READ = frozenset({Scope.CONTACT, Scope.CONFIDENTIAL_LOCATION, Scope.HEALTH})


def person_history_access(*, actor: Actor, person_id: int) -> HistoryAccess:
    """A person's history: her identity, addresses, phones and needs, as far as her scopes go."""
    access = person_access(actor=actor, person_id=person_id)
    return HistoryAccess(actor=actor, target=access.person,
                         case_id=access.participations[0][1].case.pk, basis=access.basis,
                         scopes=access.scopes, address_visible=access.address_visible,
                         governed=PERSON_SCOPES_READ)


def case_history_access(*, actor: Actor, case_id: int) -> HistoryAccess:
    """A case's history: whoever sees the case."""
    access = case_access(actor=actor, case_id=case_id)
    return HistoryAccess(actor=actor, target=access.case, case_id=access.case.pk,
                         basis=access.basis, scopes=access.scopes)


def safe_contact_history_access(*, actor: Actor, person_id: int) -> HistoryAccess:
    """A safe-contact rule's history: whoever sees her contact scope; 404 otherwise (or when
    no rule was ever recorded)."""
    access = person_access(actor=actor, person_id=person_id)
    if Scope.CONTACT not in access.scopes:
        raise Http404
    rule = SafeContactInstructions.objects.filter(person_id=person_id).first()
    if rule is None:
        raise Http404
    return HistoryAccess(actor=actor, target=rule,
                         case_id=access.participations[0][1].case.pk, basis=access.basis,
                         scopes=access.scopes, governed=frozenset({Scope.CONTACT}))


def _measure_history_access(actor: Actor, model: type[ResidenceBan] | type[Detention],
                            pk: int) -> HistoryAccess:
    """A measure's history: whoever reads the case's measures."""
    measure = model.objects.filter(pk=pk).first()
    if measure is None:
        raise Http404
    access = measures_access(actor=actor, case_id=measure.case_id)
    return HistoryAccess(actor=actor, target=measure, case_id=measure.case_id,
                         basis=access.basis, scopes=access.scopes,
                         governed=frozenset({Scope.JUDICIAL}))


def ban_history_access(*, actor: Actor, ban_id: int) -> HistoryAccess:
    """A residence ban's history: whoever reads the case's measures."""
    return _measure_history_access(actor, ResidenceBan, ban_id)


def detention_history_access(*, actor: Actor, detention_id: int) -> HistoryAccess:
    """A detention's history: whoever reads the case's measures."""
    return _measure_history_access(actor, Detention, detention_id)


def service_history_access(*, actor: Actor, service_id: int) -> HistoryAccess:
    """A directory entry's history: whoever may edit the entry."""
    service = Service.objects.filter(pk=service_id).first()
    if service is None or not may_edit(actor, service):
        raise Http404
    return HistoryAccess(actor=actor, target=service, case_id=None, basis="directory entry",
                         scopes=frozenset(), keeper=keeps(actor, service))

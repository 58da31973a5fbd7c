"""Access policy of the follow-up in a crisis (issue 18 §1): the most vulnerable households and
the child reflex (relais.followup.vulnerable, relais.followup.child_reflex).

- The list of the most vulnerable households is read by whoever runs the zone's crisis
  re-contact (its IPV reference officer, ``may_coordinate``), over the open cases she may open
  (``visible_cases``): never a case she cannot see. What each reason may say follows the
  case's scopes: a language need is health data, a measure judicial data, an alarm contact
  data (``reasons_allowed``).
- The child reflex ("schools are closed") is started by the same coordinator, for her own
  zone; a declared crisis that closes schools starts it for every agency of its area, on the
  authority of whoever may declare the crisis there.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from relais.access.cases import CaseAccess, visible_cases
from relais.access.crisis import may_declare
from relais.access.followup import may_coordinate
from relais.access.scopes import Scope
from relais.cases.models import Case, CaseStatus, ParticipantRole
from relais.core.actor import Actor


def may_list_vulnerable(actor: Actor) -> bool:
    """The most vulnerable households of the zone: for whoever runs its crisis re-contact."""
    return may_coordinate(actor)


def vulnerable_scope(actor: Actor) -> QuerySet[Case]:
    """The open cases the list is built from: those the actor may open, and no other."""
    if not may_list_vulnerable(actor):
        return Case.objects.none()
    return visible_cases(actor).filter(status=CaseStatus.OPEN)


def reasons_allowed(access: CaseAccess, victim_id: int | None) -> frozenset[str]:
    """The scopes a household's reasons may draw on (health: a language need; judicial: a
    measure in force; contact: an alarm), given what the reader sees of its victim."""
    if victim_id is None:
        return frozenset(access.scopes) & {Scope.JUDICIAL}
    return frozenset(access.person_scopes(ParticipantRole.VICTIM, victim_id))


def may_start_child_reflex(actor: Actor, agency_ids: Iterable[int], *,
                           crisis_area: tuple[str, str] | None = None) -> bool:
    """The child reflex for the cases of these agencies: a zone's coordinator for her own zone;
    for a declared crisis that closes schools (``crisis_area``: its level and code), whoever may
    declare a crisis there (relais.access.crisis), for the agencies of that area."""
    wanted = set(agency_ids)
    if crisis_area is not None:
        level, code = crisis_area
        return bool(wanted) and may_declare(actor, level=level, code=code)
    return bool(wanted) and may_coordinate(actor) and wanted == {actor.agency_id}

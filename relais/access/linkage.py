"""Access policy of person linkage (relais.linkage): who may learn that a match exists.

A match tells one agency that another knows this person: that is sensitive in itself.
- **The judicial chain** (police zones and prosecutors' offices, as in VioGén) is matched
  against every case of the chain: it learns "a case of zone X matches", with the score and
  the evidence field by field (levels and weights, never the other record's values). It opens
  that case only through a share, or break-glass with a basis, as for any case.
- **Everyone else** (shelters, social and health services, programmes, helplines...) is matched
  only against the cases it already sees: its duplicates, never another agency's knowledge. A
  case of theirs is never offered to the judicial chain either: the chain is matched against
  the chain's cases only, so a police officer never learns that a shelter knows her.
- The search is one query over the reader's candidate scope: whether someone else holds a
  matching person changes neither the answer, nor its length, nor the number of queries.
- Reactivation: the agency that owns a new case and an earlier file of the same couple moves
  the new one onto the earlier one (a merge, undone like any), reopening it if closed.
- Deciding a link (same person / not the same / undo): staff who may open cases, or the
  prosecutor's table readers, on a link they see. The same people may look again for the
  persons of their agency's open cases (a linkage batch, after the model or the records
  changed).
- The consolidation rate (indicator 3) is a figure: a zone's indicator roles see their zone's;
  analysts of other agencies see every zone's.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from relais.access.cases import CaseAccess, may_open_case, visible_cases
from relais.access.followup import may_see_indicator
from relais.access.justice import works_the_table
from relais.accounts.models import AgencyKind, Role
from relais.cases.models import Case, CaseParticipant, CaseStatus, Person
from relais.core.actor import Actor
from relais.linkage.models import PersonLink

JUDICIAL_CHAIN = frozenset({AgencyKind.POLICE_ZONE, AgencyKind.PROSECUTOR})


def sees_across_agencies(actor: Actor) -> bool:
    """Police zones and prosecutors' offices are matched against the whole judicial chain."""
    return actor.agency is not None and actor.agency.kind in JUDICIAL_CHAIN


def candidate_cases(actor: Actor) -> QuerySet[Case]:
    """The cases whose persons the actor's searches are matched against."""
    cases = visible_cases(actor)
    if sees_across_agencies(actor):
        # One WHERE with OR, checked row by row (a subquery "pk IN visible" would be
        # materialised whole: 36 s at 1,000,000 cases).
        cases = Case.objects.filter(owner_agency__kind__in=JUDICIAL_CHAIN) | cases
    return cases.exclude(status=CaseStatus.MERGED)


def candidate_persons(actor: Actor) -> QuerySet[Person]:
    return Person.objects.filter(Exists(CaseParticipant.objects.filter(
        person=OuterRef("pk"), case__in=candidate_cases(actor))))


def _in(cases: QuerySet[Case], side: str) -> Exists:
    return Exists(CaseParticipant.objects.filter(person_id=OuterRef(side), case__in=cases))


def link_scope(actor: Actor) -> QuerySet[PersonLink]:
    """The links the actor sees: one person in a case she sees, the other in her candidate
    scope."""
    if not may_open_case(actor) and not works_the_table(actor):
        return PersonLink.objects.none()
    seen, candidates = visible_cases(actor), candidate_cases(actor)
    return PersonLink.objects.filter(
        (_in(seen, "left_id") & _in(candidates, "right_id"))
        | (_in(seen, "right_id") & _in(candidates, "left_id")))


def may_decide_links(actor: Actor) -> bool:
    return may_open_case(actor) or works_the_table(actor)


def rescan_persons(actor: Actor) -> QuerySet[Person]:
    """A linkage batch ("look again"): the persons of the open cases the actor's own agency
    holds, for those who may decide links (none for anyone else)."""
    if actor.agency_id is None or not may_decide_links(actor):
        return Person.objects.none()
    cases = Case.objects.filter(owner_agency_id=actor.agency_id, status=CaseStatus.OPEN)
    return Person.objects.filter(Exists(CaseParticipant.objects.filter(
        person=OuterRef("pk"), case__in=cases)))


def may_continue_on(new: CaseAccess, earlier: CaseAccess) -> bool:
    """Reactivation: staff of the agency that owns both files (a new case and an earlier one of
    the same couple) move the new one onto the earlier one, reopening it if closed."""
    return (new.can_edit and earlier.can_edit and new.case.pk != earlier.case.pk
            and may_open_case(new.actor))


def may_see_consolidation(actor: Actor, *, zone_id: int | None) -> bool:
    """A zone's indicator roles for their own zone; analysts of other agencies for any zone
    (``zone_id=None``: all zones)."""
    if actor.agency is None:
        return False
    if actor.agency.kind == AgencyKind.POLICE_ZONE:
        return zone_id == actor.agency_id and may_see_indicator(actor)
    return actor.has_role(Role.ANALYST)

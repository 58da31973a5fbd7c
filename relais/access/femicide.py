"""Access policy of the femicide register (relais.femicide): strict.

- A prosecutor's office records the femicides and attempts of its district: its magistrates and
  legal advisors record, read and review its records.
- The review is made with partners: the office names reviewers (people of other agencies too);
  a named reviewer reads that record and writes its review, and nothing else of the register.
- Nobody else sees a record, not even the police zone of a linked case; a linked case is read
  only through the case policy.
- The annual figures (counts) are for the office's staff of the register and its analysts.
Every refusal is the same 404 (raised by the callers).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from relais.accounts.models import AgencyKind, Role
from relais.core.actor import Actor
from relais.femicide.models import Record, Review

REGISTER_ROLES = frozenset({Role.MAGISTRATE, Role.LEGAL_ADVISOR})
FIGURES_ROLES = REGISTER_ROLES | {Role.ANALYST}


def keeps_register(actor: Actor) -> bool:
    """A magistrate or legal advisor of a prosecutor's office."""
    return (actor.agency is not None and actor.agency.kind == AgencyKind.PROSECUTOR
            and bool(actor.roles & REGISTER_ROLES))


def record_scope(actor: Actor) -> QuerySet[Record]:
    """The records the actor may open: her office's, or those whose review names her."""
    if actor.user_id is None:
        return Record.objects.none()
    mine = Q(agency_id=actor.agency_id) if keeps_register(actor) else Q(pk__in=[])
    # EXISTS rather than a join: one row per record, and lockable (no DISTINCT) for writes.
    named = Exists(Review.reviewers.through.objects.filter(review__record_id=OuterRef("pk"),
                                                           user_id=actor.user_id))
    return Record.objects.filter(mine | Q(named))


def may_manage(actor: Actor, record: Record) -> bool:
    """Add contacts, name reviewers, close the review: the recording office."""
    return keeps_register(actor) and record.agency_id == actor.agency_id


def sees_register(actor: Actor) -> bool:
    """The menu entry: the offices' register staff (reviewers reach their record by its link)."""
    return keeps_register(actor)


def may_see_figures(actor: Actor) -> bool:
    return (actor.agency is not None and actor.agency.kind == AgencyKind.PROSECUTOR
            and bool(actor.roles & FIGURES_ROLES))

"""Access policy of referrals (relais.referrals): each side sees its own.

- The referrer is the agency that made the referral, while its staff see the case.
- The receiver is the agency of the service referred to, once the referral is sent, for its
  staff who reach every case of the agency (not those who see only their assigned cases).
- A referral step belongs to one side; the referrer records the answers of a service outside
  Relais.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from relais.access.cases import CaseAccess, visible_cases
from relais.access.scopes import Reach, reach_of
from relais.core.actor import Actor
from relais.referrals.models import Referral

REFERRER = "referrer"
RECEIVER = "receiver"


def side_of(*, actor: Actor, referral: Referral) -> str:
    """"referrer" or "receiver" for the actor, or Http404 when she is neither."""
    if referral.from_agency_id == actor.agency_id and \
            visible_cases(actor).filter(pk=referral.case_id).exists():
        return REFERRER
    if (referral.to_agency_id is not None and referral.to_agency_id == actor.agency_id
            and reach_of(actor.roles) >= Reach.ALL):
        return RECEIVER
    raise Http404


def may_take_step(*, side: str, step_side: str, referral: Referral) -> bool:
    """A step is taken by its side; for a service outside Relais, the referrer records the
    service's answers."""
    return step_side == side or (referral.outside_relais and side == REFERRER)


def sees_referrals(actor: Actor) -> bool:
    return actor.agency_id is not None and reach_of(actor.roles) > Reach.NONE


def outgoing_scope(actor: Actor) -> QuerySet[Referral]:
    if not sees_referrals(actor):
        return Referral.objects.none()
    return Referral.objects.filter(from_agency_id=actor.agency_id,
                                   case__in=visible_cases(actor))


def incoming_scope(actor: Actor) -> QuerySet[Referral]:
    """Referrals sent to the actor's agency (not those still proposed)."""
    if actor.agency_id is None or reach_of(actor.roles) < Reach.ALL:
        return Referral.objects.none()
    return Referral.objects.filter(to_agency_id=actor.agency_id).exclude(status="proposed")


def badge_scope(actor: Actor) -> QuerySet[Referral]:
    """Referrals of the actor's agency, either way, for the menu badge (no personal data)."""
    if actor.agency_id is None or reach_of(actor.roles) < Reach.ALL:
        return Referral.objects.none()
    mine = Q(from_agency_id=actor.agency_id) | (Q(to_agency_id=actor.agency_id)
                                                & ~Q(status="proposed"))
    return Referral.objects.filter(mine)


def case_referral_scope(access: CaseAccess) -> tuple[QuerySet[Referral], str] | None:
    """The referrals of a case the reader sees on its page, and from which side."""
    qs = Referral.objects.filter(case=access.case)
    if access.is_owner:
        return qs.filter(from_agency_id=access.actor.agency_id), REFERRER
    if reach_of(access.actor.roles) >= Reach.ALL:
        return qs.filter(to_agency_id=access.actor.agency_id).exclude(status="proposed"), RECEIVER
    return None

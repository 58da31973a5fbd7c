"""The access policy: the one place that decides who sees which case, person and field.

Rules (issue 2, domain brief §6):
- A case belongs to the agency that opened it. Within that agency, a role's *reach* decides:
  ALL (every case of the agency), ASSIGNED (cases the user is assigned to) or NONE.
- Another agency sees a case only through an active share: judicial forwarding, a referral
  with consent, a case consultation (art. 458ter) until its end date, or break-glass
  (art. 458bis) for one named user until it expires.
- What is seen is the union of the scopes opened to the actor (owner: OWNER_SCOPES). A referral
  rests on one person's consent: its person scopes (contact, confidential location, health)
  open that person's data only; its judicial scope opens the case narrative.
- Confidential addresses: only their keeper agency and shares of the confidential-location scope.
- Perpetrator-programme staff never see the contact details, whereabouts or health data of
  anyone but the alleged perpetrator.
- Missing and forbidden answer the same: ``Http404``.

``visible_cases`` is the single queryset rule; every object check goes through it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from relais.access.models import Share, ShareKind, active_share_q
from relais.access.scopes import (
    OWNER_ONLY,
    OWNER_SCOPES,
    PERPETRATOR_PROGRAMME_WITHHELD,
    PERSON_SCOPES,
    REVIEWER_ROLES,
    Reach,
    Scope,
    reach_of,
)
from relais.cases.models import (
    Address,
    Case,
    CaseAssignment,
    CaseParticipant,
    CaseStatus,
    ParticipantRole,
)
from relais.core.actor import Actor


def _applicable_shares(actor: Actor, reach: Reach) -> Q:
    """Shares that open a case to this actor: to the agency (for ALL-reach roles) or, for
    break-glass, to the user herself."""
    to_user = Q(kind=ShareKind.BREAK_GLASS, recipient_user_id=actor.user_id)
    if reach >= Reach.ALL:
        to_agency = Q(recipient_agency_id=actor.agency_id) & ~Q(kind=ShareKind.BREAK_GLASS)
        return to_agency | to_user
    return to_user


def visible_cases(actor: Actor) -> QuerySet[Case]:
    """Every case the actor may open. The one rule; everything else reuses it."""
    reach = reach_of(actor.roles)
    if reach is Reach.NONE or actor.agency_id is None:
        return Case.objects.none()
    owned = Q(owner_agency_id=actor.agency_id)
    if reach is Reach.ASSIGNED:
        owned &= Exists(CaseAssignment.objects.filter(case=OuterRef("pk"), user_id=actor.user_id))
    applicable = _applicable_shares(actor, reach)
    shared = Exists(Share.objects.filter(active_share_q(), applicable, case=OuterRef("pk")))
    return Case.objects.filter(owned | shared)


@dataclass(frozen=True)
class CaseAccess:
    """What one actor may see of one case, and on which basis."""

    actor: Actor
    case: Case
    scopes: frozenset[str]
    is_owner: bool
    shares: tuple[Share, ...] = field(default=())
    # Person scopes opened on one person only, by a referral on her consent.
    person_only: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def basis(self) -> str:
        """The legal basis or purpose written in the audit event."""
        parts = ["owning agency"] if self.is_owner else []
        parts += sorted({share.legal_basis for share in self.shares})
        return "; ".join(parts)

    @property
    def via_break_glass(self) -> bool:
        return any(share.kind == ShareKind.BREAK_GLASS for share in self.shares)

    def person_scopes(self, role: str, person_id: int) -> frozenset[str]:
        """The scopes open on one person, given her role in this case."""
        scopes = self.scopes | self.person_only.get(person_id, frozenset())
        if self.withholds_from(role):
            return scopes - PERPETRATOR_PROGRAMME_WITHHELD
        return scopes

    def withholds_from(self, role: str) -> bool:
        """Perpetrator programmes never see how to reach, find or harm the others."""
        agency = self.actor.agency
        return (agency is not None and agency.is_perpetrator_programme
                and role != ParticipantRole.ALLEGED_PERPETRATOR)

    def address_visible(self, address: Address, role: str) -> bool:
        scopes = self.person_scopes(role, address.person_id)
        if Scope.CONTACT not in scopes:
            return False
        if not address.confidential:
            return True
        return (address.keeper_agency_id == self.actor.agency_id
                or Scope.CONFIDENTIAL_LOCATION in scopes)

    @property
    def timeline_scopes(self) -> list[str]:
        """Scopes of the timeline entries and notes the actor may read on this case."""
        scopes = set(self.scopes)
        if self.actor.agency is not None and self.actor.agency.is_perpetrator_programme:
            scopes -= PERPETRATOR_PROGRAMME_WITHHELD
        if self.is_owner:
            scopes.add(OWNER_ONLY)
        return ["", *sorted(scopes)]

    @property
    def can_review(self) -> bool:
        """The owning agency's reference officer reviews accesses to the case."""
        return self.is_owner and self.actor.has_role(*REVIEWER_ROLES)

    @property
    def can_edit(self) -> bool:
        """Owners edit the case and identities. Share holders add only within the scopes open
        to them on a person (see relais.cases.services)."""
        return self.is_owner


def case_access(*, actor: Actor, case_id: int) -> CaseAccess:
    """The actor's access to one case, or Http404 if there is none (or no such case)."""
    case = (
        visible_cases(actor)
        .select_related("owner_agency", "opened_by")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return access_for_case(actor=actor, case=case)


def access_for_case(*, actor: Actor, case: Case) -> CaseAccess:
    """Scopes of a case already known to be visible (from ``visible_cases``)."""
    reach = reach_of(actor.roles)
    is_owner = case.owner_agency_id == actor.agency_id and (
        reach is Reach.ALL
        or CaseAssignment.objects.filter(case=case, user_id=actor.user_id).exists()
    )
    if is_owner and reach is Reach.ALL:
        # Shares go to other agencies: they add nothing to what the owner already sees.
        shares: tuple[Share, ...] = ()
    else:
        shares = tuple(
            Share.objects.filter(active_share_q(), _applicable_shares(actor, reach), case=case)
            .select_related("consent")
        )
    return _access(actor, case, is_owner, shares)


def accesses_for_cases(*, actor: Actor, cases: list[Case]) -> dict[int, CaseAccess]:
    """``access_for_case`` for many cases already known to be visible, by case id, in at most
    two queries (her assignments, their shares) whatever their number: for lists."""
    reach = reach_of(actor.roles)
    assigned: set[int] = set()
    if reach is not Reach.ALL:
        assigned = set(CaseAssignment.objects.filter(
            case__in=[c.pk for c in cases], user_id=actor.user_id).values_list("case_id",
                                                                              flat=True))
    owned = {c.pk for c in cases if c.owner_agency_id == actor.agency_id
             and (reach is Reach.ALL or c.pk in assigned)}
    shared = [c.pk for c in cases if not (c.pk in owned and reach is Reach.ALL)]
    shares_of: dict[int, list[Share]] = {}
    if shared:
        for share in (Share.objects.filter(active_share_q(), _applicable_shares(actor, reach),
                                           case_id__in=shared).select_related("consent")):
            shares_of.setdefault(share.case_id, []).append(share)
    return {c.pk: _access(actor, c, c.pk in owned, tuple(shares_of.get(c.pk, ())))
            for c in cases}


def _access(actor: Actor, case: Case, is_owner: bool, shares: tuple[Share, ...]) -> CaseAccess:
    scopes: set[str] = set(OWNER_SCOPES) if is_owner else set()
    person_only: dict[int, set[str]] = {}
    for share in shares:
        if share.kind == ShareKind.REFERRAL:
            consenting = share.referred_person_id
            person_only.setdefault(consenting, set()).update(
                s for s in share.scopes if s in PERSON_SCOPES)
            scopes.update(s for s in share.scopes if s not in PERSON_SCOPES)
        else:
            scopes.update(share.scopes)
    if not is_owner and not shares:
        raise Http404
    return CaseAccess(actor=actor, case=case, scopes=frozenset(scopes), is_owner=is_owner,
                      shares=shares,
                      person_only={k: frozenset(v) for k, v in person_only.items()})


@dataclass(frozen=True)
class PersonAccess:
    """What one actor may see of one person, across the cases she is visible in."""

    actor: Actor
    participations: tuple[tuple[CaseParticipant, CaseAccess], ...]

    @property
    def person(self):
        return self.participations[0][0].person

    @property
    def scopes(self) -> frozenset[str]:
        out: set[str] = set()
        for participant, access in self.participations:
            out |= access.person_scopes(participant.role, participant.person_id)
        return frozenset(out)

    @property
    def basis(self) -> str:
        return "; ".join(sorted({access.basis for _p, access in self.participations}))

    def address_visible(self, address: Address) -> bool:
        return any(access.address_visible(address, participant.role)
                   for participant, access in self.participations)

    @property
    def can_edit(self) -> bool:
        return any(access.can_edit for _p, access in self.participations)


def person_access(*, actor: Actor, person_id: int) -> PersonAccess:
    """The actor's access to one person, through the cases she can see; Http404 otherwise."""
    participations = list(
        CaseParticipant.objects.filter(person_id=person_id, case__in=visible_cases(actor))
        .select_related("case", "case__owner_agency", "person")
        .order_by("-case__opened_at")
    )
    if not participations:
        raise Http404
    pairs = tuple((p, access_for_case(actor=actor, case=p.case)) for p in participations)
    return PersonAccess(actor=actor, participations=pairs)


def owner_case_access(*, actor: Actor, case_id: int) -> CaseAccess:
    """Access to a case the actor's agency owns, for a write. 404 when she cannot see it, when
    she sees it through a share only, or when it was merged into another case (its records live
    there now; nothing is added to the merged one): every refusal is the same 404."""
    access = case_access(actor=actor, case_id=case_id)
    if not access.can_edit or access.case.status == CaseStatus.MERGED:
        raise Http404
    return access


def require_reviewer(access: CaseAccess) -> None:
    if not access.can_review:
        raise Http404


def sees_cases(actor: Actor) -> bool:
    """Her roles reach case files at all (not figures or accounts only)."""
    return reach_of(actor.roles) > Reach.NONE


def may_open_case(actor: Actor) -> bool:
    """A case is opened by staff whose roles reach case files, for their agency."""
    return sees_cases(actor) and actor.agency_id is not None


def assigned_only(actor: Actor) -> bool:
    """She sees only the cases she is assigned to: a case she opens is assigned to her."""
    return reach_of(actor.roles) is Reach.ASSIGNED


def is_reviewer(actor: Actor) -> bool:
    """The IPV reference officer reviews who accessed her agency's cases."""
    return bool(actor.roles & REVIEWER_ROLES)

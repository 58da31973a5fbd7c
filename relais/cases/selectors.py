"""Reads of the case file. Each goes through the access policy and leaves an access event.

Selectors return *views*: plain objects holding only what the actor may see, so that a
template or serializer cannot show a field the policy withheld.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case as When_
from django.db.models import IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from stdnum.be import nn as belgian_nn

from relais.access.cases import CaseAccess, PersonAccess, case_access, person_access, visible_cases
from relais.access.history import (
    case_history_access,
    person_history_access,
    safe_contact_history_access,
)
from relais.access.models import Consent, Share
from relais.access.scopes import Scope
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import (
    PERSON_FIELDS,
    ROLE_RANK,
    SAFE_CONTACT_FIELDS,
    Address,
    Case,
    CaseParticipant,
    CaseStatus,
    NeverDo,
    ParticipantRole,
    Person,
    PhoneNumber,
    SafeContactInstructions,
    SpecificNeed,
    TimelineEntry,
)
from relais.cases.panels import PANELS, panel_render
from relais.core.actor import Actor
from relais.core.history import HistoryPage, history_read
from relais.core.versions import record_values, record_version


@dataclass
class PersonView:
    """One person as the actor may see her. ``None`` means withheld, not empty."""

    person: Person
    roles: list[str]
    scopes: frozenset[str]
    phones: list[PhoneNumber] | None = None
    addresses: list[Address] | None = None
    withheld_addresses: int = 0
    safe_contact: SafeContactInstructions | None = None
    needs: list[SpecificNeed] | None = None
    can_edit: bool = False

    @property
    def sees_contact(self) -> bool:
        return Scope.CONTACT in self.scopes

    @property
    def sees_health(self) -> bool:
        return Scope.HEALTH in self.scopes


@dataclass
class CaseView:
    access: CaseAccess
    participants: list[tuple[CaseParticipant, PersonView]]
    timeline: list[TimelineEntry]
    shares: list[Share] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)

    @property
    def case(self) -> Case:
        return self.access.case

    @property
    def forwarded(self) -> bool:
        """An active judicial forwarding exists (owner's view)."""
        return any(s.kind == "judicial_forwarding" and s.is_active() for s in self.shares)

    @property
    def seen_scopes(self) -> frozenset[str]:
        """Every scope open to the actor somewhere on this case (case or person)."""
        out = set(self.access.scopes)
        for _participant, person_view in self.participants:
            out |= person_view.scopes
        return frozenset(out)


def _person_view(person: Person, roles: list[str], scopes: frozenset[str],
                 address_visible, can_edit: bool) -> PersonView:
    view = PersonView(person=person, roles=roles, scopes=scopes, can_edit=can_edit)
    if Scope.CONTACT in scopes:
        view.phones = list(person.phones.all())
        addresses = list(person.addresses.all())
        view.addresses = [a for a in addresses if address_visible(a)]
        view.withheld_addresses = len(addresses) - len(view.addresses)
        view.safe_contact = getattr(person, "safe_contact", None)
    if Scope.HEALTH in scopes:
        view.needs = list(person.needs.all())
    return view


def _person_prefetches(scopes: frozenset[str]) -> list:
    out: list = []
    if Scope.CONTACT in scopes:
        out += ["person__phones", "person__addresses"]
    if Scope.HEALTH in scopes:
        out += ["person__needs"]
    return out


def case_get(*, actor: Actor, case_id: int) -> CaseView:
    """A case with its persons and timeline, as the actor may see it (audited)."""
    access = case_access(actor=actor, case_id=case_id)
    case = access.case
    participants_qs = (
        CaseParticipant.objects.filter(case=case)
        .select_related("person", "person__safe_contact")
        .prefetch_related(*_person_prefetches(access.scopes))
        .order_by(ROLE_RANK, "id")
    )
    participants = []
    for participant in participants_qs:
        scopes = access.person_scopes(participant.role, participant.person_id)
        participants.append((participant, _person_view(
            participant.person, [participant.role], scopes,
            lambda a, role=participant.role: access.address_visible(a, role), access.can_edit,
        )))
    timeline = list(
        TimelineEntry.objects.filter(case=case, scope__in=access.timeline_scopes)
        .select_related("agency").order_by("occurred_at", "id")
    )
    shares: list[Share] = []
    consents: list[Consent] = []
    if access.is_owner:
        shares = list(Share.objects.filter(case=case).select_related(
            "recipient_agency", "recipient_user", "granted_by").order_by("-granted_at"))
        consents = list(Consent.objects.filter(case=case).select_related(
            "person", "recipient_agency").order_by("-obtained_at"))
    else:
        shares = list(access.shares)
        consents = list(Consent.objects.filter(case=case, recipient_agency_id=actor.agency_id)
                        .select_related("person", "recipient_agency").order_by("-obtained_at"))
    audit_record(actor=actor, action=Action.READ, target=case, case_id=case.pk,
                 scopes=access.scopes, basis=access.basis)
    return CaseView(access=access, participants=participants, timeline=timeline, shares=shares,
                    consents=consents)


@dataclass
class PersonDetail:
    access: PersonAccess
    view: PersonView
    cases: list[tuple[CaseParticipant, CaseAccess]]


def person_get(*, actor: Actor, person_id: int) -> PersonDetail:
    """One person across the cases the actor can see (audited)."""
    access = person_access(actor=actor, person_id=person_id)
    scopes = access.scopes
    person = (
        Person.objects.select_related("safe_contact")
        .prefetch_related("phones", "addresses", "needs").get(pk=person_id)
    )
    roles = [p.role for p, _a in access.participations]
    view = _person_view(person, roles, scopes, access.address_visible, access.can_edit)
    first_case = access.participations[0][1].case
    audit_record(actor=actor, action=Action.READ, target=person, case_id=first_case.pk,
                 scopes=scopes, basis=access.basis)
    return PersonDetail(access=access, view=view, cases=list(access.participations))


def safe_contact_get(*, actor: Actor, person_id: int) -> dict | None:
    """The recorded safe-contact instructions, to edit them (contact scope; audited)."""
    access = person_access(actor=actor, person_id=person_id)
    if Scope.CONTACT not in access.scopes:
        return None
    recorded = SafeContactInstructions.objects.filter(person_id=person_id).first()
    if recorded is None:
        return {"version": record_version(None, SAFE_CONTACT_FIELDS)}
    audit_record(actor=actor, action=Action.READ, target=recorded,
                 case_id=access.participations[0][1].case.pk, scopes=[Scope.CONTACT],
                 basis=access.basis)
    return {**record_values(recorded, SAFE_CONTACT_FIELDS),
            "version": record_version(recorded, SAFE_CONTACT_FIELDS)}


def person_identity_version(*, person: Person) -> str:
    """The version of her identity (relais.core.versions), for her owning agency's edits."""
    return record_version(person, PERSON_FIELDS)


def person_identity_get(*, actor: Actor, person_id: int) -> dict:
    """A person's identity as her owning agency corrects it, with its version (audited)."""
    access = person_access(actor=actor, person_id=person_id)
    if not access.can_edit:
        raise Http404
    person = access.person
    audit_record(actor=actor, action=Action.READ, target=person,
                 case_id=access.participations[0][1].case.pk, basis=access.basis)
    values = record_values(person, PERSON_FIELDS)
    return {**values, "languages": ", ".join(values["languages"] or []),
            "version": record_version(person, PERSON_FIELDS)}


def case_participants(*, access: CaseAccess, victims_first: bool = False
                      ) -> list[CaseParticipant]:
    """The persons of a case with their role, in the order they were added (victims first if
    asked): identity comes with any access to the case, so this is part of the caller's
    audited read."""
    participants = list(CaseParticipant.objects.filter(case=access.case)
                        .select_related("person").order_by("id"))
    if victims_first:
        participants.sort(key=lambda p: p.role != ParticipantRole.VICTIM)
    return participants


def case_rows(*, actor: Actor, status: str | None = None) -> QuerySet[Case]:
    """The cases the actor sees, merged ones left out (their records are on the kept case).
    Not audited: the list and the API audit each page they show."""
    qs: QuerySet[Case] = visible_cases(actor).exclude(status=CaseStatus.MERGED)
    if status:
        qs = qs.filter(status=status)
    return qs


def case_list(*, actor: Actor, limit: int = 100, status: str | None = None) -> list[Case]:
    """The actor's cases, her own agency's first, each group newest first, with their persons'
    names (audited as one read). A case she sees through a share (a break-glass access, a
    forwarding, a referral) follows her agency's own. Cases merged into another one are left
    out: their records are on the kept case."""
    qs = case_rows(actor=actor, status=status).select_related("owner_agency")
    cases = list(
        qs.prefetch_related(Prefetch(
            "participants", queryset=CaseParticipant.objects.select_related("person")
            .order_by(ROLE_RANK, "id"),
        )).order_by(When_(When(owner_agency_id=actor.agency_id, then=Value(0)),
                          default=Value(1), output_field=IntegerField()),
                    "-opened_at")[:limit]
    )
    audit_record(actor=actor, action=Action.READ, basis=f"case list ({len(cases)} cases)")
    return cases


def case_search(*, actor: Actor, query: str, limit: int = 50) -> list[Case]:
    """Cases the actor can see whose reference, or a person's name or national number,
    matches (merged cases left out). The query itself is personal data: it is never written
    to the audit trail."""
    query = " ".join(query.split())[:100]
    if len(query) < 2:
        return []
    condition = Q(reference__iexact=query)
    if any(c.isdigit() for c in query) and len(query) >= 4:
        condition |= Q(reference__icontains=query)
    digits = belgian_nn.compact(query) if any(c.isdigit() for c in query) else ""
    if digits.isdigit() and len(digits) == 11:
        condition |= Q(participants__person__national_number=digits)
    terms = query.split()
    name_condition = Q()
    for term in terms:
        name_condition &= (Q(participants__person__first_name__icontains=term)
                           | Q(participants__person__last_name__icontains=term))
    condition |= name_condition
    ids = list(
        visible_cases(actor).filter(condition).exclude(status=CaseStatus.MERGED)
        .values_list("pk", flat=True).distinct()[:limit]
    )
    cases = list(
        Case.objects.filter(pk__in=ids).select_related("owner_agency").prefetch_related(
            Prefetch("participants",
                     queryset=CaseParticipant.objects.select_related("person")
                     .order_by(ROLE_RANK))
        ).order_by("-opened_at")
    )
    audit_record(actor=actor, action=Action.SEARCH, basis=f"search ({len(cases)} results)")
    return cases


@dataclass
class PanelRead:
    access: CaseAccess
    template: str
    context: dict | None  # None: the panel has nothing for this reader


def case_panel_get(*, actor: Actor, case_id: int, name: str) -> PanelRead:
    """One section of the case page, loaded when she opens it: within the case's access
    policy (404 otherwise, or for an unknown section), and audited as a read of the case."""
    if name not in PANELS:
        raise Http404
    access = case_access(actor=actor, case_id=case_id)
    template, context = panel_render(access, name)
    audit_record(actor=actor, action=Action.READ, target=access.case, case_id=access.case.pk,
                 scopes=access.scopes, basis=access.basis)
    return PanelRead(access=access, template=template, context=context)


# --- Field history (docs/history.md): what changed, by whom, as far as the policy allows ---

def person_history(*, actor: Actor, person_id: int) -> HistoryPage:
    """Her identity, addresses, phone numbers and needs, change by change (audited)."""
    reader = person_history_access(actor=actor, person_id=person_id)
    found = history_read(reader=reader, sources=[
        Person.history.filter(id=person_id),
        Address.history.filter(person_id=person_id),
        PhoneNumber.history.filter(person_id=person_id),
        SpecificNeed.history.filter(person_id=person_id),
    ])
    return HistoryPage(title=_("History of the person"), subject=str(reader.target),
                       back_url=reverse("cases:person_detail", args=[person_id]),
                       changes=found)


def case_history(*, actor: Actor, case_id: int) -> HistoryPage:
    """The case's own fields (situation, municipality, status...), change by change."""
    reader = case_history_access(actor=actor, case_id=case_id)
    found = history_read(reader=reader, sources=[Case.history.filter(id=case_id)])
    return HistoryPage(title=_("History of the case"), subject=str(reader.target),
                       back_url=reverse("cases:case_detail", args=[case_id]), changes=found)


def safe_contact_history(*, actor: Actor, person_id: int) -> HistoryPage:
    """Her safe-contact rule, change by change (contact scope)."""
    reader = safe_contact_history_access(actor=actor, person_id=person_id)
    found = history_read(
        reader=reader, sources=[SafeContactInstructions.history.filter(id=reader.target.pk)],
        list_labels={"never": dict(NeverDo.choices)})
    return HistoryPage(title=_("History of the safe-contact instructions"),
                       subject=str(reader.target.person),
                       back_url=reverse("cases:person_detail", args=[person_id]),
                       changes=found)


@dataclass(frozen=True)
class ClosureCheck:
    """What the check before a closure shows: what is still open, whether a second person
    must approve it, and a request already waiting."""

    access: CaseAccess
    items: list
    approval_steps: list[str]
    pending: list


def closure_check(*, actor: Actor, case_id: int) -> ClosureCheck:
    """The check before closing a case, for its owning agency (404 otherwise); audited."""
    from relais.access.cases import owner_case_access
    from relais.approvals import selectors as approval_selectors
    from relais.approvals import services as approval_services
    from relais.cases import closure

    access = owner_case_access(actor=actor, case_id=case_id)
    steps = [step for step in closure.approval_steps(access)
             if approval_services.needs_approval(actor=actor, step=step)]
    check = ClosureCheck(access=access, items=closure.open_items(access), approval_steps=steps,
                         pending=approval_selectors.pending_for_case(
                             case_id=case_id, steps=("case_close_high_risk",)))
    audit_record(actor=actor, action=Action.READ, target=access.case, case_id=case_id,
                 basis=f"{access.basis}; check before closing")
    return check


@dataclass(frozen=True)
class DeletionCheck:
    """What the page before deleting a case shows: what keeps it, whether a supervisor must
    approve, and a request already waiting."""

    access: CaseAccess
    blockers: list[str]
    needs_approval: bool
    pending: list


def deletion_check(*, actor: Actor, case_id: int) -> DeletionCheck:
    """The check before deleting a case, for its owning agency (404 otherwise); audited."""
    from relais.access.deletion import deletion_access
    from relais.approvals import selectors as approval_selectors
    from relais.approvals import services as approval_services
    from relais.cases import deletion

    access = deletion_access(actor=actor, case_id=case_id)
    check = DeletionCheck(
        access=access, blockers=deletion.deletion_blockers(access.case),
        needs_approval=approval_services.needs_approval(actor=actor, step=deletion.DELETE_STEP),
        pending=approval_selectors.pending_for_case(case_id=case_id,
                                                    steps=(deletion.DELETE_STEP,)))
    audit_record(actor=actor, action=Action.READ, target=access.case, case_id=case_id,
                 basis=f"{access.basis}; check before deleting")
    return check

"""Reading linkage: the candidates for a person being recorded, the links of a case, the review
queue, one link with its evidence, the family of a case, and the consolidation rate.

Every read goes through the policy (``relais.access.linkage``) and is audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Case as When_
from django.db.models import Count, IntegerField, Max, Q, QuerySet, Value, When
from django.http import Http404

from relais.access.cases import visible_cases
from relais.access.linkage import candidate_cases, candidate_persons, link_scope
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import CaseParticipant
from relais.core.actor import Actor
from relais.linkage.keys import MIN_SHARED, STRONG, lookup_keys
from relais.linkage.model import Match, params, score
from relais.linkage.models import OPEN_STATUSES, LinkStatus, PersonKey, PersonLink
from relais.linkage.normalize import PersonRecord
from relais.linkage.records import records_for

MAX_COMPARED = 400  # persons scored for one search, at most
SHOWN = 8


@dataclass(frozen=True)
class CaseRef:
    """A case a candidate is in. ``visible``: the reader may open it; otherwise she learns
    only the agency that holds it and when it was opened (the judicial chain)."""

    case_id: int
    reference: str
    agency: str
    opened_at: datetime
    visible: bool


@dataclass(frozen=True)
class Candidate:
    person_id: int
    name: str  # "" unless the reader sees one of her cases
    match: Match
    cases: tuple[CaseRef, ...]

    @property
    def visible(self) -> bool:
        return any(ref.visible for ref in self.cases)


def _case_refs(actor: Actor, person_ids: list[int]) -> dict[int, list[CaseRef]]:
    """Each person's cases within the reader's candidate scope, and which she may open."""
    rows = list(CaseParticipant.objects.filter(
        person_id__in=person_ids, case__in=candidate_cases(actor))
        .values_list("person_id", "case_id", "case__reference", "case__owner_agency__name",
                     "case__opened_at"))
    seen = set(visible_cases(actor).filter(pk__in={r[1] for r in rows})
               .values_list("pk", flat=True))
    refs: dict[int, list[CaseRef]] = {}
    for person_id, case_id, reference, agency, opened_at in sorted(rows, key=lambda r: r[4]):
        refs.setdefault(person_id, []).append(CaseRef(
            case_id=case_id, reference=reference, agency=agency, opened_at=opened_at,
            visible=case_id in seen))
    return refs


def match_persons(*, actor: Actor, record: PersonRecord,
                  exclude: frozenset[int] = frozenset()) -> list[tuple[int, Match]]:
    """The persons of the reader's candidate scope scoring at least the lower threshold, best
    first. No audit (the caller audits what it shows or stores)."""
    strong = Q(key__startswith=STRONG[0])
    for prefix in STRONG[1:]:
        strong |= Q(key__startswith=prefix)
    ids = list(PersonKey.objects.filter(key__in=lookup_keys(record),
                                        person__in=candidate_persons(actor))
               .exclude(person_id__in=exclude)
               .values("person_id")
               .annotate(shared=Count("pk"), strong=Max(When_(
                   When(strong, then=Value(1)), default=Value(0), output_field=IntegerField())))
               .filter(Q(shared__gte=MIN_SHARED) | Q(strong=1))
               .order_by("person_id").values_list("person_id", flat=True)[:MAX_COMPARED])
    lower = params().lower
    matches = [(person_id, score(record, other))
               for person_id, other in records_for(ids).items()]
    return sorted(((pid, m) for pid, m in matches if m.probability >= lower),
                  key=lambda pm: -pm[1].probability)


def candidates_for(*, actor: Actor, record: PersonRecord,
                   exclude: frozenset[int] = frozenset()) -> list[Candidate]:
    """The likely existing records of a person being typed, for the intake form. Audited as one
    search."""
    matches = match_persons(actor=actor, record=record, exclude=exclude)[:SHOWN]
    refs = _case_refs(actor, [pid for pid, _m in matches])
    names = _visible_names(actor, [pid for pid, _m in matches if any(
        r.visible for r in refs.get(pid, ()))])
    out = [Candidate(person_id=pid, name=names.get(pid, ""), match=m,
                     cases=tuple(refs.get(pid, ()))) for pid, m in matches if refs.get(pid)]
    audit_record(actor=actor, action=Action.SEARCH,
                 basis=f"linkage: likely known persons ({len(out)} shown)")
    return out


def _visible_names(actor: Actor, person_ids: list[int]) -> dict[int, str]:
    from relais.cases.models import Person

    if not person_ids:
        return {}
    return {p.pk: str(p) for p in Person.objects.filter(
        pk__in=person_ids, participations__case__in=visible_cases(actor)).distinct()
        .only("first_name", "last_name")}


# --- Links ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkView:
    link: PersonLink
    mine: int  # the person of the link the reader sees (her side)
    mine_name: str
    other: Candidate

    @property
    def match(self) -> Match:
        return self.other.match


def _match_of(link: PersonLink) -> Match:
    from relais.linkage.model import Evidence

    data = link.evidence
    return Match(probability=link.probability, weight=link.weight,
                 evidence=tuple(Evidence(field=f, level=lvl, weight=w)
                                for f, lvl, w in data["evidence"]),
                 names_swapped=data.get("names_swapped", False), version=link.version)


def _views(actor: Actor, links: list[PersonLink]) -> list[LinkView]:
    person_ids = {pid for link in links for pid in (link.left_id, link.right_id)}
    refs = _case_refs(actor, list(person_ids))
    names = _visible_names(actor, list(person_ids))
    views = []
    for link in links:
        # The reader's side: the person of a case she sees (the left one when she sees both).
        left_seen = any(r.visible for r in refs.get(link.left_id, ()))
        mine, other = ((link.left_id, link.right_id) if left_seen
                       else (link.right_id, link.left_id))
        views.append(LinkView(
            link=link, mine=mine, mine_name=names.get(mine, ""),
            other=Candidate(person_id=other, name=names.get(other, ""), match=_match_of(link),
                            cases=tuple(refs.get(other, ())))))
    return views


def case_links(*, actor: Actor, case_id: int, statuses=OPEN_STATUSES) -> list[LinkView]:
    """The links of the persons of a case the reader sees (its panel; the case read is audited
    by the case page)."""
    persons = CaseParticipant.objects.filter(case_id=case_id).values("person_id")
    links = list(link_scope(actor).filter(Q(left__in=persons) | Q(right__in=persons),
                                          status__in=statuses)
                 .order_by("-probability", "pk")[:50])
    return _views(actor, links)


@dataclass(frozen=True)
class QueuePage:
    rows: list[LinkView]
    total: int
    page: int
    pages: int
    status: str


QUEUE_STATUSES = {"review": (LinkStatus.REVIEW,), "proposed": (LinkStatus.PROPOSED,),
                  "open": OPEN_STATUSES,
                  "decided": (LinkStatus.CONFIRMED, LinkStatus.REJECTED)}


def review_queue(*, actor: Actor, status: str = "open", page: int = 1,
                 per_page: int = 30) -> QueuePage:
    """The links the reader may decide, most likely first. Audited as one read."""
    from relais.access.linkage import may_decide_links

    if not may_decide_links(actor):
        raise Http404
    status = status if status in QUEUE_STATUSES else "open"
    qs: QuerySet[PersonLink] = link_scope(actor).filter(status__in=QUEUE_STATUSES[status])
    total = qs.count()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    order = ("-updated_at", "pk") if status == "decided" else ("-probability", "pk")
    links = list(qs.order_by(*order)[(page - 1) * per_page:page * per_page])
    rows = _views(actor, links)
    audit_record(actor=actor, action=Action.READ,
                 basis=f"linkage review queue ({len(rows)} of {total})")
    return QueuePage(rows=rows, total=total, page=page, pages=pages, status=status)


def link_get(*, actor: Actor, link_id: int) -> LinkView:
    link = link_scope(actor).filter(pk=link_id).first()
    if link is None:
        raise Http404
    view = _views(actor, [link])[0]
    audit_record(actor=actor, action=Action.READ, target=link, basis="linkage: one link")
    return view


def decisions_of(link: PersonLink) -> list:
    return list(link.decisions.select_related("decided_by", "agency"))


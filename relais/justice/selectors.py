"""Reading the prosecution tracking table: the office's table, one entry, the case panel for the
police zone and the office, the menu badge, the merges, and the measures in force.

The office sees its own entries on cases the access policy opens to it (``entry_scope``);
everything else answers 404. Reads of personal data are audited.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case as When_
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.access.agency import own_agency_object
from relais.access.cases import CaseAccess, case_access, visible_cases
from relais.access.justice import (
    entry_scope,
    may_see_sections,
    works_the_table,
    zone_sees_panel,
)
from relais.access.merges import (
    may_propose,
    merge_scope,
    proposal_scope,
    sees_merges,
)
from relais.access.scopes import Scope
from relais.accounts.models import User
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.measures import MeasureLine
from relais.cases.models import Case, CaseParticipant, CaseStatus, Person
from relais.core.actor import Actor
from relais.core.ids import parse_id
from relais.family.selectors import parallel_proceedings
from relais.justice.models import (
    STANDING_MEASURES,
    CaseMerge,
    Decision,
    Entry,
    EntryEvent,
    Measure,
    MergeProposal,
    ProposalStatus,
    Section,
)
from relais.justice.services import readers_of

STATUSES = ("to_decide", "overdue", "decided", "all")
PER_PAGE = 50


def _today() -> date:
    return timezone.localdate()


def overdue_days(entry: Entry, today: date | None = None) -> int:
    """Days past the decision date of an undecided entry (0 if not overdue)."""
    if entry.decided_at is not None:
        return 0
    return max(0, ((today or _today()) - entry.due_on).days)


# --- Possible same household ------------------------------------------------------------------

@dataclass(frozen=True)
class Hint:
    """Another case the office sees that shares a person with this one."""

    case_id: int
    reference: str
    person: str
    why: str  # "national number" / "name and date of birth" / "same person"

    @property
    def why_label(self) -> str:
        return {"national_number": _("same national number"),
                "name_birth": _("same name and date of birth"),
                "person": _("same person")}[self.why]


def household_hints(*, actor: Actor, case_ids: list[int]) -> dict[int, list[Hint]]:
    """For each case, the other cases visible to the actor sharing a person with it: the same
    national number, or the same last name, first name and date of birth. Two queries.

    The matching persons are found on ``Person`` alone (its indexes on the national number and
    on the birth date with the last name), then their participations: one condition spanning
    both tables made PostgreSQL join them whole first (2.9 s at 1,000,000 cases)."""
    people = list(CaseParticipant.objects.filter(case_id__in=case_ids).values(
        "case_id", "person_id", "person__national_number", "person__first_name",
        "person__last_name", "person__birth_date"))
    if not people:
        return {}
    condition = Q(pk__in={p["person_id"] for p in people})
    numbers = {p["person__national_number"] for p in people if p["person__national_number"]}
    if numbers:
        condition |= Q(national_number__in=numbers)
    for p in people:
        if p["person__birth_date"]:
            condition |= Q(birth_date=p["person__birth_date"],
                           last_name__iexact=p["person__last_name"],
                           first_name__iexact=p["person__first_name"])
    others = list(
        CaseParticipant.objects.filter(
            person_id__in=Person.objects.filter(condition).values("pk"),
            case__in=visible_cases(actor))
        .exclude(case__status=CaseStatus.MERGED)
        .values("case_id", "case__reference", "person_id", "person__national_number",
                "person__first_name", "person__last_name", "person__birth_date"))
    hints: dict[int, dict[int, Hint]] = {}
    for p in people:
        for o in others:
            if o["case_id"] == p["case_id"]:
                continue
            if o["person_id"] == p["person_id"]:
                why = "person"
            elif p["person__national_number"] and (
                    o["person__national_number"] == p["person__national_number"]):
                why = "national_number"
            elif (p["person__birth_date"] and o["person__birth_date"] == p["person__birth_date"]
                  and o["person__last_name"].casefold() == p["person__last_name"].casefold()
                  and o["person__first_name"].casefold() == p["person__first_name"].casefold()):
                why = "name_birth"
            else:
                continue
            hints.setdefault(p["case_id"], {}).setdefault(o["case_id"], Hint(
                case_id=o["case_id"], reference=o["case__reference"],
                person=f'{o["person__first_name"]} {o["person__last_name"]}', why=why))
    return {case_id: sorted(found.values(), key=lambda h: h.reference)
            for case_id, found in hints.items()}


# --- The table --------------------------------------------------------------------------------

@dataclass
class Row:
    entry: Entry
    overdue_days: int
    hints: list[Hint] = field(default_factory=list)


@dataclass(frozen=True)
class TablePage:
    rows: list[Row]
    total: int
    overdue: int
    page: int
    pages: int
    status: str
    section_id: int | None
    reader: str
    sections: list[Section]
    readers: list[User]


def _reader_filter(actor: Actor, reader: str) -> Q:
    if reader == "mine":
        return Q(reader_id=actor.user_id)
    if reader == "none":
        return Q(reader__isnull=True)
    reader_id = parse_id(reader)
    return Q(reader_id=reader_id) if reader_id else Q()


def _status_filter(status: str, today: date) -> Q:
    if status == "to_decide":
        return Q(decided_at__isnull=True)
    if status == "overdue":
        return Q(decided_at__isnull=True, due_on__lt=today)
    if status == "decided":
        return Q(decided_at__isnull=False)
    return Q()


def _table_filtered(*, actor: Actor, status: str, section_id: int | None, reader: str,
                    today: date) -> QuerySet[Entry]:
    qs = entry_scope(actor).filter(_status_filter(status, today), _reader_filter(actor, reader))
    if section_id is not None:
        qs = qs.filter(section_id=section_id)
    return qs


def _table_ordered(qs: QuerySet[Entry], today: date) -> QuerySet[Entry]:
    """Overdue first, then by the date the decision is due; decided last, newest first."""
    rank = When_(When(decided_at__isnull=False, then=Value(2)),
                 When(due_on__lt=today, then=Value(0)), default=Value(1),
                 output_field=IntegerField())
    return qs.annotate(rank=rank).order_by("rank", "due_on", "-decided_at", "pk")


def _with_row_data(qs: QuerySet[Entry]) -> QuerySet[Entry]:
    return (qs.select_related("report", "report__case", "report__victim", "report__perpetrator",
                              "report__agency", "section", "reader")
            .annotate(family_proceedings=parallel_proceedings(OuterRef("report__case"))))


def entry_table_rows(*, actor: Actor, status: str = "to_decide", section_id: int | None = None,
                     reader: str = "", chunk_size: int = 500) -> Iterator[Row]:
    """Every row of the table under the same filter and order, read in chunks by a
    server-side cursor (the export; ``relais.core.exports.export_response`` audits it). The
    household hints, a page's aid, are left out."""
    if not works_the_table(actor):
        raise Http404
    if status not in STATUSES:
        status = "to_decide"
    today = _today()
    qs = _table_filtered(actor=actor, status=status, section_id=section_id, reader=reader,
                         today=today)

    def rows() -> Iterator[Row]:
        for entry in _with_row_data(_table_ordered(qs, today)).iterator(chunk_size=chunk_size):
            yield Row(entry=entry, overdue_days=overdue_days(entry, today))
    return rows()


def entry_rows(*, actor: Actor, status: str = "to_decide", section_id: int | None = None,
               reader: str = "") -> QuerySet[Entry]:
    """The office's entries in one status ("to_decide", "overdue", "decided", "all"), of one
    section and one reader ("mine", "none" or a user id); 404 for who does not work the table.
    Not audited: the table and the API audit each page they show."""
    if not works_the_table(actor):
        raise Http404
    return _table_filtered(actor=actor, status=status, section_id=section_id, reader=reader,
                           today=_today())


def entry_table(*, actor: Actor, status: str = "to_decide", section_id: int | None = None,
                reader: str = "", page: int = 1, per_page: int = PER_PAGE) -> TablePage:
    """The office's table, overdue first, then by the date the decision is due; decided reports
    last, newest decision first. A constant number of queries; audited as one read."""
    if not works_the_table(actor):
        raise Http404
    if status not in STATUSES:
        status = "to_decide"
    today = _today()
    qs = _table_filtered(actor=actor, status=status, section_id=section_id, reader=reader,
                         today=today)
    counts = qs.aggregate(total=Count("pk"), overdue=Count("pk", filter=Q(
        decided_at__isnull=True, due_on__lt=today)))
    total, overdue = counts["total"], counts["overdue"]
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    ids = list(_table_ordered(qs, today)
               .values_list("pk", flat=True)[(page - 1) * per_page:page * per_page])
    found = _with_row_data(Entry.objects.all()).in_bulk(ids)
    entries = [found[pk] for pk in ids]
    hints = household_hints(actor=actor, case_ids=sorted({e.report.case_id for e in entries}))
    rows = [Row(entry=e, overdue_days=overdue_days(e, today), hints=hints.get(e.report.case_id,
                                                                              []))
            for e in entries]
    audit_record(actor=actor, action=Action.READ, scopes=[Scope.JUDICIAL],
                 basis=f"prosecution table ({len(rows)} of {total} reports)")
    return TablePage(rows=rows, total=total, overdue=overdue, page=page, pages=pages,
                     status=status, section_id=section_id, reader=reader,
                     sections=list(Section.objects.filter(agency_id=actor.agency_id)),
                     readers=list(readers_of(actor.agency_id)))


def overdue_badge(actor: Actor) -> int:
    """The menu badge: my overdue reports, or the office's if I read none."""
    if not works_the_table(actor):
        return 0
    qs = entry_scope(actor).filter(decided_at__isnull=True, due_on__lt=_today())
    is_reader = (Section.objects.filter(agency_id=actor.agency_id, readers=actor.user_id).exists()
                 or Entry.objects.filter(agency_id=actor.agency_id,
                                         reader_id=actor.user_id).exists())
    if is_reader:
        qs = qs.filter(reader_id=actor.user_id)
    return qs.count()


# --- One entry --------------------------------------------------------------------------------

@dataclass
class EntryView:
    entry: Entry
    access: CaseAccess
    events: list[EntryEvent]
    hints: list[Hint]
    readers: list[User]
    merges: list[CaseMerge]

    @property
    def overdue_days(self) -> int:
        return overdue_days(self.entry)

    @property
    def case(self) -> Case:
        return self.access.case


def entry_get(*, actor: Actor, entry_id: int) -> EntryView:
    """One entry with the report as the office may see it (judicial narrative), its history,
    the possible same-household cases and the merges of its case. Audited."""
    entry = (entry_scope(actor)
             .select_related("report", "report__case", "report__victim", "report__perpetrator",
                             "report__agency", "report__officer", "section", "reader",
                             "decided_by")
             .filter(pk=entry_id).first())
    if entry is None:
        raise Http404
    access = case_access(actor=actor, case_id=entry.report.case_id)
    view = EntryView(
        entry=entry, access=access,
        events=list(entry.events.select_related("by")),
        hints=household_hints(actor=actor, case_ids=[access.case.pk]).get(access.case.pk, []),
        readers=list(readers_of(entry.agency_id)),
        merges=list(CaseMerge.objects.filter(target=access.case, agency_id=actor.agency_id)
                    .select_related("source", "merged_by", "undone_by")))
    audit_record(actor=actor, action=Action.READ, target=entry, case_id=access.case.pk,
                 scopes=[Scope.JUDICIAL], basis=f"{access.basis}; prosecution tracking")
    return view


def visible_case_by_reference(*, actor: Actor, reference: str) -> Case | None:
    """A case the actor may open, by its exact reference (not audited: no personal data)."""
    reference = reference.strip()
    if not reference or "\x00" in reference:  # no reference holds a NUL (PostgreSQL refuses it)
        return None
    return visible_cases(actor).filter(reference__iexact=reference).first()


def merges_list(*, actor: Actor, limit: int = 200) -> list[CaseMerge]:
    """The merges made by the actor's office, or agreed by her agency with another owner,
    newest first (audited as one read)."""
    if not sees_merges(actor):
        raise Http404
    merges = list(merge_scope(actor)
                  .select_related("source", "target", "merged_by", "undone_by")[:limit])
    audit_record(actor=actor, action=Action.READ, basis=f"case merges ({len(merges)})")
    return merges


def merge_get(*, actor: Actor, merge_id: int) -> CaseMerge:
    merge = (merge_scope(actor).filter(pk=merge_id)
             .select_related("source", "target", "merged_by", "undone_by").first())
    if merge is None:
        raise Http404
    case_access(actor=actor, case_id=merge.target_id)
    audit_record(actor=actor, action=Action.READ, target=merge, case_id=merge.target_id,
                 basis="case merge")
    return merge


# --- On the case page -------------------------------------------------------------------------

@dataclass(frozen=True)
class PanelLine:
    entry: Entry
    overdue_days: int


def case_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    """What the panel reads, for the police zone that owns the case and the office that decides
    (nothing for others): the entries of the case's reports, and the case's merges."""
    actor = access.actor
    case = access.case
    entries: QuerySet[Entry] = Entry.objects.filter(report__case=case)
    if works_the_table(actor):
        entries = entries.filter(agency_id=actor.agency_id)
    elif not zone_sees_panel(access):
        return {}
    return {"entries": entries, "merges": CaseMerge.objects.filter(
        Q(target=case) | Q(source=case), undone_at__isnull=True)}


def case_panel(access: CaseAccess, found: frozenset[str]) -> dict | None:
    """The prosecution of a case, for the police zone that owns it and the office that decides.

    The zone sees when each report arrived, its section, whether it is decided, the decision
    and the measures — not the reader's name nor the office's note. The office sees its own
    entries, with the reader, and the cases merged into this one. Part of the audited case read.
    ``found``: which of ``case_panel_rows`` have rows.
    """
    if not found:
        return None
    rows = case_panel_rows(access)
    lines = [PanelLine(entry=e, overdue_days=overdue_days(e)) for e in rows["entries"]
             .select_related("agency", "section", "reader", "report")
             .order_by("received_at", "pk")] if "entries" in found else []
    merges = (list(rows["merges"].select_related("source", "target")) if "merges" in found
              else [])
    undoable = (set(merge_scope(access.actor).filter(pk__in=[m.pk for m in merges])
                    .values_list("pk", flat=True)) if merges else set())
    return {"lines": lines, "office": works_the_table(access.actor), "merges": merges,
            "undoable": undoable}


# --- Measures in force (relais.cases.measures) ------------------------------------------------

def measures_provider(access: CaseAccess) -> list[MeasureLine]:
    """No-contact orders and contact conditions decided by the office stay in force while the
    case is open (they carry no end date in the table)."""
    case = access.case
    if case.status != CaseStatus.OPEN:
        return []
    lines = []
    for entry in (Entry.objects.filter(report__case=case, decided_at__isnull=False)
                  .exclude(decision=Decision.CLOSED).select_related("agency")
                  .order_by("decided_at")):
        for code in entry.measures:
            if code in STANDING_MEASURES:
                lines.append(MeasureLine(
                    kind=code, label=str(Measure(code).label), since=entry.decided_at,
                    detail=_("ordered by %(office)s") % {"office": entry.agency.name}))
    return lines


# --- Sections ----------------------------------------------------------------------------------

def section_list(*, actor: Actor) -> list[Section]:
    """The sections of the actor's office (who may see them: ``may_see_sections``)."""
    if not may_see_sections(actor):
        raise Http404
    return list(Section.objects.filter(agency_id=actor.agency_id).prefetch_related("readers")
                .order_by("name", "pk"))


def section_get(*, actor: Actor, section_id: int) -> Section:
    return own_agency_object(Section.objects.all(), actor=actor, pk=section_id,
                             allowed=may_see_sections(actor))


# --- Merges by agreement of two owners (relais.justice.proposals) -----------------------------

PROPOSAL_RELATED = ("source__owner_agency", "target__owner_agency", "proposing_agency",
                    "answering_agency", "proposed_by", "answered_by", "merge")


def proposal_get(*, actor: Actor, proposal_id: int) -> MergeProposal:
    """A merge proposal, for the agency that made it or is asked to answer (audited)."""
    proposal = (proposal_scope(actor).filter(pk=proposal_id).select_related(*PROPOSAL_RELATED)
                .first())
    if proposal is None:
        raise Http404
    audit_record(actor=actor, action=Action.READ, target=proposal, case_id=proposal.target_id,
                 basis="merge proposal")
    return proposal


def proposals_panel_rows(access: CaseAccess) -> dict[str, QuerySet]:
    if not may_propose(access):
        return {}
    case = access.case
    return {"pending": MergeProposal.objects.filter(Q(source=case) | Q(target=case),
                                                    status=ProposalStatus.PENDING)}


def proposals_panel(access: CaseAccess, found: frozenset[str]) -> dict | None:
    """For the owner's staff who may merge by agreement: the proposals waiting on this case
    (made or received), and the action."""
    if not may_propose(access):
        return None
    pending = (list(proposals_panel_rows(access)["pending"].select_related(*PROPOSAL_RELATED))
               if "pending" in found else [])
    return {"case": access.case, "pending": pending,
            "agency_id": access.actor.agency_id}

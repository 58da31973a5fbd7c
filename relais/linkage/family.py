"""One family, one file: the cases joined to a case through its persons, and the reports of
them all in date order, as far as the reader's access allows; and the consolidation rate, the
roadmap's indicator 3.

A family is what links join: the persons of a case, every person confirmed the same as one of
them (following confirmed links a few steps), and every case any of them takes part in. Within
the reader's candidate scope only (relais.access.linkage): a case she may open shows its
reports with a link; a case of the judicial chain she may not open shows only its agency and
dates ("a report of zone X on 3 March"); anything else is not shown at all.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404

from relais.access.cases import case_access, visible_cases
from relais.access.figures import refused_q
from relais.access.linkage import candidate_cases, may_see_consolidation
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.cases.models import Case, CaseParticipant, CaseStatus, ParticipantRole
from relais.core.actor import Actor
from relais.intake.models import Report
from relais.linkage.models import LinkStatus, PersonLink

MAX_STEPS = 3
MAX_PERSONS = 60


def same_persons(person_ids: set[int]) -> dict[int, int]:
    """Each person reachable from ``person_ids`` through confirmed links, mapped to the
    smallest id of her group (one query per step)."""
    parent = {pid: pid for pid in person_ids}

    def root(pid: int) -> int:
        while parent[pid] != pid:
            parent[pid] = parent[parent[pid]]
            pid = parent[pid]
        return pid

    frontier = set(person_ids)
    for _step in range(MAX_STEPS):
        if not frontier or len(parent) >= MAX_PERSONS:
            break
        pairs = PersonLink.objects.filter(
            Q(left_id__in=frontier) | Q(right_id__in=frontier),
            status=LinkStatus.CONFIRMED).values_list("left_id", "right_id")
        frontier = set()
        for left, right in pairs:
            for pid in (left, right):
                if pid not in parent:
                    parent[pid] = pid
                    frontier.add(pid)
            a, b = root(left), root(right)
            if a != b:
                parent[max(a, b)] = min(a, b)
    return {pid: root(pid) for pid in parent}


@dataclass(frozen=True)
class FamilyReport:
    when: datetime
    agency: str
    case_id: int
    reference: str
    visible: bool
    kind: str = ""  # shown only when visible
    report_id: int | None = None


@dataclass(frozen=True)
class FamilyCase:
    case_id: int
    reference: str
    agency: str
    opened_at: datetime
    status: str
    visible: bool
    same_pair: bool  # the same victim and the same alleged perpetrator as the case asked about


@dataclass(frozen=True)
class Family:
    case: Case
    cases: list[FamilyCase]
    reports: list[FamilyReport]


def family_of(*, actor: Actor, case_id: int) -> Family:
    """The family of a case the reader sees. Audited as one read."""
    access = case_access(actor=actor, case_id=case_id)
    family = _family(actor, access.case)
    audit_record(actor=actor, action=Action.READ, target=access.case, case_id=case_id,
                 basis=f"{access.basis}; family view ({len(family.cases)} cases)")
    return family


def _family(actor: Actor, case: Case) -> Family:
    """The family of a case the caller checked the reader sees (not audited)."""
    case_id = case.pk
    roles = dict(CaseParticipant.objects.filter(case_id=case_id)
                 .values_list("person_id", "role"))
    groups = same_persons(set(roles))
    group_of_role = defaultdict(set)
    for pid, role in roles.items():
        group_of_role[role].add(groups[pid])
    participations = list(
        CaseParticipant.objects.filter(person_id__in=list(groups), case__in=candidate_cases(actor))
        .values_list("case_id", "person_id", "role"))
    case_ids = {c for c, _p, _r in participations} | {case_id}
    seen = set(visible_cases(actor).filter(pk__in=case_ids).values_list("pk", flat=True))
    roles_in = defaultdict(lambda: defaultdict(set))
    for c, pid, role in participations:
        roles_in[c][role].add(groups[pid])
    victims = group_of_role[ParticipantRole.VICTIM]
    perpetrators = group_of_role[ParticipantRole.ALLEGED_PERPETRATOR]
    cases = []
    for c in Case.objects.filter(pk__in=case_ids).select_related("owner_agency").order_by(
            "opened_at"):
        cases.append(FamilyCase(
            case_id=c.pk, reference=c.reference, agency=c.owner_agency.name,
            opened_at=c.opened_at, status=c.status, visible=c.pk in seen,
            same_pair=bool(victims & roles_in[c.pk][ParticipantRole.VICTIM]
                           and perpetrators & roles_in[c.pk][ParticipantRole.ALLEGED_PERPETRATOR])))
    by_id = {c.case_id: c for c in cases}
    reports = [
        FamilyReport(when=r.offence_at, agency=r.agency.name, case_id=r.case_id,
                     reference=by_id[r.case_id].reference, visible=r.case_id in seen,
                     kind=r.get_kind_display() if r.case_id in seen else "",
                     report_id=r.pk if r.case_id in seen else None)
        for r in Report.objects.filter(case_id__in=case_ids).select_related("agency")
        .order_by("offence_at", "pk")]
    return Family(case=case, cases=cases, reports=reports)


def pair_files(*, actor: Actor, case_id: int) -> list[FamilyCase]:
    """Other cases of the same victim–perpetrator pair owned by the reader's agency: where a
    new report of the pair belongs (reactivation). Not audited: the caller's read is."""
    family = _family(actor, case_access(actor=actor, case_id=case_id).case)
    owned = set(Case.objects.filter(pk__in=[c.case_id for c in family.cases],
                                    owner_agency_id=actor.agency_id)
                .exclude(status=CaseStatus.MERGED).values_list("pk", flat=True))
    return [c for c in family.cases if c.same_pair and c.case_id != case_id
            and c.case_id in owned]


# --- Indicator 3 ------------------------------------------------------------------------------

@dataclass(frozen=True)
class ConsolidationRow:
    month: date
    repeat_reports: int  # reports of a household that already had a report
    consolidated: int  # ... recorded in the file of an earlier report of that household
    left_out: int = 0  # ... naming a person who declined to be counted: not in the two above

    @property
    def rate(self) -> float | None:
        return self.consolidated / self.repeat_reports if self.repeat_reports else None


def consolidation_rate(*, actor: Actor, zone_id: int | None, start: date,
                       end: date) -> list[ConsolidationRow]:
    """Indicator 3 (the roadmap): per month of recording, of the reports of a zone (all zones
    when ``zone_id`` is None) whose household — the same victim, or a victim confirmed the same
    person — already had a report anywhere, the share recorded in the same file (case) as an
    earlier report of that household. A file merged since counts as one file (its reports
    moved). A report naming a person who declined to be counted (docs/figures.md, "Consent to
    reporting"), as victim or alleged perpetrator, is left out: neither counted nor the earlier
    report of another; the repeat reports left out are counted apart. Counts only; no personal
    data leaves."""
    if not may_see_consolidation(actor, zone_id=zone_id):
        raise Http404
    refused = ExpressionWrapper(refused_q("victim_id", "perpetrator_id"),
                                output_field=BooleanField())
    reports = Report.objects.filter(recorded_on__gte=start, recorded_on__lt=end)
    if zone_id is not None:
        reports = reports.filter(agency_id=zone_id)
    period = list(reports.annotate(refused=refused).values_list(
        "pk", "victim_id", "case_id", "recorded_on", "offence_at", "refused"))
    groups = same_persons({row[1] for row in period})
    history: dict[int, list[tuple[datetime, int, int, bool]]] = defaultdict(list)
    for pk, victim, case, offence, left in (
            Report.objects.filter(victim_id__in=list(groups)).annotate(refused=refused)
            .values_list("pk", "victim_id", "case_id", "offence_at", "refused")):
        history[groups[victim]].append((offence, pk, case, left))
    months: dict[date, list[int]] = defaultdict(lambda: [0, 0, 0])
    for pk, victim, case, recorded_on, offence, left in period:
        # A report left out is counted apart (a repeat if any report came before it); a report
        # counted is a repeat only through earlier reports counted too.
        earlier = [(o, p, c) for o, p, c, earlier_left in history[groups[victim]]
                   if (o, p) < (offence, pk) and (left or not earlier_left)]
        if not earlier:
            continue
        row = months[recorded_on.replace(day=1)]
        if left:
            row[2] += 1
            continue
        row[0] += 1
        row[1] += any(c == case for _o, _p, c in earlier)
    audit_record(actor=actor, action=Action.READ,
                 basis=f"indicator 3, consolidation ({zone_id or 'all zones'})")
    return [ConsolidationRow(month=m, repeat_reports=r, consolidated=c, left_out=x)
            for m, (r, c, x) in sorted(months.items())]

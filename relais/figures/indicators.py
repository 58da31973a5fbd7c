"""The roadmap's indicators 1 and 4 from Relais's own records (2 is the follow-up's
first-contact indicator, relais.followup.selectors.first_contact_indicator; 3 the linkage's
consolidation rate, relais.linkage.family.consolidation_rate).

Counts only, per month, each by the reference date of its side (relais.figures.rules):
- **Indicator 1**, police, by the date of the facts: of the reports of the zones, how many are
  information reports ("family dispute without blows") and how many official reports (the
  files that go to the prosecutor), and the share of information reports.
- **Indicator 4**, justice, by the date of entry at the prosecutor's office: of the entries whose
  case concerns children (a child in the case, or children present or affected in the report),
  the share whose report records both whether the children were present and the impact on
  them. A report transferred between offices enters once (one entry per report).

Neither is required by law (relais.figures.legal_basis): the reports and entries that name a
person who declined to be counted are left out (relais.figures.consent), as in the
precomputed counts.

These selectors take the agencies to count and check no access: the statistics' screens apply
the policy before calling them (docs/figures.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Exists, OuterRef
from django.utils import timezone

from relais.access.figures import refused_q
from relais.cases.models import CaseParticipant, ParticipantRole, YesNoUnknown
from relais.figures.rules import share_pct
from relais.intake.models import RecordKind, Report
from relais.justice.models import Entry


@dataclass(frozen=True)
class DisputeMonth:
    month: date
    information: int
    official: int

    @property
    def total(self) -> int:
        return self.information + self.official

    @property
    def information_pct(self) -> Decimal | None:
        return share_pct(self.information, self.total)


@dataclass(frozen=True)
class ChildrenMonth:
    month: date
    with_children: int
    recorded: int

    @property
    def not_recorded(self) -> int:
        return self.with_children - self.recorded

    @property
    def recorded_pct(self) -> Decimal | None:
        return share_pct(self.recorded, self.with_children)


def _month(moment) -> date:
    return timezone.localtime(moment).date().replace(day=1)


def dispute_share(*, zone_ids: Iterable[int], start: date, end: date) -> list[DisputeMonth]:
    """Indicator 1 per month of the facts (``start`` included, ``end`` excluded)."""
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    rows = (Report.objects.filter(agency_id__in=list(zone_ids), offence_at__date__gte=start,
                                  offence_at__date__lt=end)
            .exclude(refused_q("victim_id", "perpetrator_id"))
            .values_list("offence_at", "kind"))
    for offence_at, kind in rows:
        counts[_month(offence_at)][0 if kind == RecordKind.INFORMATION_REPORT else 1] += 1
    return [DisputeMonth(month=m, information=i, official=o)
            for m, (i, o) in sorted(counts.items())]


def children_recorded(*, office_ids: Iterable[int], start: date,
                      end: date) -> list[ChildrenMonth]:
    """Indicator 4 per month of entry (``start`` included, ``end`` excluded)."""
    child_in_case = Exists(CaseParticipant.objects.filter(case_id=OuterRef("report__case_id"),
                                                          role=ParticipantRole.CHILD))
    rows = (Entry.objects.filter(agency_id__in=list(office_ids), received_at__date__gte=start,
                                 received_at__date__lt=end)
            .exclude(refused_q("report__victim_id", "report__perpetrator_id"))
            .annotate(child_in_case=child_in_case)
            .values_list("received_at", "child_in_case", "report__no_children_concerned",
                         "report__children_present", "report__children_impact"))
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for received_at, child_in_case, none_concerned, present, impact in rows:
        concerned = child_in_case or present == YesNoUnknown.YES or bool(impact.strip())
        if not concerned or (none_concerned and not child_in_case):
            continue
        row = counts[_month(received_at)]
        row[0] += 1
        row[1] += bool(present) and bool(impact.strip())
    return [ChildrenMonth(month=m, with_children=w, recorded=r)
            for m, (w, r) in sorted(counts.items())]

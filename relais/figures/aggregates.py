"""The counts the dashboard reads, precomputed from Relais's own records.

The dashboard must answer in under a second over a million incidents (issue 17, §6), so it
never counts the records itself: ``refresh_counts`` groups them per month into
``MonthlyCount`` rows (a few per agency, month, municipality and category), and the dashboard
sums those. ``manage.py figures refresh`` runs it; ``./dev demo`` and a deployment run it every
hour (``--if-older 60``); the dashboard says when it last ran.

The measures, each by its reference date (relais.figures.rules):

- ``reports``: a zone's reports by kind (information report / official report), by the month
  of the facts and, separately, by the month of recording; the municipality of the facts.
- ``report_forms``: the same reports by form of violence, by the month of the facts. Several
  forms per report: these counts are shares of ``reports``, never a total.
- ``entries``: an office's entries by the month of entry, in three categories for the
  roadmap's indicator 4: the case concerns children and the report records both their
  presence and the impact on them (``children_recorded``), concerns children without that
  (``children_not_recorded``), or concerns none (``no_children``). A report enters once,
  at the office that holds it (a transfer moves the entry).

The definitions are those of relais.figures.indicators, which computes them directly from the
records; the tests hold the two equal.

**Refusals to be counted** (relais.figures.consent): none of these measures is required by law
(relais.figures.legal_basis), so the reports and entries that name a person whose refusal is in
force are left out of them, and counted apart as ``reports_left_out`` and ``entries_left_out``
(same agency, month and municipality) so that each table can say how many it left out.
Recording or withdrawing a refusal marks the counts stale: the next ``--if-older`` run
recomputes them at once.

**EIGE's indicators** are precomputed in the same run and transaction, per agency and calendar
year (``YearlyCount``, relais.figures.eige_counts): some are counts of distinct persons, which
months cannot be summed into. EIGE counts everyone, by law: no refusal leaves a record out.
"""

from __future__ import annotations

import time
from collections import Counter
from datetime import date, datetime

from django.db import transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, Value, When
from django.db.models.functions import Trim, TruncMonth
from django.utils import timezone

from relais.access.figures import refused_q
from relais.cases.models import CaseParticipant, ParticipantRole, YesNoUnknown
from relais.figures.consent import REFRESH_NAME
from relais.figures.eige_counts import yearly_rows
from relais.figures.models import MonthlyCount, Refresh, YearlyCount
from relais.intake.models import Report
from relais.justice.models import Entry

NAME = REFRESH_NAME  # "counts"
BATCH = 5000


class Measure:
    REPORTS = "reports"
    REPORT_FORMS = "report_forms"
    ENTRIES = "entries"
    # The records left out at the person's request (relais.figures.consent).
    REPORTS_LEFT_OUT = "reports_left_out"
    ENTRIES_LEFT_OUT = "entries_left_out"


class Reference:
    FACTS = "facts"
    RECORDED = "recorded"
    ENTRY = "entry"


class ChildrenCategory:
    RECORDED = "children_recorded"
    NOT_RECORDED = "children_not_recorded"
    NONE = "no_children"


def _month_of(moment: datetime | date) -> date:
    if isinstance(moment, datetime):
        moment = timezone.localtime(moment).date()
    return moment.replace(day=1)


def _report_rows(*, left_out: bool = False) -> list[MonthlyCount]:
    """The reports counted (``left_out=False``: those of no person who declined) or left out."""
    refused = refused_q("victim_id", "perpetrator_id")
    reports = Report.objects.filter(refused) if left_out else Report.objects.exclude(refused)
    measure = Measure.REPORTS_LEFT_OUT if left_out else Measure.REPORTS
    rows = []
    for reference, field in ((Reference.FACTS, "offence_at"),
                             (Reference.RECORDED, "recorded_on")):
        grouped = (reports.order_by()
                   .annotate(month=TruncMonth(field))
                   .values("agency_id", "municipality", "kind", "month")
                   .annotate(n=Count("id")))
        rows += [MonthlyCount(measure=measure, reference=reference,
                              month=_month_of(g["month"]), agency_id=g["agency_id"],
                              municipality=g["municipality"], category=g["kind"], count=g["n"])
                 for g in grouped]
    return rows


def _form_rows() -> list[MonthlyCount]:
    """The forms are a JSON list, which neither database groups by portably: read in batches."""
    counts: Counter = Counter()
    reports = (Report.objects.order_by().exclude(forms=[])
               .exclude(refused_q("victim_id", "perpetrator_id"))
               .values_list("agency_id", "municipality", "offence_at", "forms"))
    for agency_id, municipality, offence_at, forms in reports.iterator(chunk_size=BATCH):
        month = _month_of(offence_at)
        for form in set(forms or ()):
            counts[(agency_id, municipality, month, str(form)[:40])] += 1
    return [MonthlyCount(measure=Measure.REPORT_FORMS, reference=Reference.FACTS, month=month,
                         agency_id=agency_id, municipality=municipality, category=form, count=n)
            for (agency_id, municipality, month, form), n in counts.items()]


def _entry_rows(*, left_out: bool = False) -> list[MonthlyCount]:
    """The entries counted (those whose report names no person who declined) or left out."""
    refused = refused_q("report__victim_id", "report__perpetrator_id")
    entries = Entry.objects.filter(refused) if left_out else Entry.objects.exclude(refused)
    measure = Measure.ENTRIES_LEFT_OUT if left_out else Measure.ENTRIES
    child_in_case = Exists(CaseParticipant.objects.filter(case_id=OuterRef("report__case_id"),
                                                          role=ParticipantRole.CHILD))
    impact = ~Q(impact="")
    concerned = (Q(child_in_case=True)
                 | (Q(report__no_children_concerned=False)
                    & (Q(report__children_present=YesNoUnknown.YES) | impact)))
    recorded = ~Q(report__children_present="") & impact
    grouped = (entries.order_by()
               .annotate(child_in_case=child_in_case,
                         impact=Trim("report__children_impact"),
                         month=TruncMonth("received_at"))
               .annotate(category=Case(
                   When(concerned & recorded, then=Value(ChildrenCategory.RECORDED)),
                   When(concerned, then=Value(ChildrenCategory.NOT_RECORDED)),
                   default=Value(ChildrenCategory.NONE)))
               .values("agency_id", "report__municipality", "month", "category")
               .annotate(n=Count("id")))
    return [MonthlyCount(measure=measure, reference=Reference.ENTRY,
                         month=_month_of(g["month"]), agency_id=g["agency_id"],
                         municipality=g["report__municipality"], category=g["category"],
                         count=g["n"])
            for g in grouped]


def refresh_counts() -> Refresh:
    """Recompute every count, the roadmap's monthly ones and EIGE's yearly ones, in one
    transaction: the dashboard reads either the old counts or the new ones, never a mix."""
    started = time.monotonic()
    rows = (_report_rows() + _form_rows() + _entry_rows()
            + _report_rows(left_out=True) + _entry_rows(left_out=True))
    yearly = yearly_rows()
    with transaction.atomic():
        MonthlyCount.objects.all().delete()
        MonthlyCount.objects.bulk_create(rows, batch_size=BATCH)
        YearlyCount.objects.all().delete()
        YearlyCount.objects.bulk_create(yearly, batch_size=BATCH)
        refresh, _created = Refresh.objects.update_or_create(name=NAME, defaults={
            "computed_at": timezone.now(), "seconds": round(time.monotonic() - started, 3),
            "rows": len(rows) + len(yearly), "stale": False})
    return refresh


def last_refresh() -> Refresh | None:
    return Refresh.objects.filter(name=NAME).first()


def refresh_if_older(*, minutes: int) -> Refresh | None:
    """Recompute when the counts are older than ``minutes``, were never computed, or are
    marked stale; None when they were fresh enough."""
    last = last_refresh()
    age = (timezone.now() - last.computed_at).total_seconds() if last else None
    if last and not last.stale and age is not None and age < minutes * 60:
        return None
    return refresh_counts()


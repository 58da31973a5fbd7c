"""EIGE's indicators precomputed per agency and calendar year (``YearlyCount``), so that the
EIGE view never counts the records during a request (issue 17: it took seconds for a zone and
tens of seconds for an office or the country over a million incidents).

``yearly_rows`` is called by relais.figures.aggregates.refresh_counts (``manage.py
figures_refresh``, hourly), in the same transaction as the roadmap's ``MonthlyCount``: the
view says when they were computed, like the roadmap's.

**Why per year, not per month.** Indicators 1 to 6 count persons, each once a year (a woman
recorded on three reports of the year is one woman): distinct counts that months cannot be
summed into. So every EIGE count is kept at the grain its table shows, the agency and the
calendar year, as EIGE reports, and the view shows whole calendar years.

**Per agency.** The police counts are kept per zone (the zone that recorded the report), the
justice counts per office (the office of the first entry, the office that ordered, the office
that holds the register). A view over several zones sums them: a woman recorded by two zones
in the same year is counted by each (the direct count, relais.figures.eige_direct, would count
her once). A case transferred between offices stays counted once, at its first entry.

The definitions are relais.figures.eige_direct's, which counts from the records for a period
and agencies asked; the tests hold the two equal. EIGE counts everyone, by law
(relais.figures.legal_basis): no refusal to be counted leaves a record out here.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.utils import timezone

from relais.cases.models import Sex
from relais.femicide.models import Outcome, Record, Relation
from relais.figures.eige import (
    IPV_SITUATIONS,
    NO_CONTACT,
    RESIDENCE_BAN,
    Measure,
    age_group,
    count_person,
    decision_group,
    eige_form_of,
    woman_adult_or_unknown,
)
from relais.figures.models import YearlyCount
from relais.figures.rules import ProsecutionEntry, first_entries
from relais.intake.models import Report
from relais.justice.models import Entry
from relais.justice.models import Measure as JusticeMeasure
from relais.measures.models import ResidenceBan

BATCH = 5000

Key = tuple[str, int, int, str]  # measure, agency, year, category


def yearly_rows() -> list[YearlyCount]:
    """Every EIGE count, per agency, calendar year and category: a few rows per agency and
    year, read from the records in six queries."""
    counts: dict[Key, int] = defaultdict(int)
    _police(counts)
    _femicides(counts)
    _protection_orders(counts)
    _prosecuted(counts)
    return [YearlyCount(measure=measure, agency_id=agency, year=year, category=category,
                        count=count)
            for (measure, agency, year, category), count in sorted(counts.items()) if count]


def _police(counts: dict[Key, int]) -> None:
    """Indicators 1 to 6: the zones' reports of intimate partner violence, by date of the
    facts; each woman (each man) once per zone and year."""
    rows = (Report.objects.filter(is_intimate_partner=True).order_by()
            .values_list("agency_id", "offence_at", "forms", "victim_id", "victim__sex",
                         "victim__birth_date", "perpetrator_id", "perpetrator__sex",
                         "perpetrator__birth_date"))
    women: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)  # (zone, year) → victim
    forms: dict[tuple[int, int], dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    men: dict[tuple[int, int], dict[int, str]] = defaultdict(dict)
    eige_form = eige_form_of()
    for (zone, offence_at, report_forms, victim, victim_sex, victim_born, perpetrator,
         perpetrator_sex, perpetrator_born) in rows.iterator(chunk_size=BATCH):
        day = timezone.localdate(offence_at)
        group = age_group(victim_born, day)
        if victim_sex == Sex.FEMALE and group is not None:
            count_person(women[zone, day.year], victim, group)
            forms[zone, day.year][victim] |= {eige_form[code] for code in report_forms or []
                                              if code in eige_form}
        group = age_group(perpetrator_born, day)
        if perpetrator is not None and perpetrator_sex == Sex.MALE and group is not None:
            count_person(men[zone, day.year], perpetrator, group)
    for measure, people in ((Measure.WOMEN, women), (Measure.MEN, men)):
        for (zone, year), groups in people.items():
            for group in groups.values():
                counts[measure, zone, year, group] += 1
    for (zone, year), found in forms.items():
        for eige_forms in found.values():
            for eige in eige_forms:
                counts[Measure.WOMEN_FORMS, zone, year, eige] += 1


def _femicides(counts: dict[Key, int]) -> None:
    """Indicator 7: the offices' femicide register, by date of the facts."""
    for office, occurred_on, relation in (Record.objects.filter(
            outcome=Outcome.KILLED, victim_sex=Sex.FEMALE,
            relation__in=(Relation.PARTNER, Relation.EX_PARTNER))
            .order_by().values_list("agency_id", "occurred_on", "relation")):
        counts[Measure.FEMICIDES, office, occurred_on.year, relation] += 1


def _protection_orders(counts: dict[Key, int]) -> None:
    """Indicator 10, by date of the order: residence bans in cases of a couple or former couple
    protecting a woman (once each, however many she is), by the office that ordered it; and
    no-contact measures on entries of intimate partner violence against a woman."""
    bans = (ResidenceBan.objects.filter(case__situation__in=IPV_SITUATIONS)
            .order_by().values_list("pk", "ordered_by_agency_id", "ordered_at",
                                    "protected_persons__sex", "protected_persons__birth_date"))
    protecting_a_woman: dict[int, tuple[int, date]] = {}
    for pk, office, ordered_at, sex, birth_date in bans.iterator(chunk_size=BATCH):
        day = timezone.localdate(ordered_at)
        if woman_adult_or_unknown(sex, birth_date, day):
            protecting_a_woman[pk] = (office, day)
    for office, day in protecting_a_woman.values():
        counts[Measure.ORDERS, office, day.year, RESIDENCE_BAN] += 1
    entries = (Entry.objects.filter(decided_at__isnull=False, report__is_intimate_partner=True,
                                    report__victim__sex=Sex.FEMALE)
               .order_by().values_list("agency_id", "decided_at", "measures",
                                       "report__victim__birth_date"))
    for office, decided_at, measures, birth_date in entries.iterator(chunk_size=BATCH):
        day = timezone.localdate(decided_at)
        if JusticeMeasure.NO_CONTACT in (measures or []) \
                and age_group(birth_date, day) is not None:
            counts[Measure.ORDERS, office, day.year, NO_CONTACT] += 1


def _prosecuted(counts: dict[Key, int]) -> None:
    """Indicator 11: each case with an entry of intimate partner violence and a man (18 or over,
    or of unknown age) as alleged perpetrator on one of its entered reports, once, at the office
    and in the year of its first entry (any of its entries), by the decisions over all its
    entries."""
    cases = Entry.objects.filter(report__is_intimate_partner=True).values("report__case_id")
    rows = (Entry.objects.filter(report__case_id__in=cases)
            .order_by("received_at", "pk")
            .values_list("report__case_id", "agency_id", "received_at", "decision",
                         "report__perpetrator__sex", "report__perpetrator__birth_date",
                         "report__offence_at"))
    entries: list[ProsecutionEntry] = []
    decisions: dict[int, list[str]] = defaultdict(list)
    men: set[int] = set()
    for case_id, office, received_at, decision, sex, birth_date, offence_at in rows.iterator(
            chunk_size=BATCH):
        entries.append(ProsecutionEntry(case=case_id, office=office,
                                        entered_on=timezone.localdate(received_at)))
        decisions[case_id].append(decision)
        if sex == Sex.MALE and age_group(birth_date, timezone.localdate(offence_at)):
            men.add(case_id)
    for entry in first_entries(entries):
        if entry.case in men:
            counts[Measure.CASES, int(entry.office), entry.entered_on.year,
                   decision_group(decisions[entry.case])] += 1

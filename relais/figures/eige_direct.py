"""EIGE's indicators counted directly from the records, for the zones, offices and period
asked: what the EIGE view did on every request before its counts were precomputed (issue 17).

It is the reference: the tests hold the precomputed tables (relais.figures.eige.eige_tables,
from relais.figures.eige_counts) equal to these, and bench/eige.py times both. No screen
calls it: over a million incidents it reads every record of the period into Python
(bench/README.md, "Issue 17"). Same rules as the precomputed counts: police indicators by the
date of the facts, indicator 11 by the date of first entry, protection orders by the date of
the order; it checks no access.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from django.utils import timezone

from relais.cases.models import Sex
from relais.femicide.models import Outcome, Record, Relation
from relais.figures.eige import (
    CLOSED,
    IPV_SITUATIONS,
    NO_CONTACT,
    PURSUED,
    RESIDENCE_BAN,
    UNDECIDED,
    Counts,
    Measure,
    age_group,
    count_person,
    decision_group,
    eige_form_of,
    justice_tables_from,
    police_tables_from,
    woman_adult_or_unknown,
    years_of,
)
from relais.figures.rules import (
    ProsecutionEntry,
    count_prosecution_cases_by_office,
    first_entries,
)
from relais.figures.tables import Table
from relais.intake.models import Report
from relais.justice.models import Entry
from relais.justice.models import Measure as JusticeMeasure
from relais.measures.models import ResidenceBan

Tally = dict[int, dict[str, int]]  # year → category → count


def _tally() -> Tally:
    return defaultdict(lambda: defaultdict(int))


def direct_eige_tables(*, zone_ids: Sequence[int], office_ids: Sequence[int], start: date,
                       end: date) -> list[Table]:
    """The EIGE tables of ``zone_ids`` and ``office_ids`` from ``start`` to ``end`` (excluded),
    counted from the records; five queries."""
    years = years_of(start, end)
    tables: list[Table] = []
    if zone_ids:
        tables += police_tables_from(counts=police_counts(zone_ids=zone_ids, start=start,
                                                          end=end), years=years)
    if office_ids:
        tables += justice_tables_from(counts=justice_counts(office_ids=office_ids, start=start,
                                                            end=end), years=years)
    return tables


def police_counts(*, zone_ids: Sequence[int], start: date, end: date) -> Counts:
    """Indicators 1 to 6 from the zones' reports of intimate partner violence, in one query."""
    rows = (Report.objects.filter(agency_id__in=list(zone_ids), is_intimate_partner=True,
                                  offence_at__date__gte=start, offence_at__date__lt=end)
            .order_by()
            .values_list("offence_at", "forms", "victim_id", "victim__sex",
                         "victim__birth_date", "perpetrator_id", "perpetrator__sex",
                         "perpetrator__birth_date"))
    women: dict[int, dict[int, str]] = defaultdict(dict)  # year → victim → age group
    forms: dict[int, dict[int, set[str]]] = defaultdict(lambda: defaultdict(set))
    men: dict[int, dict[int, str]] = defaultdict(dict)
    eige_form = eige_form_of()
    for (offence_at, report_forms, victim, victim_sex, victim_born, perpetrator,
         perpetrator_sex, perpetrator_born) in rows:
        day = timezone.localdate(offence_at)
        group = age_group(victim_born, day)
        if victim_sex == Sex.FEMALE and group is not None:
            count_person(women[day.year], victim, group)
            forms[day.year][victim] |= {eige_form[code] for code in report_forms or []
                                        if code in eige_form}
        group = age_group(perpetrator_born, day)
        if perpetrator is not None and perpetrator_sex == Sex.MALE and group is not None:
            count_person(men[day.year], perpetrator, group)
    counts: dict[str, Tally] = {Measure.WOMEN: _tally(), Measure.WOMEN_FORMS: _tally(),
                                Measure.MEN: _tally()}
    for measure, people in ((Measure.WOMEN, women), (Measure.MEN, men)):
        for year, groups in people.items():
            for group in groups.values():
                counts[measure][year][group] += 1
    for year, found in forms.items():
        for eige_forms in found.values():
            for eige in eige_forms:
                counts[Measure.WOMEN_FORMS][year][eige] += 1
    return counts


def justice_counts(*, office_ids: Sequence[int], start: date, end: date) -> Counts:
    offices = list(office_ids)
    return {Measure.FEMICIDES: _femicides(offices, start, end),
            Measure.ORDERS: _protection_orders(offices, start, end),
            Measure.CASES: _prosecuted(offices, start, end)}


def _femicides(office_ids: list[int], start: date, end: date) -> Tally:
    """Indicator 7 from the offices' femicide register, by date of the facts."""
    counts = _tally()
    for occurred_on, relation in (Record.objects.filter(
            agency_id__in=office_ids, occurred_on__gte=start, occurred_on__lt=end,
            outcome=Outcome.KILLED, victim_sex=Sex.FEMALE,
            relation__in=(Relation.PARTNER, Relation.EX_PARTNER))
            .order_by().values_list("occurred_on", "relation")):
        counts[occurred_on.year][relation] += 1
    return counts


def _protection_orders(office_ids: list[int], start: date, end: date) -> Tally:
    """Indicator 10, by date of the order: the offices' residence bans in cases of a couple or
    former couple protecting a woman, and their no-contact measures on reports of intimate
    partner violence against a woman."""
    counts = _tally()
    bans = (ResidenceBan.objects.filter(ordered_by_agency_id__in=office_ids,
                                        ordered_at__date__gte=start, ordered_at__date__lt=end,
                                        case__situation__in=IPV_SITUATIONS)
            .order_by().values_list("pk", "ordered_at", "protected_persons__sex",
                                    "protected_persons__birth_date"))
    protecting_a_woman: dict[int, date] = {}
    for pk, ordered_at, sex, birth_date in bans:
        day = timezone.localdate(ordered_at)
        if woman_adult_or_unknown(sex, birth_date, day):
            protecting_a_woman[pk] = day
    for day in protecting_a_woman.values():
        counts[day.year][RESIDENCE_BAN] += 1
    entries = (Entry.objects.filter(agency_id__in=office_ids, decided_at__date__gte=start,
                                    decided_at__date__lt=end, report__is_intimate_partner=True,
                                    report__victim__sex=Sex.FEMALE)
               .order_by().values_list("decided_at", "measures", "report__victim__birth_date"))
    for decided_at, measures, birth_date in entries:
        day = timezone.localdate(decided_at)
        if JusticeMeasure.NO_CONTACT in (measures or []) \
                and age_group(birth_date, day) is not None:
            counts[day.year][NO_CONTACT] += 1
    return counts


def _prosecuted(office_ids: list[int], start: date, end: date) -> Tally:
    """Indicator 11: the cases of intimate partner violence with a man as alleged perpetrator,
    by year of their first entry at a prosecutor's office, counted at the office of that first
    entry only (relais.figures.rules.first_entries), by the offices' decision."""
    # A case counted here entered one of these offices in the period (its first entry); all
    # its entries, at any office and date, tell which entry was its first.
    cases = (Entry.objects.filter(agency_id__in=office_ids, report__is_intimate_partner=True,
                                  received_at__date__gte=start, received_at__date__lt=end)
             .values("report__case_id"))
    rows = (Entry.objects.filter(report__case_id__in=cases)
            .order_by("received_at", "pk")
            .values_list("report__case_id", "agency_id", "received_at", "decision",
                         "report__perpetrator__sex", "report__perpetrator__birth_date",
                         "report__offence_at"))
    entries, decisions = [], defaultdict(list)
    men: set[int] = set()
    for case_id, office, received_at, decision, sex, birth_date, offence_at in rows:
        entries.append(ProsecutionEntry(case=case_id, office=office,
                                        entered_on=timezone.localdate(received_at)))
        decisions[case_id].append(decision)
        if sex == Sex.MALE and age_group(birth_date, timezone.localdate(offence_at)):
            men.add(case_id)
    counted = [entry for entry in first_entries(entries)
               if entry.case in men and entry.office in office_ids
               and start <= entry.entered_on < end]
    by_group = _tally()
    for group in (PURSUED, CLOSED, UNDECIDED):
        of_group = [entry for entry in counted if decision_group(decisions[entry.case]) == group]
        for (_office, year), count in count_prosecution_cases_by_office(
                of_group, period="year").items():
            by_group[int(year)][group] += count
    return by_group

"""EIGE's 13 police and justice indicators on intimate-partner violence (IPV), rape and femicide
(EIGE, "Indicators on intimate partner violence and rape for the police and justice sectors",
2018, after "Terminology and indicators for data collection: rape, femicide and intimate partner
violence", 2017): nine counted from police records, four from justice records.

``INDICATORS`` is the catalogue, as data: each indicator's number, title, EIGE's definition, its
sector, and what Relais makes of it — computed, partly (with what differs), or not computable
(and why). ``catalogue_table`` shows it; ``eige_tables`` computes those Relais has the records
for, with the field's rules: police indicators by the date of the facts, justice indicators by
the date of entry at the prosecutor's office (a case transferred between offices counts once, at
its first entry: relais.figures.rules.first_entries), protection orders by the date of the
order; small cells hidden (relais.figures.count_tables).

EIGE's pages confirm the 13 indicators, nine police and four justice, indicator 8 (women
victims of rape), an intimate-femicide and a protection-order indicator; the other wordings are
the 2018 report's as remembered, to check against it (docs/figures.md).

``eige_tables`` takes the zones and offices to count and checks no access: the statistics'
screens apply the policy before calling it (docs/figures.md).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.cases.models import Sex, Situation
from relais.femicide.models import Outcome, Record, Relation
from relais.figures.count_tables import Heading, crossed_table, multi_answer_table
from relais.figures.rules import (
    ProsecutionEntry,
    ReferenceDate,
    count_prosecution_cases_by_office,
    first_entries,
)
from relais.figures.tables import Column, Table
from relais.intake.models import Report, ViolenceForm
from relais.justice.models import Decision, Entry, Measure
from relais.measures.models import ResidenceBan

ADULT_AGE = 18
IPV_SITUATIONS = (Situation.COUPLE, Situation.EX_COUPLE)


class Sector(models.TextChoices):
    POLICE = "police", gettext_lazy("Police")
    JUSTICE = "justice", gettext_lazy("Justice")


class Status(models.TextChoices):
    COMPUTED = "computed", gettext_lazy("Computed")
    PARTLY = "partly", gettext_lazy("Partly")
    NOT_COMPUTABLE = "not_computable", gettext_lazy("Not computable")


@dataclass(frozen=True)
class Indicator:
    number: int
    title: str | Promise
    definition: str | Promise  # EIGE's
    sector: str
    status: str
    relais: str | Promise  # what Relais computes, and how it differs; or why it cannot
    table_key: str = ""  # the key of its table in ``eige_tables``, if any


INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        1, gettext_lazy("Women victims of intimate partner violence"),
        gettext_lazy("Annual number of women victims of intimate partner violence aged 18 and "
                     "over, as recorded by the police."),
        Sector.POLICE, Status.PARTLY,
        gettext_lazy("The women recorded as victims on the zones' reports of intimate partner "
                     "violence (the case is a couple or former couple), each once a year, by "
                     "date of the facts. Her age is known only when her date of birth is "
                     "recorded: those without one are shown apart; a victim whose sex is not "
                     "recorded is not counted."),
        "eige-1"),
    Indicator(
        2, gettext_lazy("Women victims of physical intimate partner violence"),
        gettext_lazy("Annual number of women victims of physical intimate partner violence aged "
                     "18 and over, as recorded by the police."),
        Sector.POLICE, Status.PARTLY,
        gettext_lazy("The women of indicator 1 with the form \"physical\" on a report of the "
                     "year; a share of N, several forms possible."),
        "eige-2-5"),
    Indicator(
        3, gettext_lazy("Women victims of sexual intimate partner violence"),
        gettext_lazy("Annual number of women victims of sexual intimate partner violence aged "
                     "18 and over, as recorded by the police."),
        Sector.POLICE, Status.PARTLY,
        gettext_lazy("The women of indicator 1 with the form \"sexual\" on a report of the "
                     "year; Relais records the form of violence, not the offence."),
        "eige-2-5"),
    Indicator(
        4, gettext_lazy("Women victims of psychological intimate partner violence"),
        gettext_lazy("Annual number of women victims of psychological intimate partner violence "
                     "aged 18 and over, as recorded by the police."),
        Sector.POLICE, Status.PARTLY,
        gettext_lazy("The women of indicator 1 with a psychological form on a report of the "
                     "year: psychological, verbal, stalking, digital stalking, against animals."),
        "eige-2-5"),
    Indicator(
        5, gettext_lazy("Women victims of economic intimate partner violence"),
        gettext_lazy("Annual number of women victims of economic intimate partner violence aged "
                     "18 and over, as recorded by the police."),
        Sector.POLICE, Status.PARTLY,
        gettext_lazy("The women of indicator 1 with an economic form on a report of the year: "
                     "economic, administrative (documents confiscated), against objects."),
        "eige-2-5"),
    Indicator(
        6, gettext_lazy("Men perpetrators of intimate partner violence"),
        gettext_lazy("Annual number of men perpetrators of intimate partner violence aged 18 and "
                     "over, as recorded by the police."),
        Sector.POLICE, Status.PARTLY,
        gettext_lazy("The men recorded as alleged perpetrators on the zones' reports of intimate "
                     "partner violence, each once a year, by date of the facts; those without a "
                     "date of birth are shown apart; a report without an alleged perpetrator, "
                     "or whose sex is not recorded, is not counted."),
        "eige-6"),
    Indicator(
        7, gettext_lazy("Women victims of intimate femicide"),
        gettext_lazy("Annual number of women victims of intimate femicide (killed by a current "
                     "or former partner) aged 18 and over, as recorded by the police."),
        Sector.POLICE, Status.PARTLY,
        gettext_lazy("From the femicide register the prosecutor's office keeps (not the "
                     "police), by date of the facts: women killed by a partner or former "
                     "partner; attempts are not counted. The register does not record the "
                     "victim's age."),
        "eige-7"),
    Indicator(
        8, gettext_lazy("Women victims of rape"),
        gettext_lazy("Annual number of women victims of rape aged 18 and over, as recorded by "
                     "the police."),
        Sector.POLICE, Status.NOT_COMPUTABLE,
        gettext_lazy("Relais does not record the offence (the legal qualification of rape), "
                     "only a form of violence (\"sexual\"), and it records violence between "
                     "partners and in the family only, not rape by others.")),
    Indicator(
        9, gettext_lazy("Men perpetrators of rape"),
        gettext_lazy("Annual number of men perpetrators of rape aged 18 and over, as recorded by "
                     "the police."),
        Sector.POLICE, Status.NOT_COMPUTABLE,
        gettext_lazy("As for indicator 8: Relais does not record the offence of rape, nor rape "
                     "outside partners and the family.")),
    Indicator(
        10, gettext_lazy("Protection orders"),
        gettext_lazy("Annual number of protection orders applied for and granted in cases of "
                     "intimate partner violence against women aged 18 and over."),
        Sector.JUSTICE, Status.PARTLY,
        gettext_lazy("The orders the prosecutor's offices record in Relais, by date of the "
                     "order: temporary residence bans in cases of a couple or former couple "
                     "protecting a woman, and no-contact measures ordered on a report of "
                     "intimate partner violence against a woman. Applications are not recorded, "
                     "nor the orders of the courts (family court, civil protection orders)."),
        "eige-10"),
    Indicator(
        11, gettext_lazy("Men prosecuted for intimate partner violence"),
        gettext_lazy("Annual number of men perpetrators of intimate partner violence aged 18 and "
                     "over who are prosecuted."),
        Sector.JUSTICE, Status.PARTLY,
        gettext_lazy("The cases of intimate partner violence with a man as alleged perpetrator "
                     "entered at the prosecutor's office, by date of entry, each case once (a "
                     "case transferred between offices counts at its first entry), by the "
                     "office's decision. Relais records the decision on each report (closed, "
                     "follow-up, hearing, investigation), not the prosecution itself, and "
                     "counts cases, not persons."),
        "eige-11"),
    Indicator(
        12, gettext_lazy("Men sentenced for intimate partner violence"),
        gettext_lazy("Annual number of men perpetrators of intimate partner violence aged 18 and "
                     "over who are sentenced (convicted)."),
        Sector.JUSTICE, Status.NOT_COMPUTABLE,
        gettext_lazy("Relais does not record judgments: the courts' convictions are not on "
                     "Relais.")),
    Indicator(
        13, gettext_lazy("Men sentenced to prison for intimate partner violence"),
        gettext_lazy("Share of the men sentenced for intimate partner violence (aged 18 and over) "
                     "who are sentenced to prison."),
        Sector.JUSTICE, Status.NOT_COMPUTABLE,
        gettext_lazy("Relais does not record judgments: without the men sentenced (indicator "
                     "12) there is no share; a detention recorded on a case does not say it "
                     "follows a conviction for intimate partner violence.")),
)

# The forms of violence Relais records, in EIGE's four forms of intimate partner violence.
EIGE_FORMS: dict[str, tuple[str, ...]] = {
    "physical": (ViolenceForm.PHYSICAL,),
    "sexual": (ViolenceForm.SEXUAL,),
    "psychological": (ViolenceForm.PSYCHOLOGICAL, ViolenceForm.VERBAL, ViolenceForm.STALKING,
                      ViolenceForm.DIGITAL_STALKING, ViolenceForm.ANIMALS),
    "economic": (ViolenceForm.ECONOMIC, ViolenceForm.ADMINISTRATIVE, ViolenceForm.OBJECTS),
}

AGE_ADULT, AGE_UNKNOWN = "adult", "age_unknown"
PURSUED, CLOSED, UNDECIDED = "pursued", "closed", "undecided"
RESIDENCE_BAN, NO_CONTACT = "residence_ban", "no_contact"


def indicator(number: int) -> Indicator:
    return next(item for item in INDICATORS if item.number == number)


def eige_source() -> str:
    return _("EIGE, Indicators on intimate partner violence and rape for the police and "
             "justice sectors (2018)")


def catalogue_table() -> Table:
    """The 13 indicators: what EIGE defines, and what Relais computes or why it cannot."""
    return Table(
        key="eige-catalogue", title=_("EIGE's 13 indicators on intimate partner violence, rape "
                                      "and femicide"),
        columns=(Column("number", _("Number")),
                 Column("indicator", _("Indicator"), numeric=False),
                 Column("definition", _("EIGE's definition"), numeric=False),
                 Column("sector", _("Source"), numeric=False),
                 Column("status", _("In Relais"), numeric=False),
                 Column("relais", _("What Relais computes, or why it cannot"), numeric=False)),
        rows=tuple((item.number, str(item.title), str(item.definition),
                    str(Sector(item.sector).label), str(Status(item.status).label),
                    str(item.relais)) for item in INDICATORS),
        source=eige_source())


def eige_tables(*, zone_ids: Sequence[int], office_ids: Sequence[int], start: date,
                end: date) -> list[Table]:
    """The indicators Relais computes, for the facts (police) of ``zone_ids`` and the entries
    and orders (justice) of ``office_ids`` from ``start`` to ``end`` (excluded)."""
    tables: list[Table] = []
    if zone_ids:
        tables += police_tables(zone_ids=zone_ids, start=start, end=end)
    if office_ids:
        tables += justice_tables(office_ids=office_ids, start=start, end=end)
    return tables


# --- Police: by date of the facts ----------------------------------------------------------

def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month,
                                                                 birth_date.day))


def _age_group(birth_date: date | None, day: date) -> str | None:
    """EIGE counts from 18: an adult, a person whose age is not recorded, or None (a minor)."""
    age = age_on(birth_date, day)
    if age is None:
        return AGE_UNKNOWN
    return AGE_ADULT if age >= ADULT_AGE else None


def _count_person(people: dict[int, str], person: int, group: str) -> None:
    """A person once in the year, in her age group; an adult on any report of the year is an
    adult of that year."""
    if people.get(person) != AGE_ADULT:
        people[person] = group


def _years(start: date, end: date) -> list[int]:
    return list(range(start.year, end.year + (end > date(end.year, 1, 1))))


def _age_categories() -> list[tuple[str, str]]:
    return [(AGE_ADULT, _("Aged 18 or over")), (AGE_UNKNOWN, _("Age not recorded"))]


def _police_heading(number: str, title: str, n_label: str, *notes: str) -> Heading:
    return Heading(key=f"eige-{number}", title=title,
                   reference_date=str(ReferenceDate.OFFENCE.label), n_label=n_label,
                   notes=notes)


def police_tables(*, zone_ids: Iterable[int], start: date, end: date) -> list[Table]:
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
    eige_form = {code: eige for eige, codes in EIGE_FORMS.items() for code in codes}
    for (offence_at, report_forms, victim, victim_sex, victim_born, perpetrator,
         perpetrator_sex, perpetrator_born) in rows:
        day = timezone.localdate(offence_at)
        group = _age_group(victim_born, day)
        if victim_sex == Sex.FEMALE and group is not None:
            _count_person(women[day.year], victim, group)
            forms[day.year][victim] |= {eige_form[code] for code in report_forms or []
                                        if code in eige_form}
        group = _age_group(perpetrator_born, day)
        if perpetrator is not None and perpetrator_sex == Sex.MALE and group is not None:
            _count_person(men[day.year], perpetrator, group)
    years = _years(start, end)

    def by_age(people: dict[int, dict[int, str]]) -> dict[int, dict[str, int]]:
        return {year: {group: sum(1 for g in people.get(year, {}).values() if g == group)
                       for group in (AGE_ADULT, AGE_UNKNOWN)} for year in years}

    victims = crossed_table(
        heading=_police_heading(
            "1", _("Women victims of intimate partner violence (EIGE indicator 1)"),
            _("women victims"),
            _("Each woman once a year, on the reports of the zones. Women under 18 are not "
              "counted.")),
        categories=_age_categories(), counts=by_age(women), years=years)
    n_by_year = {year: len(women.get(year, {})) for year in years}
    form_counts = {year: {eige: sum(1 for found in forms[year].values() if eige in found)
                          for eige in EIGE_FORMS} for year in years}
    form_table = multi_answer_table(
        heading=_police_heading(
            "2-5", _("Women victims of intimate partner violence by form (EIGE indicators "
                     "2 to 5)"),
            _("women victims"),
            _("N is the women of indicator 1. Relais's forms in EIGE's: psychological includes "
              "verbal violence, stalking and violence against animals; economic includes "
              "administrative violence and violence against objects.")),
        category_label=_("Form of violence"), count_label=_("Women victims"),
        categories=[("physical", _("Physical")), ("sexual", _("Sexual")),
                    ("psychological", _("Psychological")), ("economic", _("Economic"))],
        counts=form_counts, n_by_year=n_by_year)
    perpetrators = crossed_table(
        heading=_police_heading(
            "6", _("Men perpetrators of intimate partner violence (EIGE indicator 6)"),
            _("men, alleged perpetrators"),
            _("Each man once a year, as alleged perpetrator on the reports of the zones. Men "
              "under 18 are not counted.")),
        categories=_age_categories(), counts=by_age(men), years=years)
    return [victims, form_table, perpetrators]


# --- Justice ---------------------------------------------------------------------------------

def justice_tables(*, office_ids: Iterable[int], start: date, end: date) -> list[Table]:
    offices = list(office_ids)
    return [femicide_table(office_ids=offices, start=start, end=end),
            protection_orders_table(office_ids=offices, start=start, end=end),
            prosecuted_table(office_ids=offices, start=start, end=end)]


def femicide_table(*, office_ids: list[int], start: date, end: date) -> Table:
    """Indicator 7 from the offices' femicide register, by date of the facts."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for occurred_on, relation in (Record.objects.filter(
            agency_id__in=office_ids, occurred_on__gte=start, occurred_on__lt=end,
            outcome=Outcome.KILLED, victim_sex=Sex.FEMALE,
            relation__in=(Relation.PARTNER, Relation.EX_PARTNER))
            .order_by().values_list("occurred_on", "relation")):
        counts[occurred_on.year][relation] += 1
    return crossed_table(
        heading=Heading(
            key="eige-7", title=_("Women victims of intimate femicide (EIGE indicator 7)"),
            reference_date=str(ReferenceDate.OFFENCE.label), n_label=_("women killed"),
            notes=(_("From the femicide register of the prosecutor's office. Attempts are not "
                     "counted; the register does not record the victim's age."),)),
        categories=[(Relation.PARTNER, str(Relation.PARTNER.label)),
                    (Relation.EX_PARTNER, str(Relation.EX_PARTNER.label))],
        counts=counts, years=_years(start, end))


def _woman_adult_or_unknown(sex: str, birth_date: date | None, day: date) -> bool:
    return sex == Sex.FEMALE and _age_group(birth_date, day) is not None


def protection_orders_table(*, office_ids: list[int], start: date, end: date) -> Table:
    """Indicator 10, by date of the order: the offices' residence bans in cases of a couple or
    former couple protecting a woman, and their no-contact measures on reports of intimate
    partner violence against a woman."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    bans = (ResidenceBan.objects.filter(ordered_by_agency_id__in=office_ids,
                                        ordered_at__date__gte=start, ordered_at__date__lt=end,
                                        case__situation__in=IPV_SITUATIONS)
            .order_by().values_list("pk", "ordered_at", "protected_persons__sex",
                                    "protected_persons__birth_date"))
    protecting_a_woman: dict[int, date] = {}
    for pk, ordered_at, sex, birth_date in bans:
        day = timezone.localdate(ordered_at)
        if _woman_adult_or_unknown(sex, birth_date, day):
            protecting_a_woman[pk] = day
    for day in protecting_a_woman.values():
        counts[day.year][RESIDENCE_BAN] += 1
    entries = (Entry.objects.filter(agency_id__in=office_ids, decided_at__date__gte=start,
                                    decided_at__date__lt=end, report__is_intimate_partner=True,
                                    report__victim__sex=Sex.FEMALE)
               .order_by().values_list("decided_at", "measures", "report__victim__birth_date"))
    for decided_at, measures, birth_date in entries:
        day = timezone.localdate(decided_at)
        if Measure.NO_CONTACT in (measures or []) \
                and _age_group(birth_date, day) is not None:
            counts[day.year][NO_CONTACT] += 1
    return crossed_table(
        heading=Heading(
            key="eige-10", title=_("Protection orders (EIGE indicator 10)"),
            reference_date=_("by date of the order"), n_label=_("orders"),
            notes=(_("Orders recorded by the prosecutor's offices; applications and the "
                     "courts' orders are not recorded in Relais."),)),
        categories=[(RESIDENCE_BAN, _("Temporary residence bans")),
                    (NO_CONTACT, _("No-contact measures"))],
        counts=counts, years=_years(start, end))


def _decision_group(decisions: Iterable[str]) -> str:
    """A case's outcome over its entries: pursued if any entry was (follow-up, hearing,
    investigation), else closed if one was closed, else not decided yet."""
    found = set(decisions)
    if found & {Decision.FOLLOW_UP, Decision.HEARING, Decision.INVESTIGATION}:
        return PURSUED
    return CLOSED if Decision.CLOSED in found else UNDECIDED


def prosecuted_table(*, office_ids: list[int], start: date, end: date) -> Table:
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
        if sex == Sex.MALE and _age_group(birth_date, timezone.localdate(offence_at)):
            men.add(case_id)
    counted = [entry for entry in first_entries(entries)
               if entry.case in men and entry.office in office_ids
               and start <= entry.entered_on < end]
    by_group: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for group in (PURSUED, CLOSED, UNDECIDED):
        of_group = [entry for entry in counted if _decision_group(decisions[entry.case]) == group]
        for (_office, year), count in count_prosecution_cases_by_office(
                of_group, period="year").items():
            by_group[int(year)][group] += count
    return crossed_table(
        heading=Heading(
            key="eige-11", title=_("Cases of intimate partner violence with a man as alleged "
                                   "perpetrator, at the prosecutor's office (EIGE indicator "
                                   "11)"),
            reference_date=str(ReferenceDate.ENTRY.label), n_label=_("cases"),
            notes=(_("Each case once, in the year and at the office of its first entry: a case "
                     "transferred to another office is not counted again."),
                   _("Pursued: a follow-up, a hearing or an investigation was decided on one "
                     "of its reports. Men under 18 are not counted."))),
        categories=[(PURSUED, _("Pursued")), (CLOSED, _("Closed without further action")),
                    (UNDECIDED, _("Not decided yet"))],
        counts=by_group, years=_years(start, end))

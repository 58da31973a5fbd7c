"""EIGE's 13 police and justice indicators on intimate-partner violence (IPV), rape and femicide
(EIGE, "Indicators on intimate partner violence and rape for the police and justice sectors",
2018, after "Terminology and indicators for data collection: rape, femicide and intimate partner
violence", 2017): nine counted from police records, four from justice records.

``INDICATORS`` is the catalogue, as data: each indicator's number, title, EIGE's definition, its
sector, and what Relais makes of it — computed, partly (with what differs), or not computable
(and why). ``catalogue_table`` shows it; ``eige_tables`` builds the tables of those Relais has
the records for from the counts ``manage.py figures_refresh`` precomputed per agency and
calendar year (``YearlyCount``, relais.figures.eige_counts), in the reader's language: police
indicators by the date of the facts, justice indicators by the date of entry at the
prosecutor's office (a case transferred between offices counts once, at its first entry:
relais.figures.rules.first_entries), protection orders by the date of the order; small cells
hidden (relais.figures.count_tables). relais.figures.eige_direct counts the same from the
records, the reference the tests hold the precomputed tables equal to.

EIGE's pages confirm the 13 indicators, nine police and four justice, indicator 8 (women
victims of rape), an intimate-femicide and a protection-order indicator; the other wordings are
the 2018 report's as remembered, to check against it (docs/figures.md).

``eige_tables`` takes the zones and offices to count and checks no access: the statistics'
screens apply the policy before calling it (docs/figures.md). EIGE counts everyone, by law
(relais.figures.legal_basis): no refusal to be counted leaves a record out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.cases.models import Sex, Situation
from relais.femicide.models import Relation
from relais.figures.count_tables import Heading, crossed_table, multi_answer_table
from relais.figures.models import YearlyCount
from relais.figures.rules import ReferenceDate
from relais.figures.tables import Column, Table
from relais.intake.models import ViolenceForm
from relais.justice.models import Decision

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


# --- The counts the tables are built from ------------------------------------------------

class Measure:
    """What a ``YearlyCount`` counts; its categories are those of its table's columns."""

    WOMEN = "eige_women"  # indicator 1: women victims, each once a year: AGE_ADULT, AGE_UNKNOWN
    WOMEN_FORMS = "eige_women_forms"  # 2 to 5: the women of 1 with a form: EIGE_FORMS' keys
    MEN = "eige_men"  # 6: men, alleged perpetrators, each once a year: AGE_ADULT, AGE_UNKNOWN
    FEMICIDES = "eige_femicides"  # 7: Relation.PARTNER, Relation.EX_PARTNER
    ORDERS = "eige_orders"  # 10: RESIDENCE_BAN, NO_CONTACT
    CASES = "eige_cases"  # 11: cases at their first entry: PURSUED, CLOSED, UNDECIDED


POLICE_MEASURES = (Measure.WOMEN, Measure.WOMEN_FORMS, Measure.MEN)
JUSTICE_MEASURES = (Measure.FEMICIDES, Measure.ORDERS, Measure.CASES)

# measure → year → category → count
Counts = Mapping[str, Mapping[int, Mapping[str, int]]]


def age_on(birth_date: date | None, day: date) -> int | None:
    if birth_date is None:
        return None
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month,
                                                                 birth_date.day))


def age_group(birth_date: date | None, day: date) -> str | None:
    """EIGE counts from 18: an adult, a person whose age is not recorded, or None (a minor)."""
    age = age_on(birth_date, day)
    if age is None:
        return AGE_UNKNOWN
    return AGE_ADULT if age >= ADULT_AGE else None


def count_person(people: dict[int, str], person: int, group: str) -> None:
    """A person once in the year, in her age group; an adult on any report of the year is an
    adult of that year."""
    if people.get(person) != AGE_ADULT:
        people[person] = group


def woman_adult_or_unknown(sex: str, birth_date: date | None, day: date) -> bool:
    return sex == Sex.FEMALE and age_group(birth_date, day) is not None


def decision_group(decisions: Iterable[str]) -> str:
    """A case's outcome over its entries: pursued if any entry was (follow-up, hearing,
    investigation), else closed if one was closed, else not decided yet."""
    found = set(decisions)
    if found & {Decision.FOLLOW_UP, Decision.HEARING, Decision.INVESTIGATION}:
        return PURSUED
    return CLOSED if Decision.CLOSED in found else UNDECIDED


def eige_form_of() -> dict[str, str]:
    """Relais's form of violence → EIGE's."""
    return {code: eige for eige, codes in EIGE_FORMS.items() for code in codes}


def years_of(start: date, end: date) -> list[int]:
    """The calendar years from ``start`` to ``end`` (excluded)."""
    return list(range(start.year, end.year + (end > date(end.year, 1, 1))))


# --- The tables, from the counts -------------------------------------------------------------

def _age_categories() -> list[tuple[str, str]]:
    return [(AGE_ADULT, _("Aged 18 or over")), (AGE_UNKNOWN, _("Age not recorded"))]


def _police_heading(number: str, title: str, n_label: str, *notes: str) -> Heading:
    return Heading(key=f"eige-{number}", title=title,
                   reference_date=str(ReferenceDate.OFFENCE.label), n_label=n_label,
                   notes=notes)


def police_tables_from(*, counts: Counts, years: Sequence[int]) -> list[Table]:
    """Indicators 1 to 6, in the reader's language."""
    women = counts.get(Measure.WOMEN, {})
    victims = crossed_table(
        heading=_police_heading(
            "1", _("Women victims of intimate partner violence (EIGE indicator 1)"),
            _("women victims"),
            _("Each woman once a year, on the reports of the zones. Women under 18 are not "
              "counted.")),
        categories=_age_categories(), counts=women, years=years)
    n_by_year = {year: sum(women.get(year, {}).values()) for year in years}
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
        counts=counts.get(Measure.WOMEN_FORMS, {}), n_by_year=n_by_year)
    perpetrators = crossed_table(
        heading=_police_heading(
            "6", _("Men perpetrators of intimate partner violence (EIGE indicator 6)"),
            _("men, alleged perpetrators"),
            _("Each man once a year, as alleged perpetrator on the reports of the zones. Men "
              "under 18 are not counted.")),
        categories=_age_categories(), counts=counts.get(Measure.MEN, {}), years=years)
    return [victims, form_table, perpetrators]


def justice_tables_from(*, counts: Counts, years: Sequence[int]) -> list[Table]:
    """Indicators 7, 10 and 11, in the reader's language."""
    femicides = crossed_table(
        heading=Heading(
            key="eige-7", title=_("Women victims of intimate femicide (EIGE indicator 7)"),
            reference_date=str(ReferenceDate.OFFENCE.label), n_label=_("women killed"),
            notes=(_("From the femicide register of the prosecutor's office. Attempts are not "
                     "counted; the register does not record the victim's age."),)),
        categories=[(Relation.PARTNER, str(Relation.PARTNER.label)),
                    (Relation.EX_PARTNER, str(Relation.EX_PARTNER.label))],
        counts=counts.get(Measure.FEMICIDES, {}), years=years)
    orders = crossed_table(
        heading=Heading(
            key="eige-10", title=_("Protection orders (EIGE indicator 10)"),
            reference_date=_("by date of the order"), n_label=_("orders"),
            notes=(_("Orders recorded by the prosecutor's offices; applications and the "
                     "courts' orders are not recorded in Relais."),)),
        categories=[(RESIDENCE_BAN, _("Temporary residence bans")),
                    (NO_CONTACT, _("No-contact measures"))],
        counts=counts.get(Measure.ORDERS, {}), years=years)
    cases = crossed_table(
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
        counts=counts.get(Measure.CASES, {}), years=years)
    return [femicides, orders, cases]


# --- The tables of the EIGE view: from the precomputed counts ---------------------------------

def precomputed_counts(*, zone_ids: Sequence[int], office_ids: Sequence[int],
                       years: Sequence[int]) -> Counts:
    """The precomputed counts of ``zone_ids`` (police) and ``office_ids`` (justice) for
    ``years``, summed over the agencies: one query."""
    wanted = Q(pk__in=[])
    if zone_ids:
        wanted |= Q(measure__in=POLICE_MEASURES, agency_id__in=list(zone_ids))
    if office_ids:
        wanted |= Q(measure__in=JUSTICE_MEASURES, agency_id__in=list(office_ids))
    counts: dict[str, dict[int, dict[str, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int)))
    if not (zone_ids or office_ids) or not years:
        return counts
    for measure, year, category, count in (YearlyCount.objects.filter(wanted, year__in=years)
                                           .order_by()
                                           .values_list("measure", "year", "category",
                                                        "count")):
        counts[measure][year][category] += count
    return counts


def whole_years_note() -> str:
    return _("Counted by calendar year, as EIGE reports: each year of the period with all its "
             "records, whichever of its months the period covers.")


def eige_tables(*, zone_ids: Sequence[int], office_ids: Sequence[int], start: date,
                end: date) -> list[Table]:
    """The indicators Relais computes, for the facts (police) of ``zone_ids`` and the entries
    and orders (justice) of ``office_ids``, one row per calendar year from ``start`` to ``end``
    (excluded), each year whole; from the counts of the last ``figures_refresh``, in one
    query. A woman recorded by two zones in a year is counted by each (docs/figures.md)."""
    years = years_of(start, end)
    counts = precomputed_counts(zone_ids=zone_ids, office_ids=office_ids, years=years)
    tables: list[Table] = []
    if zone_ids:
        tables += police_tables_from(counts=counts, years=years)
    if office_ids:
        tables += justice_tables_from(counts=counts, years=years)
    note = whole_years_note()
    return [replace(table, notes=(*table.notes, note)) for table in tables]

"""EIGE's 13 indicators: the catalogue (what Relais computes, or why not), and the tables of
those it computes from real records — police ones by date of the facts, justice ones by date
of entry (a transferred case once) or of the order; small cells hidden. The tables are built
from the counts ``figures_refresh`` precomputes per agency and year, held equal to the direct
count from the records (relais.figures.eige_direct)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from relais.accounts.models import AgencyKind
from relais.cases import services as case_services
from relais.cases.models import ParticipantRole
from relais.conftest import actor, make_agency
from relais.femicide import services as femicide_services
from relais.figures.aggregates import refresh_counts
from relais.figures.eige import INDICATORS, Status, catalogue_table, eige_tables
from relais.figures.eige_direct import direct_eige_tables
from relais.figures.tables import Table
from relais.followup.tests.factories import another_case, record_report
from relais.intake import services as intake_services
from relais.intake.examples import report_arguments
from relais.justice import services as justice_services
from relais.justice.models import Entry
from relais.justice.tests.factories import family_section
from relais.measures.tests.factories import order_ban

LIEGE, LIEGE_POSTCODE = "62063", "4000"


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def this_year() -> dict[str, date]:
    """From the first of January of last year to tomorrow: two years' rows."""
    today = timezone.localdate()
    return {"start": date(today.year - 1, 1, 1), "end": today + timedelta(days=1)}


def tables(*, zones=(), offices=(), **period) -> dict[str, Table]:
    """The tables of the EIGE view, from counts precomputed now."""
    refresh_counts()
    found = eige_tables(zone_ids=list(zones), office_ids=list(offices),
                        **(period or this_year()))
    return {table.key: table for table in found}


def total(table: Table, column: str) -> int:
    return sum(value for value in table.column(column) if value is not None)


def man_perpetrator(cast, *, born: date | None = date(1985, 5, 1)) -> None:
    case_services.person_update(actor=actor(cast.officer_a), person_id=cast.perpetrator_id,
                                sex="M", birth_date=born)


# --- The catalogue -------------------------------------------------------------------------

def test_the_catalogue_lists_the_13_indicators_with_why_relais_cannot_compute_some():
    assert [item.number for item in INDICATORS] == list(range(1, 14))
    not_computable = {item.number for item in INDICATORS
                      if item.status == Status.NOT_COMPUTABLE}
    assert not_computable == {8, 9, 12, 13}
    for item in INDICATORS:
        assert str(item.definition) and str(item.relais)
        assert bool(item.table_key) == (item.status != Status.NOT_COMPUTABLE)

    catalogue = catalogue_table()
    assert catalogue.column("number") == tuple(range(1, 14))
    assert catalogue.column("sector").count("Police") == 9
    assert catalogue.column("sector").count("Justice") == 4
    row_12 = catalogue.rows[11]
    assert row_12[4] == "Not computable" and "does not record judgments" in row_12[5]
    assert "rape" in catalogue.rows[7][5]


def test_every_computed_indicator_has_its_table(cast):
    keys = set(tables(zones=[cast.zone_a.pk], offices=[cast.prosecutor.pk]))
    assert {item.table_key for item in INDICATORS if item.table_key} == keys


# --- Police: by date of the facts ------------------------------------------------------------

def test_women_victims_count_once_a_year_by_date_of_the_facts_with_forms_shares_of_n(
        cast, settings):
    settings.FIGURES_SMALL_CELL = 1  # nothing hidden: the counting is tested here
    now = timezone.now()
    # Alice (a woman of 38) twice: an official report and an information report (verbal).
    record_report(cast, offence_at=now - timedelta(days=2))
    record_report(cast, official=False, offence_at=now - timedelta(days=1))
    # Dana, a woman whose date of birth is not recorded: economic violence.
    case, dana = another_case(cast)
    case_services.person_update(actor=actor(cast.officer_a), person_id=dana, sex="F")
    record_report(cast, case=case, victim_id=dana, official=False, forms=["economic"],
                  offence_at=now - timedelta(days=1))
    # A victim whose sex is not recorded is not counted.
    other, unknown = another_case(cast, first_name="Eli")
    record_report(cast, case=other, victim_id=unknown, official=False,
                  offence_at=now - timedelta(days=1))
    # Facts before the period, recorded now: not counted.
    record_report(cast, official=False, offence_at=now - timedelta(days=800))

    found = tables(zones=[cast.zone_a.pk])
    victims, forms = found["eige-1"], found["eige-2-5"]

    assert victims.reference_date == "by date of the facts"
    assert total(victims, "adult") == 1 and total(victims, "age_unknown") == 1
    assert victims.n == 2
    year = str(timezone.localdate(now - timedelta(days=1)).year)
    by_form = {row[1]: row[2:] for row in forms.rows if row[0] == year}
    assert by_form["Physical"] == (1, 2, Decimal("50.0"))
    assert by_form["Psychological"] == (1, 2, Decimal("50.0"))  # psychological and verbal
    assert by_form["Economic"] == (1, 2, Decimal("50.0"))
    assert by_form["Sexual"] == (0, 2, Decimal("0.0"))
    assert "Several answers possible: shares of N do not add up." in forms.notes
    assert tables(zones=[cast.zone_b.pk])["eige-1"].n == 0


def test_men_perpetrators_are_counted_once_a_year_and_unknown_sex_is_not(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    record_report(cast, perpetrator_id=cast.perpetrator_id)  # his sex not recorded yet
    assert tables(zones=[cast.zone_a.pk])["eige-6"].n == 0
    man_perpetrator(cast)
    record_report(cast, official=False, perpetrator_id=cast.perpetrator_id)

    perpetrators = tables(zones=[cast.zone_a.pk])["eige-6"]

    assert total(perpetrators, "adult") == 1 and perpetrators.n == 1


def test_police_indicators_hide_small_cells(cast):
    record_report(cast)
    victims = tables(zones=[cast.zone_a.pk])["eige-1"]
    # One woman: her cell, the 0 beside it and the 0 of the other year in her column are
    # hidden, and so are her year's total and N, which would tell the count.
    assert victims.column("adult") == (None, None)
    assert victims.n is None and None in victims.column("total")
    assert any("hidden" in note for note in victims.notes)


# --- Justice ---------------------------------------------------------------------------------

def test_a_case_transferred_between_offices_is_counted_once_at_its_first_entry(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    liege = make_agency("parquet-liege", AgencyKind.PROSECUTOR, arrondissement="liege")
    family_section(cast)  # the Brussels office's reader is its legal advisor
    man_perpetrator(cast)
    first = record_report(cast, perpetrator_id=cast.perpetrator_id,
                          offence_at=timezone.now() - timedelta(days=3))
    # Later facts in Liège: the same case enters the Liège office too.
    second = record_report(cast, perpetrator_id=cast.perpetrator_id, postcode=LIEGE_POSTCODE,
                           municipality=LIEGE)
    assert Entry.objects.get(report=first).agency_id == cast.prosecutor.pk
    assert Entry.objects.get(report=second).agency_id == liege.pk
    justice_services.entry_decide(actor=actor(cast.legal_advisor),
                                  entry_id=Entry.objects.get(report=first).pk,
                                  decision="investigation", measures=["no_contact"])

    both = tables(offices=[cast.prosecutor.pk, liege.pk])["eige-11"]
    assert both.reference_date == "by date of entry at the prosecutor's office"
    assert both.n == 1 and total(both, "pursued") == 1
    # Liège received it second: its figures do not count it again.
    assert tables(offices=[liege.pk])["eige-11"].n == 0
    assert tables(offices=[cast.prosecutor.pk])["eige-11"].n == 1
    # The no-contact measure is a protection order, by date of the order.
    orders = tables(offices=[cast.prosecutor.pk])["eige-10"]
    assert orders.reference_date == "by date of the order"
    assert total(orders, "no_contact") == 1


def test_a_case_is_counted_by_the_date_of_its_first_entry(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    man_perpetrator(cast)
    report = record_report(cast, perpetrator_id=cast.perpetrator_id)
    Entry.objects.filter(report=report).update(received_at=timezone.now()
                                               - timedelta(days=800))
    assert tables(offices=[cast.prosecutor.pk])["eige-11"].n == 0
    assert tables(offices=[cast.prosecutor.pk], start=date(2000, 1, 1),
                  end=timezone.localdate() + timedelta(days=1))["eige-11"].n == 1


def test_residence_bans_protecting_a_woman_are_protection_orders(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    record_report(cast)
    order_ban(cast)
    orders = tables(offices=[cast.prosecutor.pk])["eige-10"]
    assert total(orders, "residence_ban") == 1 and orders.n == 1
    assert tables(offices=[cast.prosecutor.pk], start=date(2000, 1, 1),
                  end=date(2001, 1, 1))["eige-10"].n == 0


def test_intimate_femicides_come_from_the_register_without_attempts(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    today = timezone.localdate()
    for outcome, sex, relation in (("killed", "F", "partner"), ("killed", "F", "ex_partner"),
                                   ("attempt", "F", "partner"), ("killed", "M", "partner"),
                                   ("killed", "F", "family")):
        femicide_services.record_create(
            actor=actor(cast.magistrate), occurred_on=today, outcome=outcome, victim_sex=sex,
            relation=relation, method="sharp", children_present=False)

    femicides = tables(offices=[cast.prosecutor.pk])["eige-7"]

    assert femicides.reference_date == "by date of the facts"
    assert total(femicides, "partner") == 1 and total(femicides, "ex_partner") == 1
    assert femicides.n == 2


def test_justice_indicators_hide_small_cells(cast):
    femicide_services.record_create(
        actor=actor(cast.magistrate), occurred_on=timezone.localdate(), outcome="killed",
        victim_sex="F", relation="partner", method="sharp", children_present=False)
    femicides = tables(offices=[cast.prosecutor.pk])["eige-7"]
    assert femicides.n is None
    assert all(value in (0, None) for value in femicides.column("partner"))
    assert None in femicides.column("partner")


def test_the_tables_read_one_query_whatever_the_number_of_records(
        cast, django_assert_max_num_queries):
    man_perpetrator(cast)
    refresh_counts()
    with django_assert_max_num_queries(1):
        eige_tables(zone_ids=[cast.zone_a.pk], office_ids=[cast.prosecutor.pk], **this_year())
    for days in (1, 2, 3, 40, 400):
        record_report(cast, perpetrator_id=cast.perpetrator_id,
                      offence_at=timezone.now() - timedelta(days=days))
    order_ban(cast)
    refresh_counts()
    with django_assert_max_num_queries(1):
        found = eige_tables(zone_ids=[cast.zone_a.pk], office_ids=[cast.prosecutor.pk],
                            **this_year())
    assert len(found) == 6


def test_the_tables_count_whole_calendar_years_and_say_so(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    today = timezone.localdate()
    january = timezone.make_aware(timezone.datetime(today.year, 1, 1, 12))
    record_report(cast, offence_at=january)
    # A period of this month only still shows the whole year, January's woman included.
    victims = tables(zones=[cast.zone_a.pk], start=today.replace(day=1),
                     end=today + timedelta(days=1))["eige-1"]
    assert victims.column("year") == (str(today.year),) and victims.n == 1
    assert any("calendar year" in note for note in victims.notes)


def test_before_the_first_computation_the_tables_count_nothing(cast):
    record_report(cast)
    victims = {t.key: t for t in eige_tables(zone_ids=[cast.zone_a.pk], office_ids=[],
                                             **this_year())}["eige-1"]
    assert victims.n == 0


# --- Precomputed = counted from the records ---------------------------------------------------

def small_world(cast):
    """Two zones, two offices; women with and without a date of birth, a minor, a man of
    unknown sex, forms, a transferred case, decisions, orders, femicides, over two years."""
    liege = make_agency("parquet-liege", AgencyKind.PROSECUTOR, arrondissement="liege")
    family_section(cast)
    man_perpetrator(cast)
    now = timezone.now()
    last_year = now - timedelta(days=370)
    record_report(cast, perpetrator_id=cast.perpetrator_id, offence_at=now - timedelta(days=3))
    record_report(cast, official=False, forms=["sexual", "objects"],
                  offence_at=now - timedelta(days=2))
    record_report(cast, perpetrator_id=cast.perpetrator_id, offence_at=last_year)
    first = record_report(cast, perpetrator_id=cast.perpetrator_id, forms=["stalking"],
                          offence_at=now - timedelta(days=1))
    record_report(cast, perpetrator_id=cast.perpetrator_id, postcode=LIEGE_POSTCODE,
                  municipality=LIEGE)  # the same case enters Liège too: counted once
    justice_services.entry_decide(actor=actor(cast.legal_advisor),
                                  entry_id=Entry.objects.get(report=first).pk,
                                  decision="hearing", measures=["no_contact"])
    case, dana = another_case(cast)
    case_services.person_update(actor=actor(cast.officer_a), person_id=dana, sex="F")
    record_report(cast, case=case, victim_id=dana, forms=["economic"],
                  offence_at=now - timedelta(days=5))
    record_report(cast, case=case, victim_id=dana, forms=["physical"], offence_at=last_year)
    minor, mia = another_case(cast, first_name="Mia")
    case_services.person_update(actor=actor(cast.officer_a), person_id=mia, sex="F",
                                birth_date=timezone.localdate() - timedelta(days=365 * 15))
    record_report(cast, case=minor, victim_id=mia)
    officer_b = actor(cast.officer_b)  # zone B: a woman of unknown age
    other_zone = case_services.case_open(actor=officer_b, situation="ex_couple",
                                         municipality="21009")
    eva = case_services.person_add_to_case(
        actor=officer_b, case_id=other_zone.pk, role=ParticipantRole.VICTIM, first_name="Eva",
        last_name="Exemple").person_id
    case_services.person_update(actor=officer_b, person_id=eva, sex="F")
    intake_services.report_record(actor=officer_b, case_id=other_zone.pk,
                                  **report_arguments(victim_id=eva, official=True))
    order_ban(cast)
    for outcome, relation, days in (("killed", "partner", 1), ("killed", "ex_partner", 400),
                                    ("attempt", "partner", 2)):
        femicide_services.record_create(
            actor=actor(cast.magistrate), occurred_on=timezone.localdate()
            - timedelta(days=days), outcome=outcome, victim_sex="F", relation=relation,
            method="sharp", children_present=False)
    return liege


def test_the_precomputed_tables_equal_the_tables_counted_from_the_records(cast, settings):
    settings.FIGURES_SMALL_CELL = 1  # every count shown: the counting is compared
    liege = small_world(cast)
    refresh_counts()
    today = timezone.localdate()
    whole_years = {"start": date(today.year - 2, 1, 1), "end": date(today.year + 1, 1, 1)}
    for zones, offices in (([cast.zone_a.pk], []), ([cast.zone_b.pk], []),
                           ([cast.zone_a.pk, cast.zone_b.pk], [cast.prosecutor.pk, liege.pk]),
                           ([], [cast.prosecutor.pk]), ([], [liege.pk])):
        precomputed = eige_tables(zone_ids=zones, office_ids=offices, **whole_years)
        direct = direct_eige_tables(zone_ids=zones, office_ids=offices, **whole_years)
        assert [t.key for t in precomputed] == [t.key for t in direct]
        for mine, reference in zip(precomputed, direct, strict=True):
            assert (mine.title, mine.columns, mine.rows, mine.n) == (
                reference.title, reference.columns, reference.rows, reference.n), mine.key
    # Something was counted in each table of the whole scope.
    counted = {t.key: t.n for t in eige_tables(
        zone_ids=[cast.zone_a.pk, cast.zone_b.pk], office_ids=[cast.prosecutor.pk, liege.pk],
        **whole_years)}
    assert all(counted.values()), counted


def test_the_precomputed_tables_are_built_in_the_readers_language(cast):
    record_report(cast)
    refresh_counts()  # counts and codes only: the words come at read time
    with translation.override("fr"):
        french = eige_tables(zone_ids=[cast.zone_a.pk], office_ids=[], **this_year())
    english = eige_tables(zone_ids=[cast.zone_a.pk], office_ids=[], **this_year())
    assert french[0].title == "Femmes victimes de violences entre partenaires (indicateur EIGE 1)"
    assert english[0].title == "Women victims of intimate partner violence (EIGE indicator 1)"
    assert french[0].rows == english[0].rows

"""The perpetrator programmes' figures from real files: origin, forms of violence by year
(several answers possible, shares of N, "not known" without a case), substances, progress,
interruption reasons; by the day the request came in; small cells hidden."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from relais.conftest import actor
from relais.figures.programmes import programme_tables
from relais.figures.tables import Table
from relais.followup.tests.factories import record_report
from relais.programmes import services
from relais.programmes.models import FileStatus, Route
from relais.programmes.tests.factories import days_ago, judicial_file, start, walk_in

EVER = {"start": date(2000, 1, 1), "end": date(2100, 1, 1)}


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def tables_of(cast, **period) -> dict[str, Table]:
    tables = programme_tables(agency_ids=[cast.programme.pk], **(period or EVER))
    return {table.key: table for table in tables}


def row_of(table: Table, *labels: str) -> tuple:
    return next(row for row in table.rows if row[:len(labels)] == labels)


def walk_ins(cast, count: int, *, prefix: str, **extra) -> None:
    for number in range(count):
        walk_in(cast, first_name=f"{prefix}{number}", last_name="Fictif", **extra)


def police_information(cast, count: int) -> None:
    for number in range(count):
        services.file_open_direct(
            actor=actor(cast.counsellor), mandate=services.Mandate(route=Route.POLICE_INFORMATION),
            first_name=f"Pol{number}", last_name="Fictif", requested_on=days_ago(5))


def test_origin_counts_files_by_route_and_judicial_measure_with_small_cells_hidden(
        cast, directory):
    walk_ins(cast, 6, prefix="Vol")
    police_information(cast, 5)
    judicial_file(cast, directory)

    origin = tables_of(cast)["programmes-origin"]

    assert origin.n == 12 and origin.n_label == "files"
    assert row_of(origin, "Voluntary", "") == ("Voluntary", "", 6, Decimal("50.0"))
    # One probation mandate is a small cell; the police-information files are hidden with it,
    # or 12 − 6 − 5 would give it away.
    assert row_of(origin, "Judicial mandate", "Probation")[2:] == (None, None)
    assert row_of(origin, "Police information", "")[2:] == (None, None)
    assert row_of(origin, "Judicial mandate", "Penal mediation")[2:] == (0, Decimal("0.0"))
    assert any("hidden" in note for note in origin.notes)


def test_a_small_n_is_hidden_with_every_count(cast):
    walk_ins(cast, 3, prefix="Vol")
    origin = tables_of(cast)["programmes-origin"]
    assert origin.n is None
    assert row_of(origin, "Voluntary", "")[2:] == (None, None)


def test_forms_of_violence_are_shares_of_n_files_and_a_file_without_case_is_not_known(
        cast, directory, settings):
    settings.FIGURES_SMALL_CELL = 1  # nothing hidden: the shares are what is tested here
    now = timezone.now()
    # The facts that led to the mandate, before the request ...
    record_report(cast, offence_at=now - timedelta(days=20), forms=["physical", "sexual"])
    # ... and (inside judicial_file) a report of later facts, after the request: not counted.
    judicial_file(cast, directory, requested_days_ago=10)
    walk_in(cast, requested_days_ago=5)

    forms = tables_of(cast)["programmes-forms"]

    year = str(days_ago(5).year)
    assert [c.key for c in forms.columns] == ["year", "category", "count", "n", "share_pct"]
    assert row_of(forms, year, "Physical")[2:] == (1, 2, Decimal("50.0"))
    assert row_of(forms, year, "Sexual")[2:] == (1, 2, Decimal("50.0"))
    assert row_of(forms, year, "Psychological")[2:] == (0, 2, Decimal("0.0"))
    not_known = next(row for row in forms.rows if row[1].startswith("Not known"))
    assert not_known[2:] == (1, 2, Decimal("50.0"))
    # Several answers possible: the shares sum over 100 % and no row is a total.
    assert sum(row[4] for row in forms.rows) == Decimal("150.0")
    assert "Several answers possible: shares of N do not add up." in forms.notes
    assert forms.n == 2
    assert not any(row[1] in ("Total", "All forms") for row in forms.rows)


def test_forms_are_counted_by_year_of_the_request_each_with_its_n(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    walk_in(cast, requested_days_ago=400, first_name="Ancien")
    walk_in(cast, requested_days_ago=1, first_name="Recent")
    walk_in(cast, requested_days_ago=1, first_name="Recent2")

    forms = tables_of(cast)["programmes-forms"]

    earlier, later = str(days_ago(400).year), str(days_ago(1).year)  # 400 days: another year
    assert {row[0]: row[3] for row in forms.rows} == {earlier: 1, later: 2}


def test_substance_use_is_several_answers_and_nothing_recorded_is_unknown(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    walk_in(cast, first_name="A", substance_use=["alcohol", "drugs"])
    walk_in(cast, first_name="B", substance_use=["alcohol"])
    walk_in(cast, first_name="C")

    substances = tables_of(cast)["programmes-substances"]

    year = str(days_ago(30).year)
    assert row_of(substances, year, "Alcohol")[2:] == (2, 3, Decimal("66.7"))
    assert row_of(substances, year, "Drugs")[2:] == (1, 3, Decimal("33.3"))
    assert row_of(substances, year, "Unknown")[2:] == (1, 3, Decimal("33.3"))
    assert substances.n == 3


def test_progress_and_interruption_reasons(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    waiting = walk_in(cast, first_name="Attente")
    started = start(cast, walk_in(cast, first_name="Debut"))
    for name, reason in (("Abs1", "absences"), ("Abs2", "absences"), ("Fin", "end_of_measure")):
        file = walk_in(cast, first_name=name)
        services.file_change_status(actor=actor(cast.counsellor), file_id=file.pk,
                                    status=FileStatus.INCOMPLETE, reason=reason,
                                    on=days_ago(1))
    assert waiting.status == FileStatus.WAITING and started.status == FileStatus.PREPARATORY

    tables = tables_of(cast)
    progress, interruptions = tables["programmes-progress"], tables["programmes-interruptions"]

    assert progress.n == 5
    assert row_of(progress, "On the waiting list")[1:] == (1, Decimal("20.0"))
    assert row_of(progress, "Preparatory (individual interviews)")[1] == 1
    assert row_of(progress, "Incomplete")[1:] == (3, Decimal("60.0"))
    assert interruptions.n == 3 and interruptions.n_label == "incomplete files"
    assert row_of(interruptions, "Absences")[1:] == (2, Decimal("66.7"))
    assert row_of(interruptions, "End of the judicial measure")[1] == 1
    assert row_of(interruptions, "Unsuited to the group")[1] == 0


def test_files_count_by_the_day_the_request_came_in_and_of_the_agencies_given(cast, settings):
    settings.FIGURES_SMALL_CELL = 1
    walk_in(cast, requested_days_ago=40, first_name="Avant")
    walk_in(cast, requested_days_ago=5, first_name="Dedans")

    tables = programme_tables(agency_ids=[cast.programme.pk], start=days_ago(10),
                              end=days_ago(0))
    assert all(t.reference_date == "by date the request or mandate was received"
               for t in tables)
    assert all(t.n == 1 for t in tables if t.key != "programmes-interruptions")
    assert programme_tables(agency_ids=[cast.zone_a.pk], **EVER)[0].n == 0


def test_the_tables_take_two_queries_whatever_the_number_of_files(cast, directory,
                                                                   django_assert_num_queries):
    judicial_file(cast, directory)
    walk_ins(cast, 3, prefix="Q")
    with django_assert_num_queries(2):
        tables = programme_tables(agency_ids=[cast.programme.pk], **EVER)
    assert tables[0].n is None  # 4 files: N is itself a small count


def test_a_year_whose_n_is_small_is_hidden_and_the_total_does_not_give_it_away(cast):
    walk_ins(cast, 3, prefix="Old", requested_days_ago=400)
    walk_ins(cast, 6, prefix="New", requested_days_ago=3)

    forms = tables_of(cast)["programmes-forms"]

    assert {row[3] for row in forms.rows} == {None}  # both years' N hidden, not only the 3
    assert forms.n == 9
    assert all(row[2] in (0, None) for row in forms.rows)


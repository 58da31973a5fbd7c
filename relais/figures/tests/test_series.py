"""Partner series: the import and its validation report (CSV and XLSX, all or nothing,
replacement), the derived table (share of N, variation, rounding) and the consistency check,
through the services and through ``manage.py figures``. The series are fictitious."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.utils import translation
from openpyxl import Workbook

from relais.audit.models import AuditEvent
from relais.conftest import actor
from relais.figures.models import Point, Series
from relais.figures.series import (
    SeriesFileError,
    series_check,
    series_import,
    series_table,
)

pytestmark = pytest.mark.django_db

HEADER = "series,period,area,category,count\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def write_csv(tmp_path: Path, body: str, *, name: str = "series.csv", bom: bool = False,
              header: str = HEADER) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + (header + body).encode("utf-8"))
    return path


def write_xlsx(tmp_path: Path, rows: list[tuple], *, name: str = "series.xlsx") -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    other = workbook.create_sheet("notes")
    other.append(("not", "read"))
    path = tmp_path / name
    workbook.save(path)
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(SeriesFileError) as caught:
        series_import(actor=None, path=path)
    return [str(problem) for problem in caught.value.problems]


def texts(findings) -> list[str]:
    return [finding.text for finding in findings]


def run(*args: str) -> tuple[int, str, str]:
    """``manage.py figures ARGS``: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("figures", *args, stdout=out, stderr=err)
    except CommandError as error:
        return error.returncode, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


CALLS = ("Fictitious helpline calls,2024-01,Belgium,_total,30\n"
         "Fictitious helpline calls,2024-01,Belgium,phone,10\n"
         "Fictitious helpline calls,2024-01,Belgium,chat,20\n")


# --- Import ----------------------------------------------------------------------------------

@pytest.mark.parametrize("bom", [False, True])
def test_a_csv_file_loads_with_or_without_a_byte_order_mark(tmp_path, bom):
    series = series_import(actor=None, path=write_csv(tmp_path, CALLS, bom=bom), unit="calls",
                           source="Fictitious helpline, annual report")

    assert series.name == "Fictitious helpline calls"
    assert (series.unit, series.categories_exclusive, series.imported_by) == ("calls", True, None)
    assert sorted(series.points.values_list("category", "count")) == [
        ("_total", 30), ("chat", 20), ("phone", 10)]
    event = AuditEvent.objects.get(object_type="figures.series", object_id=str(series.pk))
    assert event.action == "create" and event.user_id is None
    assert event.basis == "partner series 'Fictitious helpline calls': 3 rows imported"


def test_an_import_by_a_person_names_her_in_the_series_and_the_audit(tmp_path, cast):
    series = series_import(actor=actor(cast.analyst_a), path=write_csv(tmp_path, CALLS))

    assert series.imported_by == cast.analyst_a
    assert AuditEvent.objects.filter(object_type="figures.series", user_id=cast.analyst_a.pk
                                     ).exists()


def test_an_xlsx_file_is_read_from_its_first_sheet(tmp_path):
    path = write_xlsx(tmp_path, [
        ("series", "period", "area", "category", "count"),
        ("Fictitious shelter stays", "2024-01", "Liège", "_total", 12),
        # Excel turned "2024-02" into a date and counts into floats: both are understood.
        ("Fictitious shelter stays", datetime(2024, 2, 1), "Liège", "_total", 15.0),
        (None, None, None, None, None),
        ("Fictitious shelter stays", "2024-03", "Liège", "_total", 9),
    ])

    series = series_import(actor=None, path=path)

    assert sorted(series.points.values_list("period", "count")) == [
        ("2024-01", 12), ("2024-02", 15), ("2024-03", 9)]


def test_the_report_names_each_bad_line_and_field(tmp_path):
    path = write_csv(tmp_path, (
        "Fictitious survey,2024,Namur,_total,40\n"     # line 2: fine
        "Fictitious survey,2024-13,Namur,a,1\n"        # line 3
        "Fictitious survey,2024,Namur,b,-2\n"          # line 4
        "Fictitious survey,2024,Namur,c,3.5\n"         # line 5
        "Fictitious survey,2024,,d,1\n"                # line 6
        "Fictitious survey,2024,Namur,,1\n"            # line 7
        "Fictitious survey,2024,Namur,_total,41\n"     # line 8
        "Another fictitious survey,2024,Namur,e,1\n"   # line 9
        "Fictitious survey,2023-12,Namur,f,1\n"        # line 10
        "Fictitious survey,2024,Namur\n"               # line 11
        "Fictitious survey,1024,Namur,g,1\n"           # line 12
        "Fictitious survey,2024,Namur,_Total,1\n"      # line 13
    ))

    assert problems_of(path) == [
        "line 3, period: the period must be YYYY-MM or YYYY, not '2024-13'",
        "line 4, count: the count must not be negative (-2)",
        "line 5, count: the count must be a whole number, not '3.5'",
        "line 6, area: the area is empty",
        "line 7, category: the category is empty",
        "line 8: the same period, area and category as line 2",
        "line 9, series: a file holds one series: this line is of 'Another fictitious "
        "survey', the file of 'Fictitious survey'",
        "line 10, period: '2023-12' mixes months and years: line 2 set the series' periods "
        "to YYYY",
        "line 11: expected 5 fields, found 3",
        "line 12, period: the period must be YYYY-MM or YYYY, not '1024'",
        "line 13, category: '_Total': a category starting with _ is reserved; N's is _total",
    ]
    assert not Series.objects.exists()


def test_the_header_must_be_exactly_the_long_format(tmp_path):
    wrong = write_csv(tmp_path, CALLS, header="series,month,area,category,count\n")
    semicolons = write_csv(tmp_path, CALLS.replace(",", ";"), name="semi.csv",
                           header=HEADER.replace(",", ";"))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")

    assert problems_of(wrong) == [
        "line 1: the header must be series,period,area,category,count (optionally followed by "
        ",share), not 'series,month,area,category,count'"]
    assert problems_of(semicolons)[0].endswith("(the separator must be a comma)")
    assert problems_of(empty) == [
        "file: the file is empty; its first line must be the header "
        "series,period,area,category,count"]
    assert problems_of(write_csv(tmp_path, "", name="header-only.csv")) == [
        "file: the file has a header but no counts"]


def test_names_counts_and_workbooks_out_of_bounds_are_reported(tmp_path):
    path = write_csv(tmp_path, (
        ",2024,Mons,_total,1\n"
        f"Fictitious survey,2024,{'M' * 121},_total,1\n"
        "Fictitious survey,2024,Mons,b,2147483648\n"
        "Fictitious survey,2024,Mons,a,\n"))
    not_a_workbook = tmp_path / "calls.xlsx"
    not_a_workbook.write_bytes((HEADER + CALLS).encode())

    assert problems_of(path) == [
        "line 2, series: the series name is empty",
        "line 3, area: longer than 120 characters",
        "line 4, count: the count 2147483648 is too large",
        "line 5, count: the count is empty",
    ]
    assert problems_of(not_a_workbook) == ["file: the file is not a readable XLSX workbook"]


def test_a_file_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes((HEADER + CALLS).encode() + "Fictitious helpline calls,2024-02,Liège,"
                     "_total,3\n".encode("latin-1"))

    assert problems_of(path) == ["line 5: the file is not UTF-8 text"]


def test_a_value_too_long_for_csv_or_a_damaged_workbook_is_reported(tmp_path):
    huge = write_csv(tmp_path, CALLS + '"' + "x" * 200_000 + '"\n', name="huge.csv")
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(damaged, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types")  # broken XML inside a real zip

    assert problems_of(huge) == [
        "line 5: this line cannot be read as CSV (a value longer than 131072 characters, or "
        "an unclosed quote)"]
    assert problems_of(damaged) == ["file: the file is not a readable XLSX workbook"]


def test_a_person_not_allowed_to_import_gets_404_and_nothing_is_loaded(tmp_path, cast):
    for user in (cast.reference_a, cast.magistrate, cast.officer_a):
        with pytest.raises(Http404):
            series_import(actor=actor(user), path=write_csv(tmp_path, CALLS))
    assert not Series.objects.exists()


def test_the_xlsx_report_uses_the_sheets_row_numbers(tmp_path):
    path = write_xlsx(tmp_path, [
        ("series", "period", "area", "category", "count"),
        ("Fictitious shelter stays", "2024-01", "Liège", "_total", 12),
        (None, None, None, None, None),
        ("Fictitious shelter stays", "2024-02", "Liège", "_total", 2.5),
        ("Fictitious shelter stays", "janvier", "Liège", "_total", 2),
    ])

    assert problems_of(path) == [
        "line 4, count: the count must be a whole number, not '2.5'",
        "line 5, period: the period must be YYYY-MM or YYYY, not 'janvier'",
    ]


def test_a_bad_last_line_loads_nothing_and_leaves_the_earlier_import_intact(tmp_path):
    series_import(actor=None, path=write_csv(tmp_path, CALLS))
    before = list(Point.objects.values_list("period", "category", "count"))
    events = AuditEvent.objects.count()
    update = (CALLS.replace("2024-01", "2024-02")
              + "Fictitious helpline calls,2024-02,Belgium,sms,x\n")

    assert problems_of(write_csv(tmp_path, update, name="update.csv")) == [
        "line 5, count: the count must be a whole number, not 'x'"]
    assert list(Point.objects.values_list("period", "category", "count")) == before
    assert AuditEvent.objects.count() == events


def test_importing_a_series_again_replaces_it(tmp_path):
    first = series_import(actor=None, path=write_csv(tmp_path, CALLS), unit="calls")
    again = series_import(
        actor=None, categories_exclusive=False, unit="callers",
        path=write_csv(tmp_path, "Fictitious helpline calls,2024-02,Belgium,_total,7\n",
                       name="again.csv"))

    assert again.pk == first.pk
    assert (again.unit, again.categories_exclusive) == ("callers", False)
    assert list(again.points.values_list("period", "category", "count")) == [
        ("2024-02", "_total", 7)]
    assert AuditEvent.objects.filter(object_type="figures.series", action="update",
                                     basis__endswith="1 rows imported (replaced)").exists()


# --- The derived table -----------------------------------------------------------------------

def load(tmp_path: Path, body: str, **options) -> Series:
    return series_import(actor=None, path=write_csv(tmp_path, body), **options)


def test_shares_are_of_n_and_rounded_half_away_from_zero(tmp_path):
    load(tmp_path, "".join(f"Fictitious files,2024,Mons,{category},{count}\n" for category, count
                           in [("_total", 3), ("a", 1), ("b", 2)]))
    load(tmp_path, "".join(f"Fictitious eighths,2024,Mons,{category},{count}\n" for category,
                           count in [("_total", 8), ("a", 1), ("b", 3)]))
    load(tmp_path, "".join(f"Fictitious sixteenths,2024,Mons,{category},{count}\n" for category,
                           count in [("_total", 16), ("a", 1), ("b", 3)]))

    thirds = {row.category: row.share_pct for row in series_table(name="Fictitious files")}
    thirds_2 = {row.category: row.share_pct
                for row in series_table(name="Fictitious files", decimals=2)}
    eighths_0 = {row.category: row.share_pct
                 for row in series_table(name="Fictitious eighths", decimals=0)}
    eighths_2 = {row.category: row.share_pct
                 for row in series_table(name="Fictitious eighths", decimals=2)}

    assert thirds == {"a": Decimal("33.3"), "b": Decimal("66.7"), "_total": None}
    assert thirds_2 == {"a": Decimal("33.33"), "b": Decimal("66.67"), "_total": None}
    # 12.5 goes up to 13 (not to the even 12), and so do 6.25 and 18.75 at one decimal.
    assert eighths_0 == {"a": Decimal("13"), "b": Decimal("38"), "_total": None}
    assert eighths_2 == {"a": Decimal("12.50"), "b": Decimal("37.50"), "_total": None}
    assert {row.category: row.share_pct for row in series_table(name="Fictitious sixteenths")
            } == {"a": Decimal("6.3"), "b": Decimal("18.8"), "_total": None}


def test_variation_is_from_the_previous_period_and_empty_when_it_is_missing(tmp_path):
    load(tmp_path, (
        "Fictitious reports,2023-12,Gent,_total,8\n"
        "Fictitious reports,2024-01,Gent,_total,7\n"    # -12.5 % from December
        "Fictitious reports,2024-03,Gent,_total,9\n"    # February missing: no variation
        "Fictitious reports,2024-01,Brugge,_total,4\n"  # another area: its own previous
        "Fictitious reports,2024-02,Brugge,_total,5\n"
    ))
    load(tmp_path, ("Fictitious years,2022,Belgium,_total,200\n"
                    "Fictitious years,2023,Belgium,_total,0\n"
                    "Fictitious years,2024,Belgium,_total,10\n"))

    monthly = [(row.period, row.area, row.variation_pct)
               for row in series_table(name="Fictitious reports", decimals=0)]
    yearly = [(row.period, row.variation_pct) for row in series_table(name="Fictitious years")]

    assert monthly == [
        ("2023-12", "Gent", None),
        ("2024-01", "Brugge", None), ("2024-01", "Gent", Decimal("-13")),
        ("2024-02", "Brugge", Decimal("25")),
        ("2024-03", "Gent", None),
    ]
    assert yearly == [("2022", None), ("2023", Decimal("-100.0")), ("2024", None)]


def test_the_table_command_prints_the_derived_csv(tmp_path):
    load(tmp_path, CALLS + ("Fictitious helpline calls,2024-02,Belgium,_total,40\n"
                            "Fictitious helpline calls,2024-02,Belgium,phone,15\n"
                            "Fictitious helpline calls,2024-02,Belgium,chat,25\n"
                            "Fictitious helpline calls,2024-02,Belgium,e-mail,1\n"))

    code, out, err = run("table", "Fictitious helpline calls", "--format", "csv",
                         "--decimals", "2")

    assert code == 0 and err == ""
    assert out == (
        "period,area,category,count,total,share_pct,variation_pct\n"
        "2024-01,Belgium,chat,20,30,66.67,\n"
        "2024-01,Belgium,phone,10,30,33.33,\n"
        "2024-01,Belgium,_total,30,30,,\n"
        "2024-02,Belgium,chat,25,40,62.50,25.00\n"
        "2024-02,Belgium,e-mail,1,40,2.50,\n"
        "2024-02,Belgium,phone,15,40,37.50,50.00\n"
        "2024-02,Belgium,_total,40,40,,33.33\n")
    assert run("table", "No such series", "--format", "csv")[0] == 2
    with pytest.raises(CommandError, match="a whole number from 0 to 10"):
        call_command("figures", "table", "Fictitious helpline calls", "--decimals", "-1")


# --- The consistency check -------------------------------------------------------------------

FLAWED = ("series,period,area,category,count,share\n"
          "Fictitious police files,2024-01,Liège,_total,120,\n"
          "Fictitious police files,2024-01,Liège,physical,70,58.3\n"
          "Fictitious police files,2024-01,Liège,psychological,48,45.0\n"
          "Fictitious police files,2024-02,Liège,_total,10,\n"
          "Fictitious police files,2024-05,Liège,_total,10,\n"
          "Fictitious police files,2024-01,Namur,_total,5,\n"
          "Fictitious police files,2024-02,Namur,_total,5,\n"
          "Fictitious police files,2024-04,Namur,_total,5,\n"
          "Fictitious police files,2024-05,Namur,_total,5,\n")


def test_the_check_flags_totals_shares_and_missing_months(tmp_path):
    series_import(actor=None, path=write_csv(tmp_path, FLAWED, header=""))

    report = series_check(name="Fictitious police files")

    assert texts(report.findings) == [
        "2024-01 Liège: the published total is 120 but its parts sum to 118",
        "2024-01 Liège, psychological: the published share is 45.0 % but 48 of N 120 is 40.0 %",
        "Liège: no counts for 2024-03 to 2024-04 (2 periods), within the series' 2024-01 to "
        "2024-05",
        "Namur: no counts for 2024-03, within the series' 2024-01 to 2024-05",
    ]
    # Codes with parameters: each screen writes them in its reader's language.
    assert [(finding.code, finding.params) for finding in report.findings] == [
        ("total_not_sum", {"period": "2024-01", "area": "Liège", "total": 120,
                           "parts_sum": 118}),
        ("share_mismatch", {"period": "2024-01", "area": "Liège", "category": "psychological",
                            "share": "45.0", "count": 48, "total": 120,
                            "exact": Decimal("40.0")}),
        ("periods_missing", {"area": "Liège", "start": "2024-03", "end": "2024-04", "count": 2,
                             "first": "2024-01", "last": "2024-05"}),
        ("period_missing", {"area": "Namur", "period": "2024-03", "first": "2024-01",
                            "last": "2024-05"}),
    ]
    assert report.notes == [] and not report.consistent


def test_a_share_must_be_a_number_and_n_has_none_but_100(tmp_path):
    path = write_csv(tmp_path, (
        "series,period,area,category,count,share\n"
        "Fictitious thirds,2024,Arlon,_total,3,99\n"
        "Fictitious thirds,2024,Arlon,a,1,33%\n"
        "Fictitious thirds,2024,Arlon,b,2,-66.7\n"), header="")

    assert problems_of(path) == [
        "line 2, share: the _total row gives N: its share is empty or 100",
        "line 3, share: the share must be a number ≥ 0 (per cent, such as 33.3), not '33%'",
        "line 4, share: the share must be a number ≥ 0 (per cent, such as 33.3), not '-66.7'",
    ]


def test_published_shares_are_accepted_at_any_rounding_of_their_decimals(tmp_path):
    series_import(actor=None, path=write_csv(tmp_path, (
        "series,period,area,category,count,share\n"
        "Fictitious thirds,2024,Arlon,_total,3,100\n"
        "Fictitious thirds,2024,Arlon,a,1,33\n"
        "Fictitious thirds,2024,Arlon,b,2,\"66,67\"\n"
        "Fictitious thirds,2025,Arlon,b,2,50\n"), header=""))

    assert texts(series_check(name="Fictitious thirds").findings) == [
        "2025 Arlon, b: a share of 50 % is published but there is no _total (N) to check it "
        "against"]


def test_shares_over_100_percent_are_explained_where_several_answers_are_possible(tmp_path):
    forms = ("Fictitious forms of violence,2024,Belgium,_total,100\n"
             "Fictitious forms of violence,2024,Belgium,psychological,80\n"
             "Fictitious forms of violence,2024,Belgium,physical,45\n"
             "Fictitious forms of violence,2024,Belgium,economic,12\n")
    load(tmp_path, forms, categories_exclusive=False)

    report = series_check(name="Fictitious forms of violence")

    assert report.consistent
    assert texts(report.notes) == [
        "note: the shares sum over 100 % in 1 period(s) and area(s) (up to 137.0 % in 2024 "
        "Belgium): expected, several answers are possible in this series"]
    # A category cannot hold more units than there are, even with several answers.
    load(tmp_path, forms.replace("physical,45", "physical,130"), categories_exclusive=False)
    assert texts(series_check(name="Fictitious forms of violence").findings) == [
        "2024 Belgium, physical: the count 130 is above N 100"]
    # The same counts as exclusive categories do not add up.
    load(tmp_path, forms, categories_exclusive=True)
    assert texts(series_check(name="Fictitious forms of violence").findings) == [
        "2024 Belgium: the published total is 100 but its parts sum to 137"]


def test_the_check_command_exits_1_when_it_flags_and_0_when_consistent(tmp_path):
    write_csv(tmp_path, FLAWED, header="", name="flawed.csv")
    write_csv(tmp_path, CALLS, name="calls.csv")
    assert run("import", str(tmp_path / "flawed.csv"))[0] == 0
    assert run("import", str(tmp_path / "calls.csv"), "--categories", "multiple")[0] == 0

    flagged = run("check", "Fictitious police files")
    consistent = run("check", "Fictitious helpline calls")

    assert flagged[0] == 1 and len(flagged[1].splitlines()) == 4
    assert flagged[1].splitlines()[0] == (
        "2024-01 Liège: the published total is 120 but its parts sum to 118")
    assert consistent == (0, "", "")
    assert run("check", "No such series")[0] == 2


def test_the_import_command_reports_on_stderr_and_exits_1(tmp_path):
    path = write_csv(tmp_path, CALLS + "Fictitious helpline calls,2024-02,,chat,-1\n")

    code, out, err = run("import", str(path))

    assert code == 1 and out == ""
    assert err.splitlines() == ["series.csv: line 5, area: the area is empty",
                                "series.csv: line 5, count: the count must not be negative (-1)"]
    assert not Series.objects.exists()
    assert run("import", str(tmp_path / "missing.csv"))[0] == 2


def test_the_import_command_loads_and_says_so(tmp_path):
    code, out, _ = run("import", str(write_csv(tmp_path, CALLS)), "--unit", "calls",
                       "--categories", "multiple", "--source", "Fictitious helpline")

    assert code == 0
    assert out == ("series 'Fictitious helpline calls': 3 rows loaded (several answers "
                   "possible, N in calls)\n")
    series = Series.objects.get()
    assert (series.categories_exclusive, series.source) == (False, "Fictitious helpline")


def test_an_xlsx_file_carries_published_shares_too(tmp_path):
    path = write_xlsx(tmp_path, [
        ("series", "period", "area", "category", "count", "share"),
        ("Fictitious shelter stays", 2024, "Liège", "_total", 12, 100),
        ("Fictitious shelter stays", 2024, "Liège", "adults", 4, 33.3),
        ("Fictitious shelter stays", 2024, "Liège", "children", 8, 75.0),
        ("Fictitious shelter stays", 2025, "Liège", "_total", 0, None),
        ("Fictitious shelter stays", 2025, "Liège", "adults", 0, 0),
    ])
    series_import(actor=None, path=path)

    assert texts(series_check(name="Fictitious shelter stays").findings) == [
        # A number cell keeps no trailing zero: 75.0 is checked as 75.
        "2024 Liège, children: the published share is 75 % but 8 of N 12 is 67 %",
        "2025 Liège, adults: a share of 0 % is published but N is 0",
    ]

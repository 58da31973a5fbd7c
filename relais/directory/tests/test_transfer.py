"""Import and export: a validation report by row and column; all or nothing unless asked."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.utils import translation

from relais.accounts.models import Role
from relais.audit.models import AuditEvent
from relais.conftest import actor, make_user, verified_client
from relais.directory.models import Service
from relais.directory.tests.factories import SHELTER_SERVICE_STREET
from relais.directory.transfer import COLUMNS, directory_import, export_rows, read_table, to_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "type", "languages", "target_groups", "areas", "hours", "postcode",
          "free_places", "address_confidential", "intake_phone"]
GOOD = ["imp-one", "Imported one (test)", "victim_support", "fr; nl", "victims",
        "municipality:21013", "mon-fri 09:00-17:00", "1060", "", "no", ""]
BAD = ["imp-two", "Imported two (test)", "castle", "fr", "victims", "municipality:99999",
       "mon 17:00-09:00", "1051", "-2", "maybe", ""]


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def editor(cast):
    return make_user("editor", cast.platform, Role.DIRECTORY_EDITOR)


def as_csv(*rows: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode()


def test_a_file_with_broken_rows_imports_nothing_and_says_where(editor):
    report = directory_import(actor=actor(editor), data=as_csv(HEADER, GOOD, BAD),
                              filename="services.csv")
    assert not report.imported
    assert Service.objects.count() == 0
    problems = {(p.row, p.column) for p in report.problems}
    assert (3, "type") in problems
    assert (3, "address_confidential") in problems
    assert all(p.row == 3 for p in report.problems)
    assert report.valid_rows == 1


def test_each_field_problem_has_its_reason(editor):
    bad = [*BAD]
    bad[2], bad[9] = "shelter", "no"  # leave only the field-level problems
    report = directory_import(actor=actor(editor), data=as_csv(HEADER, bad),
                              filename="services.csv")
    reasons = {p.column: p.reason for p in report.problems}
    assert "unknown" in reasons["areas"].lower()
    assert "closes before it opens" in reasons["hours"]
    assert "Did you mean" in reasons["postcode"] and "1050" in reasons["postcode"]
    assert "below zero" in reasons["free_places"]


def test_the_user_may_import_only_the_valid_rows(editor):
    report = directory_import(actor=actor(editor), data=as_csv(HEADER, GOOD, BAD),
                              filename="services.csv", valid_only=True)
    assert report.imported and report.created == 1
    service = Service.objects.get(code="imp-one")
    assert service.languages == ["fr", "nl"]
    assert service.municipality == "21013"  # from the postcode, which names one
    assert service.periods.count() == 5
    assert AuditEvent.objects.filter(object_type="directory.service",
                                     object_id=str(service.pk), action="create").exists()


def test_missing_and_unknown_columns_are_reported_on_row_one(editor):
    report = directory_import(actor=actor(editor), data=as_csv(["code", "name", "colour"],
                                                               ["x", "y", "z"]),
                              filename="s.csv")
    assert {(p.row, p.column) for p in report.problems} >= {(1, "type"), (1, "areas")}


def test_an_xlsx_export_imports_back_unchanged_keeping_the_confidential_address(cast, editor,
                                                                                 directory):
    rows = export_rows(actor=actor(editor))
    assert rows[0] == list(COLUMNS)
    street = rows[0].index("street")
    shelter_row = next(r for r in rows if r[0] == "test-shelter")
    assert shelter_row[street] == ""
    data = to_xlsx(rows)
    assert read_table(data, "directory.xlsx")[0]["code"] == rows[1][0]
    report = directory_import(actor=actor(editor), data=data, filename="directory.xlsx")
    assert report.problems == []
    assert report.updated == len(rows) - 1
    directory.shelter.refresh_from_db()
    assert directory.shelter.street == SHELTER_SERVICE_STREET


def test_an_import_may_not_write_someone_elses_confidential_address(editor, directory):
    row = ["imp-secret", "Secret (test)", "shelter", "fr", "victims", "district:brussel", "",
           "1050", "", "yes", "02 444 44 44"]
    header = [*HEADER, "street"]
    report = directory_import(actor=actor(editor), data=as_csv(header, [*row, "Rue X 1"]),
                              filename="s.csv")
    assert ("street" in {p.column for p in report.problems})


def test_the_import_page_shows_the_report_in_the_users_language(editor):
    client = verified_client(editor, language="fr")
    upload = io.BytesIO(as_csv(HEADER, BAD))
    upload.name = "services.csv"
    response = client.post("/directory/import/", {"file": upload, "check": "1"})
    assert response.status_code == 200
    assert "été importé".encode() in response.content  # « Rien n'a été importé »
    assert b"<td>2</td>" in response.content  # the first data row


def test_a_broken_xlsx_is_refused_clearly(editor):
    client = verified_client(editor)
    upload = io.BytesIO(b"not a spreadsheet")
    upload.name = "services.xlsx"
    response = client.post("/directory/import/", {"file": upload, "import": "1"})
    assert b"not a readable XLSX file" in response.content
    book = openpyxl.Workbook()
    assert book.active is not None

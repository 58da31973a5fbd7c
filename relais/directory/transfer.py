"""Importing and exporting the directory as CSV or XLSX, with a validation report.

A file is checked whole first: every problem is reported as (row, column, reason), rows
numbered as a spreadsheet shows them (the header is row 1). A file with errors imports nothing,
unless the user chooses to import only the valid rows. Rows are matched on ``code``: an
existing code updates that entry.

A confidential address is never exported (only the service's own staff see it) and an import
that leaves it empty keeps it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import openpyxl
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relais.access.directory import is_directory_editor
from relais.accounts.models import Agency
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.core.history import authored
from relais.core.jobs import Progress, job_start
from relais.core.models import Job
from relais.directory.hours import format_exceptions, format_weekly
from relais.directory.models import Service, ServiceType
from relais.directory.selectors import view_for
from relais.directory.services import (
    CAPACITY_FIELDS,
    ENTRY_FIELDS,
    Schedule,
    service_save,
    validate_entry,
)

DESCRIPTION_LANGUAGES = ("fr", "nl", "en", "de")
LIST_FIELDS = {"target_groups", "languages", "accessibility"}
BOOL_FIELDS = {
    "address_confidential", "always_open", "closed_on_public_holidays", "requires_income",
    "requires_residence_status", "accepts_undocumented", "accepts_men", "accepts_children",
    "accepts_pets", "is_public", "is_fictitious",
}
INT_FIELDS = {"free_places", "waiting_days"}
DECIMAL_FIELDS = {"latitude", "longitude"}
COLUMNS = (
    *[f for f in ENTRY_FIELDS if f != "descriptions"],
    *[f"description_{lang}" for lang in DESCRIPTION_LANGUAGES],
    "hours", "exceptions", "areas", "agency", *CAPACITY_FIELDS,
)
REQUIRED_COLUMNS = ("code", "name", "type", "areas")
TRUE = {"1", "yes", "y", "true", "oui", "ja", "x"}
FALSE = {"0", "no", "n", "false", "non", "nee", "nein", ""}
MAX_ROWS = 20000


class TransferError(ValueError):
    """The file itself cannot be read (not the rows in it)."""


@dataclass
class Problem:
    row: int
    column: str
    reason: str


@dataclass
class ImportReport:
    rows: int = 0
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    imported: bool = False

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    @property
    def valid_rows(self) -> int:
        return self.rows - len(self.bad_rows - {1})


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of a CSV (comma or semicolon, UTF-8) or XLSX file, as text by column name."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many kinds for a broken file
            raise TransferError(_("This is not a readable XLSX file.")) from error
        sheet = book.worksheets[0]
        values = [["" if v is None else str(v) for v in row]
                  for row in sheet.iter_rows(values_only=True)]
    elif name.endswith(".csv"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise TransferError(_("The CSV file must be encoded in UTF-8.")) from error
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;") if text.strip() else "excel"
        values = list(csv.reader(io.StringIO(text), dialect))
    else:
        raise TransferError(_("Choose a .csv or .xlsx file."))
    if not values:
        raise TransferError(_("The file is empty."))
    header = [h.strip().lower() for h in values[0]]
    if len(values) - 1 > MAX_ROWS:
        raise TransferError(_("The file has more than %(count)d rows.") % {"count": MAX_ROWS})
    return [dict(zip(header, (v.strip() for v in row), strict=False)) for row in values[1:]
            if any(v.strip() for v in row)]


def _convert(column: str, raw: str) -> Any:
    if column in LIST_FIELDS:
        return [v.strip() for v in raw.replace(",", ";").split(";") if v.strip()]
    if column in BOOL_FIELDS:
        folded = raw.strip().lower()
        if folded in TRUE:
            return True
        if folded in FALSE:
            return False
        raise ValueError(_("Write yes or no."))
    if column in INT_FIELDS:
        if not raw:
            return None
        try:
            return int(raw)
        except ValueError as error:
            raise ValueError(_("Write a whole number.")) from error
    if column in DECIMAL_FIELDS:
        if not raw:
            return None
        try:
            return Decimal(raw.replace(",", "."))
        except InvalidOperation as error:
            raise ValueError(_("Write a number like 50.8466.")) from error
    return raw


@dataclass
class ParsedRow:
    number: int
    fields: dict[str, Any]
    capacity: dict[str, Any]
    hours: str
    exceptions: str
    areas: str
    agency_id: int | None
    existing: Service | None


def _parse_row(number: int, row: dict[str, str], agencies: dict[str, int],
               existing: dict[str, Service], report: ImportReport) -> ParsedRow | None:
    problems_before = len(report.problems)
    fields: dict[str, Any] = {}
    capacity: dict[str, Any] = {}
    for column in (*ENTRY_FIELDS, *CAPACITY_FIELDS):
        if column == "descriptions" or column not in row:
            continue
        try:
            value = _convert(column, row[column])
        except ValueError as error:
            report.problems.append(Problem(number, column, str(error)))
            continue
        (capacity if column in CAPACITY_FIELDS else fields)[column] = value
    fields["descriptions"] = {lang: row[f"description_{lang}"] for lang in DESCRIPTION_LANGUAGES
                              if row.get(f"description_{lang}")}
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            report.problems.append(Problem(number, column, _("This column is required.")))
    if row.get("type") and row["type"] not in ServiceType.values:
        report.problems.append(Problem(number, "type", _("Unknown type. Use one of: %(list)s.")
                                       % {"list": ", ".join(ServiceType.values)}))
    agency_id = None
    if row.get("agency"):
        agency_id = agencies.get(row["agency"])
        if agency_id is None:
            report.problems.append(Problem(number, "agency", _("No agency has this code.")))
    if len(report.problems) > problems_before:
        return None
    return ParsedRow(number, fields, capacity, row.get("hours", ""), row.get("exceptions", ""),
                     row.get("areas", ""), agency_id, existing.get(row["code"]))


def _check(actor: Actor, parsed: ParsedRow, report: ImportReport) -> None:
    """Validate one row as ``service_save`` will, without writing."""
    service = Service(**{k: v for k, v in parsed.fields.items()}, **parsed.capacity)
    if parsed.existing is not None:
        service.pk = parsed.existing.pk
        service._state.adding = False  # checked as the update it will be
        if service.address_confidential and not service.street:
            service.street = parsed.existing.street
    service.agency_id = parsed.agency_id
    errors: dict[str, list[str]] = {}
    if service.address_confidential and parsed.fields.get("street") and (
            parsed.agency_id != actor.agency_id):
        errors["street"] = [_("A confidential address is entered only by the service's own "
                              "staff: leave the street empty.")]
    for step in (lambda: validate_entry(service),
                 lambda: Schedule.parse(hours=parsed.hours, exceptions=parsed.exceptions,
                                        areas=parsed.areas)):
        try:
            step()
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    for key, messages in errors.items():
        column = "" if key == "__all__" else key
        for message in messages:
            report.problems.append(Problem(parsed.number, column, message))


def _checked(actor: Actor, data: bytes, filename: str) -> tuple[ImportReport, list[ParsedRow]]:
    """The file read and checked whole: its report, and the rows that parsed."""
    rows = read_table(data, filename)
    report = ImportReport(rows=len(rows))
    if rows:
        missing = [c for c in REQUIRED_COLUMNS if c not in rows[0]]
        for column in missing:
            report.problems.append(Problem(1, column, _("This column is missing.")))
        unknown = [c for c in rows[0] if c and c not in COLUMNS]
        for column in unknown:
            report.problems.append(Problem(1, column, _("Unknown column.")))
        if missing:
            return report, []
    agencies = dict(Agency.objects.values_list("code", "pk"))
    codes = [row.get("code", "") for row in rows]
    existing = {s.code: s for s in Service.objects.filter(code__in=codes)}
    seen: dict[str, int] = {}
    parsed_rows: list[ParsedRow] = []
    for number, row in enumerate(rows, start=2):
        code = row.get("code", "")
        if code and code in seen:
            report.problems.append(Problem(number, "code", _("Same code as row %(row)d.")
                                           % {"row": seen[code]}))
            continue
        seen[code] = number
        parsed = _parse_row(number, row, agencies, existing, report)
        if parsed is not None:
            _check(actor, parsed, report)
            parsed_rows.append(parsed)
    return report, parsed_rows


def _to_write(report: ImportReport, parsed_rows: list[ParsedRow]) -> list[ParsedRow]:
    bad = report.bad_rows
    return [parsed for parsed in parsed_rows if parsed.number not in bad]


def _write(actor: Actor, rows: list[ParsedRow], report: ImportReport) -> None:
    """Save ``rows`` (the caller holds the transaction), counting them in ``report``."""
    for parsed in rows:
        service = service_save(
            actor=actor, service_id=parsed.existing.pk if parsed.existing else None,
            fields=parsed.fields, hours=parsed.hours, exceptions=parsed.exceptions,
            areas=parsed.areas, agency_id=parsed.agency_id)
        if parsed.capacity:
            # A save, not an update(): the field history keeps the capacity's before and after.
            for name, value in parsed.capacity.items():
                setattr(service, name, value)
            service.capacity_updated_at = service.updated_at
            service.capacity_updated_by = actor.user
            authored(actor, service)
            service.save(update_fields=[*parsed.capacity, "capacity_updated_at",
                                        "capacity_updated_by"])
            audit_record(actor=actor, action=Action.UPDATE, target=service,
                         basis="directory capacity (import)")
        if parsed.existing:
            report.updated += 1
        else:
            report.created += 1


def directory_import(*, actor: Actor, data: bytes, filename: str,
                     valid_only: bool = False, dry_run: bool = False) -> ImportReport:
    """Check a file and, unless ``dry_run``, import it (all rows, or only the valid ones)."""
    report, parsed_rows = _checked(actor, data, filename)
    if dry_run or (report.problems and not valid_only):
        return report
    with transaction.atomic():
        _write(actor, _to_write(report, parsed_rows), report)
    report.imported = True
    return report


# --- Run out of the request, with its progress (relais.core.jobs) --------------------------

JOB_KIND = "directory.import"
STEP = 25  # rows per transaction: a cancel stops between two steps, what was saved stays


def directory_import_start(*, actor: Actor, data: bytes, filename: str,
                           valid_only: bool = False) -> ImportReport | Job:
    """Check the file now; if it may be imported, import it as a job (its author follows it and
    may stop it). A file with errors (and not ``valid_only``) comes back as its report."""
    if not is_directory_editor(actor):
        raise Http404
    report, _rows = _checked(actor, data, filename)
    if report.problems and not valid_only:
        return report
    return job_start(actor=actor, kind=JOB_KIND, payload=data,
                     params={"filename": filename[-200:], "valid_only": valid_only})


def directory_import_run(*, actor: Actor, job: Job, progress: Progress) -> dict:
    """The job: the file checked again, then its rows saved STEP at a time."""
    if not is_directory_editor(actor):
        raise Http404
    report, parsed_rows = _checked(actor, bytes(job.payload), job.params["filename"])
    if report.problems and not job.params.get("valid_only"):
        return {"created": 0, "updated": 0, "problems": len(report.problems)}
    rows = _to_write(report, parsed_rows)
    progress.set_total(len(rows))
    for start in range(0, len(rows), STEP):
        progress.check()
        with transaction.atomic():
            _write(actor, rows[start:start + STEP], report)
        progress.advance(len(rows[start:start + STEP]))
    return {"created": report.created, "updated": report.updated,
            "problems": len(report.problems), "url": reverse("directory:import")}


def import_job_summary(result: dict) -> str:
    text = _("%(created)d created, %(updated)d updated.") % {
        "created": result.get("created", 0), "updated": result.get("updated", 0)}
    if result.get("problems"):
        text += " " + ngettext("%(count)d row with a problem was left out.",
                               "%(count)d rows with a problem were left out.",
                               result["problems"]) % {"count": result["problems"]}
    return text


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return "; ".join(value)
    return "" if value is None else str(value)


def export_rows(*, actor: Actor) -> list[list[str]]:
    """Every entry as rows under ``COLUMNS``; confidential addresses only for their keepers."""
    out = [list(COLUMNS)]
    services = (Service.objects.select_related("agency")
                .prefetch_related("periods", "exceptions", "areas").order_by("code"))
    for service in services:
        view = view_for(service, actor)
        row = []
        for column in COLUMNS:
            if column.startswith("description_"):
                value = service.descriptions.get(column.removeprefix("description_"), "")
            elif column == "hours":
                value = format_weekly(service.periods.all())
            elif column == "exceptions":
                value = format_exceptions(service.exceptions.all())
            elif column == "areas":
                value = "; ".join(f"{a.level}:{a.code}" if a.code else a.level
                                  for a in service.areas.all())
            elif column == "agency":
                value = service.agency.code if service.agency else ""
            elif column == "street" and not view.address:
                value = ""
            else:
                value = getattr(service, column)
            row.append(_cell(value))
        out.append(row)
    return out


def to_csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "services"
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""Person records read from a CSV file (``manage.py link_persons``), checked line by line.

The columns are ``COLUMNS``, in any order, comma- or semicolon-separated, UTF-8. Any value may
be empty except ``record_id``, which is unique. A file is read whole or not at all: every fault
is reported with its line and column, and no record is returned while one fault remains. The
report never repeats a value (a name or a birth date is personal data): it names the place and
the rule only.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.utils.translation import gettext as _

from relais.linkage.normalize import PersonRecord, phone

COLUMNS = ("record_id", "source_agency", "given_name", "surname", "birth_date",
           "national_number", "sex", "postcode", "municipality", "street", "house_number",
           "phone")
SEXES = frozenset({"F", "M", "X"})
EARLIEST_BIRTH = date(1900, 1, 1)
MAX_FAULTS = 200  # a report longer than this names the first ones and counts the others

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NN_SEPARATORS = re.compile(r"[\s.\-/]")
_POSTCODE = re.compile(r"[1-9]\d{3}")


@dataclass(frozen=True)
class Fault:
    """One fault of the file: its line (1 is the header; 0 the file itself), its column ("" for
    the whole line) and what is wrong, in the active language."""

    line: int
    column: str
    problem: str

    def __str__(self) -> str:
        if not self.line:
            return self.problem
        if not self.column:
            return _("line %(line)d: %(problem)s") % {"line": self.line, "problem": self.problem}
        return _("line %(line)d, column %(column)s: %(problem)s") % {
            "line": self.line, "column": self.column, "problem": self.problem}


class BadFile(Exception):
    def __init__(self, faults: list[Fault]) -> None:
        super().__init__(f"{len(faults)} faults")
        self.faults = faults

    def report(self) -> str:
        shown = [str(fault) for fault in self.faults[:MAX_FAULTS]]
        if len(self.faults) > MAX_FAULTS:
            shown.append(_("... and %(count)d more faults.")
                         % {"count": len(self.faults) - MAX_FAULTS})
        return "\n".join(shown)


def phones_of(raw: str) -> tuple[str, ...]:
    """A cell may hold several phones separated by ";" or "|"."""
    return tuple(part.strip() for part in re.split(r"[;|]", raw or "") if part.strip())


def record_from_row(row: Mapping[str, str]) -> PersonRecord:
    """The record of one row, whose values are checked already (``read_records``)."""
    born = row.get("birth_date", "")
    return PersonRecord.build(
        key=row["record_id"], given_name=row.get("given_name", ""),
        surname=row.get("surname", ""), birth_date=date.fromisoformat(born) if born else None,
        national_number_=row.get("national_number", ""), sex=row.get("sex", ""),
        postcode=row.get("postcode", ""),
        street_=" ".join(v for v in (row.get("street", ""), row.get("house_number", "")) if v),
        phones=phones_of(row.get("phone", "")), agency=row.get("source_agency", ""))


def _value_faults(line: int, row: Mapping[str, str], *, today: date) -> list[Fault]:
    faults: list[Fault] = []
    if not row["record_id"]:
        faults.append(Fault(line, "record_id", _("a record_id is required")))
    born = row["birth_date"]
    if born:
        try:
            day = date.fromisoformat(born) if _DATE.fullmatch(born) else None
        except ValueError:
            day = None
        if day is None:
            faults.append(Fault(line, "birth_date", _("not a date in the form YYYY-MM-DD")))
        elif not EARLIEST_BIRTH <= day <= today:
            faults.append(Fault(line, "birth_date",
                                _("a birth date must lie between 1900 and today")))
    number = row["national_number"]
    if number and not re.fullmatch(r"\d{11}", _NN_SEPARATORS.sub("", number)):
        faults.append(Fault(line, "national_number",
                            _("a national number has 11 digits")))
    if row["sex"] and row["sex"].upper() not in SEXES:
        faults.append(Fault(line, "sex", _("the sex is F, M, X or empty")))
    if row["postcode"] and not _POSTCODE.fullmatch(row["postcode"]):
        faults.append(Fault(line, "postcode", _("a Belgian postcode has 4 digits")))
    if any(not phone(raw) for raw in phones_of(row["phone"])):
        faults.append(Fault(line, "phone", _("not a phone number")))
    return faults


def _header_faults(header: list[str]) -> list[Fault]:
    faults = []
    seen: set[str] = set()
    for position, name in enumerate(header, start=1):
        if name not in COLUMNS:  # named by its place: a file without header shows data here
            faults.append(Fault(1, str(position), _("not a known column name")))
        elif name in seen:
            faults.append(Fault(1, name, _("column given twice")))
        seen.add(name)
    faults += [Fault(1, name, _("missing column")) for name in COLUMNS if name not in seen]
    return faults


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise BadFile([Fault(line, "", _("not UTF-8 text"))]) from None


def read_records(path: Path, *, today: date | None = None) -> list[PersonRecord]:
    """Every record of the file, or ``BadFile`` with every fault found."""
    try:
        data = path.read_bytes()
    except OSError:
        raise BadFile([Fault(0, "", _("The input file cannot be read."))]) from None
    text = _text(data)
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""),
                        delimiter=";" if first.count(";") > first.count(",") else ",")
    header = [name.strip() for name in next(reader, [])]
    if not any(header):
        raise BadFile([Fault(1, "", _("the header line is missing"))])
    faults = _header_faults(header)
    if faults:
        raise BadFile(faults)
    today = today or date.today()
    rows: list[dict[str, str]] = []
    first_line: dict[str, int] = {}
    line = reader.line_num
    try:
        for values in reader:
            start, line = line + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue  # a blank line
            if len(values) != len(header):
                faults.append(Fault(start, "", _("%(found)d values where the header has "
                                                 "%(expected)d")
                                    % {"found": len(values), "expected": len(header)}))
                continue
            row = {name: value.strip() for name, value in zip(header, values, strict=True)}
            faults += _value_faults(start, row, today=today)
            record_id = row["record_id"]
            if record_id in first_line:
                faults.append(Fault(start, "record_id", _("the same record_id as line %(line)d")
                                    % {"line": first_line[record_id]}))
            elif record_id:
                first_line[record_id] = start
            rows.append(row)
    except csv.Error:  # a field too long, a quote never closed...
        faults.append(Fault(line + 1, "", _("not readable as CSV from here on")))
    if faults:
        raise BadFile(faults)
    return [record_from_row(row) for row in rows]

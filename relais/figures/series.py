"""Partner series: the import, the derived table and the consistency check.

- ``series_import`` reads a long-format CSV or XLSX file (header
  ``series,period,area,category,count``, optionally ``,share``), validates every line and loads
  it in one transaction, replacing the series of that name; any problem loads nothing and
  raises ``SeriesFileError`` with the report (line, field, message).
- ``series_table`` derives share of N and variation from the previous period.
- ``series_check`` lists the inconsistencies a partner's published table may hold.

docs/figures.md ("Partner series") is the user's description of all three.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zipfile import BadZipFile

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.figures.models import TOTAL, Point, Series
from relais.figures.rules import round_half_away, share_pct, variation_pct

HEADER = ("series", "period", "area", "category", "count")
OPTIONAL_COLUMN = "share"
PERIOD = re.compile(r"^(?:19|20)\d\d(?:-(?:0[1-9]|1[0-2]))?$")  # 1900 to 2099
WHOLE = re.compile(r"^-?\d+$")
MAX_COUNT = 2_147_483_647  # the largest a PositiveIntegerField holds everywhere
MAX_NAME = 120  # series name, area and category
DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")


# --- The validation report -------------------------------------------------------------------

@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: its line (as numbered in the file; 0 for the whole file),
    the field (a column name, or "" for the whole line) and what is wrong."""

    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = _("line %(line)d") % {"line": self.line} if self.line else _("file")
        if self.field:
            where = f"{where}, {self.field}"
        return f"{where}: {self.message}"


class SeriesFileError(ValueError):
    """A file that was not loaded (nothing of it was); ``problems`` is the report."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = list(problems)


# --- Reading the file ------------------------------------------------------------------------

@dataclass(frozen=True)
class _Row:
    line: int
    cells: tuple[object, ...]


def _csv_rows(path: Path) -> Iterator[_Row]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")  # with or without a byte-order mark
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        raise SeriesFileError([Problem(line, "", _("the file is not UTF-8 text"))]) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    next_line = 1
    for cells in reader:
        # A quoted value may span lines: a record starts where the previous one ended.
        yield _Row(next_line, tuple(cells))
        next_line = reader.line_num + 1


def _xlsx_rows(path: Path) -> Iterator[_Row]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise SeriesFileError([Problem(0, "", _("the file is not a readable XLSX workbook"))]
                              ) from error
    sheet = workbook.worksheets[0]
    for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield _Row(number, tuple(cells))


def _rows(path: Path) -> Iterator[_Row]:
    if path.suffix.lower() == ".xlsx":
        return _xlsx_rows(path)
    return _csv_rows(path)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _period(value: object) -> str | None:
    """``YYYY-MM`` or ``YYYY``; an XLSX date cell counts as its month (Excel turns the text
    2024-03 into 1 March 2024), an integer cell as its year."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    text = _text(value)
    return text if PERIOD.match(text) else None


def _count(value: object) -> tuple[int | None, str]:
    """The count and "" when it is a whole number ≥ 0, else None and what is wrong."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = _text(value)
    if not text:
        return None, _("the count is empty")
    if not WHOLE.match(text):
        return None, _("the count must be a whole number, not '%(value)s'") % {"value": text}
    if int(text) < 0:
        return None, _("the count must not be negative (%(value)s)") % {"value": text}
    if int(text) > MAX_COUNT:
        return None, _("the count %(value)s is too large") % {"value": text}
    return int(text), ""


def _share(value: object) -> tuple[str, str]:
    """The published share as written (decimal point), and what is wrong ("" if fine)."""
    text = _text(value)
    if isinstance(value, float):
        text = str(value)
    if not text:
        return "", ""
    if not DECIMAL.match(text):
        return "", _("the share must be a number ≥ 0 (per cent, such as 33.3), not "
                     "'%(value)s'") % {"value": text}
    return text.replace(",", "."), ""


@dataclass
class _Parsed:
    name: str = ""
    points: list[Point] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _check_header(row: _Row | None) -> tuple[bool, list[Problem]]:
    """Whether the file has the optional share column, or the problem with its header."""
    expected = ",".join(HEADER)
    if row is None:
        return False, [Problem(0, "", _("the file is empty; its first line must be the header "
                                         "%(header)s") % {"header": expected})]
    names = [_text(cell) for cell in row.cells]
    while names and not names[-1]:
        names.pop()
    if tuple(names) == HEADER:
        return False, []
    if tuple(names) == (*HEADER, OPTIONAL_COLUMN):
        return True, []
    message = _("the header must be %(header)s (optionally followed by ,%(optional)s), not "
                "'%(found)s'") % {"header": expected, "optional": OPTIONAL_COLUMN,
                                  "found": ",".join(names)}
    if len(names) == 1 and ";" in names[0]:
        message += " " + _("(the separator must be a comma)")
    return False, [Problem(row.line, "", message)]


def _parse(path: Path) -> _Parsed:
    parsed = _Parsed()
    rows = _rows(path)
    has_share, problems = _check_header(next(rows, None))
    if problems:
        parsed.problems = problems
        return parsed
    width = len(HEADER) + (1 if has_share else 0)
    seen: dict[tuple[str, str, str], int] = {}
    granularity: tuple[int, int] | None = None  # (length of the period, line that set it)
    for row in rows:
        cells = list(row.cells)
        while len(cells) > width and _text(cells[-1]) == "":
            cells.pop()  # trailing empty cells (XLSX) or commas
        if not any(_text(cell) for cell in cells):
            continue  # a blank line
        if len(cells) != width:
            parsed.problems.append(Problem(row.line, "", _(
                "expected %(expected)d fields, found %(found)d") % {"expected": width,
                                                                      "found": len(cells)}))
            continue
        line_problems: list[Problem] = []
        name, area, category = _text(cells[0]), _text(cells[2]), _text(cells[3])
        if not name:
            line_problems.append(Problem(row.line, "series", _("the series name is empty")))
        elif not parsed.name:
            parsed.name = name
        elif name != parsed.name:
            line_problems.append(Problem(row.line, "series", _(
                "a file holds one series: this line is of '%(name)s', the file of '%(first)s'")
                % {"name": name, "first": parsed.name}))
        period = _period(cells[1])
        if period is None:
            line_problems.append(Problem(row.line, "period", _(
                "the period must be YYYY-MM or YYYY, not '%(value)s'") % {
                    "value": _text(cells[1])}))
        elif granularity is None:
            granularity = (len(period), row.line)
        elif len(period) != granularity[0]:
            line_problems.append(Problem(row.line, "period", _(
                "'%(value)s' mixes months and years: line %(first)d set the series' periods "
                "to %(form)s") % {"value": period, "first": granularity[1],
                                  "form": "YYYY-MM" if granularity[0] == 7 else "YYYY"}))
        if not area:
            line_problems.append(Problem(row.line, "area", _("the area is empty")))
        if not category:
            line_problems.append(Problem(row.line, "category", _("the category is empty")))
        elif category.startswith("_") and category != TOTAL:
            line_problems.append(Problem(row.line, "category", _(
                "'%(value)s': a category starting with _ is reserved; N's is %(total)s") % {
                    "value": category, "total": TOTAL}))
        for column, value in (("series", name), ("area", area), ("category", category)):
            if len(value) > MAX_NAME:
                line_problems.append(Problem(row.line, column, _(
                    "longer than %(max)d characters") % {"max": MAX_NAME}))
        count, wrong = _count(cells[4])
        if wrong:
            line_problems.append(Problem(row.line, "count", wrong))
        share, wrong = _share(cells[5]) if has_share else ("", "")
        if wrong:
            line_problems.append(Problem(row.line, "share", wrong))
        elif share and category == TOTAL and Decimal(share) != 100:
            line_problems.append(Problem(row.line, "share", _(
                "the %(total)s row gives N: its share is empty or 100") % {"total": TOTAL}))
            share = ""
        if period and area and category:
            key = (period, area, category)
            if key in seen:
                line_problems.append(Problem(row.line, "", _(
                    "the same period, area and category as line %(first)d") % {
                        "first": seen[key]}))
            else:
                seen[key] = row.line
        if line_problems:
            parsed.problems.extend(line_problems)
        else:
            parsed.points.append(Point(period=period, area=area, category=category, count=count,
                                       published_share="" if category == TOTAL else share))
    if not parsed.problems and not parsed.points:
        parsed.problems.append(Problem(0, "", _("the file has a header but no counts")))
    return parsed


# --- Import ----------------------------------------------------------------------------------

def series_import(
    *,
    actor: Actor | None,
    path: Path,
    unit: str = "units",
    categories_exclusive: bool = True,
    source: str = "",
) -> Series:
    """Load the series in ``path`` (CSV or XLSX), replacing the series of that name.

    All or nothing: a file with any problem raises ``SeriesFileError`` and loads nothing. The
    series' description (unit of N, exclusive categories, source) is replaced too. ``actor``
    None is the command line.
    """
    parsed = _parse(Path(path))
    if parsed.problems:
        raise SeriesFileError(parsed.problems)
    with transaction.atomic():
        series = Series.objects.select_for_update().filter(name=parsed.name).first()
        replaced = series is not None
        if series is None:
            series = Series(name=parsed.name)
        series.unit = unit.strip() or "units"
        series.categories_exclusive = categories_exclusive
        series.source = source.strip()
        series.imported_at = timezone.now()
        series.imported_by = actor.user if actor else None
        series.full_clean()
        series.save()
        if replaced:
            series.points.all().delete()
        for point in parsed.points:
            point.series = series
        Point.objects.bulk_create(parsed.points, batch_size=2000)
        audit_record(actor=actor, action=Action.UPDATE if replaced else Action.CREATE,
                     target=series,
                     basis=f"partner series {series.name!r}: {len(parsed.points)} rows imported"
                           f"{' (replaced)' if replaced else ''}")
    return series


# --- The derived table -----------------------------------------------------------------------

TABLE_HEADER = ("period", "area", "category", "count", "total", "share_pct", "variation_pct")


@dataclass(frozen=True)
class TableRow:
    period: str
    area: str
    category: str
    count: int
    total: int | None
    share_pct: Decimal | None
    variation_pct: Decimal | None


def previous_period(period: str) -> str:
    """The month before ``YYYY-MM`` (December before January), or the year before ``YYYY``."""
    if len(period) == 4:
        return f"{int(period) - 1:04d}"
    year, month = int(period[:4]), int(period[5:7])
    return f"{year - 1:04d}-12" if month == 1 else f"{year:04d}-{month - 1:02d}"


def _sort_key(point: Point) -> tuple[str, str, bool, str]:
    # The _total row closes its period and area.
    return point.period, point.area, point.category == TOTAL, point.category


def series_table(*, name: str, decimals: int = 1) -> list[TableRow]:
    """The series' rows with N, share of N and variation from the previous period, rounded
    half away from zero to ``decimals``; sorted by period, area and category (the ``_total``
    row last of its period and area, with N as its count and no share of itself)."""
    series = Series.objects.get(name=name)
    points = sorted(series.points.all(), key=_sort_key)
    counts = {(p.period, p.area, p.category): p.count for p in points}
    rows = []
    for point in points:
        total = counts.get((point.period, point.area, TOTAL))
        previous = counts.get((previous_period(point.period), point.area, point.category))
        rows.append(TableRow(
            period=point.period, area=point.area, category=point.category, count=point.count,
            total=total,
            share_pct=None if point.category == TOTAL else share_pct(point.count, total,
                                                                     decimals),
            variation_pct=variation_pct(point.count, previous, decimals)))
    return rows


# --- The consistency check -------------------------------------------------------------------

@dataclass
class CheckReport:
    """``findings`` are inconsistencies (one line each); ``notes`` explain what looks odd but
    is expected (shares over 100 % where several answers are possible)."""

    findings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def consistent(self) -> bool:
        return not self.findings


def _periods_between(first: str, last: str) -> list[str]:
    periods = [last]
    while periods[-1] > first:
        periods.append(previous_period(periods[-1]))
    return periods[::-1]


def _missing_runs(expected: list[str], present: set[str]) -> list[list[str]]:
    runs: list[list[str]] = []
    for period in expected:
        if period in present:
            continue
        if runs and runs[-1][-1] == previous_period(period):
            runs[-1].append(period)
        else:
            runs.append([period])
    return runs


def _share_findings(point: Point, total: int | None) -> list[str]:
    where = f"{point.period} {point.area}, {point.category}"
    published = Decimal(point.published_share)
    if total is None:
        return [f"{where}: a share of {point.published_share} % is published but there is no "
                f"{TOTAL} (N) to check it against"]
    if total == 0:
        return [f"{where}: a share of {point.published_share} % is published but N is 0"]
    exact = Decimal(point.count) * 100 / Decimal(total)
    places = max(0, -published.as_tuple().exponent)
    # Any rounding of the exact share to the published decimals is accepted.
    if abs(exact - published) <= Decimal(5).scaleb(-places - 1):
        return []
    return [f"{where}: the published share is {point.published_share} % but {point.count} of "
            f"N {total} is {round_half_away(exact, places)} %"]


def series_check(*, name: str) -> CheckReport:
    """What does not add up in the series: totals of exclusive parts, published shares,
    periods missing per area between the series' first and last period."""
    series = Series.objects.get(name=name)
    points = sorted(series.points.all(), key=_sort_key)
    report = CheckReport()
    groups: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for point in points:
        groups[(point.period, point.area)].append(point)
    over_100: list[tuple[Decimal, str]] = []
    for (period, area), group in groups.items():
        totals = [p.count for p in group if p.category == TOTAL]
        total = totals[0] if totals else None
        parts = [p for p in group if p.category != TOTAL]
        parts_sum = sum(p.count for p in parts)
        if series.categories_exclusive and total is not None and parts and parts_sum != total:
            report.findings.append(
                f"{period} {area}: the published total is {total} but its parts sum to "
                f"{parts_sum}")
        for part in parts:
            if not series.categories_exclusive and total is not None and part.count > total:
                report.findings.append(
                    f"{period} {area}, {part.category}: the count {part.count} is above "
                    f"N {total}")
            if part.published_share:
                report.findings.extend(_share_findings(part, total))
        if not series.categories_exclusive and total and parts_sum > total:
            over_100.append((Decimal(parts_sum) * 100 / total, f"{period} {area}"))
    if over_100:
        highest, where = max(over_100)
        report.notes.append(
            f"note: the shares sum over 100 % in {len(over_100)} period(s) and area(s) (up to "
            f"{round_half_away(highest, 1)} % in {where}): expected, several answers are "
            f"possible in this series")
    if points:
        span = _periods_between(points[0].period, points[-1].period)
        present: dict[str, set[str]] = defaultdict(set)
        for point in points:
            present[point.area].add(point.period)
        for area in sorted(present):
            for run in _missing_runs(span, present[area]):
                what = run[0] if len(run) == 1 else f"{run[0]} to {run[-1]} ({len(run)} periods)"
                report.findings.append(
                    f"{area}: no counts for {what}, within the series' {span[0]} to {span[-1]}")
    return report

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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zipfile import BadZipFile, ZipFile

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.access.figures import may_import_series
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
# An XLSX file is a zip of XML that openpyxl reads whole: refuse what would fill the memory.
MAX_XLSX_UNPACKED = 200_000_000


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
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # Python's csv module refuses a value over csv.field_size_limit() (131,072
            # characters), such as a whole file without a line break in a quoted value.
            raise SeriesFileError([Problem(next_line, "", _(
                "this line cannot be read as CSV (a value longer than %(max)d characters, or "
                "an unclosed quote)") % {"max": csv.field_size_limit()})]) from error
        # A quoted value may span lines: a record starts where the previous one ended.
        yield _Row(next_line, tuple(cells))
        next_line = reader.line_num + 1


def _xlsx_rows(path: Path) -> Iterator[_Row]:
    from openpyxl import load_workbook

    unreadable = SeriesFileError([Problem(0, "", _("the file is not a readable XLSX workbook"))])
    try:
        with ZipFile(path) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (BadZipFile, OSError) as error:
        raise unreadable from error
    if unpacked > MAX_XLSX_UNPACKED:
        raise SeriesFileError([Problem(0, "", _(
            "the workbook unpacks to more than %(max)d MB: import it as CSV, or split it") % {
                "max": MAX_XLSX_UNPACKED // 1_000_000})])
    try:
        workbook = load_workbook(path, data_only=True)
        sheet = workbook.worksheets[0]
    # A damaged workbook fails anywhere in openpyxl: InvalidFileException, KeyError (a part
    # missing), ParseError (broken XML), IndexError (no sheet)...
    except Exception as error:
        raise unreadable from error
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


def line_count(path: Path) -> int:
    """About how many lines the file holds (what a job's progress counts): the CSV's line
    breaks, or the first sheet's dimension as the workbook declares it (0 when unreadable)."""
    if path.suffix.lower() != ".xlsx":
        return path.read_bytes().count(b"\n") + 1
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True).worksheets[0].max_row or 0
    except Exception:  # a damaged workbook: the parse reports it
        return 0


PROGRESS_EVERY = 1000  # lines between two calls of ``on_lines``


def _parse(path: Path, on_lines: Callable[[int], None] | None = None) -> _Parsed:
    """Read and check every line; ``on_lines(n)`` is told each time n more lines were read."""
    parsed = _Parsed()
    rows = _rows(path)
    has_share, problems = _check_header(next(rows, None))
    if problems:
        parsed.problems = problems
        return parsed
    width = len(HEADER) + (1 if has_share else 0)
    seen: dict[tuple[str, str, str], int] = {}
    granularity: tuple[int, int] | None = None  # (length of the period, line that set it)
    reported = 1
    for row in rows:
        if on_lines is not None and row.line - reported >= PROGRESS_EVERY:
            on_lines(row.line - reported)
            reported = row.line
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
    on_lines: Callable[[int], None] | None = None,
) -> Series:
    """Load the series in ``path`` (CSV or XLSX), replacing the series of that name.

    All or nothing: a file with any problem raises ``SeriesFileError`` and loads nothing. The
    series' description (unit of N, exclusive categories, source) is replaced too. ``actor``
    None is the command line; a person must be allowed to import (``may_import_series``,
    else ``Http404``). ``on_lines`` follows the reading (a job's progress); it may raise to
    stop before anything is written.
    """
    if actor is not None and not may_import_series(actor):
        raise Http404
    parsed = _parse(Path(path), on_lines)
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
    return table_rows(list(series.points.all()), decimals=decimals)


def table_rows(points: Sequence[Point], *, decimals: int = 1) -> list[TableRow]:
    """The rows of ``series_table`` from points already read."""
    points = sorted(points, key=_sort_key)
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

# What each finding says, by its code; its parameters fill it in the reader's language when it
# is shown (the command line speaks English). A new code needs its text here and a line in
# docs/figures.md ("The consistency check").
FINDING_TEXTS = {
    "total_not_sum": gettext_lazy(
        "%(period)s %(area)s: the published total is %(total)d but its parts sum to "
        "%(parts_sum)d"),
    "count_above_n": gettext_lazy(
        "%(period)s %(area)s, %(category)s: the count %(count)d is above N %(total)d"),
    "share_without_n": gettext_lazy(
        "%(period)s %(area)s, %(category)s: a share of %(share)s %% is published but there is "
        "no %(total_category)s (N) to check it against"),
    "share_n_zero": gettext_lazy(
        "%(period)s %(area)s, %(category)s: a share of %(share)s %% is published but N is 0"),
    "share_mismatch": gettext_lazy(
        "%(period)s %(area)s, %(category)s: the published share is %(share)s %% but %(count)d "
        "of N %(total)d is %(exact)s %%"),
    "period_missing": gettext_lazy(
        "%(area)s: no counts for %(period)s, within the series' %(first)s to %(last)s"),
    "periods_missing": gettext_lazy(
        "%(area)s: no counts for %(start)s to %(end)s (%(count)d periods), within the series' "
        "%(first)s to %(last)s"),
    # A note, not an inconsistency.
    "shares_over_100": gettext_lazy(
        "note: the shares sum over 100 %% in %(count)d period(s) and area(s) (up to "
        "%(highest)s %% in %(period)s %(area)s): expected, several answers are possible in "
        "this series"),
}


@dataclass(frozen=True)
class Finding:
    """One thing the check found: a code of ``FINDING_TEXTS`` and its parameters (periods,
    areas, categories as written in the file; counts; shares as Decimals or as published)."""

    code: str
    params: dict[str, object] = field(default_factory=dict, hash=False)

    @property
    def text(self) -> str:
        """The sentence in the active language."""
        return str(FINDING_TEXTS[self.code]) % self.params

    def __str__(self) -> str:
        return self.text


@dataclass
class CheckReport:
    """``findings`` are inconsistencies (one line each); ``notes`` explain what looks odd but
    is expected (shares over 100 % where several answers are possible)."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[Finding] = field(default_factory=list)

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


def _share_findings(point: Point, total: int | None) -> list[Finding]:
    where = {"period": point.period, "area": point.area, "category": point.category,
             "share": point.published_share}
    published = Decimal(point.published_share)
    if total is None:
        return [Finding("share_without_n", {**where, "total_category": TOTAL})]
    if total == 0:
        return [Finding("share_n_zero", where)]
    exact = Decimal(point.count) * 100 / Decimal(total)
    places = max(0, -published.as_tuple().exponent)
    # Any rounding of the exact share to the published decimals is accepted.
    if abs(exact - published) <= Decimal(5).scaleb(-places - 1):
        return []
    return [Finding("share_mismatch", {**where, "count": point.count, "total": total,
                                       "exact": round_half_away(exact, places)})]


def check_points(series: Series, points: Sequence[Point]) -> CheckReport:
    """The check of ``series_check`` on points already read (the list of series checks them
    all from one query)."""
    points = sorted(points, key=_sort_key)
    report = CheckReport()
    groups: dict[tuple[str, str], list[Point]] = defaultdict(list)
    for point in points:
        groups[(point.period, point.area)].append(point)
    over_100: list[tuple[Decimal, str, str]] = []
    for (period, area), group in groups.items():
        totals = [p.count for p in group if p.category == TOTAL]
        total = totals[0] if totals else None
        parts = [p for p in group if p.category != TOTAL]
        parts_sum = sum(p.count for p in parts)
        if series.categories_exclusive and total is not None and parts and parts_sum != total:
            report.findings.append(Finding("total_not_sum", {
                "period": period, "area": area, "total": total, "parts_sum": parts_sum}))
        for part in parts:
            if not series.categories_exclusive and total is not None and part.count > total:
                report.findings.append(Finding("count_above_n", {
                    "period": period, "area": area, "category": part.category,
                    "count": part.count, "total": total}))
            if part.published_share:
                report.findings.extend(_share_findings(part, total))
        if not series.categories_exclusive and total and parts_sum > total:
            over_100.append((Decimal(parts_sum) * 100 / total, period, area))
    if over_100:
        highest, period, area = max(over_100)
        report.notes.append(Finding("shares_over_100", {
            "count": len(over_100), "highest": round_half_away(highest, 1), "period": period,
            "area": area}))
    if points:
        span = _periods_between(points[0].period, points[-1].period)
        present: dict[str, set[str]] = defaultdict(set)
        for point in points:
            present[point.area].add(point.period)
        bounds = {"first": span[0], "last": span[-1]}
        for area in sorted(present):
            for run in _missing_runs(span, present[area]):
                if len(run) == 1:
                    finding = Finding("period_missing", {"area": area, "period": run[0],
                                                         **bounds})
                else:
                    finding = Finding("periods_missing", {
                        "area": area, "start": run[0], "end": run[-1], "count": len(run),
                        **bounds})
                report.findings.append(finding)
    return report


def series_check(*, name: str) -> CheckReport:
    """What does not add up in the series: totals of exclusive parts, published shares,
    periods missing per area between the series' first and last period."""
    series = Series.objects.get(name=name)
    return check_points(series, list(series.points.all()))

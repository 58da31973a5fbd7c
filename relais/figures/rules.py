"""The field's counting rules, as small pure functions with their tests
(relais/figures/tests/test_rules.py). docs/figures.md says why each exists.

- Rounding is half away from zero (2.25 → 2.3, −2.25 → −2.3), never Python's banker's rounding.
- A share is a count over its N (the units counted: incidents, files, zones), in %.
- A variation is the change from the previous period of the same area and category, in %; none
  when that period is missing or its count is 0 (``month_over_month`` applies it month by month).
- Small cells: counts from 1 to the threshold − 1 are hidden, and more cells are hidden
  secondarily until no hidden count can be computed back from the published totals
  (``suppress``).
- Two reference dates: police figures count by the date of the facts, prosecution figures by
  the date of entry at the prosecutor's office, and every table says which
  (``reference_date_for``); a case transferred between offices counts once, at its first entry
  (``count_prosecution_cases``).
- Types that do not add up: forms of violence are shares of N, "several answers possible", with
  N printed and no total of their own (``multi_answer_shares``).
- Terciles of units (zones, districts) by count or by rate (``terciles``).
- The same month of other years, region by region, with the regions whose trend goes against
  the national one (``same_month_other_years``).

Rates per 10,000 inhabitants and the population they are computed on are in
``relais.figures.population``. Nothing here reads the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Generic, Literal, TypeVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def round_half_away(value: float | Decimal | None, decimals: int = 1) -> Decimal | None:
    """``value`` rounded half away from zero to ``decimals`` places (None stays None)."""
    if value is None:
        return None
    exponent = Decimal(1).scaleb(-decimals)
    # Decimal(str(...)) so that 2.675 is the 2.675 one typed, not 2.67499999...
    return Decimal(str(value)).quantize(exponent, rounding=ROUND_HALF_UP)


def share_pct(count: int, total: int | None, decimals: int = 1) -> Decimal | None:
    """``count`` as a % of its N; None when there is no N (or it is 0)."""
    if not total:
        return None
    return round_half_away(Decimal(count) * 100 / Decimal(total), decimals)


def variation_pct(current: int, previous: int | None, decimals: int = 1) -> Decimal | None:
    """The change from the previous period in %; None when it is missing or 0."""
    if not previous:
        return None
    return round_half_away((Decimal(current) - Decimal(previous)) * 100 / Decimal(previous),
                           decimals)


def previous_month(period: str) -> str:
    """The month before ``period`` ('2026-01' → '2025-12')."""
    year, month = _parse_month(period)
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


def month_over_month(counts: Mapping[str, int], *,
                     decimals: int = 1) -> dict[str, Decimal | None]:
    """Each month's variation in % from the month before (``variation_pct``); None when the month
    before is missing from ``counts`` or was 0. ``counts`` maps 'YYYY-MM' to a count."""
    return {period: variation_pct(count, counts.get(previous_month(period)), decimals)
            for period, count in sorted(counts.items())}


def _parse_month(period: str) -> tuple[int, int]:
    """'YYYY-MM' as (year, month); ValueError for anything else."""
    year, dash, month = period.partition("-")
    if not (dash and len(year) == 4 and len(month) == 2 and year.isdigit() and month.isdigit()
            and 1 <= int(month) <= 12):
        raise ValueError(f"not a month YYYY-MM: {period!r}")
    return int(year), int(month)


# --- Small cells ---------------------------------------------------------------------------

R = TypeVar("R", bound=Hashable)
C = TypeVar("C", bound=Hashable)

DEFAULT_SMALL_CELL = 5


@dataclass(frozen=True)
class SuppressedTable(Generic[R, C]):
    """A table as it may be published: ``cells[row][column]`` is the count or None when hidden.

    The totals are the true totals of the full table and are published, except that a row or
    column of a single cell has the cell as its total, hidden with it (and so has a table of
    one cell its grand total). ``primary`` holds the cells hidden for being small,
    ``secondary`` those hidden so that the first cannot be computed back from the totals.
    """

    rows: tuple[R, ...]
    columns: tuple[C, ...]
    cells: dict[R, dict[C, int | None]]
    row_totals: dict[R, int | None]
    column_totals: dict[C, int | None]
    total: int | None
    primary: frozenset[tuple[R, C]]
    secondary: frozenset[tuple[R, C]]
    threshold: int

    @property
    def hidden(self) -> frozenset[tuple[R, C]]:
        return self.primary | self.secondary


def small_cell_threshold() -> int:
    """The configured threshold: settings.FIGURES_SMALL_CELL (RELAIS_FIGURES_SMALL_CELL), 5."""
    return int(getattr(settings, "FIGURES_SMALL_CELL", DEFAULT_SMALL_CELL))


def suppress(table: Mapping[R, Mapping[C, int]], *,
             threshold: int | None = None) -> SuppressedTable[R, C]:
    """The table with its small cells hidden, primarily and secondarily.

    ``table`` maps each row to its cells (column → count); every row has the same columns, in
    the same order, and the order is kept. A one-column table (counts by district) is a valid
    table: its column total is the grand total.

    - **Primary:** a count from 1 to ``threshold`` − 1 is hidden. A 0 is shown: it reveals no
      person, and hiding every 0 would hide that nothing happened.
    - **Secondary, the classic rule:** in any row or column with exactly one hidden cell, the
      smallest other cell of that line is hidden too (a non-zero one first: a hidden 0 is
      often known to be 0; ties go to the first in table order); repeated until stable.
    - **Secondary, beyond the classic rule:** two hidden cells per line are not always enough
      (two hidden rectangles joined by one hidden cell give that cell away), so any hidden cell
      that the published totals still determine exactly gets one more cell hidden, one that
      links it to another hidden cell, and the classic rule runs again.

    The totals are published. The guarantee is that no hidden count can be computed exactly
    from what is published; it is not a protection interval (a hidden pair in a row whose
    other cells and total are shown is known to add up to their difference). The choice is
    greedy and easy to explain, not the fewest cells an optimiser (τ-ARGUS) would hide.
    """
    limit = small_cell_threshold() if threshold is None else threshold
    if limit < 1:
        raise ValueError("the small-cell threshold must be at least 1")
    rows = tuple(table)
    columns = tuple(table[rows[0]]) if rows else ()
    for row in rows:
        if tuple(table[row]) != columns:
            raise ValueError(f"row {row!r} does not have the table's columns {columns!r}")
        for column, value in table[row].items():
            if not isinstance(value, int) or value < 0:
                raise ValueError(f"cell ({row!r}, {column!r}) is not a count: {value!r}")
    values = {(row, column): table[row][column] for row in rows for column in columns}
    primary = {cell for cell, value in values.items() if 0 < value < limit}
    hidden = set(primary)
    while True:
        _hide_lonely_cells(hidden, values=values, rows=rows, columns=columns)
        exposed = _first_determined(hidden, rows=rows, columns=columns)
        if exposed is None:
            break
        hidden.add(_link_for(exposed, hidden=hidden, values=values, rows=rows, columns=columns))

    def shown(cell: tuple[R, C]) -> int | None:
        return None if cell in hidden else values[cell]

    row_totals = {row: sum(values[row, column] for column in columns) for row in rows}
    column_totals = {column: sum(values[row, column] for row in rows) for column in columns}
    return SuppressedTable(
        rows=rows,
        columns=columns,
        cells={row: {column: shown((row, column)) for column in columns} for row in rows},
        row_totals={row: shown((row, columns[0])) if len(columns) == 1 else total
                    for row, total in row_totals.items()},
        column_totals={column: shown((rows[0], column)) if len(rows) == 1 else total
                       for column, total in column_totals.items()},
        total=shown((rows[0], columns[0])) if len(values) == 1 else sum(values.values()),
        primary=frozenset(primary),
        secondary=frozenset(hidden - primary),
        threshold=limit,
    )


def _lines(rows: tuple, columns: tuple) -> list[list[tuple]]:
    """Every row and column of two cells or more: the lines whose total is an equation."""
    lines = []
    if len(columns) > 1:
        lines += [[(row, column) for column in columns] for row in rows]
    if len(rows) > 1:
        lines += [[(row, column) for row in rows] for column in columns]
    return lines


def _smallest(candidates: Iterable[tuple], values: Mapping[tuple, int]) -> tuple | None:
    """The cell to hide next: the smallest non-zero count, else a 0; first in order on ties."""
    ordered = list(candidates)
    if not ordered:
        return None
    return min(ordered, key=lambda cell: (values[cell] == 0, values[cell]))


def _hide_lonely_cells(hidden: set, *, values: Mapping[tuple, int], rows: tuple,
                       columns: tuple) -> None:
    """The classic rule: no line keeps exactly one hidden cell."""
    changed = True
    while changed:
        changed = False
        for line in _lines(rows, columns):
            if sum(cell in hidden for cell in line) == 1:
                partner = _smallest((cell for cell in line if cell not in hidden), values)
                if partner is not None:
                    hidden.add(partner)
                    changed = True


def _node(cell: tuple, *, rows: tuple, columns: tuple, side: int) -> tuple:
    """The equation a hidden cell enters by its row (side 0) or its column (side 1). A line of
    one cell has no equation of its own: those all meet in one free node."""
    if side == 0:
        return ("row", cell[0]) if len(columns) > 1 else ("free",)
    return ("column", cell[1]) if len(rows) > 1 else ("free",)


def _reachable(start: tuple, edges: list[tuple[tuple, tuple]]) -> set[tuple]:
    """The nodes reachable from ``start`` over ``edges``."""
    neighbours: dict[tuple, list[tuple]] = defaultdict(list)
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    seen, todo = {start}, [start]
    while todo:
        for other in neighbours[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


def _first_determined(hidden: set, *, rows: tuple, columns: tuple) -> tuple | None:
    """The first hidden cell the totals determine exactly, or None.

    Hidden cells are the edges of a graph between the equations (row and column totals) they
    enter; a cell is determined exactly when its edge lies on no cycle (a bridge), since a
    cycle is a way to move counts between hidden cells without changing any total.
    """
    order = [(row, column) for row in rows for column in columns if (row, column) in hidden]
    edges = {cell: (_node(cell, rows=rows, columns=columns, side=0),
                    _node(cell, rows=rows, columns=columns, side=1)) for cell in order}
    for cell in order:
        a, b = edges[cell]
        others = [edge for other, edge in edges.items() if other != cell]
        if a != b and b not in _reachable(a, others):
            return cell
    return None


def _link_for(exposed: tuple, *, hidden: set, values: Mapping[tuple, int], rows: tuple,
              columns: tuple) -> tuple:
    """A cell to hide so that ``exposed`` lies on a cycle of hidden cells: the smallest shown
    cell joining what its row reaches to what its column reaches without it; failing that
    (not met on a full grid), the smallest shown cell of its row or column."""
    def ends(cell: tuple) -> tuple[tuple, tuple]:
        return (_node(cell, rows=rows, columns=columns, side=0),
                _node(cell, rows=rows, columns=columns, side=1))

    others = [ends(cell) for cell in hidden if cell != exposed]
    row_side, column_side = (_reachable(end, others) for end in ends(exposed))
    shown = [(row, column) for row in rows for column in columns if (row, column) not in hidden]

    def joins(cell: tuple) -> bool:
        a, b = ends(cell)
        return (a in row_side and b in column_side) or (a in column_side and b in row_side)

    link = _smallest((cell for cell in shown if joins(cell)), values)
    if link is None:
        link = _smallest((cell for cell in shown
                          if cell[0] == exposed[0] or cell[1] == exposed[1]), values)
    if link is None:  # pragma: no cover - the classic rule leaves a shown cell to link
        raise AssertionError(f"no cell left to protect {exposed!r}")
    return link


# --- Two reference dates -------------------------------------------------------------------

class FigureSource(models.TextChoices):
    """Whose records a figure counts."""

    POLICE = "police", _("Police")
    PROSECUTION = "prosecution", _("Prosecution")


class ReferenceDate(models.TextChoices):
    """The date a figure counts by; the label is printed with every table and chart."""

    OFFENCE = "offence", _("by date of the facts")
    RECORDED = "recorded", _("by date of recording")
    ENTRY = "entry", _("by date of entry at the prosecutor's office")


def reference_date_for(source: FigureSource | str) -> ReferenceDate:
    """Police figures count by the date of the facts, prosecution figures by the date of entry
    at the prosecutor's office (IPV-DACOVID: mixing the two made the figures disagree)."""
    if FigureSource(source) == FigureSource.POLICE:
        return ReferenceDate.OFFENCE
    return ReferenceDate.ENTRY


def counting_day(*, source: FigureSource | str, facts_on: date | None,
                 entered_on: date | None) -> date | None:
    """The day a record counts on for ``source``: the date of the facts for the police, the
    date of entry at the prosecutor's office for the prosecution; None when that one is
    unknown (the other date never stands in for it)."""
    return facts_on if reference_date_for(source) == ReferenceDate.OFFENCE else entered_on


Period = Literal["month", "year"]


def period_of(day: date, *, period: Period = "month") -> str:
    """The period a day counts in: 'YYYY-MM' or 'YYYY'."""
    return f"{day.year:04d}-{day.month:02d}" if period == "month" else f"{day.year:04d}"


@dataclass(frozen=True)
class ProsecutionEntry:
    """A case's entry at a prosecutor's office: its first one, or one after a transfer."""

    case: Hashable
    office: str
    entered_on: date


def first_entries(entries: Iterable[ProsecutionEntry]) -> list[ProsecutionEntry]:
    """One entry per case, its first: the earliest date; on the same day, the first given.
    In the order of the cases' first appearance."""
    first: dict[Hashable, ProsecutionEntry] = {}
    for entry in entries:
        kept = first.get(entry.case)
        if kept is None or entry.entered_on < kept.entered_on:
            first[entry.case] = entry
    return list(first.values())


def count_prosecution_cases(entries: Iterable[ProsecutionEntry], *,
                            period: Period = "month") -> dict[str, int]:
    """Prosecution cases by period of entry, each case counted once: in the period of its
    first entry, however many offices it was transferred to."""
    counts: dict[str, int] = defaultdict(int)
    for entry in first_entries(entries):
        counts[period_of(entry.entered_on, period=period)] += 1
    return dict(sorted(counts.items()))


def count_prosecution_cases_by_office(entries: Iterable[ProsecutionEntry], *,
                                      period: Period = "month") -> dict[tuple[str, str], int]:
    """Prosecution cases by (office, period of entry), each case counted once, at the office
    of its first entry: the office it was transferred to does not count it again."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for entry in first_entries(entries):
        counts[entry.office, period_of(entry.entered_on, period=period)] += 1
    return dict(sorted(counts.items()))


# --- Types that do not add up --------------------------------------------------------------

SEVERAL_ANSWERS_POSSIBLE = _("several answers possible")
N_OF_UNITS = _("N = %(n)s")


class NotAdditiveError(TypeError):
    """A total of categories that are not exclusive (one incident can have several)."""


@dataclass(frozen=True)
class ShareOfN:
    count: int
    share_pct: Decimal | None


@dataclass(frozen=True)
class MultiAnswerShares:
    """Each category's count and share of N, for categories that do not add up: one unit
    (incident, file) can fall in several, so the shares can sum over 100% and there is no
    total of the categories. Print ``note`` and ``n`` with the table (``N_OF_UNITS``)."""

    n: int
    categories: dict[str, ShareOfN]
    note: str = SEVERAL_ANSWERS_POSSIBLE

    def total(self) -> int:
        """Refused: the categories overlap, and their sum counts some units twice."""
        raise NotAdditiveError(
            "the categories are not exclusive (several answers possible): "
            "their sum is no total; N is the number of units")


def multi_answer_shares(*, counts: Mapping[str, int], n: int,
                        decimals: int = 1) -> MultiAnswerShares:
    """Each category's share of N, the number of units counted (incidents, files), for
    categories of which a unit can have several (forms of violence). A category cannot count
    more units than N."""
    if n < 0:
        raise ValueError(f"N must be a count, not {n!r}")
    for category, count in counts.items():
        if count < 0 or count > n:
            raise ValueError(f"{category!r}: {count} is not a count between 0 and N = {n}")
    return MultiAnswerShares(n=n, categories={
        category: ShareOfN(count=count, share_pct=share_pct(count, n, decimals))
        for category, count in counts.items()})


# --- Terciles ------------------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)


def terciles(values: Mapping[K, int | Decimal | float]) -> dict[K, int]:
    """Each unit's tercile, 1 (lowest third) to 3 (highest), by its value: a count, or a rate.

    Units are ranked by value, ties in the order given. With n units, the unit at position i
    (from 0) falls in tercile 1 + ⌊3i / n⌋: three groups as equal as possible, the one or two
    left over going to the lower groups (4 units: 2, 1, 1; 5 units: 2, 2, 1). Units with the
    same value are never split: they all take the tercile of the first of them, so a group can
    be larger, and a higher one smaller or empty (all equal: all in tercile 1).
    """
    for unit, value in values.items():
        if value is None:
            raise ValueError(f"{unit!r} has no value to rank (a rate without a population?)")
    ranked = sorted(values.items(), key=lambda item: item[1])
    n = len(ranked)
    groups: dict[K, int] = {}
    previous: tuple[int | Decimal | float, int] | None = None
    for position, (unit, value) in enumerate(ranked):
        if previous is not None and value == previous[0]:
            groups[unit] = previous[1]
        else:
            groups[unit] = 1 + (3 * position) // n
            previous = (value, groups[unit])
    return {unit: groups[unit] for unit in values}


# --- The same month of other years, region by region ---------------------------------------

@dataclass(frozen=True)
class SameMonthTrend:
    """One area's count in the same month of each year, and its change over the last year."""

    area: str
    counts: dict[int, int | None]
    variation_pct: Decimal | None
    against_national: bool


@dataclass(frozen=True)
class SameMonthComparison:
    """The month of each year, nationally (the sum of the regions; None for a year in which a
    region has no count) and by region, with the regions whose trend goes against the
    national one."""

    month: str
    years: tuple[int, ...]
    national: SameMonthTrend
    regions: dict[str, SameMonthTrend]

    @property
    def against_national(self) -> list[str]:
        return [region for region, trend in self.regions.items() if trend.against_national]


def same_month_other_years(rows: Iterable[tuple[str, str, int]], *, month: str,
                           decimals: int = 1) -> SameMonthComparison:
    """For ``month`` ('YYYY-MM'), the same month of every year in ``rows``, region by region.

    ``rows`` are (period 'YYYY-MM', region, count), one per period and region; other months
    are ignored. A trend is the change from the same month of the year before, in % (none
    when that month is missing or 0). A region goes against the national trend when its
    change and the national one have opposite signs (a national rise hiding a local fall, or
    the reverse); a flat trend goes against nothing.
    """
    year, month_number = _parse_month(month)
    by_region: dict[str, dict[int, int]] = defaultdict(dict)
    for period, region, count in rows:
        row_year, row_month = _parse_month(period)
        if row_month != month_number:
            continue
        if row_year in by_region[region]:
            raise ValueError(f"two counts for {region!r} in {period}")
        by_region[region][row_year] = count
    years = tuple(sorted({y for counts in by_region.values() for y in counts} | {year}))
    national_counts: dict[int, int | None] = {
        y: (sum(counts[y] for counts in by_region.values())
            if all(y in counts for counts in by_region.values()) else None)
        for y in years}
    national_change = _change(national_counts, year, decimals)
    national = SameMonthTrend(area="national", counts=national_counts,
                              variation_pct=national_change, against_national=False)
    regions = {}
    for region, counts in sorted(by_region.items()):
        change = _change(counts, year, decimals)
        against = (change is not None and national_change is not None
                   and change * national_change < 0)
        regions[region] = SameMonthTrend(area=region, counts={y: counts.get(y) for y in years},
                                         variation_pct=change, against_national=against)
    return SameMonthComparison(month=month, years=years, national=national, regions=regions)


def _change(counts: Mapping[int, int | None], year: int, decimals: int) -> Decimal | None:
    current = counts.get(year)
    if current is None:
        return None
    return variation_pct(current, counts.get(year - 1), decimals)

"""Counts made into ``Table``s with the field's rules (relais.figures.rules), for the producers
that count Relais's own records (relais.figures.programmes, relais.figures.eige):

- ``exclusive_table``: each unit in one row (a file's route, its progress), so the rows add up
  to N; small cells hidden primarily and secondarily (``suppress`` as a one-column table), and
  each shown count's share of N;
- ``multi_answer_table``: categories of which a unit can have several (forms of violence,
  substances), per year: each a share of that year's N, never a total; the years × categories
  counts and the years' N suppressed together (the N are published, so they are cells too);
- ``crossed_table``: units counted by year and one exclusive category (the EIGE indicators'
  annual counts), suppressed as a table whose row and column totals are published.

A hidden cell is ``None``, and so is the share of a hidden count; N itself is hidden when it is
a small count. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from relais.figures.rules import (
    SuppressedTable,
    multi_answer_shares,
    share_pct,
    small_cell_threshold,
    suppress,
)
from relais.figures.tables import Cell, Column, Table

N_KEY = "_n"  # the column of N in a suppressed matrix: never a category code


@dataclass(frozen=True)
class Heading:
    """What a table is, said once: its key, title, reference date, unit and notes."""

    key: str
    title: str
    reference_date: str
    n_label: str
    notes: tuple[str, ...] = ()


def relais_source() -> str:
    return _("Relais records")


def shown_n(n: int, threshold: int) -> int | None:
    """N as published: hidden when it is itself a small count (1 to threshold − 1)."""
    return None if 0 < n < threshold else n


def suppression_note(table: SuppressedTable) -> tuple[str, ...]:
    """The note printed under a table with hidden cells."""
    if not table.hidden:
        return ()
    return (_("Counts from 1 to %(last)s are hidden (–), and other cells with them so that the "
              "totals cannot reveal them.") % {"last": table.threshold - 1},)


def _notes(heading: Heading, *more: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*heading.notes, *more)))


def exclusive_table(*, heading: Heading, label_columns: Sequence[Column], count_label: str,
                    rows: Sequence[tuple[tuple[str, ...], int]],
                    threshold: int | None = None) -> Table:
    """One row per category (its labels, its count); the rows add up to N, printed with the
    table. Columns: the labels, the count, its share of N in %."""
    limit = small_cell_threshold() if threshold is None else threshold
    n = sum(count for _labels, count in rows)
    published_n = shown_n(n, limit)
    cells: dict[int, int | None] = {}
    suppressed: SuppressedTable | None = None
    if rows:
        suppressed = suppress({index: {"count": count}
                               for index, (_labels, count) in enumerate(rows)}, threshold=limit)
        cells = {index: suppressed.cells[index]["count"] for index in range(len(rows))}
    table_rows: list[tuple[Cell, ...]] = []
    for index, (labels, _count) in enumerate(rows):
        count = cells[index]
        share = None if count is None or published_n is None else share_pct(count, n)
        table_rows.append((*labels, count, share))
    return Table(
        key=heading.key, title=heading.title,
        columns=(*label_columns, Column("count", count_label),
                 Column("share_pct", _("Share of N (%)"))),
        rows=tuple(table_rows), reference_date=heading.reference_date, n=published_n,
        n_label=heading.n_label,
        notes=_notes(heading, *(suppression_note(suppressed) if suppressed else ())),
        source=relais_source())


def multi_answer_table(*, heading: Heading, category_label: str, count_label: str,
                       categories: Sequence[tuple[str, str]],
                       counts: Mapping[int, Mapping[str, int]], n_by_year: Mapping[int, int],
                       threshold: int | None = None) -> Table:
    """Per year, each category's count and share of the year's N (the units counted that
    year): several answers possible, so the shares do not add up and there is no total.
    Columns: year, category, count, N, share of N in %."""
    limit = small_cell_threshold() if threshold is None else threshold
    years = sorted(n_by_year)
    codes = [code for code, _label in categories]
    matrix = {year: {**{code: counts.get(year, {}).get(code, 0) for code in codes},
                     N_KEY: n_by_year[year]} for year in years}
    suppressed = suppress(matrix, threshold=limit) if years else None
    table_rows: list[tuple[Cell, ...]] = []
    for year in years:
        shares = multi_answer_shares(counts={code: matrix[year][code] for code in codes},
                                     n=n_by_year[year])
        year_n = suppressed.cells[year][N_KEY] if suppressed else None
        for code, label in categories:
            count = suppressed.cells[year][code] if suppressed else None
            share = None if count is None or year_n is None \
                else shares.categories[code].share_pct
            table_rows.append((str(year), label, count, year_n, share))
    total = sum(n_by_year.values())
    return Table(
        key=heading.key, title=heading.title,
        columns=(Column("year", _("Year"), numeric=False),
                 Column("category", category_label, numeric=False),
                 Column("count", count_label), Column("n", _("N of the year")),
                 Column("share_pct", _("Share of N (%)"))),
        rows=tuple(table_rows), reference_date=heading.reference_date,
        n=shown_n(total, limit), n_label=heading.n_label,
        notes=_notes(heading, _("Several answers possible: shares of N do not add up."),
                     *(suppression_note(suppressed) if suppressed else ())),
        source=relais_source())


def crossed_table(*, heading: Heading, categories: Sequence[tuple[str, str]],
                  counts: Mapping[int, Mapping[str, int]], years: Sequence[int],
                  threshold: int | None = None) -> Table:
    """Units by year (rows) and one exclusive category (columns), with each year's total:
    the counts add up. Columns: year, one per category, total. A year's total or N that is
    itself a small count is hidden too."""
    limit = small_cell_threshold() if threshold is None else threshold
    codes = [code for code, _label in categories]
    matrix = {year: {code: counts.get(year, {}).get(code, 0) for code in codes}
              for year in years}
    suppressed = suppress(matrix, threshold=limit) if years else None
    table_rows: list[tuple[Cell, ...]] = []
    for year in years:
        cells = [suppressed.cells[year][code] for code in codes] if suppressed else []
        total = suppressed.row_totals[year] if suppressed else None
        table_rows.append((str(year), *cells, None if total is None else shown_n(total, limit)))
    n = sum(sum(row.values()) for row in matrix.values())
    return Table(
        key=heading.key, title=heading.title,
        columns=(Column("year", _("Year"), numeric=False),
                 *(Column(code, label) for code, label in categories),
                 Column("total", _("Total"))),
        rows=tuple(table_rows), reference_date=heading.reference_date,
        n=shown_n(n, limit), n_label=heading.n_label,
        notes=_notes(heading, *(suppression_note(suppressed) if suppressed else ())),
        source=relais_source())

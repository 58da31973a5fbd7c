"""The one shape every figure takes on a screen and in an export: a ``Table`` (its rows, its N,
the date it counts by, its notes) and, where it helps, a ``Chart`` of it; together a ``Panel``.

Producers (the dashboard's indicators, the programmes' and the consultation's figures, EIGE's
indicators, partner series) build tables; the dashboard template and the exports
(relais.figures.exports) render them, so what is exported is what is shown.

Cells hold ints, Decimals, strings or ``None``; ``None`` is a hidden cell (a small cell, or a
share without N) and is printed "–" with the reason in the table's notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relais.figures.charts import Chart
from relais.figures.legal_basis import HONOURED, REQUIRED, basis_of
from relais.figures.rules import small_cell_threshold

Cell = int | Decimal | str | None


@dataclass(frozen=True)
class Column:
    key: str  # stable, for CSV headers and tests: "month", "count", "share_pct"
    label: str  # in the reader's language
    numeric: bool = True


@dataclass(frozen=True)
class LeftOut:
    """What persons' refusals to be counted did to a table (relais.figures.consent): the rule
    of relais.figures.legal_basis, its source, and for a table that honours them how many
    records it left out."""

    rule: str
    source: str = ""
    count: int | None = None  # records left out (HONOURED tables)

    @property
    def shown_count(self) -> int | None:
        """The count as published: None ("fewer than" the threshold) from 0 to the threshold −
        1, so that the line never tells that one person has just declined."""
        if self.count is None or self.count < small_cell_threshold():
            return None
        return self.count

    def text(self) -> str:
        """The line printed under the table (and in its exports); "" when there is none."""
        if self.rule == REQUIRED:
            return _("Counts everyone, including persons who declined to be counted: required "
                     "by law (%(source)s).") % {"source": self.source}
        if self.rule != HONOURED:
            return ""
        shown = self.shown_count
        if shown is None:
            return _("Fewer than %(n)s records left out at the person's request.") % {
                "n": small_cell_threshold()}
        return ngettext("%(count)s record left out at the person's request.",
                        "%(count)s records left out at the person's request.",
                        shown) % {"count": shown}


@dataclass(frozen=True)
class Table:
    key: str  # stable, for the export's file name and the URL: "indicator-1"
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    reference_date: str = ""  # "by date of the facts", "by date of entry", or "" if none
    n: int | None = None
    n_label: str = ""  # what N counts: "reports", "files"
    notes: tuple[str, ...] = ()  # "Several answers possible: shares of N do not add up."
    source: str = ""  # "Relais records", a partner series' source, Statbel's credit
    left_out: LeftOut | None = None  # persons' refusals to be counted (relais.figures.consent)

    def lines(self) -> list[tuple[tuple[Cell, bool], ...]]:
        """The rows with each cell's "numeric" flag, for templates."""
        flags = tuple(c.numeric for c in self.columns)
        return [tuple(zip(row, flags, strict=False)) for row in self.rows]

    def column(self, key: str) -> tuple[Cell, ...]:
        index = next(i for i, c in enumerate(self.columns) if c.key == key)
        return tuple(row[index] for row in self.rows)


@dataclass(frozen=True)
class Panel:
    """One section of the dashboard: a table, optionally drawn as a chart, with sentences
    (a rate, a comparison) that belong to it."""

    table: Table
    chart: Chart | None = None
    sentences: tuple[str, ...] = field(default=())

    @property
    def key(self) -> str:
        return self.table.key


def left_out(table: Table, count: int | None = None) -> Table:
    """The table with its line on persons' refusals to be counted (relais.figures.consent):
    for a figure the law requires, that it counts everyone; for the others, ``count`` records
    left out (hidden below the small-cell threshold, 0 included). Every producer of a table
    that counts persons' records calls it, in relais.figures and below it (the consultation's
    figures)."""
    basis = basis_of(table.key)
    if basis is None:
        return table
    if basis.rule == HONOURED and count is None:
        raise ValueError(f"{table.key}: a table that honours refusals says how many it left out")
    return replace(table, left_out=LeftOut(rule=basis.rule, source=str(basis.source),
                                           count=count if basis.rule == HONOURED else None))


def stated(table: Table) -> Table:
    """A table whose line needs no count: one the law requires (it counts everyone). Others
    are returned as they are."""
    basis = basis_of(table.key)
    if table.left_out is not None or basis is None or basis.rule == HONOURED:
        return table
    return left_out(table)

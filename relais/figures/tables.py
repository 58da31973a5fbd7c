"""The one shape every figure takes on a screen and in an export: a ``Table`` (its rows, its N,
the date it counts by, its notes) and, where it helps, a ``Chart`` of it; together a ``Panel``.

Producers (the dashboard's indicators, the programmes' and the consultation's figures, EIGE's
indicators, partner series) build tables; the dashboard template and the exports
(relais.figures.exports) render them, so what is exported is what is shown.

Cells hold ints, Decimals, strings or ``None``; ``None`` is a hidden cell (a small cell, or a
share without N) and is printed "–" with the reason in the table's notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from relais.figures.charts import Chart

Cell = int | Decimal | str | None


@dataclass(frozen=True)
class Column:
    key: str  # stable, for CSV headers and tests: "month", "count", "share_pct"
    label: str  # in the reader's language
    numeric: bool = True


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

"""Partner series from the command line (docs/figures.md, "Partner series"):

    ./dev manage figures import FILE.csv [--unit calls] [--categories exclusive|multiple]
                                         [--source "ONE, rapport annuel 2024"]
    ./dev manage figures table SERIES --format csv [--decimals N]
    ./dev manage figures check SERIES

Exit codes: 0 done (or consistent); 1 the file was refused (report on stderr) or the check
flagged something; 2 a usage error or an unknown series.
"""

from __future__ import annotations

import argparse
import csv
from decimal import Decimal
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from relais.figures.models import Series
from relais.figures.series import (
    TABLE_HEADER,
    SeriesFileError,
    series_check,
    series_import,
    series_table,
)

FLAGGED = 1
USAGE = 2


def _decimals(value: str) -> int:
    if not value.isdigit() or int(value) > 10:
        raise argparse.ArgumentTypeError(f"a whole number from 0 to 10, not {value!r}")
    return int(value)


def _cell(value: int | Decimal | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and value == 0:
        value = abs(value)  # -0.0 reads as 0.0
    return str(value)


class Command(BaseCommand):
    help = ("Partner series: import a long-format CSV/XLSX file, print its derived table, "
            "check its consistency. See docs/figures.md.")

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        load = actions.add_parser(
            "import", help="load (or replace) a series from FILE.csv or FILE.xlsx")
        load.add_argument("file", help="long format: series,period,area,category,count[,share]")
        load.add_argument("--unit", default="units",
                          help="what N (the _total rows) counts: incidents, files, calls…")
        load.add_argument("--categories", choices=["exclusive", "multiple"], default="exclusive",
                          help="exclusive: the parts add up to N (default); multiple: several "
                               "answers possible, shares may sum over 100 %%")
        load.add_argument("--source", default="", help="source and credit of the series")
        table = actions.add_parser("table", help="print the derived table of a series")
        table.add_argument("series", help="the series' name")
        table.add_argument("--format", choices=["csv"], default="csv")
        table.add_argument("--decimals", type=_decimals, default=1,
                           help="decimals of share_pct and variation_pct (0–10, default 1)")
        check = actions.add_parser("check", help="print a series' inconsistencies, one a line")
        check.add_argument("series", help="the series' name")

    def handle(self, *args, action: str, **options) -> None:
        # The command line speaks English; the messages are translated for the upload screen.
        with translation.override("en"):
            if action == "import":
                self._import(**options)
            elif action == "table":
                self._table(**options)
            else:
                self._check(**options)

    def _import(self, *, file: str, unit: str, categories: str, source: str, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"no such file: {file}", returncode=USAGE)
        try:
            series = series_import(actor=None, path=path, unit=unit,
                                   categories_exclusive=categories == "exclusive", source=source)
        except SeriesFileError as error:
            for problem in error.problems:
                self.stderr.write(f"{path.name}: {problem}")
            raise CommandError(f"{path.name}: {len(error.problems)} problem(s), nothing loaded",
                               returncode=FLAGGED) from error
        kind = "exclusive" if series.categories_exclusive else "several answers possible"
        self.stdout.write(f"series {series.name!r}: {series.points.count()} rows loaded "
                          f"({kind}, N in {series.unit})")

    def _series(self, name: str) -> str:
        if not Series.objects.filter(name=name).exists():
            raise CommandError(f"no series named {name!r}", returncode=USAGE)
        return name

    def _table(self, *, series: str, decimals: int, **options) -> None:
        rows = series_table(name=self._series(series), decimals=decimals)
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(TABLE_HEADER)
        for row in rows:
            writer.writerow([row.period, row.area, row.category, row.count, _cell(row.total),
                             _cell(row.share_pct), _cell(row.variation_pct)])

    def _check(self, *, series: str, **options) -> None:
        report = series_check(name=self._series(series))
        for finding in (*report.findings, *report.notes):
            self.stdout.write(finding.text)
        if not report.consistent:
            raise CommandError(f"{series}: {len(report.findings)} inconsistency(ies) found",
                               returncode=FLAGGED)

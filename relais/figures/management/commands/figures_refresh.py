"""Recompute the counts the figures dashboard reads (relais.figures.aggregates): the roadmap's
per month, EIGE's per agency and calendar year (relais.figures.eige_counts):

    ./dev manage figures_refresh                 # now
    ./dev manage figures_refresh --if-older 60   # only if the last run is over an hour old

Run it every hour beside followup_tick (``./dev demo`` does); the dashboard says when it ran.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from relais.figures.aggregates import refresh_counts, refresh_if_older


class Command(BaseCommand):
    help = "Recompute the counts of the figures dashboard (docs/figures.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--if-older", type=int, metavar="MINUTES", default=None,
                            help="recompute only if the last run is older than MINUTES")

    def handle(self, *args, if_older: int | None = None, **options) -> None:
        refresh = (refresh_if_older(minutes=if_older) if if_older is not None
                   else refresh_counts())
        if refresh is None:
            self.stdout.write("figures_refresh: fresh enough, nothing done")
            return
        self.stdout.write(f"figures_refresh: {refresh.rows} rows in {refresh.seconds:.1f} s")

"""The debrief's figures: the reports of the crisis' months in its area against the same
months of the other years (relais.figures' precomputed counts, by date of the facts), with the
small cells hidden as on the dashboard."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum
from django.utils import timezone

from relais.access.crisis import covers
from relais.crisis.models import Crisis
from relais.figures.aggregates import Measure, Reference
from relais.figures.models import MonthlyCount
from relais.figures.rules import same_month_other_years, small_cell_threshold, suppress


@dataclass(frozen=True)
class CrisisFigures:
    years: tuple[int, ...]
    rows: tuple[tuple, ...]  # (month 'MM/YYYY', count per year..., change from a year before %)
    threshold: int


def _months(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def crisis_figures(crisis: Crisis) -> CrisisFigures | None:
    end = (timezone.localdate(crisis.lifted_at) if crisis.lifted_at
           else timezone.localdate())
    months = _months(crisis.starts_on, max(end, crisis.starts_on))
    numbers = {m.month for m in months}
    counts: dict[tuple[int, int], int] = defaultdict(int)  # (month number, year) → reports
    rows = (MonthlyCount.objects.filter(measure=Measure.REPORTS, reference=Reference.FACTS,
                                        month__month__in=numbers)
            .order_by().values("month", "municipality").annotate(n=Sum("count")))
    for row in rows:
        if covers(level=crisis.area_level, code=crisis.area_code, refnis=row["municipality"]):
            counts[(row["month"].month, row["month"].year)] += row["n"]
    if not counts:
        return None
    years = tuple(sorted({year for _m, year in counts} | {m.year for m in months}))
    table = suppress({m: {y: counts.get((m.month, y), 0) for y in years} for m in months})
    out = []
    for month in months:
        comparison = same_month_other_years(
            [(f"{y}-{month.month:02d}", crisis.area_code, counts.get((month.month, y), 0))
             for y in years], month=f"{month.year}-{month.month:02d}")
        trend = comparison.regions.get(crisis.area_code)
        shown = table.cells[month][month.year]
        out.append((month.strftime("%m/%Y"), *(table.cells[month][y] for y in years),
                    trend.variation_pct if trend is not None and shown is not None else None))
    return CrisisFigures(years=years, rows=tuple(out), threshold=small_cell_threshold())

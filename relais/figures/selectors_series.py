"""Reading partner series for the screens (relais.figures.views_series): the list with each
series' periods and number of findings, and one series as a table, a chart and its check.

Both reads check the policy (``relais.access.figures.may_see_series``; a refusal is
``Http404``) and are audited. A series holds published counts, never a person: its small counts
are shown as published (the suppression of relais.figures.rules is for Relais's own records).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext as _

from relais.access.figures import may_see_series
from relais.audit.models import Action
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.figures.charts import bar_chart
from relais.figures.models import TOTAL, Point, Series
from relais.figures.series import CheckReport, TableRow, check_points, table_rows
from relais.figures.tables import Column, Panel, Table


@dataclass(frozen=True)
class SeriesSummary:
    """A line of the list: the series and what its counts cover."""

    series: Series
    first_period: str
    last_period: str
    periods: int  # distinct periods with a count
    areas: int
    findings: int  # inconsistencies found by the check (notes are not counted)


def series_list(*, actor: Actor) -> list[SeriesSummary]:
    """Every partner series, by name, checked (two queries whatever their number; audited)."""
    if not may_see_series(actor):
        raise Http404
    all_series = list(Series.objects.select_related("imported_by"))
    points: dict[int, list[Point]] = defaultdict(list)
    for point in Point.objects.filter(series__in=all_series):
        points[point.series_id].append(point)
    summaries = []
    for series in all_series:
        own = points[series.pk]
        periods = sorted({point.period for point in own})
        summaries.append(SeriesSummary(
            series=series, first_period=periods[0] if periods else "",
            last_period=periods[-1] if periods else "", periods=len(periods),
            areas=len({point.area for point in own}),
            findings=len(check_points(series, own).findings)))
    audit_record(actor=actor, action=Action.READ,
                 basis=f"partner series list ({len(summaries)} series)")
    return summaries


@dataclass(frozen=True)
class SeriesPage:
    """One series on screen: the derived table of one area (``panel.table``), the chart of one
    category of that area by period (``panel.chart``), and the check of the whole series."""

    series: Series
    areas: tuple[str, ...]
    categories: tuple[str, ...]
    area: str
    category: str
    panel: Panel
    check: CheckReport


def category_label(category: str) -> str:
    return _("Total (N)") if category == TOTAL else category


def _default(choices: list[str], preferred: tuple[str, ...]) -> str:
    return next((choice for choice in preferred if choice in choices), choices[0])


def series_read(*, actor: Actor, series_id: int, area: str = "", category: str = "",
                decimals: int = 1) -> SeriesPage:
    """The series' page. ``area`` and ``category`` choose what the table and the chart show
    (anything not in the series falls back to Belgium, or the first area, and to N, or the
    first category). Audited as one read of the series."""
    if not may_see_series(actor):
        raise Http404
    series = Series.objects.select_related("imported_by").filter(pk=series_id).first()
    if series is None:
        raise Http404
    points = list(series.points.all())
    areas = sorted({point.area for point in points})
    categories = sorted({point.category for point in points},
                        key=lambda name: (name == TOTAL, name))
    if area not in areas:
        area = _default(areas, ("Belgium", "België", "Belgique")) if areas else ""
    if category not in categories:
        category = _default(categories, (TOTAL,)) if categories else ""
    rows = [row for row in table_rows(points, decimals=decimals) if row.area == area]
    table = _table(series, area, rows)
    chart = None
    chart_rows = [(row.period, row.count) for row in rows if row.category == category]
    if chart_rows:
        chart = bar_chart(
            title=_("%(category)s in %(area)s, by period") % {
                "category": category_label(category), "area": area},
            description=_("One bar per period for %(category)s in %(area)s, from "
                          "%(first)s to %(last)s.") % {
                "category": category_label(category), "area": area,
                "first": chart_rows[0][0], "last": chart_rows[-1][0]},
            rows=chart_rows, x_title=_("Period"), y_title=series.unit)
    audit_record(actor=actor, action=Action.READ, target=series,
                 basis=f"partner series {series.name!r} read")
    return SeriesPage(series=series, areas=tuple(areas), categories=tuple(categories),
                      area=area, category=category, panel=Panel(table=table, chart=chart),
                      check=check_points(series, points))


def _pct(value: Decimal | None) -> Decimal | None:
    return abs(value) if value is not None and value == 0 else value  # -0.0 reads as 0.0


def _table(series: Series, area: str, rows: list[TableRow]) -> Table:
    notes = [_("Share: the count divided by N, the total of its period and area. Change: from "
               "the previous period of the same category. Both in %, rounded half away from "
               "zero."),
             _("–: no N to compute the share against, or no previous period (or a count of 0) "
               "to compare with."),
             _("Counts as the partner published them: small counts are not hidden.")]
    if not series.categories_exclusive:
        notes.insert(0, _("Several answers possible: shares of N do not add up."))
    return Table(
        key=f"series-{series.pk}",
        title=_("%(series)s: %(area)s") % {"series": series.name, "area": area},
        columns=(Column("period", _("Period"), numeric=False),
                 Column("area", _("Area"), numeric=False),
                 Column("category", _("Category"), numeric=False),
                 Column("count", _("Count")),
                 Column("total", _("N")),
                 Column("share_pct", _("Share of N (%)")),
                 Column("variation_pct", _("Change from the previous period (%)"))),
        rows=tuple((row.period, row.area, category_label(row.category), row.count, row.total,
                    _pct(row.share_pct), _pct(row.variation_pct)) for row in rows),
        n_label=series.unit, notes=tuple(notes), source=series.source)

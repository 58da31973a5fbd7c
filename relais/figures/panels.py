"""The dashboard's panels of Relais's own records, from the precomputed counts
(relais.figures.aggregates): each a ``Table`` with its chart, its reference date and its N,
with the field's counting rules applied (relais.figures.rules):

- ``reports_panel``: the roadmap's indicator 1 (information reports among the reports) with the
  month-over-month variation;
- ``forms_panel``: forms of violence as shares of N (several answers possible);
- ``rates_panel``: reports per 10,000 inhabitants by municipality, zone, district or region
  (Statbel), with the terciles by population, count and rate;
- ``same_month_panel``: the last month against the same month of other years, region by region;
- ``entries_panel``: the roadmap's indicator 4 (children's presence and impact recorded) and
  the entries per month.

Counts below the small-cell threshold are hidden (``None``), secondarily too. None of these
tables is required by law (relais.figures.legal_basis): each leaves out the records of the
persons who declined to be counted and says how many (``left_out``, from the precomputed
``*_left_out`` counts).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.accounts.models import Agency, JurisdictionMunicipality
from relais.figures import population
from relais.figures.aggregates import ChildrenCategory, Measure, Reference
from relais.figures.charts import bar_chart
from relais.figures.count_tables import relais_source
from relais.figures.models import MonthlyCount
from relais.figures.rules import (
    SuppressedTable,
    month_over_month,
    multi_answer_shares,
    same_month_other_years,
    share_pct,
    small_cell_threshold,
    suppress,
    terciles,
)
from relais.figures.tables import Column, Panel, Table, left_out
from relais.intake.models import RecordKind, ViolenceForm

INFORMATION, OFFICIAL = RecordKind.INFORMATION_REPORT.value, RecordKind.OFFICIAL_REPORT.value


@dataclass(frozen=True)
class Period:
    start: date  # the first month
    end: date  # the month after the last

    def months(self) -> list[date]:
        months, month = [], self.start
        while month < self.end:
            months.append(month)
            month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return months


def _label(month: date) -> str:
    return month.strftime("%Y-%m")


def reference_label(reference: str) -> str:
    return {Reference.FACTS: _("by date of the facts"),
            Reference.RECORDED: _("by date of recording"),
            Reference.ENTRY: _("by date of entry at the prosecutor's office")}[reference]


def partial_note(period: Period) -> tuple[str, ...]:
    """The month in progress is counted as far as it goes: say so, or its fall looks real."""
    current = timezone.localdate().replace(day=1)
    if period.start <= current < period.end:
        return (_("%(month)s is not over: its counts are partial.")
                % {"month": _label(current)},)
    return ()


def _hidden_note() -> str:
    return _("– : hidden, fewer than %(n)s (or a count from which one could be worked out).") \
        % {"n": small_cell_threshold()}


def _counts(*, measure: str, reference: str, agency_ids: Sequence[int], period: Period | None,
            by: Iterable[str]) -> list[dict]:
    rows = MonthlyCount.objects.filter(measure=measure, reference=reference,
                                       agency_id__in=list(agency_ids))
    if period is not None:
        rows = rows.filter(month__gte=period.start, month__lt=period.end)
    return list(rows.order_by().values(*by).annotate(n=Sum("count")))


def _left_out(*, measure: str, reference: str, agency_ids: Sequence[int],
              period: Period) -> int:
    """How many records the table left out at the persons' request (relais.figures.consent)."""
    return MonthlyCount.objects.filter(
        measure=measure, reference=reference, agency_id__in=list(agency_ids),
        month__gte=period.start, month__lt=period.end).aggregate(n=Sum("count"))["n"] or 0


def _monthly(*, measure: str, reference: str, agency_ids: Sequence[int], period: Period,
             categories: Sequence[str]) -> tuple[SuppressedTable, dict, int] | None:
    """Each month's counts by category, suppressed, with the month-over-month variation of the
    months' totals and the grand total; None when nothing was counted."""
    counts: dict[date, dict[str, int]] = {m: dict.fromkeys(categories, 0)
                                          for m in period.months()}
    for row in _counts(measure=measure, reference=reference, agency_ids=agency_ids,
                       period=period, by=("month", "category")):
        counts[row["month"]][row["category"]] += row["n"]
    total = sum(sum(c.values()) for c in counts.values())
    if not total:
        return None
    table = suppress(counts)
    variation = month_over_month({_label(m): v for m, v in table.row_totals.items()
                                  if v is not None})
    return table, variation, total


# --- Indicator 1 ---------------------------------------------------------------------------

def reports_panel(*, zone_ids: Sequence[int], period: Period, reference: str) -> Panel | None:
    monthly = _monthly(measure=Measure.REPORTS, reference=reference, agency_ids=zone_ids,
                       period=period, categories=(INFORMATION, OFFICIAL))
    if monthly is None:
        return None
    table, variation, total = monthly
    rows = []
    for month in table.rows:
        info, official = table.cells[month][INFORMATION], table.cells[month][OFFICIAL]
        all_reports = table.row_totals[month]
        share = share_pct(info, all_reports) if info is not None and official is not None \
            else None
        rows.append((_label(month), info, official, all_reports, share,
                     variation.get(_label(month))))
    columns = (Column("month", _("Month"), numeric=False),
               Column("information", _("Information reports")),
               Column("official", _("Official reports")),
               Column("reports", _("All reports")),
               Column("information_pct", _("Information reports (%)")),
               Column("variation_pct", _("Change from the month before (%)")))
    left = _left_out(measure=Measure.REPORTS_LEFT_OUT, reference=reference,
                     agency_ids=zone_ids, period=period)
    return Panel(
        table=left_out(Table(key="indicator-1",
                    title=_("Information reports among the reports (indicator 1)"),
                    columns=columns, rows=tuple(rows), reference_date=reference_label(reference),
                    n=total, n_label=_("reports"), source=relais_source(),
                    notes=(*partial_note(period), _hidden_note())), left),
        chart=bar_chart(
            title=_("Share of information reports, %"),
            description=_("Per month: information reports (family dispute without blows) as a "
                          "share of all reports."),
            rows=[(r[0], r[4]) for r in rows], x_title=_("Month"),
            y_title=_("Information reports (%)")))


# --- Forms of violence ----------------------------------------------------------------------

def forms_panel(*, zone_ids: Sequence[int], period: Period) -> Panel | None:
    n = sum(r["n"] for r in _counts(measure=Measure.REPORTS, reference=Reference.FACTS,
                                    agency_ids=zone_ids, period=period, by=("month",)))
    forms = {r["category"]: r["n"] for r in _counts(
        measure=Measure.REPORT_FORMS, reference=Reference.FACTS, agency_ids=zone_ids,
        period=period, by=("category",))}
    if not n or not forms:
        return None
    labels = dict(ViolenceForm.choices)
    ordered = [code for code in labels if code in forms] + sorted(set(forms) - set(labels))
    shares = multi_answer_shares(counts={c: min(forms[c], n) for c in ordered}, n=n)
    # No total of the forms is published (they overlap), so no hidden count can be worked out
    # from one: the primary rule is enough.
    limit = small_cell_threshold()
    rows = []
    for code in ordered:
        count = shares.categories[code].count
        count = None if 0 < count < limit else count
        rows.append((str(labels.get(code, code)), count,
                     shares.categories[code].share_pct if count is not None else None))
    left = _left_out(measure=Measure.REPORTS_LEFT_OUT, reference=Reference.FACTS,
                     agency_ids=zone_ids, period=period)
    return Panel(
        table=left_out(Table(key="forms", title=_("Forms of violence recorded"),
                    columns=(Column("form", _("Form of violence"), numeric=False),
                             Column("reports", _("Reports")),
                             Column("share_pct", _("Share of N (%)"))),
                    rows=tuple(rows), reference_date=reference_label(Reference.FACTS), n=n,
                    n_label=_("reports"), source=relais_source(),
                    notes=(_("Several answers possible: one report can record several forms, "
                             "so the shares add up to more than 100% and have no total."),
                           _hidden_note())), left),
        chart=bar_chart(title=_("Forms of violence, share of the reports (%)"),
                        description=_("Each form of violence as a share of the reports of the "
                                      "period; several answers possible."),
                        rows=[(r[0], r[2]) for r in rows], x_title=_("Form of violence"),
                        y_title=_("Share of N (%)")))


# --- Rates per 10,000 inhabitants and terciles ----------------------------------------------

def _zone_populations(zone_ids: Sequence[int]) -> dict[int, int]:
    inhabitants: dict[int, int] = defaultdict(int)
    for agency_id, refnis in JurisdictionMunicipality.objects.filter(
            agency_id__in=list(zone_ids)).values_list("agency_id", "refnis"):
        try:
            inhabitants[agency_id] += population.municipality_population(code=refnis).inhabitants
        except LookupError:
            continue
    return inhabitants


def _area(refnis: str, level: str) -> str:
    try:
        return population.area_of(municipality=refnis, level=level)
    except (LookupError, ValueError):
        return ""


def _rate_rows(units: dict[str, tuple[str, int, int]]) -> list[tuple]:
    """Rows (name, population, count, rate, tercile by population, by count, by rate) for units
    {key: (name, population, count)}; a small count is hidden with its rate and terciles."""
    limit = small_cell_threshold()
    shown = {k: v for k, v in units.items() if not 0 < v[2] < limit}
    ranks = len(shown) >= 3
    by_population = terciles({k: v[1] for k, v in shown.items()}) if ranks else {}
    by_count = terciles({k: v[2] for k, v in shown.items()}) if ranks else {}
    rates = {k: population.rate_per_10000(count=v[2], population=v[1]) for k, v in shown.items()}
    by_rate = terciles({k: r for k, r in rates.items() if r is not None}) if ranks else {}
    rows = []
    for key, (name, inhabitants, count) in sorted(units.items(), key=lambda i: i[1][0]):
        visible = key in shown
        rows.append((name, inhabitants, count if visible else None,
                     rates.get(key) if visible else None,
                     by_population.get(key), by_count.get(key), by_rate.get(key)))
    return rows


def _rate_columns(unit_label: str) -> tuple[Column, ...]:
    return (Column("area", unit_label, numeric=False),
            Column("population", _("Inhabitants")),
            Column("reports", _("Reports")),
            Column("rate", _("Reports per 10,000 inhabitants")),
            Column("tercile_population", _("Tercile by population")),
            Column("tercile_count", _("Tercile by count")),
            Column("tercile_rate", _("Tercile by rate")))


def _rate_notes(missing: int) -> tuple[str, ...]:
    notes = [_("Population on 1 January %(year)s: %(source)s.")
             % {"year": population.LATEST_YEAR, "source": population.CREDIT},
             _("Terciles: 1 is the lowest third, 3 the highest; shown from three areas on."),
             _hidden_note()]
    if missing:
        notes.append(_("%(n)s reports without the municipality of the facts are not in the "
                       "rates by area.") % {"n": missing})
    return tuple(notes)


def rates_panels(*, zone_ids: Sequence[int], period: Period, reference: str,
                 level: str) -> list[Panel]:
    """By zone (or by municipality for one zone) and, above the district, by district or by
    region."""
    rows = _counts(measure=Measure.REPORTS, reference=reference, agency_ids=zone_ids,
                   period=period, by=("agency_id", "municipality"))
    if not rows:
        return []
    language = (get_language() or "fr")[:2]
    left = _left_out(measure=Measure.REPORTS_LEFT_OUT, reference=reference, agency_ids=zone_ids,
                     period=period)
    panels = []
    if len(zone_ids) > 1:
        names = dict(Agency.objects.filter(pk__in=list(zone_ids)).values_list("pk", "name"))
        inhabitants = _zone_populations(zone_ids)
        per_zone: dict[int, int] = defaultdict(int)
        for row in rows:
            per_zone[row["agency_id"]] += row["n"]
        units = {str(z): (names[z], inhabitants.get(z, 0), per_zone.get(z, 0)) for z in zone_ids}
        panels.append(_rates_panel("rates-zones", _("Reports per 10,000 inhabitants, by zone"),
                                   _("Police zone"), units, reference, missing=0, left=left))
    area_level = {"zone": "municipality", "district": "municipality", "province": "district",
                  "region": "district", "national": "region"}.get(level, "municipality")
    per_area: dict[str, int] = defaultdict(int)
    missing = 0
    for row in rows:
        code = _area(row["municipality"], area_level) if row["municipality"] else ""
        if code:
            per_area[code] += row["n"]
        else:
            missing += row["n"]
    units = {}
    for code, count in per_area.items():
        try:
            inhabitants = population.population(level=area_level, area=code).inhabitants
        except LookupError:
            inhabitants = 0
        units[code] = (population.area_name(level=area_level, code=code, language=language),
                       inhabitants, count)
    title, unit_label = {
        "municipality": (_("Reports per 10,000 inhabitants, by municipality of the facts"),
                         _("Municipality")),
        "district": (_("Reports per 10,000 inhabitants, by judicial district"),
                     _("Judicial district")),
        "region": (_("Reports per 10,000 inhabitants, by region"), _("Region"))}[area_level]
    if units:
        panels.append(_rates_panel(f"rates-{area_level}", title, unit_label, units, reference,
                                   missing=missing, left=left))
    return panels


def _rates_panel(key: str, title: str, unit_label: str, units: dict, reference: str, *,
                 missing: int, left: int) -> Panel:
    rows = _rate_rows(units)
    return Panel(
        table=left_out(Table(key=key, title=title, columns=_rate_columns(unit_label),
                             rows=tuple(rows),
                    reference_date=reference_label(reference),
                    n=sum(u[2] for u in units.values()), n_label=_("reports"),
                    source=f"{relais_source()}; {population.CREDIT}",
                    notes=_rate_notes(missing)), left),
        chart=bar_chart(title=title, description=_("Reports per 10,000 inhabitants of each "
                                                   "area over the period."),
                        rows=[(r[0], r[3]) for r in rows], x_title=unit_label,
                        y_title=_("Reports per 10,000 inhabitants")))


# --- The same month of other years ------------------------------------------------------------

def same_month_panel(*, zone_ids: Sequence[int], month: date, reference: str) -> Panel | None:
    """The reports of ``month`` against the same month of the other years, region by region:
    a national rise can hide a local fall."""
    rows = MonthlyCount.objects.filter(
        measure__in=(Measure.REPORTS, Measure.REPORTS_LEFT_OUT), reference=reference,
        agency_id__in=list(zone_ids), month__month=month.month)
    per_region: dict[tuple[str, str], int] = defaultdict(int)
    left = 0  # the reports left out at the persons' request, read with the others
    for row in (rows.order_by().values("measure", "month", "municipality")
                .annotate(n=Sum("count"))):
        if row["measure"] == Measure.REPORTS_LEFT_OUT:
            left += row["n"]
            continue
        region = _area(row["municipality"], "region") if row["municipality"] else ""
        if region:
            per_region[(_label(row["month"]), region)] += row["n"]
    if not per_region:
        return None
    comparison = same_month_other_years(
        [(period, region, n) for (period, region), n in per_region.items()], month=_label(month))
    language = (get_language() or "fr")[:2]
    years = comparison.years
    grid = suppress({region: {year: trend.counts.get(year) or 0 for year in years}
                     for region, trend in comparison.regions.items()})
    table_rows = []
    for region, trend in comparison.regions.items():
        table_rows.append((population.area_name(level="region", code=region, language=language),
                           *(grid.cells[region][year] for year in years),
                           trend.variation_pct if grid.cells[region][years[-1]] is not None
                           else None,
                           _("yes") if trend.against_national else ""))
    table_rows.append((_("All regions"), *(grid.column_totals[year] for year in years),
                       comparison.national.variation_pct, ""))
    columns = (Column("region", _("Region"), numeric=False),
               *(Column(str(year), str(year)) for year in years),
               Column("variation_pct", _("Change from a year before (%)")),
               Column("against", _("Against the overall trend"), numeric=False))
    return Panel(
        table=left_out(Table(key="same-month",
                    title=_("%(month)s against the same month of other years, by region")
                    % {"month": month.strftime("%m/%Y")},
                    columns=columns, rows=tuple(table_rows),
                    reference_date=reference_label(reference),
                    n=sum(per_region.values()), n_label=_("reports"), source=relais_source(),
                    notes=(_("A region goes against the overall trend when it falls while the "
                             "whole rises, or the reverse."), _hidden_note())), left))


# --- Indicator 4 -----------------------------------------------------------------------------

def entries_panel(*, office_ids: Sequence[int], period: Period) -> Panel | None:
    categories = (ChildrenCategory.RECORDED, ChildrenCategory.NOT_RECORDED, ChildrenCategory.NONE)
    monthly = _monthly(measure=Measure.ENTRIES, reference=Reference.ENTRY,
                       agency_ids=office_ids, period=period, categories=categories)
    if monthly is None:
        return None
    table, variation, total = monthly
    rows = []
    for month in table.rows:
        recorded = table.cells[month][ChildrenCategory.RECORDED]
        not_recorded = table.cells[month][ChildrenCategory.NOT_RECORDED]
        with_children = (recorded + not_recorded
                         if recorded is not None and not_recorded is not None else None)
        rows.append((_label(month), table.row_totals[month], with_children, recorded,
                     share_pct(recorded, with_children) if with_children else None,
                     variation.get(_label(month))))
    columns = (Column("month", _("Month"), numeric=False),
               Column("entries", _("Entries")),
               Column("with_children", _("Concerning children")),
               Column("recorded", _("Presence and impact recorded")),
               Column("recorded_pct", _("Recorded (%)")),
               Column("variation_pct", _("Change in entries from the month before (%)")))
    left = _left_out(measure=Measure.ENTRIES_LEFT_OUT, reference=Reference.ENTRY,
                     agency_ids=office_ids, period=period)
    return Panel(
        table=left_out(Table(key="indicator-4",
                    title=_("Children's presence and impact recorded (indicator 4)"),
                    columns=columns, rows=tuple(rows),
                    reference_date=reference_label(Reference.ENTRY), n=total,
                    n_label=_("entries"), source=relais_source(),
                    notes=(_("A case transferred between prosecutor's offices enters once."),
                           *partial_note(period), _hidden_note())), left),
        chart=bar_chart(
            title=_("Entries with children whose presence and impact are recorded, %"),
            description=_("Per month of entry: of the entries whose case concerns children, the "
                          "share whose report records both whether they were present and the "
                          "impact on them."),
            rows=[(r[0], r[4]) for r in rows], x_title=_("Month"), y_title=_("Recorded (%)")))

"""The figures dashboard's content for one reader: the roadmap's indicators her role allows,
each as a chart with its table, its reference date and its N. Counts only; a month whose counts
are small cells (relais.figures.rules.suppress) shows no share; audited as one read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from relais.access.figures import figures_scope
from relais.accounts.models import JurisdictionMunicipality
from relais.audit.models import Action as Audit
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.figures import indicators, population
from relais.figures.charts import Chart, bar_chart
from relais.figures.rules import suppress


@dataclass(frozen=True)
class Panel:
    title: str
    reference_date: str
    n_label: str
    n: int
    chart: Chart
    rate: str = ""  # per 10,000 inhabitants, with the population's year and source


def _published_shares(rows: list, *, part: str, rest: str, share: str) -> list:
    """Each month's share, or None when its counts are hidden as small cells (the share of a
    month with 1 information report out of 3 would tell the count)."""
    if not rows:
        return []
    table = suppress({r.month: {"part": getattr(r, part), "rest": getattr(r, rest)}
                      for r in rows})
    return [(_month_label(r.month), None if (r.month, "part") in table.hidden
             or (r.month, "rest") in table.hidden else getattr(r, share)) for r in rows]


def _zone_rate(zone_ids: tuple[int, ...], count: int) -> str:
    """The reports per 10,000 inhabitants of the zones' municipalities (their jurisdiction)."""
    codes = list(JurisdictionMunicipality.objects.filter(agency_id__in=zone_ids)
                 .values_list("refnis", flat=True))
    inhabitants, year = 0, population.LATEST_YEAR
    for code in codes:
        try:
            inhabitants += population.municipality_population(code=code, year=year).inhabitants
        except LookupError:
            continue
    rate = population.rate_per_10000(count=count, population=inhabitants)
    if rate is None:
        return ""
    return _("%(rate)s reports per 10,000 inhabitants (population on 1 January %(year)s: "
             "%(source)s)") % {"rate": rate, "year": year, "source": population.CREDIT}


def _month_label(month: date) -> str:
    return month.strftime("%Y-%m")


def dashboard(*, actor: Actor, start: date, end: date) -> list[Panel]:
    """The panels of the reader's dashboard for the months from ``start`` to ``end``
    (excluded)."""
    scope = figures_scope(actor)
    if scope.empty:
        raise Http404
    panels = []
    if scope.zone_ids:
        rows = indicators.dispute_share(zone_ids=scope.zone_ids, start=start, end=end)
        panels.append(Panel(
            title=_("Information reports among the reports (indicator 1)"),
            reference_date=_("by date of the facts"),
            n_label=_("reports"), n=sum(r.total for r in rows),
            chart=bar_chart(
                title=_("Share of information reports, %"),
                description=_("Per month of the facts: information reports (family dispute "
                              "without blows) as a share of all reports of the zone."),
                rows=_published_shares(rows, part="information", rest="official",
                                       share="information_pct"),
                x_title=_("Month"), y_title=_("% information reports")),
            rate=_zone_rate(scope.zone_ids, sum(r.total for r in rows))))
    if scope.office_ids:
        rows = indicators.children_recorded(office_ids=scope.office_ids, start=start, end=end)
        panels.append(Panel(
            title=_("Children's presence and impact recorded (indicator 4)"),
            reference_date=_("by date of entry at the prosecutor's office"),
            n_label=_("entries concerning children"), n=sum(r.with_children for r in rows),
            chart=bar_chart(
                title=_("Entries with children whose presence and impact are recorded, %"),
                description=_("Per month of entry: of the entries whose case concerns "
                              "children, the share whose report records both whether they "
                              "were present and the impact on them."),
                rows=_published_shares(rows, part="recorded", rest="not_recorded",
                                       share="recorded_pct"),
                x_title=_("Month"), y_title=_("% recorded"))))
    audit_record(actor=actor, action=Audit.READ,
                 basis=f"figures dashboard {start.isoformat()}/{end.isoformat()}")
    return panels

